import { localDate, type IsoDate } from '@ecc/shared-kernel';

/**
 * Small helpers on the screening hot path (thousands of detections a second). `toLocaleString` and the
 * kernel's `localDate` build an Intl formatter on every call, which dominated the cost of a screening.
 */

/** 58200 → "58,200". */
export const kg = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

let lastDay: { ms: number; timeZone: string; day: IsoDate } | null = null;

/** The local date of an instant, remembering the last answer (a screening asks about one instant many times). */
export function dayOf(instant: Date, timeZone: string): IsoDate {
  const ms = instant.getTime();
  if (lastDay && lastDay.ms === ms && lastDay.timeZone === timeZone) return lastDay.day;
  const day = localDate(instant, timeZone);
  lastDay = { ms, timeZone, day };
  return day;
}
