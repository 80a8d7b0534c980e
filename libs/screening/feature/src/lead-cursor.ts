import { DomainError } from '@ecc/shared-kernel';
import type { LeadCursor } from '@ecc/screening-data';

/** Opaque page cursor over (createdAt, id): base64url of `<epoch ms>.<uuid>`. */
export function encodeLeadCursor(cursor: LeadCursor): string {
  return Buffer.from(`${cursor.createdAt.getTime()}.${cursor.id}`, 'utf8').toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeLeadCursor(value: string): LeadCursor {
  const text = /^[A-Za-z0-9_-]+$/.test(value) ? Buffer.from(value, 'base64url').toString('utf8') : '';
  const match = /^(\d{1,15})\.(.+)$/.exec(text);
  if (!match || !UUID.test(match[2]!)) {
    throw new DomainError('validation', 'invalid_cursor', 'the cursor is not one this API returned', {
      errors: [{ path: 'query.cursor', message: 'not a cursor returned by this API' }],
    });
  }
  return { createdAt: new Date(Number(match[1])), id: match[2]!.toLowerCase() };
}
