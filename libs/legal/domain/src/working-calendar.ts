import { z } from 'zod';
import { addDays, DomainError, localDate, startOfLocalDay, type IsoDate } from '@ecc/shared-kernel';

/**
 * Working days (工作日) for periods counted in working days: 行政处罚法 Art. 85 (its 2/3/5/7-day periods),
 * the 7-working-day report of 《超限运输车辆行驶公路管理规定》 Art. 44, publicity (policy).
 *
 * Policy as data: a day is a working day unless it is a public holiday (法定节假日) or a weekend day that is
 * not a make-up working day (调休上班日). Holidays change every year by State Council notice, so the
 * calendar says which dates it covers; counting beyond them is refused rather than silently guessed.
 */
export interface WorkingDayCalendar {
  name: string;
  /** Days off although on a weekday, and holiday weekend days (listing them is harmless). */
  holidays: readonly IsoDate[];
  /** Weekend days that are working days (调休上班). */
  makeUpWorkdays: readonly IsoDate[];
  /** Weekdays off every week, 0 = Sunday … 6 = Saturday. Default: Saturday and Sunday. */
  weekendDays?: readonly number[];
  /** Dates for which the holiday data is complete; omitted = trust the data for any date. */
  coverage?: { from: IsoDate; to: IsoDate };
}

const DEFAULT_WEEKEND = [0, 6] as const;

const dayOfWeek = (date: IsoDate) => new Date(`${date}T00:00:00Z`).getUTCDay();

function assertCovered(date: IsoDate, calendar: WorkingDayCalendar): void {
  const c = calendar.coverage;
  if (c && (date < c.from || date > c.to)) {
    throw new DomainError(
      'rule_violation',
      'working_calendar_not_covered',
      `working-day calendar "${calendar.name}" has no holiday data for ${date} (covers ${c.from} to ${c.to}); add that year's holidays`,
      { date, calendar: calendar.name, coverage: c },
    );
  }
}

export function isWorkingDay(date: IsoDate, calendar: WorkingDayCalendar): boolean {
  assertCovered(date, calendar);
  if (calendar.makeUpWorkdays.includes(date)) return true;
  if (calendar.holidays.includes(date)) return false;
  return !(calendar.weekendDays ?? DEFAULT_WEEKEND).includes(dayOfWeek(date));
}

/**
 * The `n`-th working day after `date` (the start day is not counted, like calendar-day periods); for n = 0,
 * `date` itself when it is a working day, else the next working day.
 */
export function addWorkingDays(date: IsoDate, n: number, calendar: WorkingDayCalendar): IsoDate {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`working days must be a non-negative integer, got ${n}`);
  if (n === 0) return nextWorkingDayOnOrAfter(date, calendar);
  let current = date;
  for (let counted = 0; counted < n;) {
    current = addDays(current, 1);
    if (isWorkingDay(current, calendar)) counted++;
  }
  return current;
}

/** The `n`-th working day before `date` (e.g. the latest day to notify a hearing 7 working days ahead). */
export function subtractWorkingDays(date: IsoDate, n: number, calendar: WorkingDayCalendar): IsoDate {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`working days must be a non-negative integer, got ${n}`);
  let current = date;
  for (let counted = 0; counted < n;) {
    current = addDays(current, -1);
    if (isWorkingDay(current, calendar)) counted++;
  }
  return current;
}

export function nextWorkingDayOnOrAfter(date: IsoDate, calendar: WorkingDayCalendar): IsoDate {
  let current = date;
  while (!isWorkingDay(current, calendar)) current = addDays(current, 1);
  return current;
}

/** Working days in the interval (from, to]: how many working days of a period have elapsed at `to`. */
export function workingDaysBetween(from: IsoDate, to: IsoDate, calendar: WorkingDayCalendar): number {
  if (to <= from) return 0;
  let count = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d, calendar)) count++;
  return count;
}

