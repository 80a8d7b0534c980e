import { monthPartitions } from './audit-partitions.repository';

describe('monthly partitions of audit_events', () => {
  it('names the month of the instant and those ahead, bounded by UTC midnights, across a year end', () => {
    expect(monthPartitions(new Date('2026-11-30T23:59:59.999Z'), 2)).toEqual([
      {
        name: 'audit_events_2026_11',
        from: new Date('2026-11-01T00:00:00Z'),
        to: new Date('2026-12-01T00:00:00Z'),
      },
      {
        name: 'audit_events_2026_12',
        from: new Date('2026-12-01T00:00:00Z'),
        to: new Date('2027-01-01T00:00:00Z'),
      },
      {
        name: 'audit_events_2027_01',
        from: new Date('2027-01-01T00:00:00Z'),
        to: new Date('2027-02-01T00:00:00Z'),
      },
    ]);
  });

  it('takes the UTC month, not the local one (the first hours of a month in Shanghai are the last of the previous in UTC)', () => {
    expect(monthPartitions(new Date('2026-12-01T03:00:00+08:00'), 0).map((m) => m.name)).toEqual([
      'audit_events_2026_11',
    ]);
  });
});
