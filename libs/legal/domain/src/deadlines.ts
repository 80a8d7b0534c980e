import { addDays, DomainError, localDate, startOfLocalDay, type IsoDate } from '@ecc/shared-kernel';
import { BASIS, basisRef, LEGAL_BASIS_CATALOGUE } from './catalogue.data';
import { basisInForce, refOf, type LegalArticle, type LegalRef, type MeasureKind } from './legal-basis';
import { DEFAULT_CASE_POLICY, LEGAL_PERIODS, type CasePolicy } from './periods';
import {
  addWorkingDays,
  nextWorkingDayOnOrAfter,
  subtractWorkingDays,
  type WorkingDayCalendar,
} from './working-calendar';

/**
 * Deadlines of the case lifecycle, from LEGAL_PERIODS (law) and CasePolicy (local choice).
 *
 * Counting rules, applied uniformly:
 * - the day of the triggering event is not counted (民法典 Art. 201); a period ends at the last instant of its
 *   last local day in the bureau's zone;
 * - 行政处罚法 Art. 85: its "二日/三日/五日/七日" are working days — so the 5-day hearing request window
 *   (Art. 64) and the 7-day service (Art. 61) and hearing-notice (Art. 64) periods count working days;
 * - a period the party relies on (payment, response, remedies) whose last day is a holiday ends on the next
 *   working day (民法典 Art. 203). Periods that bind the bureau (decision within 90 days) are NOT extended:
 *   the system warns on the earlier date so the bureau never depends on the extension.
 */
export interface DeadlineContext {
  /** The bureau's time zone, e.g. Asia/Shanghai. */
  timeZone: string;
  calendar: WorkingDayCalendar;
  /** Defaults to DEFAULT_CASE_POLICY. */
  policy?: CasePolicy;
  /**
   * How the policy's statement period (陈述申辩期) is counted. Default working days: the period is the
   * short kind Art. 85 means, and the reading most favourable to the party.
   */
  statementCounting?: 'working_days' | 'calendar_days';
  catalogue?: readonly LegalArticle[];
}

export type DeadlineName =
  | 'response_window'
  | 'statement_window'
  | 'hearing_request_window'
  | 'hearing_notice_latest'
  | 'decision'
  | 'service'
  | 'payment'
  | 'reconsideration_window'
  | 'lawsuit_window'
  | 'home_authority_report'
  | 'publicity'
  | 'correction_period';

export interface LegalDeadline {
  name: DeadlineName;
  /** The last instant of the period (inclusive). */
  due: Date;
  /** The last local day of the period. */
  lastDay: IsoDate;
  /** The local day of the triggering event (not counted). */
  startDay: IsoDate;
  length: number;
  counting: 'calendar_days' | 'working_days' | 'months' | 'working_days_before';
  /** Whether the length is fixed by law or chosen by the bureau. */
  source: 'law' | 'policy';
  /** The provisions implemented, first the one that sets the period. */
  basis: LegalRef[];
  /** True when the last day was moved off a holiday (民法典 Art. 203). */
  extended: boolean;
}

const endOfLocalDay = (day: IsoDate, timeZone: string) =>
  new Date(startOfLocalDay(addDays(day, 1), timeZone).getTime() - 1);

function refs(ctx: DeadlineContext, ...codes: string[]): LegalRef[] {
  return codes.map((code) => basisRef(code, undefined, ctx.catalogue ?? LEGAL_BASIS_CATALOGUE));
}

interface PeriodSpec {
  name: DeadlineName;
  start: Date;
  length: number;
  counting: 'calendar_days' | 'working_days' | 'months';
  source: 'law' | 'policy';
  basis: LegalRef[];
  /** Move a last day that is not a working day to the next working day (party periods). */
  extendOffHolidays: boolean;
}

function period(spec: PeriodSpec, ctx: DeadlineContext): LegalDeadline {
  const startDay = localDate(spec.start, ctx.timeZone);
  let lastDay =
    spec.counting === 'working_days'
      ? addWorkingDays(startDay, spec.length, ctx.calendar)
      : spec.counting === 'months'
        ? addMonths(startDay, spec.length)
        : addDays(startDay, spec.length);
  let extended = false;
  if (spec.extendOffHolidays) {
    const moved = nextWorkingDayOnOrAfter(lastDay, ctx.calendar);
    extended = moved !== lastDay;
    lastDay = moved;
  }
  return {
    name: spec.name,
    due: endOfLocalDay(lastDay, ctx.timeZone),
    lastDay,
    startDay,
    length: spec.length,
    counting: spec.counting,
    source: spec.source,
    basis: spec.basis,
    extended,
  };
}

