import { addDays, daysBetween, DomainError, localDate, type IsoDate } from '@ecc/shared-kernel';
import { BASIS, basisRef } from './catalogue.data';
import type { LegalRef } from './legal-basis';
import { LEGAL_PERIODS } from './periods';

/** A day of a period: a local date, or an instant read as its date in the bureau's zone. */
export type LegalDay = IsoDate | Date;

export interface LateFee {
  /** Whole calendar days after the due date (0 when paid on or before it). */
  daysLate: number;
  /** The additional fine (加处罚款) in fen, the exact amount. */
  amountFen: number;
  /** The same in yuan (fen / 100), for display. */
  amountYuan: number;
  /** True when the cap (the amount of the fine itself) was reached. */
  capped: boolean;
  basis: LegalRef;
  /** Days after the due date not counted because a reconsideration or lawsuit was pending (Art. 73 ¶3). */
  daysPaused: number;
  /** 行政处罚法 Art. 73 ¶3, when days were paused. */
  pauseBasis?: LegalRef;
}

/**
 * A reconsideration or lawsuit the party brought: from the day it was filed to the day its outcome was
 * served, both counted as pending; `to` null while it is still pending.
 */
export interface PendingRemedy {
  kind: 'reconsideration' | 'lawsuit';
  from: LegalDay;
  to: LegalDay | null;
}

/**
 * 加处罚款 for late payment (行政处罚法 Art. 72(1)(一)): 3% of the fine for each day after the due date,
 * never more than the fine; the days while a reconsideration or lawsuit is pending are not counted
 * (Art. 73 ¶3: `options.pending`).
 *
 * - Days are calendar days in the bureau's zone: paying on the due date costs nothing, the day after is
 *   1 day late. The caller passes the due date as served (see `paymentDeadline`, which already moves a due
 *   date that falls on a holiday).
 * - Amounts are computed in integer fen. A fine in whole yuan gives an exact daily amount (3 fen per yuan);
 *   for a fine with fen, the total is rounded down to the fen (the rounding favourable to the party).
 */
export function lateFee(
  fineYuan: number,
  dueDate: LegalDay,
  paidDate: LegalDay,
  options: { timeZone?: string; pending?: readonly PendingRemedy[] } = {},
): LateFee {
  const fineFen = Math.round(fineYuan * 100);
  if (!Number.isFinite(fineYuan) || fineYuan < 0 || Math.abs(fineFen - fineYuan * 100) > 1e-6) {
    throw new DomainError(
      'validation',
      'invalid_fine_amount',
      `fine must be a non-negative amount in yuan with at most 2 decimals, got ${fineYuan}`,
    );
  }
  const due = asDate(dueDate, options.timeZone, 'dueDate');
  const paid = asDate(paidDate, options.timeZone, 'paidDate');
  const daysAfterDue = Math.max(0, daysBetween(due, paid));
  const daysPaused = pausedDays(due, paid, options.pending ?? [], options.timeZone);
  const daysLate = daysAfterDue - daysPaused;
  // rate 3% = 3/100, kept as integers so that no binary fraction creeps into money.
  const ratePercent = Math.round(LEGAL_PERIODS.lateFeeRatePerDay * 100);
  const uncapped = Math.floor((fineFen * ratePercent * daysLate) / 100);
  const amountFen = Math.min(uncapped, fineFen);
  return {
    daysLate,
    amountFen,
    amountYuan: amountFen / 100,
    capped: uncapped >= fineFen && daysLate > 0,
    basis: basisRef(BASIS.lateFee),
    daysPaused,
    ...(daysPaused > 0 ? { pauseBasis: basisRef(BASIS.lateFeePause) } : {}),
  };
}

/** Days in (due, paid] covered by at least one pending remedy (an overlap is paused once). */
function pausedDays(
  due: IsoDate,
  paid: IsoDate,
  pending: readonly PendingRemedy[],
  timeZone: string | undefined,
): number {
  const ranges = pending.map((p, i) => {
    const from = asDate(p.from, timeZone, `pending.${i}.from`);
    const to = p.to === null ? paid : asDate(p.to, timeZone, `pending.${i}.to`);
    if (to < from) {
      throw new DomainError(
        'validation',
        'invalid_pending_period',
        `the ${p.kind} pending from ${from} cannot end on ${to}`,
      );
    }
    return { from, to };
  });
  let paused = 0;
  for (let day = addDays(due, 1); day <= paid; day = addDays(day, 1)) {
    if (ranges.some((r) => r.from <= day && day <= r.to)) paused++;
  }
  return paused;
}

function asDate(day: LegalDay, timeZone: string | undefined, name: string): IsoDate {
  if (typeof day === 'string') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
      throw new DomainError('validation', 'invalid_date', `${name} must be YYYY-MM-DD, got ${day}`);
    }
    return day;
  }
  if (!timeZone) {
    throw new DomainError(
      'validation',
      'time_zone_required',
      `${name} is an instant: pass the bureau's time zone to read its date`,
    );
  }
  return localDate(day, timeZone);
}
