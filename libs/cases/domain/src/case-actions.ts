import { z } from 'zod';
import {
  INVESTIGATION_RECORD_KINDS,
  PENALTY_KINDS,
  type CaseRole,
  type CaseState,
  type DeadlineKind,
} from './case-state';

/**
 * The commands on a case (`POST /api/v1/cases/{id}/actions/{type}` with the rest as body). Times of
 * past facts (served, signed, paid...) default to `now` and may not lie in the future.
 */
const when = z.coerce.date().optional();
const text = z.string().trim().min(1).max(4000);
const id = z.string().trim().min(1).max(200);

const penaltySchema = z.strictObject({
  kind: z.enum(PENALTY_KINDS),
  amountYuan: z.number().positive().max(100_000_000).optional(),
});

const officerSchema = z.strictObject({
  userId: id,
  enforcementCertificateNo: z.string().trim().min(1).max(64).nullable(),
});

export const caseActionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('request_filing') }),
  z.strictObject({
    type: z.literal('approve_filing'),
    caseNumber: z.string().trim().min(1).max(100).optional(),
  }),
  z.strictObject({ type: z.literal('reject_filing'), reason: text }),
  z.strictObject({ type: z.literal('assign_officers'), officers: z.array(officerSchema).min(1).max(20) }),
  z.strictObject({
    type: z.literal('record_investigation'),
    kind: z.enum(INVESTIGATION_RECORD_KINDS),
    recordedAt: when,
    documentId: id.optional(),
  }),
  z.strictObject({ type: z.literal('propose_penalty'), penalty: penaltySchema }),
  z.strictObject({ type: z.literal('issue_pre_penalty_notice'), servedAt: when, documentId: id.optional() }),
  z.strictObject({ type: z.literal('record_statement'), receivedAt: when, documentId: id.optional() }),
  z.strictObject({
    type: z.literal('record_waiver'),
    right: z.enum(['statement', 'hearing']),
    signedAt: when,
    documentId: id,
  }),
  z.strictObject({ type: z.literal('request_hearing'), requestedAt: when }),
  z.strictObject({
    type: z.literal('schedule_hearing'),
    hearingAt: z.coerce.date(),
    notifiedAt: when,
    hostId: id,
  }),
  z.strictObject({ type: z.literal('record_hearing'), heldAt: when, transcriptDocumentId: id.optional() }),
  z.strictObject({
    type: z.literal('withdraw_hearing'),
    reason: z.enum(['withdrawn_in_writing', 'absent_without_reason']),
  }),
  z.strictObject({ type: z.literal('reopen_investigation'), reason: text }),
  z.strictObject({ type: z.literal('submit_legal_review') }),
  z.strictObject({ type: z.literal('submit_for_decision') }),
  z.strictObject({
    type: z.literal('pass_legal_review'),
    opinions: text.optional(),
    opinionDocumentId: id.optional(),
  }),
  z.strictObject({
    type: z.literal('return_legal_review'),
    opinions: text,
    opinionDocumentId: id.optional(),
  }),
  z.strictObject({ type: z.literal('approve_decision'), documentId: id.optional() }),
  z.strictObject({ type: z.literal('send_back'), opinions: text }),
  z.strictObject({ type: z.literal('terminate_case'), reason: text }),
  z.strictObject({
    type: z.literal('record_service'),
    method: z.enum(['direct', 'post', 'electronic', 'announcement']),
    servedAt: when,
    consentDocumentId: id.optional(),
  }),
  z.strictObject({
    type: z.literal('record_payment'),
    amountYuan: z.number().positive().max(100_000_000),
    receiptNo: z.string().trim().min(1).max(100),
    paidAt: when,
    lateFeeDueYuan: z.number().min(0).max(100_000_000).optional(),
  }),
  z.strictObject({ type: z.literal('record_execution'), executedAt: when, documentId: id.optional() }),
  z.strictObject({ type: z.literal('refer_for_enforcement'), documentId: id.optional() }),
  z.strictObject({ type: z.literal('close_case') }),
  z.strictObject({ type: z.literal('record_home_authority_report'), reportedAt: when }),
  z.strictObject({ type: z.literal('record_publicity'), publishedAt: when }),
  z.strictObject({ type: z.literal('archive') }),
]);

export type CaseAction = z.infer<typeof caseActionSchema>;
/** What a caller may pass: the same, with times as Date or ISO string (a JSON body). */
export type CaseActionInput = z.input<typeof caseActionSchema>;
export type CaseActionType = CaseAction['type'];
export type CaseActionOf<T extends CaseActionType> = Extract<CaseAction, { type: T }>;

