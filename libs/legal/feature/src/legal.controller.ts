import { Controller, Get, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { notFound } from '@ecc/shared-kernel';
import type { LegalArticle } from '@ecc/legal-domain';
import { LegalBasisRepository } from '@ecc/legal-data';
import {
  ApiProblems,
  ApiZodResponse,
  Ctx,
  Roles,
  ZodBody,
  ZodParam,
  ZodQuery,
  type CommandContext,
  NoPersonalData,
} from '@ecc/platform-nest';
import { STAFF_ROLES } from '@ecc/identity-domain';
import { AddLegalBasisUseCase, EndLegalBasisUseCase } from './legal-basis.use-cases';
import {
  createLegalBasisSchema,
  endLegalBasisSchema,
  legalBasisQuerySchema,
  legalBasisViewSchema,
} from './legal.schema';

@ApiTags('legal basis')
@Controller('legal-bases')
export class LegalBasisController {
  constructor(
    private readonly catalogue: LegalBasisRepository,
    private readonly add: AddLegalBasisUseCase,
    private readonly end: EndLegalBasisUseCase,
  ) {}

  @Get()
  @NoPersonalData()
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'The legal-basis catalogue, optionally one code or what was in force on a date' })
  @ApiZodResponse(200, z.object({ items: z.array(legalBasisViewSchema) }))
  async list(@ZodQuery(legalBasisQuerySchema) query: z.infer<typeof legalBasisQuerySchema>) {
    return { items: await this.catalogue.list(query) };
  }

  @Get(':id')
  @NoPersonalData()
  @Roles(...STAFF_ROLES)
  @ApiZodResponse(200, legalBasisViewSchema)
  async get(@ZodParam('id', z.string().uuid()) id: string) {
    const found = await this.catalogue.findById(id);
    if (!found) throw notFound('legal_basis', id);
    return found;
  }

  @Post()
  @ApiProblems({ 409: '`legal_basis_exists`: that code and version are in the catalogue' })
  @Roles('admin')
  @ApiOperation({ summary: 'Add a provision or a new version of one (admin)' })
  @ApiZodResponse(201, legalBasisViewSchema)
  create(@ZodBody(createLegalBasisSchema) body: LegalArticle, @Ctx() ctx: CommandContext) {
    return this.add.execute(body, ctx);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'Set the last day a version is in force (admin)' })
  @ApiZodResponse(200, legalBasisViewSchema)
  setValidity(
    @ZodParam('id', z.string().uuid()) id: string,
    @ZodBody(endLegalBasisSchema) body: z.infer<typeof endLegalBasisSchema>,
    @Ctx() ctx: CommandContext,
  ) {
    return this.end.execute(id, body.validTo, ctx);
  }
}
