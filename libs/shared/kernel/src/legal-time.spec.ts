import { addDays, daysBetween, deadlineAfterDays, localDate, startOfLocalDay } from './legal-time';

describe('legal time', () => {
  it('takes the calendar date in the bureau time zone, not in UTC', () => {
    // 2024-11-04T17:30Z is already 01:30 on 5 November in Beijing.
    expect(localDate(new Date('2024-11-04T17:30:00Z'), 'Asia/Shanghai')).toBe('2024-11-05');
    expect(localDate(new Date('2024-11-04T17:30:00Z'), 'UTC')).toBe('2024-11-04');
  });

  it('counts days across month and leap-year ends', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(daysBetween('2024-01-01', '2024-12-31')).toBe(365);
    expect(daysBetween('2024-03-10', '2024-03-01')).toBe(-9);
  });

  it('starts a local day at local midnight', () => {
    expect(startOfLocalDay('2024-11-05', 'Asia/Shanghai').toISOString()).toBe('2024-11-04T16:00:00.000Z');
    expect(startOfLocalDay('2024-07-01', 'Europe/Berlin').toISOString()).toBe('2024-06-30T22:00:00.000Z');
  });

  it('ends a 15-day period at the last instant of the 15th local day after the event', () => {
    // served 2024-11-05 23:30 Beijing time → the party may pay until the end of 20 November.
    const served = new Date('2024-11-05T15:30:00Z');
    expect(deadlineAfterDays(served, 15, 'Asia/Shanghai').toISOString()).toBe('2024-11-20T15:59:59.999Z');
  });
});