/** What the table says about an action; the rules that need the snapshot live in the state machine. */
export interface CaseActionDefinition {
  type: CaseActionType;
  /** 中文名, as shown to users. */
  title: string;
  /** Any one of these roles may do it (never an auditor: see the state machine). */
  roles: readonly CaseRole[];
  /** An officer must be one of this case's officers. */
  caseOfficersOnly: boolean;
  /** The actor must not be an officer of this case (separation of duties, Art. 58 / 42 context). */
  independentOfCase: boolean;
  /** From-state → the states it may lead to (the same state for a recording action). */
  transitions: Partial<Record<CaseState, readonly CaseState[]>>;
  starts: readonly DeadlineKind[];
  stops: readonly DeadlineKind[];
  /** The rule the action applies. */
  article: string;
}

const PRE_DECISION_AFTER_FILING = [
  'filed',
  'investigating',
  'pre_penalty_notified',
  'hearing_requested',
  'hearing_scheduled',
  'heard',
  'legal_review',
  'returned',
  'awaiting_decision',
] as const satisfies readonly CaseState[];

const same = <S extends CaseState>(states: readonly S[]) =>
  Object.fromEntries(states.map((s) => [s, [s]])) as Partial<Record<CaseState, readonly CaseState[]>>;
const to = <S extends CaseState>(states: readonly S[], next: CaseState) =>
  Object.fromEntries(states.map((s) => [s, [next]])) as Partial<Record<CaseState, readonly CaseState[]>>;

const officer: readonly CaseRole[] = ['officer'];
const approver: readonly CaseRole[] = ['approver'];
const reviewer: readonly CaseRole[] = ['legal_reviewer'];

function def(
  type: CaseActionType,
  title: string,
  roles: readonly CaseRole[],
  transitions: Partial<Record<CaseState, readonly CaseState[]>>,
  article: string,
  extra: Partial<
    Pick<CaseActionDefinition, 'starts' | 'stops' | 'caseOfficersOnly' | 'independentOfCase'>
  > = {},
): CaseActionDefinition {
  const isOfficerAction = roles.includes('officer');
  return {
    type,
    title,
    roles,
    transitions,
    article,
    caseOfficersOnly: extra.caseOfficersOnly ?? isOfficerAction,
    independentOfCase: extra.independentOfCase ?? !isOfficerAction,
    starts: extra.starts ?? [],
    stops: extra.stops ?? [],
  };
}

