import { z } from 'zod';
import { addDays, DomainError, type FieldIssue, type IsoDate } from '@ecc/shared-kernel';
import type { WorkingDayCalendar } from './working-calendar';

/**
 * The State Council's yearly notice of public holidays (国务院办公厅关于 YYYY 年部分节假日安排的通知), as an
 * admin enters it: its year and, per festival, the days off and the make-up working days (调休上班) — either
 * as fields, or as the notice's own text, one festival per line as published:
 *
 *   二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
 *
 * The text is checked against itself: the weekday in brackets must be the date's, and "共N天" the number of
 * days off. It is merged into the working calendar in force (行政处罚法 Art. 85 counts in working days): that
 * year's days are replaced by the notice's, and the calendar covers the year to its last day.
 */
export interface HolidayFestival {
  name: string;
  /** first and last day off, both included */
  from: IsoDate;
  to: IsoDate;
  /** weekend days that are working days for this festival (调休上班) */
  makeUpWorkdays: IsoDate[];
}

export interface HolidayNotice {
  year: number;
  festivals: HolidayFestival[];
}

const isoDay = z.iso.date();

export const holidayNoticeSchema = z
  .strictObject({
    year: z.number().int().min(2000).max(2200),
    /** the notice's text, one festival per line (一、元旦：…); or `festivals` */
    text: z.string().min(1).max(5000).optional(),
    festivals: z
      .array(
        z.strictObject({
          name: z.string().trim().min(1).max(20),
          from: isoDay,
          to: isoDay,
          makeUpWorkdays: z.array(isoDay).max(10).default([]),
        }),
      )
      .min(1)
      .max(20)
      .optional(),
  })
  .refine((n) => (n.text === undefined) !== (n.festivals === undefined), {
    message: 'give the notice either as its text or as festivals, one of the two',
  });
export type HolidayNoticeInput = z.infer<typeof holidayNoticeSchema>;

const WEEKDAYS = '日一二三四五六';
const weekdayOf = (date: IsoDate) => WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
const pad = (n: number) => String(n).padStart(2, '0');

/** `M月D日（…周X…）`, `D日（…）` (month of the previous date) or `YYYY年M月D日`, with the bracket kept to check. */
const DATE = /(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:[（(]([^）)]*)[）)])?/g;

interface ReadDate {
  date: IsoDate;
  bracket: string | undefined;
}

function readDates(
  text: string,
  year: number,
  month: number | null,
): { dates: ReadDate[]; month: number | null } {
  const dates: ReadDate[] = [];
  let current = month;
  for (const m of text.matchAll(DATE)) {
    const y = m[1] ? Number(m[1]) : year;
    if (m[2]) current = Number(m[2]);
    if (current === null) continue;
    dates.push({ date: `${y}-${pad(current)}-${pad(Number(m[3]))}`, bracket: m[4] });
  }
  return { dates, month: current };
}

/** Reads the notice's text, one festival per line; every line it cannot read is named, none is guessed. */
export function parseHolidayNoticeText(year: number, text: string): HolidayFestival[] {
  const festivals: HolidayFestival[] = [];
  const errors: FieldIssue[] = [];
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => /^[一二三四五六七八九十]+、/.test(l));
  lines.forEach((line, index) => {
    const path = `body.notice.text.${index}`;
    const name = line
      .replace(/^[一二三四五六七八九十]+、/, '')
      .split(/[：:]/)[0]!
      .trim();
    const [offPart = '', ...rest] = line.slice(line.search(/[：:]/) + 1).split(/放假/);
    const off = readDates(offPart, year, null);
    const work = readDates(rest.join('放假'), year, off.month);
    const [first, last = first] = off.dates;
    if (!name || !first) {
      errors.push({ path, message: `cannot read the days off of "${line}"` });
      return;
    }
    const festival = {
      name,
      from: first.date,
      to: last!.date,
      makeUpWorkdays: work.dates.map((d) => d.date),
    };
    for (const d of [...off.dates, ...work.dates]) {
      const said = d.bracket?.match(/周([日一二三四五六天])/)?.[1]?.replace('天', '日');
      if (!isRealDate(d.date)) errors.push({ path, message: `${d.date} is not a date` });
      else if (said && said !== weekdayOf(d.date)) {
        errors.push({ path, message: `${d.date} is a 周${weekdayOf(d.date)}, the notice says 周${said}` });
      }
    }
    const total = line.match(/共(\d+)天/)?.[1];
    if (total && isRealDate(festival.from) && isRealDate(festival.to)) {
      const days = daysFrom(festival.from, festival.to).length;
      if (days !== Number(total))
        errors.push({ path, message: `${festival.from} to ${festival.to} is ${days} days, not ${total}` });
    }
    festivals.push(festival);
  });
  if (lines.length === 0)
    errors.push({ path: 'body.notice.text', message: 'no festival line (一、元旦：…) found' });
  if (errors.length > 0) throw invalidNotice(errors);
  return festivals;
}

