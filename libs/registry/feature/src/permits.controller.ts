import { Controller, Get, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { STAFF_ROLES } from '@ecc/identity-domain';
import {
  createPermitSchema,
  permitQuerySchema,
  permitViewSchema,
  type CreatePermitInput,
} from '@ecc/registry-domain';
import { PermitsRepository } from '@ecc/registry-data';
import {
  ApiProblems,
  ApiZodResponse,
  Ctx,
  Roles,
  ZodBody,
  ZodQuery,
  type CommandContext,
  PersonalData,
} from '@ecc/platform-nest';
import { CreatePermitUseCase } from './create-permit.use-case';

@ApiTags('registry')
@Controller('permits')
export class PermitsController {
  constructor(
    private readonly createPermit: CreatePermitUseCase,
    private readonly permits: PermitsRepository,
  ) {}

  @Post()
  @ApiProblems({ 409: '`permit_no_taken`' })
  @Roles('admin')
  @ApiOperation({ summary: 'Record an oversize-transport permit (大件运输许可) (admin)' })
  @ApiZodResponse(201, permitViewSchema)
  create(@ZodBody(createPermitSchema) body: CreatePermitInput, @Ctx() ctx: CommandContext) {
    return this.createPermit.execute(body, ctx);
  }

  @Get()
  @PersonalData('permit')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'The permits of a plate, newest validity first (staff)' })
  @ApiZodResponse(200, z.object({ items: z.array(permitViewSchema) }))
  async list(@ZodQuery(permitQuerySchema) query: z.infer<typeof permitQuerySchema>) {
    return { items: await this.permits.listByPlate(query.plate) };
  }
}
