import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AppConfig } from '@ecc/shared-config';
import { validationError } from '@ecc/shared-kernel';
import type { JobDefinition, PayloadOf } from '@ecc/shared-queues';
import { APP_CONFIG, REDIS } from '../tokens';

/** Enqueues declared jobs: the payload is validated, the job id, attempts and backoff come from the declaration. */
@Injectable()
export class QueueProducer implements OnApplicationShutdown {
  private readonly queues = new Map<string, Queue>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.redis, prefix: this.config.redis.queuePrefix });
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

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
  }
}