const isRealDate = (d: IsoDate) => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
};

function daysFrom(from: IsoDate, to: IsoDate): IsoDate[] {
  const days: IsoDate[] = [];
  for (let d = from; d <= to && days.length < 40; d = addDays(d, 1)) days.push(d);
  return days;
}

const invalidNotice = (errors: FieldIssue[]) =>
  new DomainError('validation', 'invalid_holiday_notice', 'the holiday notice cannot be read as written', {
    errors,
  });

/** What a notice changes in a calendar, for the preview and the audit. */
export interface CalendarChanges {
  year: number;
  holidaysAdded: IsoDate[];
  holidaysRemoved: IsoDate[];
  makeUpWorkdaysAdded: IsoDate[];
  makeUpWorkdaysRemoved: IsoDate[];
  coverage: { before: WorkingDayCalendar['coverage'] | null; after: WorkingDayCalendar['coverage'] | null };
}

/**
 * The calendar with the notice's year replaced by the notice: its holidays and make-up working days, the
 * coverage extended to the year's end (never shortened), and what changed. Dates outside the year are refused
 * except a make-up day of the festival at the year's edge (元旦's may fall in the year before).
 */
export function applyHolidayNotice(
  calendar: WorkingDayCalendar,
  input: HolidayNoticeInput,
): { calendar: WorkingDayCalendar; changes: CalendarChanges } {
  const festivals = input.festivals ?? parseHolidayNoticeText(input.year, input.text!);
  const errors: FieldIssue[] = [];
  const holidays = new Set<IsoDate>();
  const makeUp = new Set<IsoDate>();
  festivals.forEach((f, i) => {
    if (f.to < f.from) errors.push({ path: `body.notice.festivals.${i}.to`, message: 'is before from' });
    const days = daysFrom(f.from, f.to);
    if (days.some((d) => !d.startsWith(`${input.year}-`) && !d.startsWith(`${input.year + 1}-01-`))) {
      errors.push({
        path: `body.notice.festivals.${i}`,
        message: `${f.name}: days off outside ${input.year}`,
      });
    }
    for (const d of days) holidays.add(d);
    for (const d of f.makeUpWorkdays) makeUp.add(d);
  });
  for (const d of makeUp) {
    if (holidays.has(d))
      errors.push({ path: 'body.notice', message: `${d} is both a day off and a working day` });
  }
  if (errors.length > 0) throw invalidNotice(errors);

  const inYear = (d: IsoDate) => d.startsWith(`${input.year}-`);
  const touched = (d: IsoDate) => inYear(d) || holidays.has(d) || makeUp.has(d);
  const oldHolidays = calendar.holidays.filter(touched);
  const oldMakeUp = calendar.makeUpWorkdays.filter(touched);
  const yearEnd = `${input.year}-12-31`;
  const coverage = calendar.coverage
    ? { from: calendar.coverage.from, to: calendar.coverage.to > yearEnd ? calendar.coverage.to : yearEnd }
    : undefined;
  const sorted = (s: Iterable<IsoDate>) => [...s].sort();
  const next: WorkingDayCalendar = {
    ...calendar,
    name: calendar.name.includes(String(input.year))
      ? calendar.name
      : `${calendar.name} + ${input.year}`.slice(0, 100),
    holidays: sorted(new Set([...calendar.holidays.filter((d) => !touched(d)), ...holidays])),
    makeUpWorkdays: sorted(new Set([...calendar.makeUpWorkdays.filter((d) => !touched(d)), ...makeUp])),
    ...(coverage ? { coverage } : {}),
  };
  return {
    calendar: next,
    changes: {
      year: input.year,
      holidaysAdded: sorted(holidays).filter((d) => !oldHolidays.includes(d)),
      holidaysRemoved: oldHolidays.filter((d) => !holidays.has(d)),
      makeUpWorkdaysAdded: sorted(makeUp).filter((d) => !oldMakeUp.includes(d)),
      makeUpWorkdaysRemoved: oldMakeUp.filter((d) => !makeUp.has(d)),
      coverage: { before: calendar.coverage ?? null, after: coverage ?? null },
    },
  };
}
