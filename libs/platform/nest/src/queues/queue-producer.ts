import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { queueKeyPrefix, type AppConfig } from '@ecc/shared-config';
import { validationError } from '@ecc/shared-kernel';
import type { JobDefinition, PayloadOf } from '@ecc/shared-queues';
import type { RedisConnection } from '../redis/redis-connection';
import { APP_CONFIG, REDIS } from '../tokens';

/** Enqueues declared jobs: the payload is validated, the job id, attempts and backoff come from the declaration. */
@Injectable()
export class QueueProducer implements OnApplicationShutdown {
  private readonly queues = new Map<string, Queue>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: RedisConnection,
  ) {}

  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.redis, prefix: queueKeyPrefix(this.config.redis, name) });
      this.queues.set(name, queue);
    }
    return queue;
  }

  async enqueue<J extends JobDefinition>(
    job: J,
    payload: PayloadOf<J>,
    options: { delayMs?: number } = {},
  ): Promise<string> {
    await this.enqueueMany(job, [payload], options);
    return job.jobId(payload);
  }

  /** One round trip for many jobs (the outbox sweeper, bulk imports). */
  async enqueueMany<J extends JobDefinition>(
    job: J,
    payloads: PayloadOf<J>[],
    options: { delayMs?: number } = {},
  ): Promise<void> {
    if (payloads.length === 0) return;
    const jobs = payloads.map((payload) => {
      const parsed = job.payload.safeParse(payload);
      if (!parsed.success) {
        throw validationError(
          `invalid payload for job ${job.queue}/${job.name}`,
          parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
          'invalid_job_payload',
        );
      }
      return {
        name: job.name,
        data: parsed.data,
        opts: {
          jobId: job.jobId(parsed.data),
          attempts: job.attempts,
          backoff: job.backoff,
          delay: options.delayMs,
          removeOnComplete: { count: job.keepCompleted },
          removeOnFail: { count: job.keepFailed },
        },
      };
    });
    await this.queue(job.queue).addBulk(jobs);
  }

  /**
   * Enqueues again (the sweepers): a job still kept under the same id as completed or failed, or a job hash
   * left in no state list by a partially flushed Redis, would make the add a no-op although the work is not
   * done, so such a job is removed first — never one a worker holds (locked). Returns what had to be cleared
   * and how many ids had no job at all.
   */
  async requeue<J extends JobDefinition>(
    job: J,
    payloads: PayloadOf<J>[],
  ): Promise<{ cleared: { jobId: string; state: string; failedReason?: string }[]; missing: number }> {
    const queue = this.queue(job.queue);
    const ids = payloads.map((p) => job.jobId(p));
    const states = await Promise.all(ids.map((id) => queue.getJobState(id)));
    const kept = await Promise.all(ids.map((id, i) => (states[i] === 'unknown' ? queue.getJob(id) : null)));
    const cleared: { jobId: string; state: string; failedReason?: string }[] = [];
    let missing = 0;
    for (const [i, jobId] of ids.entries()) {
      const state = states[i] === 'unknown' ? (kept[i] ? 'orphaned' : 'missing') : states[i]!;
      if (state === 'missing') missing++;
      if (state !== 'failed' && state !== 'completed' && state !== 'orphaned') continue;
      const failedReason = state === 'failed' ? (await queue.getJob(jobId))?.failedReason : undefined;
      await queue.remove(jobId).catch(() => 0);
      cleared.push({ jobId, state, ...(failedReason ? { failedReason } : {}) });
    }
    await this.enqueueMany(job, payloads);
    return { cleared, missing };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
  }
}
