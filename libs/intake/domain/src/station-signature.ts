import { createHmac, timingSafeEqual, type Hmac } from 'node:crypto';
import { SHA256_HEX } from './detection.schema';

/**
 * Station request signatures: `X-Signature` = lower-case hex HMAC-SHA256(station secret, message).
 *
 * Version 2 (`X-Signature-Version: 2`) signs what the request does as well as what it carries:
 *   message = `ECC-HMAC-SHA256-V2\n${METHOD}\n${path}\n${media type}\n${X-Timestamp}\n` + raw body bytes
 * so a captured upload cannot be replayed onto another detection, kind or route, nor relabelled with another
 * media type. Version 1 (no header) is `${X-Timestamp}.${raw body}`: kept for `POST /detections` only, where
 * it is safe — that is the one route signed with station secrets that takes a JSON body, and the body names
 * its detection — and refused for evidence uploads, where the path names the detection and v1 does not sign it.
 * A v1 message starts with a digit and a v2 message with `E`: one can never be taken for the other.
 * The timestamp is inside the MAC either way, so a capture cannot be replayed outside the clock-skew window.
 */

export const SIGNATURE_HEADERS = {
  station: 'x-station-code',
  timestamp: 'x-timestamp',
  signature: 'x-signature',
  version: 'x-signature-version',
  contentSha256: 'x-content-sha256',
} as const;

export const SIGNATURE_V2_TAG = 'ECC-HMAC-SHA256-V2';

/** What a signature covers besides the bytes. */
export type SignedRequest =
  | { version: 1; timestamp: string }
  | { version: 2; method: string; path: string; mediaType: string; timestamp: string };

/** The signed text that precedes the body bytes. */
export function signedPrefix(request: SignedRequest): string {
  if (request.version === 1) return `${request.timestamp}.`;
  return [
    SIGNATURE_V2_TAG,
    request.method.toUpperCase(),
    request.path,
    request.mediaType.toLowerCase(),
    request.timestamp,
    '',
  ].join('\n');
}

/** The media type of a Content-Type header, lower-cased, without parameters (`image/jpeg; x=y` → `image/jpeg`). */
export const mediaTypeOf = (contentType: string | undefined): string =>
  (contentType ?? '').split(';')[0]!.trim().toLowerCase();

/** `X-Signature-Version`: absent or 1, or 2; anything else is not a version this server speaks. */
export function signatureVersionOf(header: string | undefined): 1 | 2 | null {
  if (header === undefined || header === '1') return 1;
  return header === '2' ? 2 : null;
}

/** An HMAC already fed with the signed prefix: feed it the body (at once or chunk by chunk while streaming). */
export function signatureHmac(secret: string, request: SignedRequest): Hmac {
  return createHmac('sha256', secret).update(signedPrefix(request), 'utf8');
}

export function computeSignature(secret: string, request: SignedRequest, body: string | Uint8Array): string {
  return signatureHmac(secret, request).update(body).digest('hex');
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
  request: SignedRequest,
  body: string | Uint8Array,
  signature: string,
): boolean {
  if (!isSignatureFormat(signature)) return false;
  let ok = false;
  for (const secret of secrets) {
    if (digestsEqual(computeSignature(secret, request, body), signature)) ok = true;
  }
  return ok;
}

/** Incremental verification while a body streams: one HMAC per valid secret, fed the same chunks. */
export class StreamingSignature {
  private readonly hmacs: Hmac[];

  constructor(secrets: readonly string[], request: SignedRequest) {
    this.hmacs = secrets.map((s) => signatureHmac(s, request));
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
