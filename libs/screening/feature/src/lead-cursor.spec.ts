import { DomainError } from '@ecc/shared-kernel';
import { decodeLeadCursor, encodeLeadCursor } from './lead-cursor';

describe('lead page cursor', () => {
  const cursor = {
    createdAt: new Date('2024-11-05T00:31:12.345Z'),
    id: '0b9d6c1e-7f3a-4c2b-9a51-3e2d1c0b9a87',
  };

  it('round-trips (createdAt, id) through an opaque URL-safe string', () => {
    const encoded = encodeLeadCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeLeadCursor(encoded)).toEqual(cursor);
  });

  it.each([
    '',
    'not a cursor',
    '!!!',
    Buffer.from('123.not-a-uuid').toString('base64url'),
    Buffer.from('x.' + cursor.id).toString('base64url'),
  ])('refuses %j as a validation error on query.cursor', (value) => {
    try {
      decodeLeadCursor(value);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ category: 'validation', code: 'invalid_cursor' });
      expect((error as DomainError).details.errors).toEqual([
        { path: 'query.cursor', message: expect.any(String) },
      ]);
    }
  });
});
