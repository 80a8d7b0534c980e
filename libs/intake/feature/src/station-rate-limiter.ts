import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import { AdaptiveBatcher, DomainError } from '@ecc/shared-kernel';
import { APP_CONFIG, REDIS, RedisTokenBucket, type RedisConnection } from '@ecc/platform-nest';

/**
 * Token bucket per station, shared by every API instance (see RedisTokenBucket). The takes of concurrent
 * requests share one round trip (AdaptiveBatcher: at once while fewer than two are in flight).
 */
@Injectable()
export class StationRateLimiter implements OnApplicationShutdown {
  private readonly logger = new Logger(StationRateLimiter.name);
  private readonly bucket: RedisTokenBucket;
  private readonly takes: AdaptiveBatcher<string, { allowed: boolean; waitMs: number }>;
  private lastWarning = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) redis: RedisConnection,
  ) {
    // Accepting detections must not wait for Redis (they are durable in Postgres).
    this.bucket = RedisTokenBucket.failingFast(redis);
    const { rateLimitPerSecond: rate, rateLimitBurst: burst } = config.intake;
    this.takes = new AdaptiveBatcher({
      maxBatch: 200,
      maxRunning: 2,
      runMany: async (keys) => (await this.bucket.takeMany(keys, rate, burst)).map((value) => ({ value })),
      runOne: (key) => this.bucket.take(key, rate, burst),
    });
  }

  /** Takes one token of the station's bucket; throws a 429 (with Retry-After) when it is empty. */
  async take(stationId: string): Promise<void> {
    const { rateLimitPerSecond, rateLimitBurst } = this.config.intake;
    let result: { allowed: boolean; waitMs: number };
    try {
      result = await this.takes.submit(`${this.config.redis.keyPrefix}:intake:rate:${stationId}`);
    } catch (error) {
      // Fail open: the limit protects capacity; refusing stations while Redis is down would lose data.
      if (Date.now() - this.lastWarning > 10_000) {
        this.lastWarning = Date.now();
        this.logger.warn({ err: error }, 'rate limiter unavailable, admitting requests');
      }
      return;
    }
    const { allowed, waitMs } = result;
    if (!allowed) {
      const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw new DomainError(
        'rate_limited',
        'rate_limited',
        `this station sends more than ${rateLimitPerSecond} requests per second (burst ${rateLimitBurst}); retry after ${retryAfterSeconds} s`,
        { retryAfterSeconds },
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.bucket.disconnect();
  }
}
