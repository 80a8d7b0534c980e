import { addMonths } from '@ecc/legal-domain';
import { addDays, type IsoDate } from '@ecc/shared-kernel';

/**
 * "Within one year" (一年内) of 《公路安全保护条例》 Art. 66, counted in calendar dates.
 *
 * A trip on date P counts toward a violation on date D when P ≤ D ≤ P + 1 year, the year ending on the
 * corresponding date (民法典 Art. 202; a 29 February start ends on 28 February). So the trip on the same
 * calendar date one year earlier still counts: 365 days back in an ordinary year, 366 across 29 February.
 */
export function withinOneYearBefore(tripDate: IsoDate, violationDate: IsoDate): boolean {
  return tripDate <= violationDate && addMonths(tripDate, 12) >= violationDate;
}

export interface OneYearWindow {
  /** First trip date that still counts (inclusive). */
  from: IsoDate;
  /** The violation date (inclusive). */
  to: IsoDate;
}

/** The window of trip dates that count toward a violation on `violationDate`. */
export function oneYearWindow(violationDate: IsoDate): OneYearWindow {
  const back = addMonths(violationDate, -12);
  // 29 Feb → 28 Feb of the year before, whose year ends on 28 Feb: too early; the window starts on 1 Mar.
  const from = withinOneYearBefore(back, violationDate) ? back : addDays(back, 1);
  return { from, to: violationDate };
}
