import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AppConfig } from '@ecc/shared-config';
import { APP_CONFIG, REDIS } from '@ecc/platform-nest';

/**
 * Token bucket per provider in Redis, shared by every worker process; one Lua script refills and takes a
 * token atomically on Redis's clock. Returns {allowed, milliseconds until the next token}.
 */
const TOKEN_BUCKET = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(b[1])
local ts = tonumber(b[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
end
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate / 1000)
local allowed = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  wait = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return {allowed, wait}
`;

type BucketRedis = Redis & { takeToken(key: string, rate: number, burst: number): Promise<[number, number]> };

/** Waiting at most this long for a token; then the job fails this attempt and BullMQ backs off. */
const MAX_WAIT_MS = 30_000;

@Injectable()
export class NoticeRateLimiter implements OnApplicationShutdown {
  private readonly redis: BucketRedis;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) redis: Redis,
  ) {
    this.redis = redis.duplicate() as BucketRedis;
    this.redis.defineCommand('takeToken', { numberOfKeys: 1, lua: TOKEN_BUCKET });
  }

  /** Waits for a token of the provider's bucket (the vendor's contractual rate; burst = one second's worth). */
  async acquire(provider: string, ratePerSecond: number): Promise<void> {
    const key = `${this.config.redis.queuePrefix}:notices:rate:${provider}`;
    const started = Date.now();
    for (;;) {
      const [allowed, waitMs] = await this.redis.takeToken(key, ratePerSecond, ratePerSecond);
      if (allowed === 1) return;
      if (Date.now() - started > MAX_WAIT_MS) {
        throw new Error(`rate limit of ${provider} (${ratePerSecond}/s): no token within ${MAX_WAIT_MS} ms`);
      }
      await new Promise((r) => setTimeout(r, Math.min(Math.max(waitMs, 5), 1000)));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}
