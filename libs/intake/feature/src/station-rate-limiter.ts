import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AppConfig } from '@ecc/shared-config';
import { DomainError } from '@ecc/shared-kernel';
import { APP_CONFIG, REDIS } from '@ecc/platform-nest';

/**
 * Token bucket per station, in Redis so that every API instance shares it; one Lua script reads, refills
 * and takes a token atomically, on Redis's own clock (API hosts' clocks may differ).
 * Returns {allowed, milliseconds until the next token}.
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

@Injectable()
export class StationRateLimiter implements OnApplicationShutdown {
  private readonly logger = new Logger(StationRateLimiter.name);
  private readonly redis: BucketRedis;
  private lastWarning = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) redis: Redis,
  ) {
    // Its own connection that fails fast: the shared one queues commands while Redis is away, and
    // accepting detections must not wait for Redis (they are durable in Postgres).
    this.redis = redis.duplicate({ enableOfflineQueue: false, maxRetriesPerRequest: 1 }) as BucketRedis;
    this.redis.on('error', () => undefined);
    this.redis.defineCommand('takeToken', { numberOfKeys: 1, lua: TOKEN_BUCKET });
  }

  /** Takes one token of the station's bucket; throws a 429 (with Retry-After) when it is empty. */
  async take(stationId: string): Promise<void> {
    const { rateLimitPerSecond, rateLimitBurst } = this.config.intake;
    let result: [number, number];
    try {
      result = await this.redis.takeToken(
        `${this.config.redis.queuePrefix}:intake:rate:${stationId}`,
        rateLimitPerSecond,
        rateLimitBurst,
      );
    } catch (error) {
      // Fail open: the limit protects capacity; refusing stations while Redis is down would lose data.
      if (Date.now() - this.lastWarning > 10_000) {
        this.lastWarning = Date.now();
        this.logger.warn({ err: error }, 'rate limiter unavailable, admitting requests');
      }
      return;
    }
    const [allowed, waitMs] = result;
    if (allowed !== 1) {
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
    this.redis.disconnect();
  }
}