/** The whole machine, one row per action (README.md renders it). */
export const CASE_ACTIONS: readonly CaseActionDefinition[] = [
  def('request_filing', '提请立案', officer, to(['draft'], 'filing_requested'), '行政处罚法 Art. 54, 42'),
  def(
    'approve_filing',
    '批准立案',
    approver,
    to(['filing_requested'], 'filed'),
    '行政处罚法 Art. 54, 42, 60',
    {
      starts: ['decision_due'],
    },
  ),
  def('reject_filing', '不予立案', approver, to(['filing_requested'], 'not_filed'), '行政处罚法 Art. 54'),
  def(
    'assign_officers',
    '指派执法人员',
    ['officer', 'approver'],
    same(['draft', 'filing_requested', 'filed', 'investigating', 'returned']),
    '行政处罚法 Art. 42, 58',
    { independentOfCase: false },
  ),
  def(
    'record_investigation',
    '记录调查取证',
    officer,
    { filed: ['investigating'], investigating: ['investigating'], returned: ['returned'] },
    '行政处罚法 Art. 42, 54, 55',
  ),
  def(
    'propose_penalty',
    '拟定处罚',
    officer,
    same(['draft', 'filed', 'investigating', 'returned']),
    '《超限运输车辆行驶公路管理规定》 Art. 43; 《公路安全保护条例》 Art. 66, 68',
  ),
  def(
    'issue_pre_penalty_notice',
    '送达行政处罚告知书',
    officer,
    to(['investigating', 'returned'], 'pre_penalty_notified'),
    '行政处罚法 Art. 44, 63, 64',
    { starts: ['statement_window', 'hearing_request_window'] },
  ),
  def(
    'record_statement',
    '记录陈述申辩',
    officer,
    same(['pre_penalty_notified', 'hearing_requested', 'hearing_scheduled']),
    '行政处罚法 Art. 45',
  ),
  def(
    'record_waiver',
    '记录书面放弃',
    officer,
    same(['pre_penalty_notified']),
    '行政处罚法 Art. 44, 45, 64',
    {
      stops: ['statement_window', 'hearing_request_window'],
    },
  ),
  def(
    'request_hearing',
    '记录听证申请',
    officer,
    to(['pre_penalty_notified'], 'hearing_requested'),
    '行政处罚法 Art. 63, 64(1)',
    {
      stops: ['hearing_request_window'],
    },
  ),
  def(
    'schedule_hearing',
    '通知听证',
    officer,
    to(['hearing_requested'], 'hearing_scheduled'),
    '行政处罚法 Art. 64(2), 64(4)',
  ),
  def('record_hearing', '记录听证', officer, to(['hearing_scheduled'], 'heard'), '行政处罚法 Art. 64(8), 65'),
  def(
    'withdraw_hearing',
    '记录放弃听证',
    officer,
    to(['hearing_requested', 'hearing_scheduled'], 'pre_penalty_notified'),
    '行政处罚法 Art. 64(6)',
  ),
  def(
    'reopen_investigation',
    '补充调查',
    officer,
    to(['pre_penalty_notified', 'heard'], 'investigating'),
    '行政处罚法 Art. 44, 54',
    { stops: ['statement_window', 'hearing_request_window'] },
  ),
  def(
    'submit_legal_review',
    '提交法制审核',
    officer,
    to(['pre_penalty_notified', 'heard', 'returned'], 'legal_review'),
    '行政处罚法 Art. 58, 62, 64',
    { stops: ['statement_window', 'hearing_request_window'] },
  ),
  def(
    'submit_for_decision',
    '提请决定（无需法制审核）',
    officer,
    // Not from `heard`: a case that went through a hearing always needs legal review (Art. 58(1)(2)).
    to(['pre_penalty_notified', 'returned'], 'awaiting_decision'),
    '行政处罚法 Art. 57, 58, 62',
    { stops: ['statement_window', 'hearing_request_window'] },
  ),
  def(
    'pass_legal_review',
    '法制审核通过',
    reviewer,
    to(['legal_review'], 'awaiting_decision'),
    '行政处罚法 Art. 58',
  ),
  def(
    'return_legal_review',
    '法制审核退回',
    reviewer,
    to(['legal_review'], 'returned'),
    '行政处罚法 Art. 58',
  ),
  def(
    'approve_decision',
    '批准处罚决定',
    approver,
    to(['awaiting_decision'], 'decided'),
    '行政处罚法 Art. 57, 59, 60, 62',
    {
      starts: ['service_due', 'publicity_due'],
      stops: ['decision_due', 'statement_window', 'hearing_request_window'],
    },
  ),
  def('send_back', '负责人退回', approver, to(['awaiting_decision'], 'returned'), '行政处罚法 Art. 57'),
  def(
    'terminate_case',
    '撤销案件',
    approver,
    to(PRE_DECISION_AFTER_FILING, 'terminated'),
    '行政处罚法 Art. 57 (items 2-4)',
    {
      stops: ['decision_due', 'statement_window', 'hearing_request_window'],
    },
  ),
  def('record_service', '记录送达', officer, { decided: ['served', 'executed'] }, '行政处罚法 Art. 61', {
    starts: ['payment_due'],
    stops: ['service_due'],
  }),
  def('record_payment', '记录缴款', officer, { served: ['served', 'executed'] }, '行政处罚法 Art. 67, 72', {
    stops: ['payment_due'],
  }),
  def('record_execution', '记录执行', officer, to(['served'], 'executed'), '行政处罚法 Art. 66'),
  def(
    'refer_for_enforcement',
    '申请强制执行',
    approver,
    to(['served'], 'referred_for_enforcement'),
    '行政处罚法 Art. 72(1)(4); 行政强制法 Art. 53',
    { stops: ['payment_due'] },
  ),
  def(
    'close_case',
    '结案',
    approver,
    to(['executed', 'referred_for_enforcement'], 'closed'),
    '《超限运输车辆行驶公路管理规定》 Art. 44',
    { starts: ['home_authority_report_due'] },
  ),
  def(
    'record_home_authority_report',
    '记录抄告车籍地',
    officer,
    same(['closed']),
    '《超限运输车辆行驶公路管理规定》 Art. 44',
    { stops: ['home_authority_report_due'] },
  ),
  def(
    'record_publicity',
    '记录公示',
    officer,
    same(['decided', 'served', 'executed', 'referred_for_enforcement', 'closed']),
    '行政处罚法 Art. 48',
    { stops: ['publicity_due'] },
  ),
  def(
    'archive',
    '归档',
    ['officer', 'approver'],
    to(['closed', 'not_filed', 'terminated'], 'archived'),
    '案卷归档 (DOMAIN.md step 13)',
    {
      independentOfCase: false,
    },
  ),
];

export const CASE_ACTION_TYPES: readonly CaseActionType[] = CASE_ACTIONS.map((a) => a.type);

export function caseActionDefinition(type: CaseActionType): CaseActionDefinition {
  const found = CASE_ACTIONS.find((a) => a.type === type);
  if (!found) throw new Error(`no definition for case action ${type}`);
  return found;
}
