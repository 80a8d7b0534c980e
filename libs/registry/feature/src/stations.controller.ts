import { Controller, Get, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { STAFF_ROLES } from '@ecc/identity-domain';
import {
  codeSchema,
  createdStationViewSchema,
  createStationSchema,
  secretRotationViewSchema,
  stationDetailViewSchema,
  stationViewSchema,
  type CreateStationInput,
} from '@ecc/registry-domain';
import { StationsRepository, toStationView } from '@ecc/registry-data';
import {
  ApiProblems,
  ApiZodResponse,
  Ctx,
  Roles,
  ZodBody,
  ZodParam,
  type CommandContext,
  NoPersonalData,
} from '@ecc/platform-nest';
import { CreateStationUseCase } from './create-station.use-case';
import { stationNotFound } from './registry-errors';
import { RotateStationSecretUseCase } from './rotate-station-secret.use-case';

@ApiTags('registry')
@Controller('stations')
export class StationsController {
  constructor(
    private readonly createStation: CreateStationUseCase,
    private readonly rotateSecret: RotateStationSecretUseCase,
    private readonly stations: StationsRepository,
  ) {}

  @Post()
  @ApiProblems({ 409: '`station_code_taken`' })
  @Roles('admin')
  @ApiOperation({
    summary: 'Register a station (检测点); its signing secret is in this response only (admin)',
  })
  @ApiZodResponse(201, createdStationViewSchema)
  create(@ZodBody(createStationSchema) body: CreateStationInput, @Ctx() ctx: CommandContext) {
    return this.createStation.execute(body, ctx);
  }

  @Get()
  @NoPersonalData()
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'List stations (staff)' })
  @ApiZodResponse(200, z.object({ items: z.array(stationViewSchema) }))
  async list() {
    return { items: (await this.stations.list()).map(toStationView) };
  }

  @Get(':code')
  @NoPersonalData()
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'One station, with the validity of its secrets but never a secret (staff)' })
  @ApiZodResponse(200, stationDetailViewSchema)
  async get(@ZodParam('code', codeSchema) code: string) {
    const station = await this.stations.detail(code);
    if (!station) throw stationNotFound(code);
    return station;
  }

  @Post(':code/secret-rotations')
  @Roles('admin')
  @ApiOperation({
    summary:
      'Rotate the signing secret: the new one is active at once and in this response only; the previous one stays valid for the overlap (admin)',
  })
  @ApiZodResponse(201, secretRotationViewSchema)
  rotate(@ZodParam('code', codeSchema) code: string, @Ctx() ctx: CommandContext) {
    return this.rotateSecret.execute(code, ctx);
  }
}
