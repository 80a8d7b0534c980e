import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import type { Clock } from '@ecc/shared-kernel';
import { JOBS } from '@ecc/shared-queues';
import { NoticesRepository } from '@ecc/notices-data';
import { APP_CONFIG, CLOCK, QueueProducer } from '@ecc/platform-nest';

const BATCH = 500;

/**
 * Enqueues notices still `pending` after `NOTICE_STALE_AFTER_MS`: an enqueue lost after the creating
 * transaction committed (or a flushed Redis) never loses a notice. Job ids are `notice-<id>`, so a job still
 * waiting, delayed (backing off) or active makes the add a no-op; a job kept as completed or failed under
 * that id while the notice is still pending would block it, so it is removed first (so is a job hash
 * that no state list holds any more).
 */
@Injectable()
export class NoticeSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NoticeSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly notices: NoticesRepository,
    private readonly producer: QueueProducer,
  ) {}

  onApplicationBootstrap(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.config.notices.sweepIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running || this.stopped) return;
    this.running = this.sweep()
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, 'notice sweep failed; retrying next interval'),
      )
      .finally(() => (this.running = undefined));
  }

  async sweep(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.config.notices.staleAfterMs);
    const ids = await this.notices.pendingIds(BATCH, cutoff);
    if (ids.length === 0) return 0;
    const job = JOBS.sendNotice;
    const queue = this.producer.queue(job.queue);
    const payloads = ids.map((noticeId) => ({ noticeId }));
    const states = await Promise.all(payloads.map((p) => queue.getJobState(job.jobId(p))));
    let fresh = 0;
    for (const [i, p] of payloads.entries()) {
      const state = states[i];
      // 'unknown' with a job hash left: Redis lost the job's state list (a partial flush); the add would be a no-op.
      if (state === 'completed' || state === 'failed' || state === 'unknown') {
        const kept = await queue.getJob(job.jobId(p));
        await kept
          ?.remove()
          .catch((e: unknown) => this.logger.warn({ err: e, jobId: kept.id }, 'could not remove'));
      }
      if (state === 'unknown' || state === 'completed' || state === 'failed') fresh++;
    }
    await this.producer.enqueueMany(job, payloads);
    if (fresh > 0) this.logger.log({ count: fresh }, 'enqueued pending notices');
    return fresh;
  }
}
