import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import type { Clock } from '@ecc/shared-kernel';
import { JOBS } from '@ecc/shared-queues';
import { IntakeOutboxRepository } from '@ecc/screening-data';
import { APP_CONFIG, CLOCK, QueueProducer, PeriodicTask } from '@ecc/platform-nest';

const BATCH = 500;
/** Bounds one sweep, so a huge backlog is worked off over several intervals instead of one long pass. */
const MAX_BATCHES_PER_SWEEP = 20;

/**
 * Re-enqueues accepted detections whose screening job is gone: Redis flushed after acceptance, a job lost
 * with a killed worker, an enqueue that failed after intake's commit. Job ids are deterministic, so adding a
 * job still waiting or active is a no-op. A job still kept under that id as failed or completed would make
 * the add a no-op too although the detection is unscreened, and so would a job hash left without any state
 * by a partial flush: such a job is removed first, then added anew.
 * Runs once at start, then every `screening.outboxSweepIntervalMs`.
 */
@Injectable()
export class OutboxSweeper extends PeriodicTask {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly outbox: IntakeOutboxRepository,
    private readonly producer: QueueProducer,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.screening.outboxSweepIntervalMs;
  }

  /** One sweep; returns how many detections were re-enqueued. */
  async sweep(): Promise<number> {
    let total = 0;
    for (let i = 0; i < MAX_BATCHES_PER_SWEEP && !this.stopped; i++) {
      const now = this.clock.now();
      const cutoff = new Date(now.getTime() - this.config.screening.outboxStaleAfterMs);
      const ids = await this.outbox.claimStale(cutoff, now, BATCH);
      if (ids.length === 0) break;
      await this.reenqueue(ids);
      total += ids.length;
      if (ids.length < BATCH) break;
    }
    if (total > 0) this.logger.log({ count: total }, 're-enqueued unscreened detections from the outbox');
    return total;
  }

  private async reenqueue(detectionIds: string[]): Promise<void> {
    const { cleared } = await this.producer.requeue(
      JOBS.screenDetection,
      detectionIds.map((detectionId) => ({ detectionId })),
    );
    for (const job of cleared) {
      this.logger.warn(
        job,
        'a job kept under this id blocks re-enqueueing an unscreened detection: removed and added anew',
      );
    }
  }
}
