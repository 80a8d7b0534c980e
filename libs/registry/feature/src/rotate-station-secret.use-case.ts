import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '@ecc/shared-kernel';
import type { AppConfig } from '@ecc/shared-config';
import type { PrismaClient } from '@ecc/shared-data';
import { recordAudit } from '@ecc/audit-data';
import type { SecretRotationView } from '@ecc/registry-domain';
import { StationCredentialsRepository, StationsRepository } from '@ecc/registry-data';
import { APP_CONFIG, CLOCK, PRISMA, type CommandContext } from '@ecc/platform-nest';
import { newStationSecret } from './create-station.use-case';
import { stationNotFound } from './registry-errors';

/**
 * A new signing secret, active at once; the previous one stays valid for the overlap
 * (STATION_SECRET_OVERLAP_HOURS, default 24) so that the station can switch without losing detections.
 */
@Injectable()
export class RotateStationSecretUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly stations: StationsRepository,
    private readonly credentials: StationCredentialsRepository,
  ) {}

  async execute(stationCode: string, ctx: CommandContext): Promise<SecretRotationView> {
    const secret = newStationSecret();
    return this.prisma.$transaction(async (tx) => {
      // One rotation of a station at a time: concurrent ones would both see the same "previous" secret.
      const station = await this.stations.lockByCode(tx, stationCode);
      if (!station) throw stationNotFound(stationCode);
      const now = this.clock.now();
      const overlapEnds = new Date(now.getTime() + this.config.intake.stationSecretOverlapHours * 3_600_000);
      const { added, previousRetiresAt } = await this.credentials.rotate(
        tx,
        station,
        secret,
        now,
        overlapEnds,
      );
      const view = {
        keyId: added.keyId,
        activeFrom: added.activeFrom.toISOString(),
        previousRetiresAt: previousRetiresAt?.toISOString() ?? null,
      };
      await recordAudit(tx, {
        actor: ctx.actor,
        action: 'station.secret_rotated',
        entityType: 'station',
        entityId: station.id,
        requestId: ctx.requestId,
        changes: view,
      });
      return { ...view, secret };
    });
  }
}
