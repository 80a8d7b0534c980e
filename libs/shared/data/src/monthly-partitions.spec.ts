import { monthPartitions } from './monthly-partitions';

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
});
