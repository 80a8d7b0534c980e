import { BASIS, type BasisCode } from '@ecc/legal-domain';
import { DomainError, type ErrorCategory } from '@ecc/shared-kernel';

/** 线索状态, in lifecycle order: the values of the Prisma enum LeadStatus (a type test keeps them equal). */
export const LEAD_STATUSES = [
  'pending_review',
  'confirmed',
  'rejected',
  'notified',
  'notice_failed',
  'fenced',
  'filed',
] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** What each status means to an officer. */
export const LEAD_STATUS_TITLES: Readonly<Record<LeadStatus, string>> = {
  pending_review: '待审核',
  confirmed: '已确认，告知短信待送达',
  rejected: '已驳回',
  notified: '已告知，回应期限起算',
  notice_failed: '告知失败，待办案人员决定',
  fenced: '已布控',
  filed: '已立案',
};

/** Why a transition is refused: the problem's category and code, and its text for the lead's status. */
export interface LeadRefusal {
  category: ErrorCategory;
  code: string;
  message: (status: LeadStatus) => string;
}

export interface LeadTransitionRule {
  /** the statuses it leaves */
  from: readonly LeadStatus[];
  to: LeadStatus;
  /** the audit action written with it (`lead.<event>`, entity `lead`) */
  event: string;
  title: string;
  /** the provision it applies, when a statute requires it */
  basis: BasisCode | null;
  /** the local policy it depends on, where the law leaves the choice */
  policy: string | null;
  /** the lead's response window (policy `case.responseWindowDays`) starts with it */
  startsResponseWindow: boolean;
  /** the refusal for a status not in `from`; `byStatus` overrides it for the statuses named */
  refusal: LeadRefusal;
  byStatus?: Partial<Record<LeadStatus, LeadRefusal>>;
}

const refuse = (category: ErrorCategory, code: string, message: LeadRefusal['message']): LeadRefusal => ({
  category,
  code,
  message,
});

const alreadyReviewed = refuse('conflict', 'lead_already_reviewed', (s) => `the lead is already ${s}`);
const notAwaitingDecision = refuse(
  'conflict',
  'lead_not_awaiting_notice_decision',
  (s) => `the lead is ${s}: only a lead whose owner notice failed waits for an officer's decision`,
);

/**
 * 线索的生命周期. Screening creates a lead `pending_review`; an officer's review confirms or rejects it (行政处罚法
 * Art. 41: an unreviewed record is not evidence). A confirmed lead's owner is told by SMS (Art. 41 ¶3: tell the
 * party the facts promptly), and its response window (policy) starts only when that SMS is delivered — or, when
 * it failed for good, when an officer decides to go on after telling the owner otherwise. Only a lead whose
 * window ran is fenced (电子围栏), so no vehicle is fenced before its owner could have known. Filing approved
 * ends the lead's life.
 */
