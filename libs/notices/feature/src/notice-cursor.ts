import { DomainError } from '@ecc/shared-kernel';

export interface NoticeCursor {
  createdAt: Date;
  id: string;
}

/** Opaque page cursor over (createdAt, id): base64url of `<epoch ms>.<uuid>`. */
export function encodeNoticeCursor(cursor: NoticeCursor): string {
  return Buffer.from(`${cursor.createdAt.getTime()}.${cursor.id}`, 'utf8').toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeNoticeCursor(value: string): NoticeCursor {
  const text = /^[A-Za-z0-9_-]+$/.test(value) ? Buffer.from(value, 'base64url').toString('utf8') : '';
  const match = /^(\d{1,15})\.(.+)$/.exec(text);
  const id = match?.[2];
  if (!match || !id || !UUID.test(id)) {
    throw new DomainError('validation', 'invalid_cursor', 'the cursor is not one this API returned', {
      errors: [{ path: 'query.cursor', message: 'not a cursor returned by this API' }],
    });
  }
  return { createdAt: new Date(Number(match[1])), id: id.toLowerCase() };
}
