import type { RedisConnection } from '../redis/redis-connection';
import type { PrismaClient } from '@ecc/shared-data';
import type { ObjectStorage } from '@ecc/shared-kernel';

/**
 * How long one dependency may take to answer a readiness probe: the whole readiness answer comes within 2 s,
 * whatever state the dependencies are in (an orchestrator's probe has a timeout of its own).
 */
export const PROBE_TIMEOUT_MS = 1500;

export type DependencyState = { status: 'up' | 'down'; latencyMs: number; error?: string };

export async function probe(
  check: () => Promise<unknown>,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<DependencyState> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      status: 'down',
      latencyMs: Math.round(performance.now() - started),
      error: (error as Error).message,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** The probes of the shared dependencies, for the API's and the worker's readiness. */
type Check = () => Promise<unknown>;

export const readinessChecks: {
  database(prisma: PrismaClient): Check;
  redis(redis: RedisConnection): Check;
  storage(storage: ObjectStorage): Check;
} = {
  database: (prisma) => () => prisma.$queryRaw`SELECT 1`,
  // Not connected: answered at once; a PING would wait in the offline queue until Redis is back.
  redis: (redis) => async () => {
    if (redis.status !== 'ready') throw new Error(`not connected (${redis.status})`);
    await redis.ping();
  },
  storage: (storage) => () => storage.ping(),
};

/** Every probe at once; ready when all are up. */
export async function readiness<K extends string>(
  checks: Record<K, Check>,
): Promise<{ ready: boolean; checks: Record<K, DependencyState> }> {
  const names = Object.keys(checks) as K[];
  const states = await Promise.all(names.map((name) => probe(checks[name])));
  const result = Object.fromEntries(names.map((name, i) => [name, states[i]])) as Record<K, DependencyState>;
  return { ready: states.every((s) => s.status === 'up'), checks: result };
}
