import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import { DomainError, type Clock } from '@ecc/shared-kernel';
import { StationCredentialsRepository, type StationCredentials } from '@ecc/registry-data';
import { checkTimestamp } from '@ecc/intake-domain';
import { APP_CONFIG, CLOCK } from '@ecc/platform-nest';

/** How long opened station credentials are reused: the hot path must not decrypt on every request. */
const CACHE_TTL_MS = 5_000;
/** A wrong signature against cached credentials re-reads them at most this often (a fresh rotation). */
const REFRESH_AFTER_MS = 1_000;
/** Bound on cached station codes: unknown codes are cached too, and anyone can send them. */
const CACHE_MAX_ENTRIES = 10_000;

interface CacheEntry {
  loadedAt: number;
  value: Promise<StationCredentials | null>;
}

export interface AuthenticatedStation {
  stationId: string;
  code: string;
  /** Secrets valid now (two during a rotation overlap). */
  secrets: string[];
}

export const unauthenticatedStation = (message = 'the station signature is invalid') =>
  new DomainError('unauthenticated', 'invalid_signature', message);

/**
 * Who is calling, from the station headers: the timestamp must be within the clock-skew window, the station
 * known and active. The signature itself is checked by the caller against the secrets returned (over the
 * raw body, or while streaming).
 */
@Injectable()
export class StationAuthenticator {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly credentials: StationCredentialsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Checks `X-Station-Code` and `X-Timestamp`; a failure is a 401 that does not say whether the station exists. */
  async identify(
    stationCode: unknown,
    timestamp: unknown,
    { fresh = false }: { fresh?: boolean } = {},
  ): Promise<AuthenticatedStation> {
    if (typeof stationCode !== 'string' || stationCode.length === 0 || stationCode.length > 64) {
      throw new DomainError(
        'unauthenticated',
        'signature_headers_missing',
        'the X-Station-Code, X-Timestamp and X-Signature headers are required',
      );
    }
    const now = this.clock.now();
    const check = checkTimestamp(timestamp, now, this.config.intake.maxClockSkewSeconds);
    if (!check.ok) {
      throw check.reason === 'malformed'
        ? new DomainError(
            'unauthenticated',
            'signature_headers_missing',
            'X-Timestamp must be the signing time in milliseconds since the epoch',
          )
        : new DomainError(
            'unauthenticated',
            'timestamp_out_of_window',
            `X-Timestamp is ${check.skewSeconds} s away from the server clock (at most ${this.config.intake.maxClockSkewSeconds} s)`,
          );
    }
    const credentials = await this.load(stationCode, now.getTime(), fresh);
    if (!credentials || !credentials.active || credentials.secrets.length === 0)
      throw unauthenticatedStation();
    return { stationId: credentials.stationId, code: credentials.code, secrets: credentials.secrets };
  }

  /** Whether the cached credentials of a station may be re-read (after a signature failed against them). */
  mayRefresh(stationCode: string): boolean {
    const entry = this.cache.get(stationCode);
    return !!entry && this.clock.now().getTime() - entry.loadedAt >= REFRESH_AFTER_MS;
  }

  private load(code: string, nowMs: number, fresh: boolean): Promise<StationCredentials | null> {
    const entry = this.cache.get(code);
    if (entry && !fresh && nowMs - entry.loadedAt < CACHE_TTL_MS) return entry.value;
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.clear();
    // Concurrent requests of one station share one read (and one decryption).
    const value = this.credentials.findForVerification(code, new Date(nowMs));
    this.cache.set(code, { loadedAt: nowMs, value });
    value.catch(() => this.cache.delete(code));
    return value;
  }
}
