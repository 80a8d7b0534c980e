import { Inject, Injectable, Module } from '@nestjs/common';
import { DetectionRetentionRepository, type RetentionCounts } from '@ecc/intake-data';
import { systemActor } from '@ecc/identity-domain';
import type { AppConfig } from '@ecc/shared-config';
import type { PrismaClient } from '@ecc/shared-data';
import type { Clock, ObjectStorage } from '@ecc/shared-kernel';
import {
  APP_CONFIG,
  CLOCK,
  MonthlyPartitionMaintainer,
  OBJECT_STORAGE,
  PeriodicTask,
  PRISMA,
} from '@ecc/platform-nest';

/** Months of `detections` that exist ahead of the current one. */
export const DETECTION_MONTHS_AHEAD = 3;

/** Detections removed per transaction by the retention. */
const RETENTION_BATCH = 5_000;

const DAY_MS = 86_400_000;

/** Creates the monthly partitions of `detections` ahead of time (MonthlyPartitionMaintainer). */
@Injectable()
export class DetectionPartitionMaintainer extends MonthlyPartitionMaintainer {
  constructor(@Inject(CLOCK) clock: Clock, retention: DetectionRetentionRepository) {
    super(clock, retention.partitions, DETECTION_MONTHS_AHEAD);
  }
}

/**
 * The retention of raw no-violation detections (`DETECTION_RETENTION_DAYS`, docs/scaling.md): every
 * `DETECTION_RETENTION_INTERVAL_MS`, the detections of the months that ended more than the policy's days ago
 * that no lead, case, alert or duplicate refers to are deleted with their evidence rows, and their photographs
 * from the store when nothing else names them. One audit event per run (a system action) with the counts, also
 * when the run stopped on an error part of the way (what was removed until then).
 */
@Injectable()
export class DetectionRetentionTask extends PeriodicTask {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    private readonly retention: DetectionRetentionRepository,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.intake.retentionIntervalMs;
  }

  async sweep(): Promise<RetentionCounts | null> {
    const startedAt = this.clock.now();
    const days = this.config.intake.retentionDays;
    const horizon = new Date(startedAt.getTime() - days * DAY_MS);
    let counts: RetentionCounts | null = null;
    let failure: string | null = null;
    const progress: RetentionCounts = {
      detections: 0,
      evidenceRows: 0,
      objectsRemoved: 0,
      objectsFailed: 0,
      partitionsDropped: [],
    };
    try {
      counts = await this.retention.purge(horizon, {
        batchSize: RETENTION_BATCH,
        stopped: () => this.stopped,
        removeObjects: async (keys) => {
          try {
            await this.storage.remove(keys);
          } catch (error) {
            this.logger.error({ err: error, keys: keys.length }, 'evidence objects could not be removed');
            throw error;
          }
        },
        progress,
      });
      if (counts === null) return null;
    } catch (error) {
      failure = String((error as Error)?.message ?? error);
      throw error;
    } finally {
      const done = counts ?? progress;
      if (counts !== null || failure !== null) {
        await this.retention.record(
          {
            actor: systemActor('detection-retention'),
            action: 'detection.retention_applied',
            entityType: 'detection_retention',
            entityId: horizon.toISOString(),
            changes: { retentionDays: days, receivedBefore: horizon.toISOString(), ...done, error: failure },
          },
          this.clock.now(),
        );
        this.logger.log({ ...done, receivedBefore: horizon, error: failure }, 'detection retention applied');
      }
    }
    return counts;
  }
}

/** The worker's upkeep of `detections`: months ahead and the retention. */
@Module({
  providers: [
    {
      provide: DetectionRetentionRepository,
      useFactory: (db: PrismaClient) => new DetectionRetentionRepository(db),
      inject: [PRISMA],
    },
    DetectionPartitionMaintainer,
    DetectionRetentionTask,
  ],
})
export class IntakeWorkerModule {}
