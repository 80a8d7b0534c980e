import { DomainError } from '@ecc/shared-kernel';
import { timeFilterSchema, timeRange } from './time-filter';

describe('time filters', () => {
  it('accepts an instant with offset or a plain date, nothing else', () => {
    expect(timeFilterSchema.safeParse('2026-12-06T08:00:00+08:00').success).toBe(true);
    expect(timeFilterSchema.safeParse('2026-12-06').success).toBe(true);
    for (const bad of ['2026-12-06T08:00:00', '2026-13-01', '06/12/2026', 'today']) {
      expect(timeFilterSchema.safeParse(bad).success).toBe(false);
    }
  });

  it("reads a plain date as the bureau's whole day: from its start to its end", () => {
    expect(timeRange({ from: '2026-12-06', to: '2026-12-06' }, 'Asia/Shanghai')).toEqual({
      from: new Date('2026-12-05T16:00:00Z'),
      to: new Date('2026-12-06T16:00:00Z'),
    });
  });

  it('keeps instants as they are and leaves out an absent bound', () => {
    expect(timeRange({ from: '2026-12-06T08:00:00+08:00' }, 'Asia/Shanghai')).toEqual({
      from: new Date('2026-12-06T00:00:00Z'),
    });
    expect(timeRange({}, 'Asia/Shanghai')).toEqual({});
  });

  it('refuses a period that ends before it starts, naming `to`', () => {
    const attempt = () => timeRange({ from: '2026-12-07', to: '2026-12-06T23:00:00+08:00' }, 'Asia/Shanghai');
    expect(attempt).toThrow(DomainError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });
});
