import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@ecc/shared-kernel';
import type { PrismaClient } from '@ecc/shared-data';
import { recordAudit } from '@ecc/audit-data';
import type { CalibrationInput, CalibrationView, CreateDeviceInput, DeviceView } from '@ecc/registry-domain';
import { DevicesRepository, StationsRepository, toDeviceView } from '@ecc/registry-data';
import { PRISMA, type CommandContext } from '@ecc/platform-nest';
import { deviceNotFound, isUniqueViolation, stationNotFound } from './registry-errors';

/** Registers an electronic monitoring device at a station, with its Art. 41 approvals and calibration. */
@Injectable()
export class CreateDeviceUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly stations: StationsRepository,
    private readonly devices: DevicesRepository,
  ) {}

  async execute(stationCode: string, input: CreateDeviceInput, ctx: CommandContext): Promise<DeviceView> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const station = await this.stations.findByCode(stationCode, tx);
        if (!station) throw stationNotFound(stationCode);
        if (await this.devices.findByCode(station.id, input.code, tx)) throw deviceTaken(stationCode, input);
        const device = await this.devices.create(tx, station.id, input);
        await recordAudit(tx, {
          actor: ctx.actor,
          action: 'device.created',
          entityType: 'device',
          entityId: device.id,
          requestId: ctx.requestId,
          changes: { stationCode, ...input },
        });
        return toDeviceView(device);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw deviceTaken(stationCode, input);
      throw error;
    }
  }
}

/** A further calibration certificate (a new verification period) for an existing device. */
@Injectable()
export class AddCalibrationUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly stations: StationsRepository,
    private readonly devices: DevicesRepository,
  ) {}

  async execute(
    stationCode: string,
    deviceCode: string,
    input: CalibrationInput,
    ctx: CommandContext,
  ): Promise<CalibrationView> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const station = await this.stations.findByCode(stationCode, tx);
        if (!station) throw stationNotFound(stationCode);
        const device = await this.devices.findByCode(station.id, deviceCode, tx);
        if (!device) throw deviceNotFound(stationCode, deviceCode);
        if (await this.devices.hasCalibration(tx, device.id, input.certificateNo))
          throw certificateTaken(input.certificateNo);
        const calibration = await this.devices.addCalibration(tx, device.id, input);
        await recordAudit(tx, {
          actor: ctx.actor,
          action: 'device.calibration_added',
          entityType: 'device',
          entityId: device.id,
          requestId: ctx.requestId,
          changes: { stationCode, deviceCode, calibration: input },
        });
        return calibration;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw certificateTaken(input.certificateNo);
      throw error;
    }
  }
}

const deviceTaken = (stationCode: string, input: CreateDeviceInput) =>
  new DomainError(
    'conflict',
    'device_taken',
    `station ${stationCode} already has a device ${input.code}, or the serial number is registered to another device`,
  );

const certificateTaken = (certificateNo: string) =>
  new DomainError(
    'conflict',
    'calibration_certificate_taken',
    `the device already has the calibration certificate ${certificateNo}`,
  );
