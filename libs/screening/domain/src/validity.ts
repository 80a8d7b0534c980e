import type { DateLike } from './screening.types';
import { dayOf } from './format';

/**
 * Validity periods on certificates and permits. A date (YYYY-MM-DD) means the whole local day in the bureau's
 * zone, both ends inclusive; a Date is an exact instant. A certificate valid to 2024-11-04 no longer covers a
 * detection at 00:30 Beijing time on 5 November, although that is still 4 November in UTC.
 */
export function onOrBefore(start: DateLike, instant: Date, timeZone: string): boolean {
  return typeof start === 'string' ? start <= dayOf(instant, timeZone) : start.getTime() <= instant.getTime();
}

export function onOrAfter(end: DateLike, instant: Date, timeZone: string): boolean {
  return typeof end === 'string' ? dayOf(instant, timeZone) <= end : instant.getTime() <= end.getTime();
}

export function withinValidity(instant: Date, from: DateLike, to: DateLike, timeZone: string): boolean {
  return onOrBefore(from, instant, timeZone) && onOrAfter(to, instant, timeZone);
}

/** A validity bound as shown to people: its local date. */
export const showDate = (d: DateLike, timeZone: string): string =>
  typeof d === 'string' ? d : dayOf(d, timeZone);
