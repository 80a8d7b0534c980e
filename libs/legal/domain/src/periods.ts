import { z } from 'zod';

/**
 * Periods fixed by law. Citations: 《中华人民共和国行政处罚法》 (2021) unless noted.
 * These are not configurable: changing one is a change of law, made here with its citation.
 * Art. 85: the "2, 3, 5 and 7 days" of that law are working days (工作日, excluding statutory holidays);
 * its other periods (60, 90 days, 6 months) are calendar days. See deadlines.ts for the counting.
 */
export const LEGAL_PERIODS = {
  /** Art. 60: decide within 90 days of filing. */
  decisionWithinDaysOfFiling: 90,
  /** Art. 61 (with 民事诉讼法 service rules): serve the decision within 7 working days (Art. 85). */
  serviceWithinDaysOfDecision: 7,
  /** Art. 64(1): a hearing must be requested within 5 working days of the pre-penalty notice (Art. 85). */
  hearingRequestDays: 5,
  /** Art. 64(2): the party is notified of the hearing 7 working days before it is held (Art. 85). */
  hearingNoticeDaysBefore: 7,
  /** Art. 67: pay within 15 days of receiving the decision. */
  paymentWithinDaysOfService: 15,
  /** Art. 72(1): late payment adds 3% of the fine per day, never more than the fine. */
  lateFeeRatePerDay: 0.03,
  /** 行政复议法 Art. 20: administrative reconsideration within 60 days. */
  reconsiderationDays: 60,
  /** 行政诉讼法 Art. 46: a lawsuit within 6 months. */
  lawsuitMonths: 6,
  /** 《超限运输车辆行驶公路管理规定》 Art. 44: report to the vehicle's home authority within 7 working days of closing. */
  homeAuthorityReportWorkingDays: 7,
} as const;

/** Local choices of the bureau (DOMAIN.md "policy"), configurable, with their defaults. */
export interface CasePolicy {
  /** Response window stated in the SMS notice before the vehicle is fenced. */
  responseWindowDays: number;
  /** Period for statement and defence (陈述、申辩) after the pre-penalty notice. */
  statementDays: number;
  /** A proposed fine at or above this amount gives the party the right to a hearing (听证). */
  hearingThresholdYuan: number;
  /** Penalty decisions are published within this many working days (Art. 48). */
  publicityWorkingDays: number;
  /** Legal review (法制审核) for every case, not only major ones (Art. 58 requires it for major cases). */
  legalReviewForEveryCase: boolean;
}

export const DEFAULT_CASE_POLICY: CasePolicy = {
  responseWindowDays: 15,
  statementDays: 3,
  hearingThresholdYuan: 10_000,
  publicityWorkingDays: 7,
  legalReviewForEveryCase: true,
};

/** The case policy as an admin edits it; missing keys take the defaults. */
export const casePolicySchema = z.strictObject({
  responseWindowDays: z.number().int().min(1).max(90).default(DEFAULT_CASE_POLICY.responseWindowDays),
  statementDays: z.number().int().min(1).max(30).default(DEFAULT_CASE_POLICY.statementDays),
  hearingThresholdYuan: z.number().int().min(0).default(DEFAULT_CASE_POLICY.hearingThresholdYuan),
  publicityWorkingDays: z.number().int().min(1).max(20).default(DEFAULT_CASE_POLICY.publicityWorkingDays),
  legalReviewForEveryCase: z.boolean().default(DEFAULT_CASE_POLICY.legalReviewForEveryCase),
});
