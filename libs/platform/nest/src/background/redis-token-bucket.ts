import { logConnectionErrors } from '../redis/connection-errors';
import { duplicateRedis, type RedisConnection } from '../redis/redis-connection';

/**
 * A token bucket in Redis, shared by every process: one Lua script reads, refills and takes a token
 * atomically, on Redis's own clock (the hosts' clocks may differ). Used for the per-station intake limit
 * and the per-provider SMS and push rates. The script takes one token per key in KEYS, in order (a key named
 * twice gives two takes: the concurrent requests of an API), each answered {allowed, wait}, in one round trip.
 * On a Redis Cluster the keys of one call must share a slot: they carry the hash tag of the key prefix.
 */
const TOKEN_BUCKETS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local out = {}
for i, key in ipairs(KEYS) do
  local b = redis.call('HMGET', key, 'tokens', 'ts')
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
  redis.call('HSET', key, 'tokens', tostring(tokens), 'ts', tostring(now))
  redis.call('PEXPIRE', key, math.ceil(burst * 1000 / rate) + 1000)
  out[2 * i - 1] = allowed
  out[2 * i] = wait
end
return out
`;

type BucketRedis = RedisConnection & {
  takeTokens(count: number, ...args: (string | number)[]): Promise<number[]>;
};

export class RedisTokenBucket {
  private readonly redis: BucketRedis;

  /** `redis`: a connection of its own (it is disconnected with the bucket; its errors are logged). */
  constructor(redis: RedisConnection) {
    this.redis = logConnectionErrors(redis, 'token bucket') as BucketRedis;
    this.redis.defineCommand('takeTokens', { lua: TOKEN_BUCKETS });
  }

  /**
   * A bucket on a connection of its own that fails fast: the shared connection queues commands while Redis is
   * away, and a request limited by the bucket must not wait for Redis (its callers admit it instead).
   */
  static failingFast(redis: RedisConnection): RedisTokenBucket {
    const own = duplicateRedis(redis, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    own.on('error', () => undefined);
    return new RedisTokenBucket(own);
  }

  /** Takes one token of the bucket `key` (refilled at `ratePerSecond`, holding at most `burst`). */
  async take(
    key: string,
    ratePerSecond: number,
    burst: number,
  ): Promise<{ allowed: boolean; waitMs: number }> {
    const [result] = await this.takeMany([key], ratePerSecond, burst);
    return result!;
  }

  /** One token of each bucket in `keys`, in order, in one round trip; an answer per key. */
  async takeMany(
    keys: readonly string[],
    ratePerSecond: number,
    burst: number,
  ): Promise<{ allowed: boolean; waitMs: number }[]> {
    const flat = await this.redis.takeTokens(keys.length, ...keys, ratePerSecond, burst);
    return keys.map((_, i) => ({ allowed: flat[2 * i] === 1, waitMs: flat[2 * i + 1] ?? 0 }));
  }

  disconnect(): void {
    this.redis.disconnect();
  }
}