const range = (from: IsoDate, to: IsoDate): IsoDate[] => {
  const out: IsoDate[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
};

/**
 * Mainland China public holidays and make-up working days as published by the State Council General Office
 * (国务院办公厅关于 2024 / 2025 / 2026 年部分节假日安排的通知). Default data only: the admin maintains the
 * calendar, and must add each year when the notice is published (usually in November of the year before).
 */
export const CN_WORKING_CALENDAR_2024_2026: WorkingDayCalendar = {
  name: 'CN 2024-2026 (国办节假日安排)',
  holidays: [
    // 2024 (国办发明电〔2023〕7号)
    '2024-01-01',
    ...range('2024-02-10', '2024-02-17'),
    ...range('2024-04-04', '2024-04-06'),
    ...range('2024-05-01', '2024-05-05'),
    '2024-06-10',
    ...range('2024-09-15', '2024-09-17'),
    ...range('2024-10-01', '2024-10-07'),
    // 2025 (国办发明电〔2024〕12号)
    '2025-01-01',
    ...range('2025-01-28', '2025-02-04'),
    ...range('2025-04-04', '2025-04-06'),
    ...range('2025-05-01', '2025-05-05'),
    ...range('2025-05-31', '2025-06-02'),
    ...range('2025-10-01', '2025-10-08'),
    // 2026 (国务院办公厅 2025 年 11 月 4 日通知)
    ...range('2026-01-01', '2026-01-03'),
    ...range('2026-02-15', '2026-02-23'),
    ...range('2026-04-04', '2026-04-06'),
    ...range('2026-05-01', '2026-05-05'),
    ...range('2026-06-19', '2026-06-21'),
    ...range('2026-09-25', '2026-09-27'),
    ...range('2026-10-01', '2026-10-07'),
  ],
  makeUpWorkdays: [
    '2024-02-04',
    '2024-02-18',
    '2024-04-07',
    '2024-04-28',
    '2024-05-11',
    '2024-09-14',
    '2024-09-29',
    '2024-10-12',
    '2025-01-26',
    '2025-02-08',
    '2025-04-27',
    '2025-09-28',
    '2025-10-11',
    '2026-01-04',
    '2026-02-14',
    '2026-02-28',
    '2026-05-09',
    '2026-09-20',
    '2026-10-10',
  ],
  coverage: { from: '2024-01-01', to: '2026-12-31' },
};

/** The last instant of the `n`-th working day after the local date of `start` in `timeZone`. */
export function deadlineAfterWorkingDays(
  start: Date,
  n: number,
  timeZone: string,
  calendar: WorkingDayCalendar,
): Date {
  const lastDay = addWorkingDays(localDate(start, timeZone), n, calendar);
  return new Date(startOfLocalDay(addDays(lastDay, 1), timeZone).getTime() - 1);
}

/** The calendar bound as the port other domain libs take (`{ deadlineAfterWorkingDays(start, n, tz) }`). */
export function workingDayDeadlines(calendar: WorkingDayCalendar) {
  return {
    deadlineAfterWorkingDays: (start: Date, n: number, timeZone: string) =>
      deadlineAfterWorkingDays(start, n, timeZone, calendar),
  };
}

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/** The working-day calendar as an admin maintains it (each year's State Council holiday notice). */
export const workingDayCalendarSchema = z
  .strictObject({
    name: z.string().min(1).max(100),
    holidays: z.array(isoDay).max(2000),
    makeUpWorkdays: z.array(isoDay).max(1000),
    weekendDays: z.array(z.number().int().min(0).max(6)).max(7).optional(),
    coverage: z.strictObject({ from: isoDay, to: isoDay }).optional(),
  })
  .refine((c) => !c.coverage || c.coverage.from <= c.coverage.to, 'coverage.from is after coverage.to')
  .refine(
    (c) => !c.holidays.some((d) => c.makeUpWorkdays.includes(d)),
    'a day is both a holiday and a make-up working day',
  );

/**
 * How long the calendar still covers from `today` (a local date), when that is `warnDays` or fewer: the
 * periods of a case starting today are counted up to about a month ahead in working days, so the holidays of
 * the next year must be entered before the last weeks of this one. Null when covered beyond that, or when the
 * calendar declares no coverage (trusted for any date).
 */
export function calendarCoverageEnding(
  calendar: WorkingDayCalendar,
  today: IsoDate,
  warnDays: number,
): { coveredUntil: IsoDate; daysLeft: number } | null {
  const until = calendar.coverage?.to;
  if (!until) return null;
  const daysLeft = Math.round(
    (Date.parse(`${until}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000,
  );
  return daysLeft <= warnDays ? { coveredUntil: until, daysLeft } : null;
}
