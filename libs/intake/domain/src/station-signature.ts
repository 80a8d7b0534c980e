import { createHmac, timingSafeEqual, type Hmac } from 'node:crypto';
import { SHA256_HEX } from './detection.schema';

/**
 * Station request signatures: `X-Signature` = lower-case hex HMAC-SHA256(station secret,
 * `${X-Timestamp}.${raw body}`). The timestamp is inside the MAC, so a captured request cannot be
 * replayed outside the clock-skew window (and inside it, a replay is the same detection: idempotent).
 */

export const SIGNATURE_HEADERS = {
  station: 'x-station-code',
  timestamp: 'x-timestamp',
  signature: 'x-signature',
  contentSha256: 'x-content-sha256',
} as const;

/** An HMAC already fed with `${timestamp}.`: feed it the body (at once or chunk by chunk while streaming). */
export function signatureHmac(secret: string, timestamp: string): Hmac {
  return createHmac('sha256', secret).update(`${timestamp}.`, 'utf8');
}

export function computeSignature(secret: string, timestamp: string, body: string | Uint8Array): string {
  return signatureHmac(secret, timestamp).update(body).digest('hex');
}

/** A well-formed signature header: 64 lower-case hex characters. */
export function isSignatureFormat(value: unknown): value is string {
  return typeof value === 'string' && SHA256_HEX.test(value);
}

/** Constant-time comparison of two hex digests of the same length. */
export function digestsEqual(expectedHex: string, actualHex: string): boolean {
  const a = Buffer.from(expectedHex, 'hex');
  const b = Buffer.from(actualHex, 'hex');
  return a.length === 32 && b.length === 32 && timingSafeEqual(a, b);
}

/**
 * True when the signature was made with one of the secrets. Every secret is tried, without stopping at the
 * first match, so the time taken does not tell which one (or whether a rotation is under way).
 */
export function verifySignature(
  secrets: readonly string[],
  timestamp: string,
  body: string | Uint8Array,
  signature: string,
): boolean {
  if (!isSignatureFormat(signature)) return false;
  let ok = false;
  for (const secret of secrets) {
    if (digestsEqual(computeSignature(secret, timestamp, body), signature)) ok = true;
  }
  return ok;
}

/** Incremental verification while a body streams: one HMAC per valid secret, fed the same chunks. */
export class StreamingSignature {
  private readonly hmacs: Hmac[];

  constructor(secrets: readonly string[], timestamp: string) {
    this.hmacs = secrets.map((s) => signatureHmac(s, timestamp));
  }

  update(chunk: Uint8Array): void {
    for (const h of this.hmacs) h.update(chunk);
  }

  /** Call once, after the last chunk. */
  matches(signature: string): boolean {
    const digests = this.hmacs.map((h) => h.digest('hex'));
    if (!isSignatureFormat(signature)) return false;
    let ok = false;
    for (const d of digests) if (digestsEqual(d, signature)) ok = true;
    return ok;
  }
}

export type TimestampCheck =
  { ok: true; at: Date } | { ok: false; reason: 'malformed' | 'out_of_window'; skewSeconds?: number };

/** `X-Timestamp` is milliseconds since the epoch, at most `maxSkewSeconds` away from `now` either way. */
export function checkTimestamp(value: unknown, now: Date, maxSkewSeconds: number): TimestampCheck {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return { ok: false, reason: 'malformed' };
  const ms = Number(value);
  const skewMs = Math.abs(now.getTime() - ms);
  if (skewMs > maxSkewSeconds * 1000) {
    return { ok: false, reason: 'out_of_window', skewSeconds: Math.round(skewMs / 1000) };
  }
  return { ok: true, at: new Date(ms) };
}