/**
 * Calendar months (民法典 Art. 202): the corresponding day of the last month, or its last day when the month
 * is shorter.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number);
  const monthIndex = m - 1 + months;
  const year = y + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const lastOfMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(d, lastOfMonth);
  return `${year}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const policyOf = (ctx: DeadlineContext) => ctx.policy ?? DEFAULT_CASE_POLICY;

/** End of the response window stated in the SMS notice (policy); no response by then → electronic fence. */
export function responseWindowEnd(noticeSentAt: Date, ctx: DeadlineContext): LegalDeadline {
  return period(
    {
      name: 'response_window',
      start: noticeSentAt,
      length: policyOf(ctx).responseWindowDays,
      counting: 'calendar_days',
      source: 'policy',
      // Art. 41(3): tell the party the facts promptly and make statement and defence easy.
      basis: refs(ctx, BASIS.electronicMonitoring),
      extendOffHolidays: true,
    },
    ctx,
  );
}

/** End of the statement and defence period (陈述、申辩) after the pre-penalty notice (policy length). */
export function statementWindowEnd(noticeServedAt: Date, ctx: DeadlineContext): LegalDeadline {
  const working = (ctx.statementCounting ?? 'working_days') === 'working_days';
  return period(
    {
      name: 'statement_window',
      start: noticeServedAt,
      length: policyOf(ctx).statementDays,
      counting: working ? 'working_days' : 'calendar_days',
      source: 'policy',
      basis: refs(
        ctx,
        BASIS.statementAndDefence,
        BASIS.prePenaltyNotice,
        ...(working ? [BASIS.workingDays] : []),
      ),
      extendOffHolidays: !working,
    },
    ctx,
  );
}

/** End of the window to request a hearing: 5 working days after the notice (Art. 64(1) with Art. 85). */
export function hearingRequestWindowEnd(noticeServedAt: Date, ctx: DeadlineContext): LegalDeadline {
  return period(
    {
      name: 'hearing_request_window',
      start: noticeServedAt,
      length: LEGAL_PERIODS.hearingRequestDays,
      counting: 'working_days',
      source: 'law',
      basis: refs(ctx, BASIS.hearingProcedure, BASIS.workingDays),
      extendOffHolidays: false,
    },
    ctx,
  );
}

/**
 * The last day on which the party may be notified of a hearing held at `hearingAt`: 7 working days before
 * it (Art. 64(2) with Art. 85), so that 7 working days lie between the notice and the hearing day.
 */
export function hearingNoticeLatest(hearingAt: Date, ctx: DeadlineContext): LegalDeadline {
  const hearingDay = localDate(hearingAt, ctx.timeZone);
  const lastDay = subtractWorkingDays(hearingDay, LEGAL_PERIODS.hearingNoticeDaysBefore, ctx.calendar);
  return {
    name: 'hearing_notice_latest',
    due: endOfLocalDay(lastDay, ctx.timeZone),
    lastDay,
    startDay: hearingDay,
    length: LEGAL_PERIODS.hearingNoticeDaysBefore,
    counting: 'working_days_before',
    source: 'law',
    basis: refs(ctx, BASIS.hearingProcedure, BASIS.workingDays),
    extended: false,
  };
}

/** Decide within 90 days of filing (Art. 60). Calendar days, never extended (it binds the bureau). */
export function decisionDeadline(filedAt: Date, ctx: DeadlineContext): LegalDeadline {
  return period(
    {
      name: 'decision',
      start: filedAt,
      length: LEGAL_PERIODS.decisionWithinDaysOfFiling,
      counting: 'calendar_days',
      source: 'law',
      basis: refs(ctx, BASIS.decisionWithin90Days),
      extendOffHolidays: false,
    },
    ctx,
  );
}

/** Serve the decision within 7 working days (Art. 61 with Art. 85). */
export function serviceDeadline(decidedAt: Date, ctx: DeadlineContext): LegalDeadline {
  return period(
    {
      name: 'service',
      start: decidedAt,
      length: LEGAL_PERIODS.serviceWithinDaysOfDecision,
      counting: 'working_days',
      source: 'law',
      basis: refs(ctx, BASIS.service, BASIS.workingDays),
      extendOffHolidays: false,
    },
    ctx,
  );
}

/** Pay within 15 days of service (Art. 67); after this day the late fee of Art. 72 accrues. */
export function paymentDeadline(servedAt: Date, ctx: DeadlineContext): LegalDeadline {
  return period(
    {
      name: 'payment',
      start: servedAt,
      length: LEGAL_PERIODS.paymentWithinDaysOfService,
      counting: 'calendar_days',
      source: 'law',
      basis: refs(ctx, BASIS.payment),
      extendOffHolidays: true,
    },
    ctx,
  );
}

/** Administrative reconsideration within 60 days of service (the 行政复议法 version in force then). */
export function reconsiderationWindowEnd(servedAt: Date, ctx: DeadlineContext): LegalDeadline {
  const catalogue = ctx.catalogue ?? LEGAL_BASIS_CATALOGUE;
  const day = localDate(servedAt, ctx.timeZone);
  const entry =
    basisInForce(catalogue, BASIS.reconsideration, day) ??
    basisInForce(catalogue, BASIS.reconsiderationBefore2024, day);
  return period(
    {
      name: 'reconsideration_window',
      start: servedAt,
      length: LEGAL_PERIODS.reconsiderationDays,
      counting: 'calendar_days',
      source: 'law',
      basis: entry ? [refOf(entry)] : refs(ctx, BASIS.reconsideration),
      extendOffHolidays: true,
    },
    ctx,
  );
}

