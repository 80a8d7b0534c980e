import { createHmac, timingSafeEqual } from 'node:crypto';

/** Hex HMAC-SHA256 of the exact bytes (raw body, or `timestamp.body` for push webhooks). */
export function hmacSha256Hex(secret: string, payload: string | Buffer): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/** Constant-time check of a hex signature; a malformed header is simply not valid. */
export function verifyHmacSha256(
  secret: string,
  payload: string | Buffer,
  signature: string | undefined,
): boolean {
  if (!signature) return false;
  const given = signature
    .trim()
    .toLowerCase()
    .replace(/^sha256=/, '');
  if (!/^[0-9a-f]{64}$/.test(given)) return false;
  return timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(hmacSha256Hex(secret, payload), 'hex'));
}

/**
 * What a push webhook signs: the timestamp and the body, so a captured request cannot be replayed
 * later with a fresh timestamp.
 */
export function pushSigningPayload(timestamp: string, body: string): string {
  return `${timestamp}.${body}`;
}
