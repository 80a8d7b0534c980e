import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import {
  APP_CONFIG,
  duplicateRedis,
  REDIS,
  RedisTokenBucket,
  type RedisConnection,
} from '@ecc/platform-nest';

/** Waiting at most this long for a token; then the job fails this attempt and BullMQ backs off. */
const MAX_WAIT_MS = 30_000;

/** Token bucket per provider, shared by every worker process (see RedisTokenBucket). */
@Injectable()
export class NoticeRateLimiter implements OnApplicationShutdown {
  private readonly bucket: RedisTokenBucket;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) redis: RedisConnection,
  ) {
    this.bucket = new RedisTokenBucket(duplicateRedis(redis));
  }

  /** Waits for a token of the provider's bucket (the vendor's contractual rate; burst = one second's worth). */
  async acquire(provider: string, ratePerSecond: number): Promise<void> {
    const key = `${this.config.redis.keyPrefix}:notices:rate:${provider}`;
    const started = Date.now();
    for (;;) {
      const { allowed, waitMs } = await this.bucket.take(key, ratePerSecond, ratePerSecond);
      if (allowed) return;
      if (Date.now() - started > MAX_WAIT_MS) {
        throw new Error(`rate limit of ${provider} (${ratePerSecond}/s): no token within ${MAX_WAIT_MS} ms`);
      }
      await new Promise((r) => setTimeout(r, Math.min(Math.max(waitMs, 5), 1000)));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.bucket.disconnect();
  }
}