export const LEAD_TRANSITIONS = {
  confirm: {
    from: ['pending_review'],
    to: 'confirmed',
    event: 'lead.confirmed',
    title: '线索审核：确认',
    basis: BASIS.electronicMonitoring,
    policy: null,
    startsResponseWindow: false,
    refusal: alreadyReviewed,
  },
  reject: {
    from: ['pending_review'],
    to: 'rejected',
    event: 'lead.rejected',
    title: '线索审核：不予确认',
    basis: BASIS.electronicMonitoring,
    policy: null,
    startsResponseWindow: false,
    refusal: alreadyReviewed,
  },
  deliver_notice: {
    from: ['confirmed'],
    to: 'notified',
    event: 'lead.notified',
    title: '告知短信已送达：回应期限起算',
    basis: BASIS.electronicMonitoring,
    policy: 'case.responseWindowDays',
    startsResponseWindow: true,
    refusal: refuse(
      'conflict',
      'lead_not_awaiting_notice',
      (s) => `the lead is ${s}, not awaiting its notice`,
    ),
  },
  fail_notice: {
    from: ['confirmed'],
    to: 'notice_failed',
    event: 'lead.notice_failed',
    title: '告知短信发送失败：待办案人员决定',
    basis: BASIS.electronicMonitoring,
    policy: null,
    startsResponseWindow: false,
    refusal: refuse(
      'conflict',
      'lead_not_awaiting_notice',
      (s) => `the lead is ${s}, not awaiting its notice`,
    ),
  },
  resend_notice: {
    from: ['notice_failed'],
    to: 'confirmed',
    event: 'lead.notice_resent',
    title: '重新发送告知短信',
    basis: BASIS.electronicMonitoring,
    policy: null,
    startsResponseWindow: false,
    refusal: notAwaitingDecision,
  },
  proceed_without_notice: {
    from: ['notice_failed'],
    to: 'notified',
    event: 'lead.notified_otherwise',
    title: '已以其他方式告知：回应期限起算',
    basis: BASIS.electronicMonitoring,
    policy: 'case.responseWindowDays',
    startsResponseWindow: true,
    refusal: notAwaitingDecision,
  },
  fence: {
    from: ['notified'],
    to: 'fenced',
    event: 'lead.fenced',
    title: '回应期限届满未到案：电子围栏布控',
    basis: null,
    policy: 'case.responseWindowDays',
    startsResponseWindow: false,
    refusal: refuse(
      'conflict',
      'lead_not_fenceable',
      (s) => `the lead is ${s}: only a notified lead whose response window ended is fenced`,
    ),
  },
  lift_fence: {
    from: ['fenced'],
    to: 'notified',
    event: 'lead.unfenced',
    title: '电子围栏撤控',
    basis: null,
    policy: null,
    startsResponseWindow: false,
    refusal: refuse('conflict', 'lead_not_fenced', (s) => `the lead is ${s}, not fenced`),
  },
  file: {
    from: ['confirmed', 'notified', 'notice_failed', 'fenced'],
    to: 'filed',
    event: 'lead.filed',
    title: '立案',
    basis: null,
    policy: null,
    startsResponseWindow: false,
    refusal: refuse('conflict', 'lead_already_filed', () => 'the lead already has a case'),
    byStatus: {
      pending_review: refuse(
        'rule_violation',
        'lead_not_reviewed',
        () => '线索未经审核，不能立案（行政处罚法第四十一条）',
      ),
      rejected: refuse('rule_violation', 'lead_rejected', () => '线索已被驳回，不能立案'),
    },
  },
} as const satisfies Record<string, LeadTransitionRule>;

export type LeadTransitionName = keyof typeof LEAD_TRANSITIONS;
export const LEAD_TRANSITION_NAMES = Object.keys(LEAD_TRANSITIONS) as LeadTransitionName[];

/** Statuses in which the party's coming forward (当事人到案) is recorded: reviewed, not yet a case. */
export const LEAD_AWAITING_RESPONSE: readonly LeadStatus[] = [
  'confirmed',
  'notified',
  'notice_failed',
  'fenced',
];

const ruleOf = (name: LeadTransitionName): LeadTransitionRule => LEAD_TRANSITIONS[name];

/** The refusal of `name` for a lead in `status` (with the lead id in its details), or null when allowed. */
export function leadTransitionRefusal(
  status: LeadStatus,
  name: LeadTransitionName,
  leadId?: string,
): DomainError | null {
  const rule = ruleOf(name);
  if (rule.from.includes(status)) return null;
  const refusal = rule.byStatus?.[status] ?? rule.refusal;
  return new DomainError(refusal.category, refusal.code, refusal.message(status), {
    ...(leadId ? { leadId } : {}),
    // not `status`: a problem's status is the HTTP one
    leadStatus: status,
    transition: name,
  });
}

/** The rule of `name` for a lead in `status`; a status it does not leave is refused with its code. */
export function leadTransition(
  status: LeadStatus,
  name: LeadTransitionName,
  leadId?: string,
): LeadTransitionRule {
  const refusal = leadTransitionRefusal(status, name, leadId);
  if (refusal) throw refusal;
  return ruleOf(name);
}

export function canLeadTransition(status: LeadStatus, name: LeadTransitionName): boolean {
  return ruleOf(name).from.includes(status);
}

/** The transitions a lead in `status` may take (for its view and the documentation). */
export function leadTransitionsFrom(status: LeadStatus): LeadTransitionName[] {
  return LEAD_TRANSITION_NAMES.filter((name) => canLeadTransition(status, name));
}
