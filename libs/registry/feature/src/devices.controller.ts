import { Controller, Get, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { STAFF_ROLES } from '@ecc/identity-domain';
import {
  calibrationSchema,
  calibrationViewSchema,
  codeSchema,
  createDeviceSchema,
  deviceViewSchema,
  type CalibrationInput,
  type CreateDeviceInput,
} from '@ecc/registry-domain';
import { DevicesRepository, StationsRepository, toDeviceView } from '@ecc/registry-data';
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
import { AddCalibrationUseCase, CreateDeviceUseCase } from './create-device.use-case';
import { deviceNotFound, stationNotFound } from './registry-errors';

@ApiTags('registry')
@Controller('stations/:code/devices')
export class DevicesController {
  constructor(
    private readonly createDevice: CreateDeviceUseCase,
    private readonly addCalibration: AddCalibrationUseCase,
    private readonly stations: StationsRepository,
    private readonly devices: DevicesRepository,
  ) {}

  @Post()
  @ApiProblems({ 409: '`device_taken`, `calibration_certificate_taken`' })
  @Roles('admin')
  @ApiOperation({
    summary:
      'Register a device at a station with its legal review, technical review, publication and calibration (admin)',
  })
  @ApiZodResponse(201, deviceViewSchema)
  create(
    @ZodParam('code', codeSchema) code: string,
    @ZodBody(createDeviceSchema) body: CreateDeviceInput,
    @Ctx() ctx: CommandContext,
  ) {
    return this.createDevice.execute(code, body, ctx);
  }

  @Get()
  @NoPersonalData()
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'The devices of a station with their calibrations (staff)' })
  @ApiZodResponse(200, z.object({ items: z.array(deviceViewSchema) }))
  async list(@ZodParam('code', codeSchema) code: string) {
    const station = await this.stations.findByCode(code);
    if (!station) throw stationNotFound(code);
    return { items: (await this.devices.listByStation(station.id)).map(toDeviceView) };
  }

  @Get(':deviceCode')
  @NoPersonalData()
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'One device with its calibrations (staff)' })
  @ApiZodResponse(200, deviceViewSchema)
  async get(
    @ZodParam('code', codeSchema) code: string,
    @ZodParam('deviceCode', codeSchema) deviceCode: string,
  ) {
    const station = await this.stations.findByCode(code);
    if (!station) throw stationNotFound(code);
    const device = await this.devices.findByCode(station.id, deviceCode);
    if (!device) throw deviceNotFound(code, deviceCode);
    return toDeviceView(device);
  }

  @Post(':deviceCode/calibrations')
  @ApiProblems({ 409: '`calibration_certificate_taken`' })
  @Roles('admin')
  @ApiOperation({ summary: 'Add a calibration certificate (a new verification period) to a device (admin)' })
  @ApiZodResponse(201, calibrationViewSchema)
  calibrate(
    @ZodParam('code', codeSchema) code: string,
    @ZodParam('deviceCode', codeSchema) deviceCode: string,
    @ZodBody(calibrationSchema) body: CalibrationInput,
    @Ctx() ctx: CommandContext,
  ) {
    return this.addCalibration.execute(code, deviceCode, body, ctx);
  }
}
