import {
  correctionPeriodEnd,
  type DeadlineContext,
  type LegalDeadline,
  type LegalRef,
} from '@ecc/legal-domain';
import { DomainError, localDate, type IsoDate } from '@ecc/shared-kernel';
import { FOUR_PENALTIES_LAW, type FourPenaltiesPolicy } from './four-penalties.policy';
import { assertDiscretion } from './four-penalties.rules';
import { type DiscretionChoice } from './four-penalties.types';

/**
 * 责令限期改正 of a cargo source unit (《湖南省治理货物运输车辆超限超载条例》 Arts. 13, 30): the order, its period,
 * the check of the correction and the fine that may follow. Pure rules the case layer drives: it records the
 * order's service, the check (the officer's findings), and only after a failed check the fine within range.
 */
export interface CorrectionOrder {
  /** The order reached the unit: the period runs from its next day. */
  servedOn: IsoDate;
  periodDays: number;
  counting: 'calendar_days' | 'working_days';
  deadline: LegalDeadline;
  /** The duty broken (Art. 13) and the sanction (Art. 30). */
  basis: LegalRef[];
}

/** The order's terms and deadline, counted like the other deadlines (legal-domain `correctionPeriodEnd`). */
export function correctionOrder(
  servedAt: Date,
  ctx: DeadlineContext,
  policy: Pick<FourPenaltiesPolicy, 'sourceUnitCorrection' | 'basis'>,
): CorrectionOrder {
  const { periodDays, counting } = policy.sourceUnitCorrection;
  return {
    servedOn: localDate(servedAt, ctx.timeZone),
    periodDays,
    counting,
    deadline: correctionPeriodEnd(servedAt, ctx, { days: periodDays, counting }),
    basis: [policy.basis.sourceUnitObligation, policy.basis.sourceUnitLoading],
  };
}

/** What the officer found when checking the correction (复查). */
export type CorrectionCheck =
  { corrected: true; correctedOn: IsoDate; checkedOn: IsoDate } | { corrected: false; checkedOn: IsoDate };

export type CorrectionOutcome =
  | { outcome: 'no_fine'; correctedOn: IsoDate; deadline: IsoDate; basis: LegalRef[] }
  | {
      outcome: 'fine';
      /** 逾期不改正: the fine lies in this range (law), chosen with reasons (自由裁量). */
      fineRange: { minYuan: number; maxYuan: number };
      deadline: IsoDate;
      basis: LegalRef[];
    };

/**
 * Corrected within the period → no fine. Not corrected by the end of the period (also: corrected only after
 * it) → 逾期不改正, a fine of 10,000–30,000 yuan may follow. A failure cannot be found before the period ends.
 */
export function correctionOutcome(order: CorrectionOrder, check: CorrectionCheck): CorrectionOutcome {
  const last = order.deadline.lastDay;
  if (check.corrected) {
    if (check.correctedOn < order.servedOn) {
      throw new DomainError(
        'validation',
        'correction_before_order',
        `改正日期 ${check.correctedOn} 早于责令改正通知送达日 ${order.servedOn}`,
      );
    }
    if (check.correctedOn > check.checkedOn) {
      throw new DomainError(
        'validation',
        'correction_after_check',
        `改正日期 ${check.correctedOn} 晚于复查日期 ${check.checkedOn}`,
      );
    }
    if (check.correctedOn <= last) {
      return { outcome: 'no_fine', correctedOn: check.correctedOn, deadline: last, basis: order.basis };
    }
  } else if (check.checkedOn <= last) {
    throw new DomainError(
      'rule_violation',
      'correction_period_running',
      `改正期限至 ${last} 届满，届满前不能认定逾期不改正`,
      { deadline: last },
    );
  }
  return {
    outcome: 'fine',
    fineRange: { ...FOUR_PENALTIES_LAW.sourceUnitUncorrectedFineYuan },
    deadline: last,
    basis: order.basis.slice(-1),
  };
}

/** The fine after a failed check: a whole amount within 10,000–30,000 yuan, with the reasons (自由裁量). */
export function sourceUnitFineAfterCheck(
  outcome: CorrectionOutcome,
  choice: DiscretionChoice,
): { kind: 'fine'; amountYuan: number; reasons: string; basis: LegalRef[] } {
  if (outcome.outcome === 'no_fine') {
    throw new DomainError(
      'rule_violation',
      'corrected_in_time',
      `货运源头单位已于 ${outcome.correctedOn} 在期限内改正，不予罚款`,
    );
  }
  assertDiscretion(choice, outcome.fineRange);
  return { kind: 'fine', amountYuan: choice.amountYuan, reasons: choice.reasons, basis: outcome.basis };
}

/**
 * The states in which a source unit's order to correct no longer stands: the case ended without a decision
 * (不予立案, 撤销案件: corrected in time, see `terminate_case`), or its fine was decided (决定, 送达, 执行, 结案, 归档).
 * A trip after that cannot be evidence for a check already made: it is a new act under 湖南条例 Art. 13, with an
 * order of its own.
 */
export const CORRECTION_ORDER_ENDED_STATES = [
  'not_filed',
  'terminated',
  'decided',
  'served',
  'executed',
  'referred_for_enforcement',
  'closed',
  'archived',
] as const;

/** A source-unit sub-case of the party carrying an order to correct (rule `source_unit_loading`). */
export interface CorrectionOrderOnFile {
  subCaseId: string;
  state: string;
  createdAt: Date;
  /** the day the order reached the unit (送达), once served */
  servedOn: IsoDate | null;
  /** the correction has been checked (复查, `check_correction`) */
  checked: boolean;
}

/**
 * One order to correct per failure, not one per trip (湖南条例 Art. 30; 行政处罚法 Art. 29, 一事不二罚): while
 * an order against the unit stands — its sub-case open, from the order until its correction is checked — a
 * further overloaded vehicle the unit loaded is recorded on that order as evidence that it has not corrected,
 * and no second order (nor a second 10,000-30,000 yuan fine) is opened. Once the check is made (or the case has
 * ended or its fine is decided) the order no longer stands: a new loading is a new act and opens a new order.
 * Returns the standing order (the earliest), or null.
 */
export function standingCorrectionOrder(orders: CorrectionOrderOnFile[]): CorrectionOrderOnFile | null {
  const ended: ReadonlySet<string> = new Set(CORRECTION_ORDER_ENDED_STATES);
  const open = orders
    .filter((o) => !ended.has(o.state) && !o.checked)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.subCaseId.localeCompare(b.subCaseId));
  return open[0] ?? null;
}

/**
 * What a trip recorded on an order shows: loaded on or after the day the order was served, that the unit has
 * not corrected (湖南条例 Art. 30); loaded before it (or while the order is not served yet), only the same failure
 * the order already deals with — not evidence of non-correction.
 */
export type RecordedTripStanding = 'after_service' | 'before_service' | 'order_not_served';

export function recordedTripStanding(tripDate: IsoDate, servedOn: IsoDate | null): RecordedTripStanding {
  if (!servedOn) return 'order_not_served';
  return tripDate >= servedOn ? 'after_service' : 'before_service';
}
