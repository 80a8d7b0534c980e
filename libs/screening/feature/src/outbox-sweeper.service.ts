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
import { IntakeOutboxRepository } from '@ecc/screening-data';
import { APP_CONFIG, CLOCK, QueueProducer } from '@ecc/platform-nest';

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
export class OutboxSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly outbox: IntakeOutboxRepository,
    private readonly producer: QueueProducer,
  ) {}

  onApplicationBootstrap(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.config.screening.outboxSweepIntervalMs);
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
        this.logger.warn({ err: error }, 'outbox sweep failed; retrying next interval'),
      )
      .finally(() => (this.running = undefined));
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
    const job = JOBS.screenDetection;
    const queue = this.producer.queue(job.queue);
    const payloads = detectionIds.map((detectionId) => ({ detectionId }));
    const ids = payloads.map((p) => job.jobId(p));
    const states = await Promise.all(ids.map((id) => queue.getJobState(id)));
    // Also blocking: a job's data left without any state (keys deleted while a worker still wrote to the job,
    // as a partial flush can leave it). It would never run, and adding the id again would be a no-op.
    const stateless = await Promise.all(
      ids.map(async (id, i) => states[i] === 'unknown' && (await queue.getJob(id)) !== undefined),
    );
    for (const [i, id] of ids.entries()) {
      const state = states[i] === 'unknown' ? (stateless[i] ? 'orphaned' : null) : states[i];
      if (state !== 'failed' && state !== 'completed' && state !== 'orphaned') continue;
      const failedReason = state === 'failed' ? (await queue.getJob(id))?.failedReason : undefined;
      // A job a live worker still holds (locked) is not removed: that worker is screening the detection.
      const removed = await queue.remove(id).catch(() => 0);
      this.logger.warn(
        { jobId: id, state, failedReason, removed: removed === 1 },
        'a job kept under this id blocks re-enqueueing an unscreened detection: removed and added anew',
      );
    }
    await this.producer.enqueueMany(job, payloads);
  }
}