/** Administrative lawsuit within 6 months of service (行政诉讼法 Art. 46). */
export function lawsuitWindowEnd(servedAt: Date, ctx: DeadlineContext): LegalDeadline {
  return period(
    {
      name: 'lawsuit_window',
      start: servedAt,
      length: LEGAL_PERIODS.lawsuitMonths,
      counting: 'months',
      source: 'law',
      basis: refs(ctx, BASIS.lawsuit),
      extendOffHolidays: true,
    },
    ctx,
  );
}

/**
 * Report (抄告) to the road-transport authority where the vehicle is registered within 7 working days of
 * closing (《超限运输车辆行驶公路管理规定》 Art. 44).
 */
export function homeAuthorityReportDeadline(closedAt: Date, ctx: DeadlineContext): LegalDeadline {
  return period(
    {
      name: 'home_authority_report',
      start: closedAt,
      length: LEGAL_PERIODS.homeAuthorityReportWorkingDays,
      counting: 'working_days',
      source: 'law',
      basis: refs(ctx, BASIS.homeAuthorityReport),
      extendOffHolidays: false,
    },
    ctx,
  );
}

/** Publish the decision within the policy's working days of the decision (Art. 48; policy default 7). */
export function publicityDeadline(decidedAt: Date, ctx: DeadlineContext): LegalDeadline {
  return period(
    {
      name: 'publicity',
      start: decidedAt,
      length: policyOf(ctx).publicityWorkingDays,
      counting: 'working_days',
      source: 'policy',
      basis: refs(ctx, BASIS.publicity),
      extendOffHolidays: false,
    },
    ctx,
  );
}

/**
 * The first instant at which a decision may be made after the pre-penalty notice (Art. 44, 45, 64): after the
 * statement window and, when the party has the right to a hearing, the hearing request window. A period the
 * party gave up in writing — the statement waived, the hearing waived or a hearing request withdrawn — is not
 * waited for; recording that is for the caller.
 */
export function decisionNotBefore(
  noticeServedAt: Date,
  ctx: DeadlineContext,
  options: { hearingRight: boolean; givenUp?: { statement?: boolean; hearing?: boolean } },
): { at: Date; waitsFor: LegalDeadline[] } {
  const waitsFor: LegalDeadline[] = [];
  if (!options.givenUp?.statement) waitsFor.push(statementWindowEnd(noticeServedAt, ctx));
  if (options.hearingRight && !options.givenUp?.hearing) {
    waitsFor.push(hearingRequestWindowEnd(noticeServedAt, ctx));
  }
  if (waitsFor.length === 0) return { at: noticeServedAt, waitsFor };
  const latest = Math.max(...waitsFor.map((d) => d.due.getTime()));
  return { at: new Date(latest + 1), waitsFor };
}

/**
 * End of the period an order to correct (责令限期改正) sets, e.g. for a cargo source unit under
 * 《湖南省治理货物运输车辆超限超载条例》 Art. 30: its length is the bureau's choice (policy), counted from the
 * service of the order; a last day on a holiday moves to the next working day, as the party relies on it.
 */
export function correctionPeriodEnd(
  orderServedAt: Date,
  ctx: DeadlineContext,
  spec: { days: number; counting: 'calendar_days' | 'working_days' },
): LegalDeadline {
  if (!Number.isInteger(spec.days) || spec.days < 1) {
    throw new DomainError(
      'validation',
      'invalid_correction_period',
      `a correction period is a whole number of days, at least 1, got ${spec.days}`,
    );
  }
  return period(
    {
      name: 'correction_period',
      start: orderServedAt,
      length: spec.days,
      counting: spec.counting,
      source: 'policy',
      basis: refs(ctx, BASIS.sourceUnitRelease),
      extendOffHolidays: spec.counting === 'calendar_days',
    },
    ctx,
  );
}

/** The party a penalty is proposed against: the hearing threshold differs (Art. 63, policy). */
export const PARTY_KINDS = ['person', 'organisation'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

/**
 * Whether a proposed penalty gives the party the right to a hearing (Art. 63): a fine at or above the
 * threshold of 较大数额罚款 for the party's kind (policy: persons and organisations apart), or a revocation
 * (吊销许可证件), suspension (责令停产停业) or an order to stop commercial transport (限制从业) whatever the
 * amount and the party.
 */
export function hasHearingRight(
  penalty: { kind: MeasureKind; amountYuan?: number; partyKind: PartyKind },
  policy: CasePolicy = DEFAULT_CASE_POLICY,
): boolean {
  if (
    penalty.kind === 'licence_revocation' ||
    penalty.kind === 'certificate_revocation' ||
    penalty.kind === 'business_suspension' ||
    penalty.kind === 'order_stop_transport'
  )
    return true;
  if (penalty.kind !== 'fine') return false;
  const { personYuan, organisationYuan } = policy.hearingThresholds;
  const threshold = penalty.partyKind === 'organisation' ? organisationYuan : personYuan;
  return (penalty.amountYuan ?? 0) >= threshold;
}
