/**
 * Legal day counting. Instants are stored in UTC; deadlines in law are counted in calendar days of the
 * bureau's time zone (default Asia/Shanghai): a period of N days that starts on day D ends at the end of
 * day D + N (the day of the triggering event is not counted, 行政处罚法 / 民法典 Art. 201).
 */
export type IsoDate = string; // YYYY-MM-DD

/** The calendar date of an instant in a time zone. */
// Building an Intl.DateTimeFormat costs far more than using one: one per zone, kept.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

function cached(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, make: () => Intl.DateTimeFormat) {
  let format = cache.get(timeZone);
  if (!format) cache.set(timeZone, (format = make()));
  return format;
}

export function localDate(instant: Date, timeZone: string): IsoDate {
  const parts = cached(
    dateFormats,
    timeZone,
    () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Offset of a time zone from UTC at an instant, in minutes (e.g. +480 for Asia/Shanghai). */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  const parts = cached(
    offsetFormats,
    timeZone,
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      }),
  ).formatToParts(instant);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The first instant of a local calendar date in a time zone. */
export function startOfLocalDay(date: IsoDate, timeZone: string): Date {
  const guess = new Date(`${date}T00:00:00Z`);
  const offset = zoneOffsetMinutes(guess, timeZone);
  const candidate = new Date(guess.getTime() - offset * 60_000);
  // Re-check across an offset change (DST) between the guess and the candidate.
  const corrected = zoneOffsetMinutes(candidate, timeZone);
  return corrected === offset ? candidate : new Date(guess.getTime() - corrected * 60_000);
}

/**
 * The deadline of a period of `days` calendar days that starts with an event at `start`:
 * the last instant of local day (date of start + days).
 */
export function deadlineAfterDays(start: Date, days: number, timeZone: string): Date {
  const lastDay = addDays(localDate(start, timeZone), days);
  return new Date(startOfLocalDay(addDays(lastDay, 1), timeZone).getTime() - 1);
}
