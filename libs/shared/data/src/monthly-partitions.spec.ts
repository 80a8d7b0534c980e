import { monthPartitions, nextUuid, uuidv7Floor, uuidv7Instant } from './monthly-partitions';

describe('monthly partitions', () => {
  it('names the months of a table by UTC month, across a year end', () => {
    expect(monthPartitions('detections', new Date('2026-12-31T23:30:00+08:00'), 1)).toEqual([
      {
        name: 'detections_2026_12',
        from: new Date('2026-12-01T00:00:00Z'),
        to: new Date('2027-01-01T00:00:00Z'),
      },
      {
        name: 'detections_2027_01',
        from: new Date('2027-01-01T00:00:00Z'),
        to: new Date('2027-02-01T00:00:00Z'),
      },
    ]);
  });

  it('bounds a month of UUIDv7 ids by the lowest id of its first millisecond', () => {
    const at = new Date('2026-12-01T00:00:00Z');
    expect(uuidv7Floor(at)).toBe('01a22ee6-b000-0000-0000-000000000000');
    expect(uuidv7Instant(uuidv7Floor(at))).toEqual(at);
    // Any id of the millisecond sorts at or above the floor, and below the next millisecond's.
    const id = '01a22ee6-b000-7fff-bfff-ffffffffffff';
    expect(id >= uuidv7Floor(at) && id < uuidv7Floor(new Date(at.getTime() + 1))).toBe(true);
  });

  it('counts one past a uuid, carrying across its groups', () => {
    expect(nextUuid('01a22ee6-b000-4abc-8def-0123456789ab')).toBe('01a22ee6-b000-4abc-8def-0123456789ac');
    expect(nextUuid('01a22ee6-b000-4abc-8def-ffffffffffff')).toBe('01a22ee6-b000-4abc-8df0-000000000000');
  });
});
