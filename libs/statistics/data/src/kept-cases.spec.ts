import { histogramPercentile, keptRange } from './kept-cases';

describe('the kept case figures', () => {
  describe('the percentile of a histogram of hundredths of a day', () => {
    it('gives a single value rounded to its tenth, as the exact percentile does', () => {
      // 2.049 days is in bucket 204 ([2.04, 2.05)): every value there rounds to 2.0; 2.05 is in 205: 2.1
      expect(histogramPercentile([{ bucket: 204, n: 1 }], 0.5)).toBe(2);
      expect(histogramPercentile([{ bucket: 205, n: 1 }], 0.5)).toBe(2.1);
      expect(histogramPercentile([{ bucket: -36, n: 1 }], 0.9)).toBe(-0.4);
    });

    it('interpolates between the ranks around q(N−1), as percentile_cont does', () => {
      // values about 1.005, 2.005, 3.005, 10.005: the median halfway between the 2nd and 3rd, p90 at 0.7 of the
      // way from the 3rd to the 4th (exact percentile_cont of 1, 2, 3, 10: 2.5 and 7.9)
      const buckets = [100, 200, 300, 1000].map((bucket) => ({ bucket, n: 1 }));
      expect(histogramPercentile(buckets, 0.5)).toBe(2.5);
      expect(histogramPercentile(buckets, 0.9)).toBe(7.9);
    });

    it('spreads the values of a bucket evenly over it, and has no value when empty', () => {
      expect(histogramPercentile([{ bucket: 150, n: 4 }], 0.5)).toBe(1.5);
      expect(histogramPercentile([], 0.5)).toBeNull();
      expect(histogramPercentile([{ bucket: 3, n: 0 }], 0.5)).toBeNull();
    });
  });

  describe('the kept rows of a period', () => {
    it('reads whole months from the monthly rows and the edges from the daily rows', () => {
      expect(keptRange('2025-01-01', '2025-12-31')).toEqual({
        months: ['2025-01-01', '2025-12-31'],
        days: [],
      });
      expect(keptRange('2025-02-15', '2025-04-05')).toEqual({
        months: ['2025-03-01', '2025-03-31'],
        days: [
          ['2025-02-15', '2025-02-28'],
          ['2025-04-01', '2025-04-05'],
        ],
      });
    });

    it('reads days only when the period holds no whole month, and everything before the end for a stock', () => {
      expect(keptRange('2025-03-31', '2025-03-31')).toEqual({
        months: null,
        days: [['2025-03-31', '2025-03-31']],
      });
      expect(keptRange('2025-02-15', '2025-03-15')).toEqual({
        months: null,
        days: [['2025-02-15', '2025-03-15']],
      });
      expect(keptRange(null, '2025-03-15')).toEqual({
        months: [null, '2025-02-28'],
        days: [['2025-03-01', '2025-03-15']],
      });
      expect(keptRange(null, '2024-12-31')).toEqual({ months: [null, '2024-12-31'], days: [] });
    });
  });
});
