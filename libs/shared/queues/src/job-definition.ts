import type { z } from 'zod';

/**
 * A job as declared in one place: its queue, its name, the schema of its payload, its retry policy and
 * the job id that makes enqueueing idempotent. Producers and the worker's dispatcher both use it.
 */
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  queue: string;
  name: string;
  payload: S;
  attempts: number;
  backoff: { type: 'exponential' | 'fixed'; delay: number };
  /** A deterministic id: the same logical job enqueued twice is stored once. */
  jobId: (payload: z.infer<S>) => string;
  /** How many finished jobs to keep for inspection (failed jobs are kept for the dashboard and the sweeps). */
  keepCompleted: number;
  keepFailed: number;
}

export type PayloadOf<J> = J extends JobDefinition<infer S> ? z.infer<S> : never;

export function defineJob<S extends z.ZodType>(
  definition: Omit<JobDefinition<S>, 'keepCompleted' | 'keepFailed'> &
    Partial<Pick<JobDefinition<S>, 'keepCompleted' | 'keepFailed'>>,
): JobDefinition<S> {
  if (!/^[a-z][a-z0-9-]*$/.test(definition.queue) || !/^[a-z][a-z0-9-]*$/.test(definition.name)) {
    throw new Error(`queue and job names are kebab-case: ${definition.queue}/${definition.name}`);
  }
  return { keepCompleted: 1000, keepFailed: 10_000, ...definition };
}
