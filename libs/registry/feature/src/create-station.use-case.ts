import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, type Clock } from '@ecc/shared-kernel';
import type { PrismaClient } from '@ecc/shared-data';
import { recordAudit } from '@ecc/audit-data';
import type { CreateStationInput, CreatedStationView } from '@ecc/registry-domain';
import { StationCredentialsRepository, StationsRepository, toStationView } from '@ecc/registry-data';
import { CLOCK, PRISMA, type CommandContext } from '@ecc/platform-nest';
import { isUniqueViolation } from './registry-errors';

/** A station signing secret: 32 random bytes, base64url (43 characters). */
export const newStationSecret = (): string => randomBytes(32).toString('base64url');

/**
 * Registers a station with its first signing secret. The secret is in the response only: it is stored
 * sealed, and neither the audit event nor any log carries it.
 */
@Injectable()
export class CreateStationUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly stations: StationsRepository,
    private readonly credentials: StationCredentialsRepository,
  ) {}

  async execute(input: CreateStationInput, ctx: CommandContext): Promise<CreatedStationView> {
    const secret = newStationSecret();
    try {
      return await this.prisma.$transaction(async (tx) => {
        if (await this.stations.findByCode(input.code, tx)) throw stationCodeTaken(input.code);
        const station = await this.stations.create(tx, input);
        const stored = await this.credentials.addSecret(tx, station, secret, this.clock.now());
        await recordAudit(tx, {
          actor: ctx.actor,
          action: 'station.created',
          entityType: 'station',
          entityId: station.id,
          requestId: ctx.requestId,
          changes: {
            ...input,
            credential: { keyId: stored.keyId, activeFrom: stored.activeFrom.toISOString() },
          },
        });
        return { ...toStationView(station), keyId: stored.keyId, secret };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw stationCodeTaken(input.code);
      throw error;
    }
  }
}

const stationCodeTaken = (code: string) =>
  new DomainError('conflict', 'station_code_taken', `a station with the code ${code} already exists`);
