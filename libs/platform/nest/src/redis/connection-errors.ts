import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

/** While Redis is away a connection reports every reconnection attempt: one log line per this long. */
const LOG_INTERVAL_MS = 10_000;

/**
 * Listens to a Redis connection's errors and logs them at most every 10 s. ioredis emits an 'error' for every
 * failed (re)connection; with no listener it prints "[ioredis] Unhandled error event" to stderr each time. The
 * connection reconnects by itself; callers see the failure of their own commands.
 */
export function logConnectionErrors<T extends Redis>(redis: T, name: string): T {
  const logger = new Logger('Redis');
  let last = 0;
  let suppressed = 0;
  redis.on('error', (err: unknown) => {
    const now = Date.now();
    if (now - last < LOG_INTERVAL_MS) {
      suppressed++;
      return;
    }
    logger.warn({ err, connection: name, suppressed }, `Redis connection "${name}" failed; reconnecting`);
    last = now;
    suppressed = 0;
  });
  return redis;
}
