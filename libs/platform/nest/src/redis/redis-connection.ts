import { Cluster, Redis } from 'ioredis';
import type { RedisTarget } from '@ecc/shared-config';

/**
 * A connection to Redis as REDIS_URL names it: one server or the master named by Sentinels (a `Redis`, which
 * follows a failover by asking the Sentinels again), or a Redis Cluster (a `Cluster`, which routes each
 * command to the master of its key's slot). Both have the same commands, scripts and pub/sub; what differs
 * is how they are built and duplicated, which only this file knows.
 */
export type RedisConnection = Redis | Cluster;

export interface RedisConnectionOptions {
  /**
   * null: a command waits through reconnections until Redis answers (BullMQ's workers require it); a
   * number: it fails after that many.
   */
  maxRetriesPerRequest: number | null;
  /** false: a command fails at once while the connection is down instead of waiting for it. */
  enableOfflineQueue?: boolean;
}

export function connectRedis(target: RedisTarget, options: RedisConnectionOptions): RedisConnection {
  const offline =
    options.enableOfflineQueue === undefined ? {} : { enableOfflineQueue: options.enableOfflineQueue };
  switch (target.mode) {
    case 'standalone':
      return new Redis(target.url, { maxRetriesPerRequest: options.maxRetriesPerRequest, ...offline });
    case 'sentinel':
      return new Redis({
        sentinels: target.sentinels,
        name: target.masterName,
        db: target.db,
        username: target.username,
        password: target.password,
        sentinelPassword: target.sentinelPassword,
        ...(target.tls ? { tls: {}, enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
        maxRetriesPerRequest: options.maxRetriesPerRequest,
        ...offline,
      });
    case 'cluster':
      return new Cluster(target.nodes, {
        ...offline,
        redisOptions: {
          username: target.username,
          password: target.password,
          ...(target.tls ? { tls: {} } : {}),
          maxRetriesPerRequest: options.maxRetriesPerRequest,
        },
      });
  }
}

/** Another connection to the same Redis (a subscriber, a blocking worker, one that must fail fast). */
export function duplicateRedis(
  connection: RedisConnection,
  options: Partial<RedisConnectionOptions> = {},
): RedisConnection {
  if (connection instanceof Cluster) {
    const { maxRetriesPerRequest, enableOfflineQueue } = options;
    return connection.duplicate(undefined, {
      ...connection.options,
      ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
      redisOptions: {
        ...connection.options.redisOptions,
        ...(maxRetriesPerRequest === undefined ? {} : { maxRetriesPerRequest }),
      },
    });
  }
  return connection.duplicate(options);
}
