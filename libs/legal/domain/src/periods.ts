import { z } from 'zod';
import { PENALTY_KINDS, type PenaltyKind } from './legal-basis';

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

/** Local choices of the bureau (policy, not law), configurable, with their defaults. */
export interface CasePolicy {
  /** Response window stated in the SMS notice before the vehicle is fenced. */
  responseWindowDays: number;
  /** Period for statement and defence (陈述、申辩) after the pre-penalty notice. */
  statementDays: number;
  /**
   * 较大数额罚款 (Art. 63): a proposed fine at or above the amount for the party's kind gives the right to a
   * hearing (听证). Set by the province for persons and organisations separately.
   */
  hearingThresholds: { personYuan: number; organisationYuan: number };
  /**
   * Where a decision's remedies lie (行政处罚法 Art. 59(5)): the body that hears a reconsideration (行政复议法
   * 2023 Art. 24: the county government for its departments) and the court of a lawsuit (行政诉讼法 Art. 18;
   * a court may have centralised jurisdiction), as the decision names them.
   */
  remedies: { reconsiderationBody: string; court: string };
  /**
   * How and by when a non-fine measure is performed, where the law leaves it to the bureau (行政处罚法 Art.
   * 59(4)): days to surrender a revoked certificate or licence, and the length of a suspension of business.
   */
  performance: { surrenderDays: number; suspensionDays: number };
  /** Penalty decisions are published within this many working days (Art. 48). */
  publicityWorkingDays: number;
  /** Legal review (法制审核) for every case, not only major ones (Art. 58 requires it for major cases). */
  legalReviewForEveryCase: boolean;
  /**
   * The penalties that make a case major (重大执法决定) whatever else: legal review before the decision (行政处罚法
   * Art. 58(1) as the bureau's 重大执法决定法制审核目录 lists them, 国办发〔2018〕118号). Default the measures that revoke, suspend or stop a
   * business or a driver's work — those Art. 57 ¶2 sends to collective discussion, and Art. 63 gives a hearing.
   */
  majorCasePenaltyKinds: PenaltyKind[];
}

export const DEFAULT_CASE_POLICY: CasePolicy = {
  responseWindowDays: 15,
  statementDays: 3,
  // A Hunan provincial document on regulating administrative penalties: a person fined 1,000 yuan or more, an
  // organisation 20,000 yuan or more. Whether it is still in force must be confirmed (docs/legal-rules.md).
  hearingThresholds: { personYuan: 1_000, organisationYuan: 20_000 },
  remedies: { reconsiderationBody: '汨罗市人民政府', court: '汨罗市人民法院' },
  performance: { surrenderDays: 15, suspensionDays: 30 },
  publicityWorkingDays: 7,
  legalReviewForEveryCase: true,
  majorCasePenaltyKinds: [
    'order_stop_transport',
    'business_suspension',
    'licence_revocation',
    'certificate_revocation',
  ],
};

/** The case policy as an admin edits it; missing keys take the defaults. */
export const casePolicySchema = z.strictObject({
  responseWindowDays: z.number().int().min(1).max(90).default(DEFAULT_CASE_POLICY.responseWindowDays),
  statementDays: z.number().int().min(1).max(30).default(DEFAULT_CASE_POLICY.statementDays),
  hearingThresholds: z
    .strictObject({
      personYuan: z.number().int().min(0),
      organisationYuan: z.number().int().min(0),
    })
    .default(DEFAULT_CASE_POLICY.hearingThresholds)
    .describe(
      '较大数额罚款 (行政处罚法 Art. 63) by party kind: a fine at or above it gives the right to a hearing. Default ' +
        'person 1,000 and organisation 20,000 yuan, from the Hunan provincial document on regulating administrative ' +
        'penalties (to be confirmed as still in force).',
    ),
  remedies: z
    .strictObject({
      reconsiderationBody: z.string().trim().min(2).max(100),
      court: z.string().trim().min(2).max(100),
    })
    .default(DEFAULT_CASE_POLICY.remedies)
    .describe(
      'The reconsideration body and the court a decision names in its remedies (行政处罚法 Art. 59(5)). Default ' +
        '汨罗市人民政府 (行政复议法 2023 Art. 24: the county government hears appeals against its departments) and ' +
        '汨罗市人民法院 (the basic court where the bureau sits; set another where courts have centralised ' +
        'jurisdiction over administrative cases).',
    ),
  performance: z
    .strictObject({
      surrenderDays: z.number().int().min(1).max(60),
      suspensionDays: z.number().int().min(1).max(365),
    })
    .default(DEFAULT_CASE_POLICY.performance)
    .describe(
      'How a non-fine measure is performed (行政处罚法 Art. 59(4)), where the law leaves the period to the bureau: ' +
        'surrenderDays to hand in a revoked 道路运输证 or 经营许可证 (default 15, the period the law gives for a ' +
        'fine, Art. 67); suspensionDays of a suspension of business (责令停业整顿, 公路安全保护条例 Art. 66; default ' +
        '30, to be confirmed: the regulation sets no length, the business resumes once the bureau finds it corrected).',
    ),
  publicityWorkingDays: z.number().int().min(1).max(20).default(DEFAULT_CASE_POLICY.publicityWorkingDays),
  legalReviewForEveryCase: z.boolean().default(DEFAULT_CASE_POLICY.legalReviewForEveryCase),
  majorCasePenaltyKinds: z
    .array(z.enum(PENALTY_KINDS))
    .max(PENALTY_KINDS.length)
    .default(DEFAULT_CASE_POLICY.majorCasePenaltyKinds)
    .describe(
      'Penalty kinds that make a case major (重大执法决定): legal review before the decision even when ' +
        "legalReviewForEveryCase is off (行政处罚法 Art. 58(1) as the bureau's 重大执法决定法制审核目录 lists them, 国办发〔2018〕118号). Default " +
        'order_stop_transport, business_suspension, licence_revocation, certificate_revocation (the measures of ' +
        '《公路安全保护条例》 Art. 66). A hearing requested or held (Art. 58(1)(二)) and a case marked complex at ' +
        'filing (Art. 58(1)(三)) are major whatever this list says.',
    ),
});
