import { nextUuid, uuidv7, uuidv7Floor, uuidv7Instant } from './uuidv7';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const bytesOf = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');

describe('uuidv7', () => {
  it('has the RFC 9562 layout: 48 bits of milliseconds, version 7, variant 10', () => {
    const at = new Date('2026-12-06T15:30:00.123Z');
    for (let i = 0; i < 1000; i++) {
      const id = uuidv7(new Date(at.getTime() + i * 7919));
      expect(id).toMatch(UUID_V7);
      const bytes = bytesOf(id);
      expect(bytes.readUIntBE(0, 6)).toBe(at.getTime() + i * 7919);
      expect(bytes[6]! >> 4).toBe(7);
      expect(bytes[8]! >> 6).toBe(0b10);
    }
  });

  it('gives the instant back, from the epoch to the last millisecond of 48 bits', () => {
    for (const ms of [0, 1, 0xffff, 0x1_0000, Date.parse('2026-12-31T23:59:59.999Z'), 2 ** 48 - 1]) {
      expect(uuidv7Instant(uuidv7(new Date(ms))).getTime()).toBe(ms);
      expect(uuidv7Instant(uuidv7Floor(new Date(ms))).getTime()).toBe(ms);
    }
    expect(() => uuidv7(new Date(2 ** 48))).toThrow(RangeError);
    expect(() => uuidv7(new Date(-1))).toThrow(RangeError);
  });

  it('sorts by time: an id of a later millisecond is greater, as text and as bytes', () => {
    const start = Date.parse('2026-12-01T00:00:00Z');
    const ids = Array.from({ length: 500 }, (_, i) => uuidv7(new Date(start + i * 3)));
    expect([...ids].sort()).toEqual(ids);
    for (let i = 1; i < ids.length; i++)
      expect(Buffer.compare(bytesOf(ids[i - 1]!), bytesOf(ids[i]!))).toBe(-1);
  });

  it('counts up within a millisecond: each id above the one before, all distinct', () => {
    const at = new Date('2026-12-06T15:30:00.123Z');
    const ids = Array.from({ length: 10_000 }, () => uuidv7(at));
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // Another millisecond in between starts afresh; back in the first, the order is time first.
    const later = uuidv7(new Date(at.getTime() + 1));
    expect(later > ids.at(-1)!).toBe(true);
    expect(uuidv7(at) < later).toBe(true);
  });

  it('floors a millisecond: at or below its every id, above every id of the millisecond before', () => {
    const at = new Date('2026-12-01T00:00:00Z');
    expect(uuidv7Floor(at)).toBe('01a22ee6-b000-0000-0000-000000000000');
    const before = new Date(at.getTime() - 1);
    for (let i = 0; i < 200; i++) {
      const id = uuidv7(at);
      expect(id >= uuidv7Floor(at) && id < uuidv7Floor(new Date(at.getTime() + 1))).toBe(true);
      expect(uuidv7(before) < uuidv7Floor(at)).toBe(true);
    }
    // The extremes of a millisecond's range.
    expect('01a22ee6-b000-7000-8000-000000000000' >= uuidv7Floor(at)).toBe(true);
    expect('01a22ee6-afff-7fff-bfff-ffffffffffff' < uuidv7Floor(at)).toBe(true);
  });

  it('counts one past a uuid, carrying across its groups', () => {
    expect(nextUuid('01a22ee6-b000-4abc-8def-0123456789ab')).toBe('01a22ee6-b000-4abc-8def-0123456789ac');
    expect(nextUuid('01a22ee6-b000-4abc-8def-ffffffffffff')).toBe('01a22ee6-b000-4abc-8df0-000000000000');
    expect(nextUuid('01A22EE6-FFFF-FFFF-FFFF-FFFFFFFFFFFF')).toBe('01a22ee7-0000-0000-0000-000000000000');
    expect(() => nextUuid('ffffffff-ffff-ffff-ffff-ffffffffffff')).toThrow(RangeError);
  });
});
