import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { queueKeyPrefix, type AppConfig } from '@ecc/shared-config';
import { ALL_JOBS, type JobDefinition } from '@ecc/shared-queues';
import { logThrottle } from '../observability/log-throttle';
import { duplicateRedis, type RedisConnection } from '../redis/redis-connection';
import { APP_CONFIG, REDIS } from '../tokens';
import { JOB_HANDLER } from './job-handler';
import { metrics } from '../metrics/metrics';

type Handler = (payload: unknown, job: Job) => Promise<unknown>;

/** Pairs every declared job with exactly one handler; anything else is a start-up error. */
export function matchHandlers(
  declared: readonly JobDefinition[],
  found: { job: JobDefinition; where: string; handler: Handler }[],
): Map<string, { job: JobDefinition; handler: Handler }> {
  const problems: string[] = [];
  const byKey = new Map<string, { job: JobDefinition; handler: Handler; where: string }>();
  const key = (j: JobDefinition) => `${j.queue}/${j.name}`;
  for (const f of found) {
    if (!declared.some((d) => key(d) === key(f.job)))
      problems.push(`${f.where} handles undeclared job ${key(f.job)}`);
    const existing = byKey.get(key(f.job));
    if (existing) problems.push(`job ${key(f.job)} has two handlers: ${existing.where} and ${f.where}`);
    else byKey.set(key(f.job), f);
  }
  for (const d of declared) if (!byKey.has(key(d))) problems.push(`job ${key(d)} has no handler`);
  if (problems.length)
    throw new Error(`job handlers do not match the declared jobs:\n  - ${problems.join('\n  - ')}`);
  return byKey;
}

/** The worker's side of the queues: one BullMQ worker per queue, dispatching by job name. */
/** How many jobs of a queue one worker runs at once (configuration per queue; 16 for a queue not listed). */
export function concurrencyOf(queue: string, config: AppConfig): number {
  switch (queue) {
    case 'screening':
      return config.screening.concurrency;
    case 'notices':
      return config.notices.concurrency;
    case 'deadlines':
      return config.cases.deadlineConcurrency;
    case 'documents':
      return config.documents.renderConcurrency;
    default:
      return 16;
  }
}

@Injectable()
export class JobDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobDispatcher.name);
  private readonly workers: Worker[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: RedisConnection,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const found: { job: JobDefinition; where: string; handler: Handler }[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const job = this.reflector.get<JobDefinition | undefined>(
          JOB_HANDLER,
          (instance as Record<string, Handler>)[method]!,
        );
        if (job) {
          const fn = (instance as Record<string, Handler>)[method]!;
          found.push({ job, where: `${prototype.constructor.name}.${method}`, handler: fn.bind(instance) });
        }
      }
    }
    const handlers = matchHandlers(ALL_JOBS, found);
    const queues = [...new Set(ALL_JOBS.map((j) => j.queue))];
    for (const queue of queues) {
      const worker = new Worker(
        queue,
        async (job: Job) => {
          const entry = handlers.get(`${queue}/${job.name}`);
          if (!entry) throw new UnrecoverableError(`no handler for ${queue}/${job.name}`);
          const payload = entry.job.payload.safeParse(job.data);
          // A malformed payload will never become valid by retrying.
          if (!payload.success) throw new UnrecoverableError(`invalid payload: ${payload.error.message}`);
          return entry.handler(payload.data, job);
        },
        {
          connection: duplicateRedis(this.redis),
          prefix: queueKeyPrefix(this.config.redis, queue),
          concurrency: concurrencyOf(queue, this.config),
        },
      );
      worker.on('failed', (job, error) => {
        const final =
          !job || error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
        metrics.queueFailures.inc({ queue, final: String(final) });
        this.logger.warn(
          { queue, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: error },
          'job failed',
        );
      });
      // While Redis is away every reconnection attempt is an error: one line per 10 s.
      const throttled = logThrottle();
      worker.on('error', (error) =>
        throttled((suppressed) => this.logger.error({ queue, err: error, suppressed }, 'worker error')),
      );
      this.workers.push(worker);
    }
    this.logger.log(`processing queues: ${queues.join(', ')} (${handlers.size} job types)`);
  }

  async onApplicationShutdown(): Promise<void> {
    // close() waits for running jobs; a job cut off by a crash is retried (it is stalled, then moved back).
    await Promise.allSettled(this.workers.map((w) => w.close()));
  }
}
