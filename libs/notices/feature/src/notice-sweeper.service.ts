import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import type { Clock } from '@ecc/shared-kernel';
import { JOBS } from '@ecc/shared-queues';
import { NoticesRepository } from '@ecc/notices-data';
import { APP_CONFIG, CLOCK, QueueProducer, PeriodicTask } from '@ecc/platform-nest';
import { ExpireUndeliveredNoticeUseCase } from './expire-undelivered-notice.use-case';

const BATCH = 500;

/**
 * Every NOTICE_SWEEP_INTERVAL_MS: enqueues the notices due now — those still `pending` and never tried after
 * NOTICE_STALE_AFTER_MS (an enqueue lost after the creating transaction committed, or a flushed Redis) and
 * those whose retry is due (a provider failed them) — and fails for good the SMS never reported delivered
 * within NOTICE_RECEIPT_TIMEOUT_MS. Job ids are `notice-<id>`, so a job still waiting, delayed or active makes
 * the add a no-op; a job kept as completed or failed under that id while the notice is due would block it,
 * so it is removed first (so is a job hash that no state list holds any more).
 */
@Injectable()
export class NoticeSweeper extends PeriodicTask {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly notices: NoticesRepository,
    private readonly producer: QueueProducer,
    private readonly expireUndelivered: ExpireUndeliveredNoticeUseCase,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.notices.sweepIntervalMs;
  }

  async sweep(): Promise<number> {
    const now = this.clock.now();
    const staleBefore = new Date(now.getTime() - this.config.notices.staleAfterMs);
    const ids = await this.notices.dueIds(BATCH, { staleBefore, now });
    let fresh = 0;
    if (ids.length > 0) {
      const { cleared, missing } = await this.producer.requeue(
        JOBS.sendNotice,
        ids.map((noticeId) => ({ noticeId })),
      );
      fresh = cleared.length + missing;
      if (fresh > 0) this.logger.log({ count: fresh }, 'enqueued notices due');
    }
    const sentBefore = new Date(now.getTime() - this.config.notices.receiptTimeoutMs);
    let expired = 0;
    for (const id of await this.notices.undeliveredIds(BATCH, sentBefore)) {
      if (this.stopped) break;
      if (await this.expireUndelivered.execute(id)) expired++;
    }
    if (expired > 0) this.logger.warn({ count: expired }, 'SMS without a delivery receipt failed for good');
    return fresh + expired;
  }
}
