import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import { DomainError } from '@ecc/shared-kernel';
import { APP_CONFIG, REDIS, type RedisConnection } from '@ecc/platform-nest';

/**
 * Failed sign-ins counted per username and per client address, in Redis (shared by every API instance).
 * Each counter has `n` (failures in the window) and `until` (no attempt before this instant, ms):
 * from `slowdownAfter` failures on, each further failure makes the next attempt wait 1, 2, 4 … s; at
 * `lockAfter` the key is locked for `lockSeconds`. A counter is forgotten `window` after its last failure.
 * A success clears the username's counter (not the address's: one valid account must not reset a guesser).
 */
const SCRIPT = `
local now = tonumber(ARGV[1])
local mode = ARGV[2]
local window = tonumber(ARGV[3])
local lockMs = tonumber(ARGV[4])
local out = {}
for i = 1, #KEYS do
  local key = KEYS[i]
  local untilMs = tonumber(redis.call('HGET', key, 'until') or '0')
  if mode == 'check' then
    out[i] = math.max(0, untilMs - now)
  else
    local slow = tonumber(ARGV[3 + 2 * i])
    local lock = tonumber(ARGV[4 + 2 * i])
    local n = redis.call('HINCRBY', key, 'n', 1)
    local wait = 0
    if n >= lock then
      wait = lockMs
    elseif n >= slow then
      wait = math.min(1000 * 2 ^ (n - slow), lockMs)
    end
    if wait > 0 then redis.call('HSET', key, 'until', now + wait) end
    redis.call('PEXPIRE', key, window + wait)
    out[i] = (n >= lock) and -wait or wait
  end
end
return out
`;

export type ThrottledKey = { kind: 'username'; value: string } | { kind: 'address'; value: string };

export interface FailureOutcome {
  /** Keys this failure locked (it reached `lockAfter`): audited. */
  locked: ThrottledKey[];
}

export const tooManyAttempts = (retryAfterSeconds: number) =>
  new DomainError(
    'rate_limited',
    'sign_in_throttled',
    `too many failed sign-ins: try again in ${retryAfterSeconds} s`,
    { retryAfterSeconds },
  );

@Injectable()
export class SignInThrottle {
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: RedisConnection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.prefix = `${config.redis.keyPrefix}:auth:throttle`;
    this.redis.defineCommand('eccSignInThrottle', { lua: SCRIPT });
  }

  get lockSeconds(): number {
    return this.config.auth.throttle.lockSeconds;
  }

  keyOf(key: ThrottledKey): string {
    return `${this.prefix}:${key.kind}:${key.kind === 'username' ? key.value.toLowerCase() : key.value}`;
  }

  /** Refuses (429 with Retry-After) while the username or the address must wait. */
  async check(username: string, address: string): Promise<void> {
    const waits = await this.run('check', username, address);
    const wait = Math.max(...waits);
    if (wait > 0) throw tooManyAttempts(Math.ceil(wait / 1000));
  }

  async failed(username: string, address: string): Promise<FailureOutcome> {
    const [user, addr] = await this.run('fail', username, address);
    const locked: ThrottledKey[] = [];
    if (user! < 0) locked.push({ kind: 'username', value: username.toLowerCase() });
    if (addr! < 0) locked.push({ kind: 'address', value: address });
    return { locked };
  }

  async succeeded(username: string): Promise<void> {
    await this.redis.del(this.keyOf({ kind: 'username', value: username }));
  }

  /** An admin's unlock: the failures and the wait of that key, gone. Returns whether there was anything. */
  async clear(key: ThrottledKey): Promise<{ failures: number; lockedUntil: string | null }> {
    const redisKey = this.keyOf(key);
    const [[, state]] = (await this.redis.multi().hgetall(redisKey).del(redisKey).exec()) as [
      [unknown, Record<string, string>],
    ];
    const until = Number(state['until'] ?? 0);
    return {
      failures: Number(state['n'] ?? 0),
      lockedUntil: until > Date.now() ? new Date(until).toISOString() : null,
    };
  }

  private async run(mode: 'check' | 'fail', username: string, address: string): Promise<number[]> {
    const t = this.config.auth.throttle;
    const keys = [
      this.keyOf({ kind: 'username', value: username }),
      this.keyOf({ kind: 'address', value: address }),
    ];
    const result = (await (
      this.redis as unknown as { eccSignInThrottle: (...args: unknown[]) => Promise<number[]> }
    ).eccSignInThrottle(
      keys.length,
      ...keys,
      Date.now(),
      mode,
      t.windowSeconds * 1000,
      t.lockSeconds * 1000,
      t.user.slowdownAfter,
      t.user.lockAfter,
      t.address.slowdownAfter,
      t.address.lockAfter,
    )) as number[];
    return result.map(Number);
  }
}
