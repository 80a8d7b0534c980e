import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import type { Clock } from '@ecc/shared-kernel';
import { JOBS } from '@ecc/shared-queues';
import { NoticesRepository } from '@ecc/notices-data';
import { APP_CONFIG, CLOCK, QueueProducer, PeriodicTask } from '@ecc/platform-nest';

const BATCH = 500;

/**
 * Enqueues notices still `pending` after `NOTICE_STALE_AFTER_MS`: an enqueue lost after the creating
 * transaction committed (or a flushed Redis) never loses a notice. Job ids are `notice-<id>`, so a job still
 * waiting, delayed (backing off) or active makes the add a no-op; a job kept as completed or failed under
 * that id while the notice is still pending would block it, so it is removed first (so is a job hash
 * that no state list holds any more).
 */
@Injectable()
export class NoticeSweeper extends PeriodicTask {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly notices: NoticesRepository,
    private readonly producer: QueueProducer,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.notices.sweepIntervalMs;
  }

  async sweep(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.config.notices.staleAfterMs);
    const ids = await this.notices.pendingIds(BATCH, cutoff);
    if (ids.length === 0) return 0;
    const { cleared, missing } = await this.producer.requeue(
      JOBS.sendNotice,
      ids.map((noticeId) => ({ noticeId })),
    );
    const fresh = cleared.length + missing;
    if (fresh > 0) this.logger.log({ count: fresh }, 'enqueued pending notices');
    return fresh;
  }
}
