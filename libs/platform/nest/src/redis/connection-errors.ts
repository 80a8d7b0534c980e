import { Logger } from '@nestjs/common';
import type { RedisConnection } from './redis-connection';
import { logThrottle } from '../observability/log-throttle';

/**
 * Listens to a Redis connection's errors and logs them at most every 10 s. ioredis emits an 'error' for every
 * failed (re)connection; with no listener it prints "[ioredis] Unhandled error event" to stderr each time. The
 * connection reconnects by itself; callers see the failure of their own commands.
 */
export function logConnectionErrors<T extends RedisConnection>(redis: T, name: string): T {
  const logger = new Logger('Redis');
  const throttled = logThrottle();
  redis.on('error', (err: unknown) =>
    throttled((suppressed) =>
      logger.warn({ err, connection: name, suppressed }, `Redis connection "${name}" failed; reconnecting`),
    ),
  );
  return redis;
}
