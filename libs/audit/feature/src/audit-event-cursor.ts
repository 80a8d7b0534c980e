import { DomainError } from '@ecc/shared-kernel';

/** Opaque page cursor over the event id (pages go newest first): base64url of `e.<id>`. */
export function encodeAuditCursor(id: bigint): string {
  return Buffer.from(`e.${id}`, 'utf8').toString('base64url');
}

export function decodeAuditCursor(value: string): bigint {
  const text = /^[A-Za-z0-9_-]+$/.test(value) ? Buffer.from(value, 'base64url').toString('utf8') : '';
  const match = /^e\.(\d{1,19})$/.exec(text);
  if (!match) {
    throw new DomainError('validation', 'invalid_cursor', 'the cursor is not one this API returned', {
      errors: [{ path: 'query.cursor', message: 'not a cursor returned by this API' }],
    });
  }
  return BigInt(match[1]!);
}
