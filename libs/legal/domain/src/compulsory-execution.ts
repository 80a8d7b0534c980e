import { addDays, localDate, type IsoDate } from '@ecc/shared-kernel';
import { BASIS, basisRef, LEGAL_BASIS_CATALOGUE } from './catalogue.data';
import { addMonths, lawsuitWindowEnd, reconsiderationWindowEnd, type DeadlineContext } from './deadlines';
import type { LegalRef } from './legal-basis';
import { addWorkingDays } from './working-calendar';

/**
 * Compulsory execution of a fine the party does not pay (行政强制法 Chapter 5): the bureau has no power of
 * execution of its own, so it applies to the court — after a written demand (催告书, Art. 54) and within
 * 3 months after the periods for reconsideration and lawsuit have ended (Art. 53). Pure rules: the earliest
 * and latest dates and the reasons for refusing, from the facts the case records.
 */

/** Art. 54: the court may be applied to 10 days after the demand was served; Art. 69: working days. */
export const DEMAND_PERIOD_WORKING_DAYS = 10;
/** Art. 53: "自期限届满之日起三个月内". */
export const COURT_APPLICATION_MONTHS = 3;

/** A reconsideration or lawsuit the party brought against the decision. */
export interface RemedySought {
  kind: 'reconsideration' | 'lawsuit';
  filedOn: IsoDate;
  /** The day its outcome was served; null while pending. */
  concludedOn: IsoDate | null;
}

export interface ExecutionFacts {
  /** The decision was served on the party: the remedy periods run from here. */
  decisionServedAt: Date;
  /** The last day to pay (`paymentDeadline(...).lastDay`). */
  paymentLastDay: IsoDate;
  /** The fine and any late fee were paid in full. */
  performed: boolean;
  remedies: readonly RemedySought[];
  /** The written demand (催告书) reached the party. */
  demandServedAt?: Date | null;
}

export type ExecutionRefusalCode =
  | 'performed'
  | 'payment_period_running'
  | 'demand_not_served'
  | 'demand_premature'
  | 'demand_period_running'
  | 'remedy_periods_running'
  | 'remedy_sought'
  | 'application_period_expired';

export interface ExecutionRefusal {
  code: ExecutionRefusalCode;
  /** Why, in the bureau's words. */
  message: string;
  /** The last day of what is awaited, where the refusal ends by itself. */
  until?: IsoDate;
}

export interface ExecutionStep {
  allowed: boolean;
  refusals: ExecutionRefusal[];
  basis: LegalRef[];
}

const later = (a: IsoDate, b: IsoDate): IsoDate => (a > b ? a : b);

const refs = (ctx: DeadlineContext, ...codes: string[]) =>
  codes.map((code) => basisRef(code, undefined, ctx.catalogue ?? LEGAL_BASIS_CATALOGUE));

/**
 * The written demand to perform (催告书, Art. 54): once the payment period has ended without payment. A pending
 * reconsideration or lawsuit does not stop it (行政处罚法 Art. 73 ¶1: the penalty is not suspended).
 */
export function executionDemand(
  facts: ExecutionFacts,
  ctx: DeadlineContext,
  on: Date,
): ExecutionStep & { earliest: IsoDate } {
  const day = localDate(on, ctx.timeZone);
  const earliest = addDays(facts.paymentLastDay, 1);
  const refusals: ExecutionRefusal[] = [];
  if (facts.performed) refusals.push({ code: 'performed', message: '当事人已履行缴纳罚款义务，无需催告' });
  else if (day < earliest) {
    refusals.push({
      code: 'payment_period_running',
      message: `缴纳罚款期限至 ${facts.paymentLastDay} 届满，届满前不得催告`,
      until: facts.paymentLastDay,
    });
  }
  return { allowed: refusals.length === 0, refusals, earliest, basis: refs(ctx, BASIS.executionDemand) };
}

/**
 * The application to the court for compulsory execution (Arts. 53, 54, 69): from the later of the day after
 * the remedy periods end (the lawsuit's 6 months are the longer) and the day after the 10 working days
 * following the demand's service; until 3 months after the remedy periods end (a period binding the bureau:
 * not moved off a holiday). A party that sought a remedy is not in the case of Art. 53: execution then follows
 * the outcome of that remedy, which the bureau handles on its own.
 */
export function courtApplication(
  facts: ExecutionFacts,
  ctx: DeadlineContext,
  on: Date,
): ExecutionStep & {
  remedyPeriodsEnd: IsoDate;
  demandPeriodEnd: IsoDate | null;
  /** Null until a demand has been served. */
  earliest: IsoDate | null;
  latest: IsoDate;
} {
  const day = localDate(on, ctx.timeZone);
  const remedyPeriodsEnd = later(
    reconsiderationWindowEnd(facts.decisionServedAt, ctx).lastDay,
    lawsuitWindowEnd(facts.decisionServedAt, ctx).lastDay,
  );
  const latest = addMonths(remedyPeriodsEnd, COURT_APPLICATION_MONTHS);
  const demandDay = facts.demandServedAt ? localDate(facts.demandServedAt, ctx.timeZone) : null;
  const demandPeriodEnd = demandDay
    ? addWorkingDays(demandDay, DEMAND_PERIOD_WORKING_DAYS, ctx.calendar)
    : null;
  const earliest = demandPeriodEnd ? later(addDays(remedyPeriodsEnd, 1), addDays(demandPeriodEnd, 1)) : null;

  const refusals: ExecutionRefusal[] = [];
  const sought = facts.remedies[0];
  if (facts.performed) {
    refusals.push({ code: 'performed', message: '当事人已履行缴纳罚款义务' });
  } else if (sought) {
    refusals.push({
      code: 'remedy_sought',
      message:
        `当事人已于 ${sought.filedOn} ${sought.kind === 'lawsuit' ? '提起行政诉讼' : '申请行政复议'}，` +
        '不属于《中华人民共和国行政强制法》第五十三条规定的情形，应依复议决定或者裁判结果处理',
    });
  } else if (!demandDay || !demandPeriodEnd) {
    refusals.push({ code: 'demand_not_served', message: '申请人民法院强制执行前应当催告当事人履行义务' });
  } else if (demandDay <= facts.paymentLastDay) {
    refusals.push({
      code: 'demand_premature',
      message: `催告书于 ${demandDay} 送达，早于缴纳罚款期限届满（${facts.paymentLastDay}），应在期限届满后重新催告`,
    });
  } else if (day > latest) {
    refusals.push({
      code: 'application_period_expired',
      message: `申请期限自 ${remedyPeriodsEnd} 复议、诉讼期限届满之日起三个月，已于 ${latest} 届满`,
    });
  } else {
    if (day <= remedyPeriodsEnd) {
      refusals.push({
        code: 'remedy_periods_running',
        message: `申请行政复议、提起行政诉讼的期限至 ${remedyPeriodsEnd} 届满`,
        until: remedyPeriodsEnd,
      });
    }
    if (day <= demandPeriodEnd) {
      refusals.push({
        code: 'demand_period_running',
        message: `催告书送达后十个工作日至 ${demandPeriodEnd} 届满`,
        until: demandPeriodEnd,
      });
    }
  }
  return {
    allowed: refusals.length === 0,
    refusals,
    remedyPeriodsEnd,
    demandPeriodEnd,
    earliest,
    latest,
    basis: refs(ctx, BASIS.courtExecution, BASIS.executionDemand, BASIS.enforcementWorkingDays),
  };
}
