import {
  CN_WORKING_CALENDAR_2024_2026,
  DEFAULT_CASE_POLICY,
  lateFee,
  type CasePolicy,
  type WorkingDayCalendar,
} from '@ecc/legal-domain';
import { DomainError, addDays, startOfLocalDay, type ErrorCategory } from '@ecc/shared-kernel';
import {
  CASE_ACTIONS,
  caseActionDefinition,
  type CaseAction,
  type CaseActionInput,
  type CaseActionType,
} from './case-actions';
import { runningDeadlines } from './case-deadlines';
import {
  CASE_STATES,
  newCaseDraft,
  type CaseActor,
  type CaseRole,
  type CaseSnapshot,
  type CaseState,
  type CaseType,
  type Hearing,
  type Penalty,
  penaltyFromProposal,
  penaltyKindsOf,
} from './case-state';
import { allowedActions, decide, explainActions, transition } from './case-state-machine';
import { legalReviewRequired, majorCaseGrounds } from './actions/case-action-helpers';

// ---------------------------------------------------------------------------------------------------
// fixtures: cases are built by walking the machine, never by hand, so every fixture is reachable

const TZ = 'Asia/Shanghai';
const policy: CasePolicy = DEFAULT_CASE_POLICY;
const noReviewPolicy: CasePolicy = { ...DEFAULT_CASE_POLICY, legalReviewForEveryCase: false };

/**
 * Beijing wall-clock time, e.g. bj('2024-03-01 10:00'). The main timeline: filed Fri 1 March; notice Tue 5
 * March (statement period to Fri 8, hearing requests to Tue 12 March: 5 working days); review Wed 13;
 * decision Thu 14 (service and publicity due Mon 25); service Fri 15 (payment due Sat 30 → Mon 1 April);
 * paid 20, closed Thu 21 (report due Mon 1 April), archived Mon 25 March.
 */
const bj = (text: string) => new Date(`${text.replace(' ', 'T')}:00+08:00`);
/** The last instant of a Beijing calendar day, as a UTC ISO string. */
const endOfBjDay = (date: string) =>
  new Date(startOfLocalDay(addDays(date, 1), TZ).getTime() - 1).toISOString();

/**
 * The State Council holiday data of the legal lib. March 2024 has no holiday: Friday 1 March is the first
 * day; 4-6 April (Qingming) and 15-17 September (Mid-Autumn) are holidays. 行政处罚法 Art. 85 makes the
 * law's 3/5/7-day periods working days.
 */
const calendar: WorkingDayCalendar = CN_WORKING_CALENDAR_2024_2026;

const user = (id: string, ...roles: CaseRole[]): CaseActor => ({
  id,
  roles,
  ...(roles.includes('legal_reviewer') ? { legalQualificationNo: `A2019${id}` } : {}),
});
const o1 = user('o1', 'officer');
const o2 = user('o2', 'officer');
const o3 = user('o3', 'officer'); // an officer, but not of this case
const reviewer = user('r1', 'legal_reviewer');
const approver = user('a1', 'approver');
const auditor = user('au1', 'auditor');
const admin = user('ad1', 'admin');
const officerAsReviewer = user('o1', 'officer', 'legal_reviewer'); // o1 is an officer of the case
const officerAsApprover = user('o2', 'officer', 'approver'); // o2 is an officer of the case
const unqualifiedReviewer: CaseActor = { id: 'r2', roles: ['legal_reviewer'] };
const auditingApprover = user('a2', 'approver', 'auditor');

interface Variant {
  caseType: CaseType;
  penalty: Penalty;
}
/** 15,000 yuan: above the hearing threshold (policy: 1,000 for a person), so the 5-day hearing window runs. */
const VEHICLE_FINE: Variant = { caseType: 'vehicle', penalty: { kind: 'fine', amountYuan: 15_000 } };
/**
 * Below the hearing threshold of a person (policy 1,000 yuan), the lower one that applies when the party's kind
 * is not given. It was 2,000 under the superseded single threshold of 10,000, which withheld the hearing right
 * from a person fined 1,000-9,999 yuan (行政处罚法 Art. 63 with the provincial thresholds).
 */
const SMALL_FINE: Variant = { caseType: 'vehicle', penalty: { kind: 'fine', amountYuan: 800 } };
const WARNING: Variant = { caseType: 'vehicle', penalty: { kind: 'warning' } };
const DRIVER: Variant = { caseType: 'driver', penalty: { kind: 'order_stop_transport' } };

interface Fixture {
  s: CaseSnapshot;
  now: Date;
}

function step(
  f: Fixture,
  actor: CaseActor,
  action: CaseActionInput,
  when: string,
  pol: CasePolicy = policy,
): Fixture {
  const now = bj(when);
  return { s: transition(f.s, action, actor, now, pol, TZ, calendar).snapshot, now };
}

const OFFICERS = [
  { userId: 'o1', enforcementCertificateNo: '43060001' },
  { userId: 'o2', enforcementCertificateNo: '43060002' },
];

const FIRST_OFFICER = { userId: 'o1', enforcementCertificateNo: '43060001' };

function noticeOf(s: CaseSnapshot) {
  const notice = s.prePenaltyNotices[0];
  if (!notice) throw new Error('no notice on the fixture');
  return notice;
}

function build(state: CaseState, v: Variant): Fixture {
  switch (state) {
    case 'draft': {
      const createdAt = bj('2024-03-01 09:00');
      const s = newCaseDraft({
        id: 'case-1',
        caseType: v.caseType,
        createdAt,
        officers: OFFICERS,
        proposedPenalty: v.penalty,
      });
      return { s, now: createdAt };
    }
    case 'filing_requested':
      return step(reach('draft', v), o1, { type: 'request_filing' }, '2024-03-01 09:30');
    case 'not_filed':
      return step(
        reach('filing_requested', v),
        approver,
        { type: 'reject_filing', reason: '称重数据异常' },
        '2024-03-01 10:00',
      );
    case 'filed':
      return step(
        reach('filing_requested', v),
        approver,
        { type: 'approve_filing', caseNumber: '汨交罚〔2024〕第0001号' },
        '2024-03-01 10:00',
      );
    case 'investigating':
      return step(
        reach('filed', v),
        o1,
        { type: 'record_investigation', kind: 'inquiry', interviewee: INTERVIEWEE },
        '2024-03-02 10:00',
      );
    case 'pre_penalty_notice_issued':
      return step(
        reach('investigating', v),
        o1,
        { type: 'issue_pre_penalty_notice', serveLater: true },
        '2024-03-04 10:00',
      );
    case 'pre_penalty_notified':
      return step(reach('investigating', v), o1, { type: 'issue_pre_penalty_notice' }, '2024-03-05 10:00');
    case 'hearing_requested':
      return step(reach('pre_penalty_notified', v), o1, { type: 'request_hearing' }, '2024-03-06 10:00');
    case 'hearing_scheduled':
      return step(
        reach('hearing_requested', v),
        o1,
        { type: 'schedule_hearing', hearingAt: bj('2024-03-15 09:00'), hostId: 'h1' },
        '2024-03-06 11:00',
      );
    case 'heard':
      return step(reach('hearing_scheduled', v), o1, { type: 'record_hearing' }, '2024-03-15 12:00');
    case 'legal_review':
      return step(reach('pre_penalty_notified', v), o1, { type: 'submit_legal_review' }, '2024-03-13 09:00');
    case 'returned':
      return step(
        reach('legal_review', v),
        reviewer,
        { type: 'return_legal_review', opinions: '证据清单缺少车辆行驶证' },
        '2024-03-13 15:00',
      );
    case 'awaiting_decision':
      return step(reach('legal_review', v), reviewer, { type: 'pass_legal_review' }, '2024-03-13 15:00');
    case 'decided': {
      let f = reach('awaiting_decision', v);
      // Art. 57 ¶2: a revocation or a suspension is decided by collective discussion, recorded first.
      if (['licence_revocation', 'certificate_revocation', 'business_suspension'].includes(v.penalty.kind))
        f = step(f, approver, SAMPLE.record_collective_discussion, '2024-03-13 16:00');
      return step(f, approver, { type: 'approve_decision' }, '2024-03-14 09:00');
    }
    case 'served':
      return step(reach('decided', v), o1, { type: 'record_service', method: 'direct' }, '2024-03-15 09:00');
    case 'executed':
      if (v.penalty.kind === 'warning') {
        // A warning is executed by its service.
        return step(
          reach('decided', v),
          o1,
          { type: 'record_service', method: 'direct' },
          '2024-03-15 09:00',
        );
      }
      if (v.penalty.kind === 'fine') {
        return step(
          reach('served', v),
          o1,
          { type: 'record_payment', amountYuan: v.penalty.amountYuan ?? 0, receiptNo: 'R-0001' },
          '2024-03-20 09:00',
        );
      }
      return step(reach('served', v), o1, { type: 'record_execution' }, '2024-03-20 09:00');
    case 'referred_for_enforcement':
      return step(demanded(v), approver, { type: 'refer_for_enforcement' }, '2024-09-20 09:00');
    case 'closed':
      return step(reach('executed', v), approver, { type: 'close_case' }, '2024-03-21 09:00');
    case 'terminated':
      return step(
        reach('investigating', v),
        approver,
        { type: 'terminate_case', reason: '违法事实不能成立' },
        '2024-03-03 09:00',
      );
    case 'archived': {
      let f = step(reach('closed', v), o1, { type: 'record_publicity' }, '2024-03-22 09:00');
      if (v.caseType === 'vehicle')
        f = step(f, o1, { type: 'record_home_authority_report' }, '2024-03-22 10:00');
      return step(f, o1, { type: 'archive' }, '2024-03-25 09:00');
    }
  }
}

/** Served, unpaid, and the written demand served after the payment period (行政强制法 Art. 54). */
function demanded(v: Variant = VEHICLE_FINE): Fixture {
  return step(reach('served', v), o1, { type: 'serve_execution_demand' }, '2024-04-08 10:00');
}

/** A source-unit sub-case that only loaded the truck: no penalty proposed, an order to correct to come. */
function sourceUnitCase(state: 'filed' | 'investigating'): Fixture {
  const f = reach(state, { caseType: 'source_unit', penalty: { kind: 'fine', amountYuan: 10_000 } });
  delete f.s.proposedPenalty;
  delete f.s.proposedPenaltyChangedAt;
  return f;
}

/** The same, ordered to correct on 5 March 2024 within 15 days (to 20 March). */
function ordered(state: 'filed' | 'investigating'): Fixture {
  return step(sourceUnitCase(state), o1, SAMPLE.order_correction, '2024-03-05 10:00');
}

const cache = new Map<string, Fixture>();
function reach(state: CaseState, v: Variant = VEHICLE_FINE): Fixture {
  const key = `${state}|${JSON.stringify(v)}`;
  let f = cache.get(key);
  if (!f) {
    f = build(state, v);
    expect(f.s.state).toBe(state);
    cache.set(key, f);
  }
  return { s: structuredClone(f.s), now: f.now };
}

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but the action was allowed');
}

function expectRefused(fn: () => unknown, category: ErrorCategory, code: string): DomainError {
  const error = errorOf(fn);
  expect({ category: error.category, code: error.code }).toEqual({ category, code });
  return error;
}

/** A schema-valid instance of every action, for the refusal tables. */
const SAMPLE: { [T in CaseActionType]: Extract<CaseAction, { type: T }> } = {
  request_filing: { type: 'request_filing' },
  approve_filing: { type: 'approve_filing' },
  reject_filing: { type: 'reject_filing', reason: '不构成违法' },
  assign_officers: { type: 'assign_officers', officers: OFFICERS },
  record_investigation: { type: 'record_investigation', kind: 'document_check' },
  propose_penalty: { type: 'propose_penalty', penalty: { kind: 'fine', amountYuan: 15_000 } },
  order_correction: {
    type: 'order_correction',
    period: {
      servedOn: '2024-03-05',
      periodDays: 15,
      counting: 'calendar_days',
      lastDay: '2024-03-20',
      dueAt: new Date(endOfBjDay('2024-03-20')),
    },
  },
  check_correction: {
    type: 'check_correction',
    corrected: true,
    correctedOn: '2024-03-10',
    outcome: 'no_fine',
  },
  issue_pre_penalty_notice: { type: 'issue_pre_penalty_notice' },
  record_notice_service: { type: 'record_notice_service', method: 'post' },
  record_statement: { type: 'record_statement' },
  record_waiver: { type: 'record_waiver', right: 'statement', documentId: 'doc-waiver' },
  request_hearing: { type: 'request_hearing' },
  schedule_hearing: { type: 'schedule_hearing', hearingAt: bj('2024-12-31 09:00'), hostId: 'h1' },
  record_hearing: { type: 'record_hearing' },
  withdraw_hearing: { type: 'withdraw_hearing', reason: 'withdrawn_in_writing' },
  reopen_investigation: { type: 'reopen_investigation', reason: '当事人提出新证据' },
  submit_legal_review: { type: 'submit_legal_review' },
  submit_for_decision: { type: 'submit_for_decision' },
  pass_legal_review: { type: 'pass_legal_review' },
  return_legal_review: { type: 'return_legal_review', opinions: '补正' },
  record_collective_discussion: {
    type: 'record_collective_discussion',
    participants: '局长、分管副局长、法规科科长',
    conclusion: '同意',
  },
  approve_decision: { type: 'approve_decision' },
  decide_no_penalty: {
    type: 'decide_no_penalty',
    ground: 'first_minor_violation_corrected',
    reasons: '初次违法，超限幅度小，当场卸载改正',
  },
  send_back: { type: 'send_back', opinions: '补正' },
  terminate_case: { type: 'terminate_case', reason: '违法事实不能成立' },
  record_service: { type: 'record_service', method: 'direct' },
  record_payment: { type: 'record_payment', amountYuan: 100, receiptNo: 'R-9' },
  record_execution: { type: 'record_execution' },
  record_remedy: {
    type: 'record_remedy',
    kind: 'reconsideration',
    body: '汨罗市人民政府',
    filedOn: '2024-03-20',
  },
  record_remedy_outcome: {
    type: 'record_remedy_outcome',
    kind: 'reconsideration',
    outcome: 'upheld',
    concludedOn: '2024-05-10',
  },
  serve_execution_demand: { type: 'serve_execution_demand' },
  refer_for_enforcement: { type: 'refer_for_enforcement' },
  close_case: { type: 'close_case' },
  record_home_authority_report: { type: 'record_home_authority_report' },
  record_publicity: { type: 'record_publicity' },
  archive: { type: 'archive' },
};

/** An actor holding the action's first role (and, for officers, on the case). */
const ACTOR_BY_ROLE: Record<CaseRole, CaseActor> = {
  officer: o1,
  legal_reviewer: reviewer,
  approver,
  auditor,
  admin,
};
const rightfulActor = (type: CaseActionType) =>
  ACTOR_BY_ROLE[caseActionDefinition(type).roles[0] as CaseRole];

// ---------------------------------------------------------------------------------------------------
// every allowed transition

interface Row {
  action: CaseActionType;
  from: CaseState;
  to: CaseState;
  actor: CaseActor;
  act: CaseAction;
  when: string;
  fx?: () => Fixture;
  policy?: CasePolicy;
}

const r = (
  action: CaseActionType,
  from: CaseState,
  to: CaseState,
  actor: CaseActor,
  act: CaseAction,
  when: string,
  extra: Partial<Pick<Row, 'fx' | 'policy'>> = {},
): Row => ({ action, from, to, actor, act, when, ...extra });

/** The returned case after a document was revised (a change, so it may come back). */
const revisedAfterReturn =
  (v: Variant = VEHICLE_FINE) =>
  () => {
    const f = reach('returned', v);
    f.s.documents.push({
      documentId: 'doc-evidence-list',
      kind: 'evidence_list',
      version: 2,
      createdAt: bj('2024-03-13 16:00'),
    });
    return f;
  };

const PRE_DECISION_WHEN: Partial<Record<CaseState, string>> = {
  filed: '2024-03-01 11:00',
  investigating: '2024-03-02 11:00',
  pre_penalty_notice_issued: '2024-03-04 11:00',
  pre_penalty_notified: '2024-03-05 11:00',
  hearing_requested: '2024-03-06 11:00',
  hearing_scheduled: '2024-03-07 09:00',
  heard: '2024-03-15 13:00',
  legal_review: '2024-03-13 10:00',
  returned: '2024-03-13 16:00',
  awaiting_decision: '2024-03-13 16:00',
};

/** 被询问人 of an inquiry (行政处罚法 Art. 55). */
const INTERVIEWEE = { name: '龚昇', idNumber: '430681198001011236', relation: 'driver' as const };

const THREE_OFFICERS = {
  type: 'assign_officers' as const,
  officers: [...OFFICERS, { userId: 'o4', enforcementCertificateNo: '43060004' }],
};
const NEW_PROPOSAL = {
  type: 'propose_penalty' as const,
  penalty: { kind: 'fine' as const, amountYuan: 16_000 },
};

const ROWS: Row[] = [
  r('request_filing', 'draft', 'filing_requested', o1, SAMPLE.request_filing, '2024-03-01 09:30'),
  r(
    'approve_filing',
    'filing_requested',
    'filed',
    approver,
    { type: 'approve_filing', caseNumber: '汨交罚〔2024〕第0001号' },
    '2024-03-01 10:00',
  ),
  r('reject_filing', 'filing_requested', 'not_filed', approver, SAMPLE.reject_filing, '2024-03-01 10:00'),
  r('assign_officers', 'draft', 'draft', o1, THREE_OFFICERS, '2024-03-01 09:10'),
  r('assign_officers', 'filing_requested', 'filing_requested', approver, THREE_OFFICERS, '2024-03-01 09:40'),
  r('assign_officers', 'filed', 'filed', approver, THREE_OFFICERS, '2024-03-01 11:00'),
  r('assign_officers', 'investigating', 'investigating', approver, THREE_OFFICERS, '2024-03-02 11:00'),
  r('assign_officers', 'returned', 'returned', approver, THREE_OFFICERS, '2024-03-13 16:00'),
  r(
    'record_investigation',
    'filed',
    'investigating',
    o2,
    { type: 'record_investigation', kind: 'inquiry', interviewee: INTERVIEWEE },
    '2024-03-02 10:00',
  ),
  r(
    'record_investigation',
    'investigating',
    'investigating',
    o2,
    SAMPLE.record_investigation,
    '2024-03-02 11:00',
  ),
  r('record_investigation', 'returned', 'returned', o1, SAMPLE.record_investigation, '2024-03-13 16:00'),
  r('propose_penalty', 'draft', 'draft', o1, NEW_PROPOSAL, '2024-03-01 09:10'),
  r('propose_penalty', 'filed', 'filed', o1, NEW_PROPOSAL, '2024-03-01 11:00'),
  r('propose_penalty', 'investigating', 'investigating', o1, NEW_PROPOSAL, '2024-03-02 11:00'),
  r('propose_penalty', 'returned', 'returned', o1, NEW_PROPOSAL, '2024-03-13 16:00'),
  r(
    'issue_pre_penalty_notice',
    'investigating',
    'pre_penalty_notified',
    o1,
    SAMPLE.issue_pre_penalty_notice,
    '2024-03-05 10:00',
  ),
  r(
    'issue_pre_penalty_notice',
    'returned',
    'pre_penalty_notified',
    o1,
    SAMPLE.issue_pre_penalty_notice,
    '2024-03-13 16:00',
  ),
  r(
    'issue_pre_penalty_notice',
    'investigating',
    'pre_penalty_notice_issued',
    o1,
    { type: 'issue_pre_penalty_notice', serveLater: true },
    '2024-03-04 10:00',
  ),
  r(
    'issue_pre_penalty_notice',
    'returned',
    'pre_penalty_notice_issued',
    o1,
    { type: 'issue_pre_penalty_notice', serveLater: true },
    '2024-03-13 16:00',
  ),
  r(
    'record_notice_service',
    'pre_penalty_notice_issued',
    'pre_penalty_notified',
    o1,
    SAMPLE.record_notice_service,
    '2024-03-05 10:00',
  ),
  r(
    'reopen_investigation',
    'pre_penalty_notice_issued',
    'investigating',
    o1,
    SAMPLE.reopen_investigation,
    '2024-03-04 11:00',
  ),
  r(
    'record_statement',
    'pre_penalty_notified',
    'pre_penalty_notified',
    o1,
    SAMPLE.record_statement,
    '2024-03-06 09:00',
  ),
  r(
    'record_statement',
    'hearing_requested',
    'hearing_requested',
    o2,
    SAMPLE.record_statement,
    '2024-03-06 10:30',
  ),
  r(
    'record_statement',
    'hearing_scheduled',
    'hearing_scheduled',
    o2,
    SAMPLE.record_statement,
    '2024-03-07 09:00',
  ),
  r(
    'record_waiver',
    'pre_penalty_notified',
    'pre_penalty_notified',
    o1,
    SAMPLE.record_waiver,
    '2024-03-06 09:00',
  ),
  r(
    'request_hearing',
    'pre_penalty_notified',
    'hearing_requested',
    o1,
    SAMPLE.request_hearing,
    '2024-03-06 10:00',
  ),
  r(
    'schedule_hearing',
    'hearing_requested',
    'hearing_scheduled',
    o1,
    { type: 'schedule_hearing', hearingAt: bj('2024-03-15 09:00'), hostId: 'h1' },
    '2024-03-06 11:00',
  ),
  r(
    'record_hearing',
    'hearing_scheduled',
    'heard',
    o1,
    { type: 'record_hearing', transcriptDocumentId: 'doc-hearing' },
    '2024-03-15 12:00',
  ),
  r(
    'withdraw_hearing',
    'hearing_requested',
    'pre_penalty_notified',
    o1,
    SAMPLE.withdraw_hearing,
    '2024-03-07 09:00',
  ),
  r(
    'withdraw_hearing',
    'hearing_scheduled',
    'pre_penalty_notified',
    o1,
    { type: 'withdraw_hearing', reason: 'absent_without_reason' },
    '2024-03-15 10:00',
  ),
  r(
    'reopen_investigation',
    'pre_penalty_notified',
    'investigating',
    o1,
    SAMPLE.reopen_investigation,
    '2024-03-06 09:00',
  ),
  r('reopen_investigation', 'heard', 'investigating', o1, SAMPLE.reopen_investigation, '2024-03-18 09:00'),
  r(
    'submit_legal_review',
    'pre_penalty_notified',
    'legal_review',
    o1,
    SAMPLE.submit_legal_review,
    '2024-03-13 09:00',
  ),
  r('submit_legal_review', 'heard', 'legal_review', o2, SAMPLE.submit_legal_review, '2024-03-18 09:00'),
  r('submit_legal_review', 'returned', 'legal_review', o1, SAMPLE.submit_legal_review, '2024-03-13 17:00', {
    fx: revisedAfterReturn(),
  }),
  r(
    'submit_for_decision',
    'pre_penalty_notified',
    'awaiting_decision',
    o1,
    SAMPLE.submit_for_decision,
    '2024-03-13 09:00',
    {
      policy: noReviewPolicy,
    },
  ),
  r(
    'submit_for_decision',
    'returned',
    'awaiting_decision',
    o1,
    SAMPLE.submit_for_decision,
    '2024-03-13 17:00',
    {
      policy: noReviewPolicy,
      fx: revisedAfterReturn(),
    },
  ),
  r(
    'pass_legal_review',
    'legal_review',
    'awaiting_decision',
    reviewer,
    { type: 'pass_legal_review', opinions: '事实清楚' },
    '2024-03-13 15:00',
  ),
  r(
    'return_legal_review',
    'legal_review',
    'returned',
    reviewer,
    SAMPLE.return_legal_review,
    '2024-03-13 15:00',
  ),
  r(
    'approve_decision',
    'awaiting_decision',
    'decided',
    approver,
    SAMPLE.approve_decision,
    '2024-03-14 09:00',
  ),
  r('send_back', 'awaiting_decision', 'returned', approver, SAMPLE.send_back, '2024-03-14 09:00'),
  ...(Object.entries(PRE_DECISION_WHEN) as [CaseState, string][]).map(([from, when]) =>
    r('terminate_case', from, 'terminated', approver, SAMPLE.terminate_case, when),
  ),
  r('record_service', 'decided', 'served', o1, SAMPLE.record_service, '2024-03-15 09:00'),
  r('record_service', 'decided', 'executed', o1, SAMPLE.record_service, '2024-03-15 09:00', {
    fx: () => reach('decided', WARNING),
  }),
  r(
    'record_payment',
    'served',
    'served',
    o1,
    { type: 'record_payment', amountYuan: 5_000, receiptNo: 'R-1' },
    '2024-03-20 09:00',
  ),
  r(
    'record_payment',
    'served',
    'executed',
    o1,
    { type: 'record_payment', amountYuan: 15_000, receiptNo: 'R-1' },
    '2024-03-20 09:00',
  ),
  r('record_execution', 'served', 'executed', o1, SAMPLE.record_execution, '2024-03-20 09:00', {
    fx: () => reach('served', DRIVER),
  }),
  r(
    'refer_for_enforcement',
    'served',
    'referred_for_enforcement',
    approver,
    SAMPLE.refer_for_enforcement,
    '2024-09-20 09:00',
    { fx: () => demanded() },
  ),
  r('serve_execution_demand', 'served', 'served', o1, SAMPLE.serve_execution_demand, '2024-04-08 10:00'),
  ...(['decided', 'served', 'executed'] as const).flatMap((state) => [
    r('record_remedy', state, state, o1, SAMPLE.record_remedy, '2024-03-20 10:00'),
    r('record_remedy_outcome', state, state, o1, SAMPLE.record_remedy_outcome, '2024-05-11 10:00', {
      fx: () => step(reach(state), o1, SAMPLE.record_remedy, '2024-03-20 10:00'),
    }),
  ]),
  r(
    'record_remedy',
    'referred_for_enforcement',
    'referred_for_enforcement',
    o1,
    SAMPLE.record_remedy,
    '2024-09-21 10:00',
  ),
  r(
    'record_remedy_outcome',
    'referred_for_enforcement',
    'referred_for_enforcement',
    o1,
    SAMPLE.record_remedy_outcome,
    '2024-09-21 11:00',
    { fx: () => step(reach('referred_for_enforcement'), o1, SAMPLE.record_remedy, '2024-09-21 10:00') },
  ),
  r('close_case', 'executed', 'closed', approver, SAMPLE.close_case, '2024-03-21 09:00'),
  r('close_case', 'referred_for_enforcement', 'closed', approver, SAMPLE.close_case, '2024-09-21 09:00'),
  r(
    'record_home_authority_report',
    'closed',
    'closed',
    o1,
    SAMPLE.record_home_authority_report,
    '2024-03-22 09:00',
  ),
  r('record_publicity', 'decided', 'decided', o1, SAMPLE.record_publicity, '2024-03-14 10:00'),
  r('record_publicity', 'served', 'served', o1, SAMPLE.record_publicity, '2024-03-15 10:00'),
  r('record_publicity', 'executed', 'executed', o1, SAMPLE.record_publicity, '2024-03-20 10:00'),
  r(
    'record_publicity',
    'referred_for_enforcement',
    'referred_for_enforcement',
    o1,
    SAMPLE.record_publicity,
    '2024-09-20 10:00',
  ),
  r('record_publicity', 'closed', 'closed', o1, SAMPLE.record_publicity, '2024-03-21 10:00'),
  r('archive', 'closed', 'archived', o1, SAMPLE.archive, '2024-03-25 09:00', {
    fx: () => {
      const f = step(reach('closed'), o1, { type: 'record_publicity' }, '2024-03-22 09:00');
      return step(f, o2, { type: 'record_home_authority_report' }, '2024-03-22 10:00');
    },
  }),
  r('order_correction', 'filed', 'filed', o1, SAMPLE.order_correction, '2024-03-05 10:00', {
    fx: () => sourceUnitCase('filed'),
  }),
  r('order_correction', 'investigating', 'investigating', o1, SAMPLE.order_correction, '2024-03-05 10:00', {
    fx: () => sourceUnitCase('investigating'),
  }),
  r('check_correction', 'filed', 'filed', o1, SAMPLE.check_correction, '2024-03-10 10:00', {
    fx: () => ordered('filed'),
  }),
  r('check_correction', 'investigating', 'investigating', o1, SAMPLE.check_correction, '2024-03-10 10:00', {
    fx: () => ordered('investigating'),
  }),
  r(
    'record_collective_discussion',
    'legal_review',
    'legal_review',
    approver,
    SAMPLE.record_collective_discussion,
    '2024-03-13 10:00',
  ),
  r(
    'record_collective_discussion',
    'awaiting_decision',
    'awaiting_decision',
    approver,
    SAMPLE.record_collective_discussion,
    '2024-03-13 16:00',
  ),
  r(
    'decide_no_penalty',
    'awaiting_decision',
    'terminated',
    approver,
    SAMPLE.decide_no_penalty,
    '2024-03-14 09:00',
  ),
  r('archive', 'not_filed', 'archived', approver, SAMPLE.archive, '2024-03-02 09:00'),
  r('archive', 'terminated', 'archived', o1, SAMPLE.archive, '2024-03-04 09:00'),
];

const fixtureOf = (row: Row) => (row.fx ? row.fx() : reach(row.from));

describe('case state machine: every allowed transition', () => {
  it('covers every (action, from → to) of the table', () => {
    const table = CASE_ACTIONS.flatMap((def) =>
      Object.entries(def.transitions).flatMap(([from, targets]) =>
        (targets ?? []).map((to) => `${def.type}: ${from} → ${to}`),
      ),
    );
    const covered = new Set(ROWS.map((row) => `${row.action}: ${row.from} → ${row.to}`));
    expect(table.filter((t) => !covered.has(t))).toEqual([]);
    expect([...covered].filter((t) => !table.includes(t))).toEqual([]);
  });

  it.each(ROWS.map((row) => [`${row.action}: ${row.from} → ${row.to}`, row] as const))('%s', (_name, row) => {
    const f = fixtureOf(row);
    expect(f.s.state).toBe(row.from);
    const now = bj(row.when);
    const outcome = decide(f.s, row.act, row.actor, now, row.policy ?? policy, TZ, calendar);
    expect(outcome).toMatchObject({ ok: true, action: row.action, from: row.from, next: row.to });
    const after = transition(f.s, row.act, row.actor, now, row.policy ?? policy, TZ, calendar).snapshot;
    expect(after.state).toBe(row.to);
    // The action is offered to its actor before it is done (input-free rules only).
    expect(allowedActions(f.s, row.actor, now, row.policy ?? policy, TZ)).toContain(row.action);
  });
});

// ---------------------------------------------------------------------------------------------------
// every forbidden one

describe('case state machine: wrong state', () => {
  const cases = CASE_ACTIONS.flatMap((def) =>
    CASE_STATES.filter((state) => state !== 'archived' && !def.transitions[state]).map(
      (state) => [def.type, state] as const,
    ),
  );

  it.each(cases)('%s from %s → conflict invalid_transition', (type, state) => {
    const f = reach(state);
    expectRefused(
      () => decide(f.s, SAMPLE[type], rightfulActor(type), f.now, policy, TZ, calendar),
      'conflict',
      'invalid_transition',
    );
  });

  it.each(CASE_ACTIONS.map((def) => def.type))('%s on an archived case → conflict case_archived', (type) => {
    const f = reach('archived');
    for (const actor of [rightfulActor(type), auditor, admin]) {
      expectRefused(
        () => decide(f.s, SAMPLE[type], actor, bj('2024-04-01 09:00'), policy, TZ, calendar),
        'conflict',
        'case_archived',
      );
    }
  });
});

describe('case state machine: who may act', () => {
  const first = (type: CaseActionType) => ROWS.find((row) => row.action === type) as Row;
  const refuse = (type: CaseActionType, actor: CaseActor, code: string) => {
    const row = first(type);
    expectRefused(
      () => decide(fixtureOf(row).s, row.act, actor, bj(row.when), row.policy ?? policy, TZ, calendar),
      'forbidden',
      code,
    );
  };
  const types = CASE_ACTIONS.map((def) => def.type);

  it.each(types)('%s: an auditor never writes, whatever other role it holds', (type) => {
    refuse(type, auditor, 'auditor_read_only');
    refuse(type, auditingApprover, 'auditor_read_only');
  });

  it.each(types)('%s: wrong role → role_not_allowed', (type) => {
    const def = caseActionDefinition(type);
    refuse(type, admin, 'role_not_allowed');
    const wrong = [o1, reviewer, approver].filter((a) => !a.roles.some((role) => def.roles.includes(role)));
    expect(wrong.length).toBeGreaterThan(0);
    for (const actor of wrong) refuse(type, actor, 'role_not_allowed');
  });

  it.each(CASE_ACTIONS.filter((def) => def.caseOfficersOnly).map((def) => def.type))(
    '%s: an officer who is not on the case → not_case_officer',
    (type) => refuse(type, o3, 'not_case_officer'),
  );

  it.each(
    CASE_ACTIONS.filter((def) => def.independentOfCase && def.roles.includes('approver')).map(
      (def) => def.type,
    ),
  )('%s: an approver who is an officer of the case → approver_is_case_officer', (type) =>
    refuse(type, officerAsApprover, 'approver_is_case_officer'),
  );

  it.each(['pass_legal_review', 'return_legal_review'] as const)(
    '%s: separation of duties and qualification (Art. 58)',
    (type) => {
      refuse(type, officerAsReviewer, 'reviewer_is_case_officer');
      refuse(type, unqualifiedReviewer, 'legal_qualification_missing');
    },
  );

  it('an officer taken off the case after investigating it is still not independent of it', () => {
    // o2 investigated, then was replaced by o4 before the case went to review.
    let f = step(reach('investigating'), o2, SAMPLE.record_investigation, '2024-03-02 11:00');
    f = step(
      f,
      approver,
      {
        type: 'assign_officers',
        officers: [FIRST_OFFICER, { userId: 'o4', enforcementCertificateNo: '43060004' }],
      },
      '2024-03-02 12:00',
    );
    f = step(f, o1, SAMPLE.issue_pre_penalty_notice, '2024-03-05 10:00');
    const review = step(f, o1, SAMPLE.submit_legal_review, '2024-03-13 09:00');
    const o2AsReviewer = user('o2', 'legal_reviewer');
    expectRefused(
      () => decide(review.s, SAMPLE.pass_legal_review, o2AsReviewer, bj('2024-03-13 15:00'), policy, TZ),
      'forbidden',
      'reviewer_is_case_officer',
    );
    const requested = step(f, o1, SAMPLE.request_hearing, '2024-03-06 10:00');
    expectRefused(
      () =>
        decide(
          requested.s,
          { type: 'schedule_hearing', hearingAt: bj('2024-03-15 09:00'), hostId: 'o2' },
          o1,
          bj('2024-03-06 11:00'),
          policy,
          TZ,
        ),
      'forbidden',
      'hearing_host_is_case_officer',
    );
  });

  it('lets the officer who is also an approver act as an officer of the case', () => {
    const f = reach('investigating');
    expect(
      decide(f.s, SAMPLE.record_investigation, officerAsApprover, bj('2024-03-03 09:00'), policy, TZ).next,
    ).toBe('investigating');
  });
});

// ---------------------------------------------------------------------------------------------------
// preconditions

describe('two officers with enforcement certificates (Art. 42)', () => {
  it('refuses filing with one officer or an officer without certificate', () => {
    const f = reach('draft');
    const one = transition(
      f.s,
      { type: 'assign_officers', officers: [FIRST_OFFICER] },
      o1,
      bj('2024-03-01 09:10'),
      policy,
      TZ,
    ).snapshot;
    expectRefused(
      () => decide(one, SAMPLE.request_filing, o1, bj('2024-03-01 09:30'), policy, TZ),
      'rule_violation',
      'fewer_than_two_officers',
    );
    const uncertified = transition(
      f.s,
      {
        type: 'assign_officers',
        officers: [FIRST_OFFICER, { userId: 'o2', enforcementCertificateNo: null }],
      },
      o1,
      bj('2024-03-01 09:10'),
      policy,
      TZ,
    ).snapshot;
    const error = expectRefused(
      () => decide(uncertified, SAMPLE.request_filing, o1, bj('2024-03-01 09:30'), policy, TZ),
      'rule_violation',
      'fewer_than_two_officers',
    );
    expect(error.details).toMatchObject({ certifiedOfficers: 1 });
  });

  it('never lets a filed case drop below two officers', () => {
    const f = reach('investigating');
    expectRefused(
      () =>
        decide(
          f.s,
          { type: 'assign_officers', officers: [FIRST_OFFICER] },
          approver,
          bj('2024-03-03 09:00'),
          policy,
          TZ,
        ),
      'rule_violation',
      'fewer_than_two_officers',
    );
  });

  it('refuses an officer list naming someone twice', () => {
    expectRefused(
      () =>
        decide(
          reach('draft').s,
          { type: 'assign_officers', officers: [FIRST_OFFICER, FIRST_OFFICER] },
          o1,
          bj('2024-03-01 09:10'),
          policy,
          TZ,
        ),
      'validation',
      'duplicate_officer',
    );
  });

  it('refuses to make the legal reviewer of the case one of its officers', () => {
    const f = reach('returned');
    expectRefused(
      () =>
        decide(
          f.s,
          {
            type: 'assign_officers',
            officers: [...OFFICERS, { userId: 'r1', enforcementCertificateNo: '43060009' }],
          },
          approver,
          bj('2024-03-12 10:00'),
          policy,
          TZ,
        ),
      'forbidden',
      'officer_is_case_reviewer',
    );
  });
});

describe('investigation before the pre-penalty notice (Art. 54, 44)', () => {
  it('needs an investigation record and a proposed penalty', () => {
    const filed = reach('filed');
    // `filed` has no investigating → notice transition at all; force the question on an empty investigation.
    const investigating = { ...filed.s, state: 'investigating' as const };
    expectRefused(
      () => decide(investigating, SAMPLE.issue_pre_penalty_notice, o1, bj('2024-03-02 09:00'), policy, TZ),
      'rule_violation',
      'investigation_records_missing',
    );
    const noProposal = reach('investigating');
    delete noProposal.s.proposedPenalty;
    expectRefused(
      () => decide(noProposal.s, SAMPLE.issue_pre_penalty_notice, o1, bj('2024-03-05 09:00'), policy, TZ),
      'rule_violation',
      'proposed_penalty_missing',
    );
  });

  it('refuses a penalty the case type cannot carry', () => {
    const f = reach('investigating', DRIVER);
    expectRefused(
      () => decide(f.s, NEW_PROPOSAL, o1, bj('2024-03-02 11:00'), policy, TZ),
      'rule_violation',
      'penalty_not_allowed_for_case_type',
    );
    expectRefused(
      () =>
        decide(
          reach('investigating').s,
          { type: 'propose_penalty', penalty: { kind: 'fine' } },
          o1,
          bj('2024-03-02 11:00'),
          policy,
          TZ,
        ),
      'validation',
      'fine_amount_required',
    );
  });

  it('refuses a notice dated in the future', () => {
    const f = reach('investigating');
    expectRefused(
      () =>
        decide(
          f.s,
          { type: 'issue_pre_penalty_notice', servedAt: bj('2024-03-06 10:00') },
          o1,
          bj('2024-03-05 10:00'),
          policy,
          TZ,
        ),
      'validation',
      'time_in_future',
    );
  });
});

describe('the notice issued, then served (行政处罚法 Art. 44, 61, 64; 民事诉讼法 Art. 95)', () => {
  const windowsOf = (outcome: { effects: { deadlinesStarted: { kind: string; dueAt: Date }[] } }) =>
    outcome.effects.deadlinesStarted.map((d) => [d.kind, d.dueAt.toISOString()]);
  const announced = {
    method: 'announcement' as const,
    announcement: { reason: 'party_not_found' as const, attempts: '按登记住所邮寄被退回，电话无人接听' },
  };

  it('issues without service: dated now, no period runs, nothing the party answers is accepted yet', () => {
    const issued = reach('pre_penalty_notice_issued');
    expect(issued.s.deadlines.filter((d) => d.kind === 'statement_window')).toEqual([]);
    expect(noticeOf(issued.s)).toMatchObject({ issuedAt: bj('2024-03-04 10:00') });
    expect(noticeOf(issued.s).servedAt).toBeUndefined();
    const at = bj('2024-03-12 10:00');
    for (const action of [SAMPLE.record_statement, SAMPLE.request_hearing, SAMPLE.submit_legal_review]) {
      expectRefused(() => decide(issued.s, action, o1, at, policy, TZ), 'conflict', 'invalid_transition');
    }
  });

  it('runs the statement and hearing periods from the service recorded, not from the issue', () => {
    // Issued Mon 4 March, received by post Thu 7 March: 3 working days to Tue 12, 5 to Thu 14 March.
    const served = transition(
      reach('pre_penalty_notice_issued').s,
      { type: 'record_notice_service', method: 'post', servedAt: bj('2024-03-07 15:00') },
      o1,
      bj('2024-03-08 09:00'),
      policy,
      TZ,
      calendar,
    );
    expect(windowsOf(served.outcome)).toEqual([
      ['statement_window', endOfBjDay('2024-03-12')],
      ['hearing_request_window', endOfBjDay('2024-03-14')],
    ]);
    expect(served.snapshot.state).toBe('pre_penalty_notified');
    expect(noticeOf(served.snapshot)).toMatchObject({
      issuedAt: bj('2024-03-04 10:00'),
      servedAt: bj('2024-03-07 15:00'),
      serviceMethod: 'post',
    });
    // The decision waits for the periods of the service: on 13 March the hearing window is still open.
    expectRefused(
      () =>
        decide(served.snapshot, SAMPLE.submit_legal_review, o1, bj('2024-03-13 10:00'), policy, TZ, calendar),
      'rule_violation',
      'hearing_window_open',
    );
  });

  it('refuses a service before the issue, in the future, or given with serveLater — as bad input', () => {
    const issued = reach('pre_penalty_notice_issued').s;
    const now = bj('2024-03-06 10:00');
    const service = (servedAt: Date) => ({
      type: 'record_notice_service' as const,
      method: 'post' as const,
      servedAt,
    });
    expectRefused(
      () => decide(issued, service(bj('2024-03-03 18:00')), o1, now, policy, TZ),
      'validation',
      'served_before_issue',
    );
    expectRefused(
      () => decide(issued, service(bj('2024-03-06 11:00')), o1, now, policy, TZ),
      'validation',
      'time_in_future',
    );
    // Served the same day it was issued, even at an earlier hour on the form: accepted.
    expect(decide(issued, service(bj('2024-03-04 00:00')), o1, now, policy, TZ).next).toBe(
      'pre_penalty_notified',
    );
    expectRefused(
      () =>
        decide(
          reach('investigating').s,
          { type: 'issue_pre_penalty_notice', serveLater: true, method: 'post' },
          o1,
          bj('2024-03-05 10:00'),
          policy,
          TZ,
        ),
      'validation',
      'service_recorded_later',
    );
  });

  // 行政处罚法 Art. 61(2): electronic service only with the party's signed consent — the notice as the decision.
  it('serves a notice electronically only with the party’s consent, kept on the notice', () => {
    const at = bj('2024-03-05 10:00');
    for (const [from, type] of [
      ['investigating', 'issue_pre_penalty_notice'],
      ['pre_penalty_notice_issued', 'record_notice_service'],
    ] as const) {
      expectRefused(
        () => decide(reach(from).s, { type, method: 'electronic' }, o1, at, policy, TZ),
        'rule_violation',
        'electronic_service_without_consent',
      );
      const served = transition(
        reach(from).s,
        { type, method: 'electronic', consentDocumentId: 'doc-consent' },
        o1,
        at,
        policy,
        TZ,
      );
      expect(served.snapshot.prePenaltyNotices.at(-1)?.consentDocumentId).toBe('doc-consent');
    }
  });

  it('runs the periods of an announced notice from 30 days after the announcement (民事诉讼法 Art. 95)', () => {
    // Announced Tue 5 March: effective Thu 4 April; working days then 7 (a make-up Sunday), 8, 9 … 11 April.
    const oneStep = decide(
      reach('investigating').s,
      { type: 'issue_pre_penalty_notice', servedAt: bj('2024-03-05 10:00'), ...announced },
      o1,
      bj('2024-03-05 10:00'),
      policy,
      TZ,
      calendar,
    );
    const twoSteps = transition(
      reach('pre_penalty_notice_issued').s,
      { type: 'record_notice_service', servedAt: bj('2024-03-05 10:00'), ...announced },
      o1,
      bj('2024-03-05 10:00'),
      policy,
      TZ,
      calendar,
    );
    for (const outcome of [oneStep, twoSteps.outcome]) {
      expect(windowsOf(outcome)).toEqual([
        ['statement_window', endOfBjDay('2024-04-09')],
        ['hearing_request_window', endOfBjDay('2024-04-11')],
      ]);
    }
    expect(noticeOf(twoSteps.snapshot).effectiveAt).toEqual(bj('2024-04-04 10:00'));
    // The guards read the same: no review while the announced notice has not yet taken effect.
    expectRefused(
      () =>
        decide(
          twoSteps.snapshot,
          SAMPLE.submit_legal_review,
          o1,
          bj('2024-03-20 10:00'),
          policy,
          TZ,
          calendar,
        ),
      'rule_violation',
      'statement_window_open',
    );
  });
});

describe('statement period and hearing window (Art. 44, 45, 64)', () => {
  // Notice served Tue 2024-03-05 10:00 Beijing: statement period (3 working days) to the end of Fri 8
  // March, hearing requests (5 working days, Art. 85) to the end of Tue 12 March, in Beijing local days.
  const notified = () => reach('pre_penalty_notified');

  it('starts both windows, counted in Beijing working days (Art. 85)', () => {
    const outcome = decide(
      reach('investigating').s,
      SAMPLE.issue_pre_penalty_notice,
      o1,
      bj('2024-03-05 10:00'),
      policy,
      TZ,
    );
    expect(outcome.effects.deadlinesStarted.map((d) => [d.kind, d.dueAt.toISOString()])).toEqual([
      ['statement_window', endOfBjDay('2024-03-08')],
      ['hearing_request_window', endOfBjDay('2024-03-12')],
    ]);
  });

  it('counts working days of the State Council calendar, holidays and make-up days included (Art. 85)', () => {
    // Served Fri 29 March: statement period 1, 2, 3 April; hearing requests also 7 April (a make-up
    // working Sunday) and 8 April, skipping Qingming (4-6 April). Calendar days would end on 3 April.
    const f = step(reach('investigating'), o1, SAMPLE.issue_pre_penalty_notice, '2024-03-29 10:00');
    expect(runningDeadlines(f.s, f.now).map((d) => [d.kind, d.dueAt.toISOString()])).toEqual([
      ['statement_window', endOfBjDay('2024-04-03')],
      ['hearing_request_window', endOfBjDay('2024-04-08')],
      ['decision_due', endOfBjDay('2024-05-30')],
    ]);
    expectRefused(
      () => decide(f.s, SAMPLE.submit_legal_review, o1, bj('2024-04-07 10:00'), policy, TZ),
      'rule_violation',
      'hearing_window_open',
    );
    expect(decide(f.s, SAMPLE.submit_legal_review, o1, bj('2024-04-09 00:00'), policy, TZ).next).toBe(
      'legal_review',
    );
  });

  it('gives no hearing window below the hearing threshold', () => {
    const outcome = decide(
      reach('investigating', SMALL_FINE).s,
      SAMPLE.issue_pre_penalty_notice,
      o1,
      bj('2024-03-05 10:00'),
      policy,
      TZ,
    );
    expect(outcome.effects.deadlinesStarted.map((d) => d.kind)).toEqual(['statement_window']);
    expectRefused(
      () =>
        decide(
          reach('pre_penalty_notified', SMALL_FINE).s,
          SAMPLE.request_hearing,
          o1,
          bj('2024-03-06 09:00'),
          policy,
          TZ,
        ),
      'rule_violation',
      'no_hearing_right',
    );
  });

  it.each([
    // 行政处罚法 Art. 63 with the provincial thresholds (policy): 1,000 yuan for a person, 20,000 for an organisation.
    ['person', 999, false],
    ['person', 1_000, true],
    ['organisation', 19_999, false],
    ['organisation', 20_000, true],
    [undefined, 1_000, true],
  ] as const)('a %s fined %d yuan has a hearing right: %s', (partyKind, amountYuan, right) => {
    const f = reach('investigating', { caseType: 'vehicle', penalty: { kind: 'fine', amountYuan } });
    const action = {
      type: 'issue_pre_penalty_notice' as const,
      ...(partyKind ? { partyKind } : {}),
    };
    const outcome = decide(f.s, action, o1, bj('2024-03-05 10:00'), policy, TZ);
    expect(outcome.effects.deadlinesStarted.map((d) => d.kind)).toEqual(
      right ? ['statement_window', 'hearing_request_window'] : ['statement_window'],
    );
    const notified = step(f, o1, action, '2024-03-05 10:00');
    expect(notified.s.prePenaltyNotices[0]).toMatchObject({ hearingRight: right });
    expect(notified.s.prePenaltyNotices[0]?.partyKind).toBe(partyKind);
  });

  it('gives an organisation a hearing right for a suspension or a revocation whatever the amount', () => {
    for (const penalty of [
      { kind: 'business_suspension' },
      { kind: 'licence_revocation' },
      { kind: 'certificate_revocation' },
      { kind: 'order_stop_transport' },
    ] as const) {
      const f = reach('investigating', { caseType: 'enterprise', penalty });
      const notified = step(
        f,
        o1,
        { type: 'issue_pre_penalty_notice', partyKind: 'organisation' },
        '2024-03-05 10:00',
      );
      expect(notified.s.prePenaltyNotices[0]?.hearingRight).toBe(true);
    }
  });

  it.each([
    ['2024-03-08 23:59', 'statement_window_open'],
    ['2024-03-09 00:00', 'hearing_window_open'],
    ['2024-03-12 23:59', 'hearing_window_open'],
  ])('refuses legal review at %s: %s', (when, code) => {
    expectRefused(
      () => decide(notified().s, SAMPLE.submit_legal_review, o1, bj(when), policy, TZ),
      'rule_violation',
      code,
    );
  });

  it('allows it from the first minute of 13 March', () => {
    expect(
      decide(notified().s, SAMPLE.submit_legal_review, o1, bj('2024-03-13 00:00'), policy, TZ).next,
    ).toBe('legal_review');
  });

  it('refuses the decision inside the hearing window, and inside the statement period (checked again at decision)', () => {
    // A decision-ready case whose notice was (re)served on 12 March: both windows are open on the 13th.
    const f = reach('awaiting_decision');
    const notice = noticeOf(f.s);
    notice.servedAt = bj('2024-03-12 09:00');
    expectRefused(
      () => decide(f.s, SAMPLE.approve_decision, approver, bj('2024-03-13 09:00'), policy, TZ, calendar),
      'rule_violation',
      'statement_window_open',
    );
    notice.waivers.push({ right: 'statement', signedAt: bj('2024-03-12 09:30'), documentId: 'doc-w1' });
    expectRefused(
      () => decide(f.s, SAMPLE.approve_decision, approver, bj('2024-03-13 09:00'), policy, TZ, calendar),
      'rule_violation',
      'hearing_window_open',
    );
    notice.waivers.push({ right: 'hearing', signedAt: bj('2024-03-12 09:30'), documentId: 'doc-w2' });
    expect(
      decide(f.s, SAMPLE.approve_decision, approver, bj('2024-03-13 09:00'), policy, TZ, calendar).next,
    ).toBe('decided');
  });

  it('a written waiver of both rights allows an early decision, and stops the windows', () => {
    let f = notified();
    const statement = transition(
      f.s,
      { type: 'record_waiver', right: 'statement', documentId: 'doc-w1' },
      o1,
      bj('2024-03-05 11:00'),
      policy,
      TZ,
    );
    expect(statement.outcome.effects.deadlinesStopped).toEqual(['statement_window']);
    f = { s: statement.snapshot, now: bj('2024-03-05 11:00') };
    expectRefused(
      () => decide(f.s, SAMPLE.submit_legal_review, o1, bj('2024-03-05 11:30'), policy, TZ),
      'rule_violation',
      'hearing_window_open',
    );
    f = step(f, o1, { type: 'record_waiver', right: 'hearing', documentId: 'doc-w2' }, '2024-03-05 11:05');
    expect(runningDeadlines(f.s, f.now).map((d) => d.kind)).toEqual(['decision_due']);
    f = step(f, o1, SAMPLE.submit_legal_review, '2024-03-05 14:00');
    f = step(f, reviewer, SAMPLE.pass_legal_review, '2024-03-06 09:00');
    f = step(f, approver, SAMPLE.approve_decision, '2024-03-06 10:00');
    expect(f.s.state).toBe('decided');
  });

  it('a waiver must be in writing, after the notice, once, and of a right the party has', () => {
    const f = notified();
    expectRefused(
      () =>
        decide(
          f.s,
          { type: 'record_waiver', right: 'statement' } as unknown as CaseAction,
          o1,
          bj('2024-03-05 11:00'),
          policy,
          TZ,
        ),
      'validation',
      'invalid_case_action',
    );
    expectRefused(
      () =>
        decide(
          f.s,
          { type: 'record_waiver', right: 'statement', documentId: 'd', signedAt: bj('2024-03-05 09:00') },
          o1,
          bj('2024-03-05 11:00'),
          policy,
          TZ,
        ),
      'rule_violation',
      'waiver_before_notice',
    );
    const once = step(
      f,
      o1,
      { type: 'record_waiver', right: 'statement', documentId: 'd' },
      '2024-03-05 11:00',
    );
    expectRefused(
      () =>
        decide(
          once.s,
          { type: 'record_waiver', right: 'statement', documentId: 'd2' },
          o1,
          bj('2024-03-05 12:00'),
          policy,
          TZ,
        ),
      'conflict',
      'already_waived',
    );
    expectRefused(
      () =>
        decide(
          reach('pre_penalty_notified', SMALL_FINE).s,
          { type: 'record_waiver', right: 'hearing', documentId: 'd' },
          o1,
          bj('2024-03-05 11:00'),
          policy,
          TZ,
        ),
      'rule_violation',
      'no_hearing_right',
    );
  });

  it('a hearing request cannot precede the notice', () => {
    expectRefused(
      () =>
        decide(
          notified().s,
          { type: 'request_hearing', requestedAt: bj('2024-03-05 09:00') },
          o1,
          bj('2024-03-05 11:00'),
          policy,
          TZ,
        ),
      'validation',
      'request_before_notice',
    );
  });

  it('a hearing request after the 5 working days is refused; one made in time but recorded later is accepted', () => {
    const f = notified();
    expectRefused(
      () => decide(f.s, SAMPLE.request_hearing, o1, bj('2024-03-13 00:00'), policy, TZ),
      'rule_violation',
      'hearing_request_late',
    );
    const recordedLate = decide(
      f.s,
      { type: 'request_hearing', requestedAt: bj('2024-03-12 20:00') },
      o1,
      bj('2024-03-13 09:00'),
      policy,
      TZ,
    );
    expect(recordedLate.next).toBe('hearing_requested');
    expect(recordedLate.effects.deadlinesStopped).toEqual(['hearing_request_window']);
  });

  it('a pending hearing request blocks the decision until heard or withdrawn', () => {
    const f = reach('awaiting_decision');
    const hearing: Hearing = { requestedAt: bj('2024-03-06 10:00') };
    noticeOf(f.s).hearing = hearing;
    expectRefused(
      () => decide(f.s, SAMPLE.approve_decision, approver, bj('2024-03-13 09:00'), policy, TZ, calendar),
      'rule_violation',
      'hearing_pending',
    );
    hearing.withdrawnAt = bj('2024-03-07 09:00');
    expect(
      decide(f.s, SAMPLE.approve_decision, approver, bj('2024-03-13 09:00'), policy, TZ, calendar).next,
    ).toBe('decided');
  });

  it('the hearing: notified 7 working days ahead, chaired by a non-officer, recorded once held (Art. 64)', () => {
    const f = reach('hearing_requested');
    const schedule = (hearingAt: string, hostId = 'h1') =>
      decide(
        f.s,
        { type: 'schedule_hearing', hearingAt: bj(hearingAt), hostId },
        o1,
        bj('2024-03-06 11:00'),
        policy,
        TZ,
      );
    expectRefused(() => schedule('2024-03-14 23:00'), 'rule_violation', 'hearing_notice_too_short');
    expect(schedule('2024-03-15 08:00').next).toBe('hearing_scheduled');
    expectRefused(() => schedule('2024-03-15 09:00', 'o2'), 'forbidden', 'hearing_host_is_case_officer');
    const scheduled = reach('hearing_scheduled');
    expectRefused(
      () => decide(scheduled.s, SAMPLE.record_hearing, o1, bj('2024-03-14 18:00'), policy, TZ),
      'rule_violation',
      'hearing_not_yet_held',
    );
    expect(allowedActions(scheduled.s, o1, bj('2024-03-14 18:00'), policy, TZ)).not.toContain(
      'record_hearing',
    );
  });

  it('a heard case needs legal review even when the policy would not require it (Art. 58)', () => {
    const f = reach('heard');
    expectRefused(
      () => decide(f.s, SAMPLE.submit_for_decision, o1, bj('2024-03-15 09:00'), noReviewPolicy, TZ),
      'conflict',
      'invalid_transition',
    );
    const notified = reach('pre_penalty_notified');
    notified.s.major = true;
    expectRefused(
      () => decide(notified.s, SAMPLE.submit_for_decision, o1, bj('2024-03-11 09:00'), noReviewPolicy, TZ),
      'rule_violation',
      'legal_review_required',
    );
    expectRefused(
      () =>
        decide(
          reach('pre_penalty_notified').s,
          SAMPLE.submit_for_decision,
          o1,
          bj('2024-03-11 09:00'),
          policy,
          TZ,
        ),
      'rule_violation',
      'legal_review_required',
    );
  });

  // Art. 58(1): with legalReviewForEveryCase off, a major case is still reviewed — by its penalty (the bureau's
  // 法制审核目录, default the Art. 66 measures), a hearing, or the officer's mark of complexity at filing.
  it('a major case needs legal review even when the policy would not require it: penalty, hearing, complexity', () => {
    const submit = (s: CaseSnapshot, pol: CasePolicy = noReviewPolicy) =>
      decide(s, SAMPLE.submit_for_decision, o1, bj('2024-03-11 09:00'), pol, TZ);
    const driver = reach('pre_penalty_notified', DRIVER);
    const refused = expectRefused(() => submit(driver.s), 'rule_violation', 'legal_review_required');
    expect(refused.details).toMatchObject({ grounds: ['penalty_kind'] });
    expect(majorCaseGrounds(driver.s, noReviewPolicy)).toEqual(['penalty_kind']);
    // The list is the bureau's: without the order to stop transport on it, the driver's case is not major.
    expect(majorCaseGrounds(driver.s, { ...noReviewPolicy, majorCasePenaltyKinds: [] })).toEqual([]);
    // A hearing requested (not withdrawn) or held is a hearing procedure (Art. 58(1)(二)).
    const requested = reach('hearing_requested');
    expect(majorCaseGrounds(requested.s, noReviewPolicy)).toEqual(['hearing']);
    expect(majorCaseGrounds(reach('heard').s, noReviewPolicy)).toEqual(['hearing']);
    expect(majorCaseGrounds(reach('pre_penalty_notified', SMALL_FINE).s, noReviewPolicy)).toEqual([]);
    // Marked complex when asking to file (Art. 58(1)(三)).
    const marked = step(
      reach('draft'),
      o1,
      { type: 'request_filing', complex: { reason: '涉及多个法律关系' } },
      '2024-03-01 09:30',
    );
    expect(marked.s).toMatchObject({ major: true, majorReason: '涉及多个法律关系' });
    expect(majorCaseGrounds(marked.s, noReviewPolicy)).toEqual(['complex']);
    expect(legalReviewRequired(marked.s, noReviewPolicy)).toBe(true);
    // …or as investigation shows it, with the proposed penalty (before the notice fixes the proposal).
    const investigating = reach('filed');
    expect(majorCaseGrounds(investigating.s, noReviewPolicy)).toEqual([]);
    const later = step(
      investigating,
      o1,
      {
        type: 'propose_penalty',
        penalty: { kind: 'fine', amountYuan: 3000 },
        complex: { reason: '车辆挂靠经营，涉及车主、实际经营人两个法律关系' },
      },
      '2024-03-02 09:00',
    );
    expect(majorCaseGrounds(later.s, noReviewPolicy)).toEqual(['complex']);
    expect(later.s.majorReason).toBe('车辆挂靠经营，涉及车主、实际经营人两个法律关系');
  });
});

describe('legal review (Art. 58)', () => {
  it('returned, resubmitted without a change → refused; after a change → allowed', () => {
    const returned = reach('returned');
    expectRefused(
      () => decide(returned.s, SAMPLE.submit_legal_review, o1, bj('2024-03-13 17:00'), policy, TZ),
      'rule_violation',
      'no_change_since_return',
    );
    expect(allowedActions(returned.s, o1, bj('2024-03-13 17:00'), policy, TZ)).not.toContain(
      'submit_legal_review',
    );
    // A document version older than the return is not a change.
    returned.s.documents.push({
      documentId: 'doc-1',
      kind: 'inquiry_record',
      version: 1,
      createdAt: bj('2024-03-13 08:00'),
    });
    expectRefused(
      () => decide(returned.s, SAMPLE.submit_legal_review, o1, bj('2024-03-13 17:00'), policy, TZ),
      'rule_violation',
      'no_change_since_return',
    );
    // A supplementary investigation record is a change.
    const investigated = step(returned, o2, SAMPLE.record_investigation, '2024-03-13 16:00');
    expect(
      decide(investigated.s, SAMPLE.submit_legal_review, o1, bj('2024-03-13 17:00'), policy, TZ).next,
    ).toBe('legal_review');
    // So is a new document version.
    expect(
      decide(revisedAfterReturn()().s, SAMPLE.submit_legal_review, o1, bj('2024-03-13 17:00'), policy, TZ)
        .next,
    ).toBe('legal_review');
  });

  // 超限规定 Art. 43(1)(二), 43(2): a warning imposed with the fine is part of the penalty the party was told of.
  it('adding or dropping the warning of a fine is a changed proposal (Art. 44)', () => {
    const withWarning = {
      type: 'propose_penalty' as const,
      penalty: { kind: 'fine' as const, amountYuan: 15_000, warning: true as const },
    };
    const f = step(reach('returned'), o1, withWarning, '2024-03-13 16:00');
    expect(f.s.proposedPenalty).toEqual({ kind: 'fine', amountYuan: 15_000, warning: true });
    expectRefused(
      () => decide(f.s, SAMPLE.submit_legal_review, o1, bj('2024-03-13 17:00'), policy, TZ),
      'rule_violation',
      'pre_penalty_notice_outdated',
    );
    expectRefused(
      () =>
        decide(
          reach('filed').s,
          { type: 'propose_penalty', penalty: { kind: 'warning', warning: true } },
          o1,
          bj('2024-03-02 09:00'),
          policy,
          TZ,
        ),
      'validation',
      'warning_only_with_fine',
    );
  });

  // 超限规定 Art. 43(1)(二): the warning beside a fine follows the detection, not the officer's choice.
  it('a vehicle fine keeps the warning the law gives and takes none it does not give', () => {
    const fine = (warning: boolean) => ({
      type: 'propose_penalty' as const,
      penalty: { kind: 'fine' as const, amountYuan: 15_000, ...(warning ? { warning: true as const } : {}) },
    });
    const filed = reach('filed');
    const at = bj('2024-03-02 09:00');
    const warned = { ...filed.s, warningByLaw: true };
    expectRefused(
      () => decide(warned, fine(false), o1, at, policy, TZ),
      'rule_violation',
      'warning_required_by_law',
    );
    expect(transition(warned, fine(true), o1, at, policy, TZ).snapshot.proposedPenalty).toEqual({
      kind: 'fine',
      amountYuan: 15_000,
      warning: true,
    });
    const unwarned = { ...filed.s, warningByLaw: false };
    expectRefused(
      () => decide(unwarned, fine(true), o1, at, policy, TZ),
      'rule_violation',
      'warning_not_provided_by_law',
    );
    expect(transition(unwarned, fine(false), o1, at, policy, TZ).snapshot.proposedPenalty).toEqual({
      kind: 'fine',
      amountYuan: 15_000,
    });
    // a case filed before the law's warning was kept: the proposal is not checked against it
    expect(transition(filed.s, fine(true), o1, at, policy, TZ).snapshot.proposedPenalty?.warning).toBe(true);
  });

  // 行政处罚法 Art. 55: an inquiry record names the person questioned, kept on the record.
  it('an inquiry needs its interviewee, kept on the record; the other kinds take none', () => {
    const filed = reach('filed');
    expectRefused(
      () =>
        decide(
          filed.s,
          { type: 'record_investigation', kind: 'inquiry' },
          o1,
          bj('2024-03-02 10:00'),
          policy,
          TZ,
        ),
      'validation',
      'interviewee_required',
    );
    expectRefused(
      () =>
        decide(
          filed.s,
          { type: 'record_investigation', kind: 'document_check', interviewee: INTERVIEWEE },
          o1,
          bj('2024-03-02 10:00'),
          policy,
          TZ,
        ),
      'validation',
      'interviewee_only_for_inquiry',
    );
    const f = step(
      filed,
      o1,
      { type: 'record_investigation', kind: 'inquiry', interviewee: INTERVIEWEE },
      '2024-03-02 10:00',
    );
    expect(f.s.investigationRecords.at(-1)?.interviewee).toEqual(INTERVIEWEE);
  });

  // 超限规定 Art. 44(二): the enterprise reported is the driver's; no other party carries one.
  it('only a driver is recorded with an employer', () => {
    const body = caseActionDefinition('record_investigation').body;
    const party = (role: 'driver' | 'source_unit', employer?: string) => ({
      expectedVersion: 3,
      kind: 'document_check',
      summary: '核查驾驶证、从业资格证',
      parties: [
        role === 'driver'
          ? { role, kind: 'person', name: '赵六', idNumber: '430521199003071235' }
          : { role, kind: 'organisation', name: '汨罗市某砂石场', idNumber: '91430681MA4L00001N' },
      ].map((p) => ({ ...p, ...(employer ? { employer } : {}) })),
    });
    const employer = '汨罗市顺通运输有限公司';
    expect(body.safeParse(party('driver', employer)).success).toBe(true);
    expect(body.safeParse(party('source_unit')).success).toBe(true);
    const refused = body.safeParse(party('source_unit', employer));
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => i.path.join('.'))).toEqual(['parties.0.employer']);
  });

  it('penaltyFromProposal keeps the warning of a part beside a fine; penaltyKindsOf stores both', () => {
    const parts = [{ kind: 'warning' }, { kind: 'fine' }];
    expect(penaltyFromProposal({ kind: 'fine', amountYuan: 500, parts })).toEqual({
      kind: 'fine',
      amountYuan: 500,
      warning: true,
    });
    expect(penaltyFromProposal({ kind: 'fine', amountYuan: 500, parts: [{ kind: 'fine' }] })).toEqual({
      kind: 'fine',
      amountYuan: 500,
    });
    expect(penaltyFromProposal({ kind: 'warning', amountYuan: 0, parts: [{ kind: 'warning' }] })).toEqual({
      kind: 'warning',
    });
    expect(penaltyKindsOf({ kind: 'fine', amountYuan: 500, warning: true })).toEqual(['warning', 'fine']);
    expect(penaltyKindsOf({ kind: 'fine', amountYuan: 500 })).toEqual(['fine']);
  });

  it('a changed proposal needs a new pre-penalty notice with new windows before it can come back', () => {
    let f = step(reach('returned'), o1, NEW_PROPOSAL, '2024-03-13 16:00');
    expectRefused(
      () => decide(f.s, SAMPLE.submit_legal_review, o1, bj('2024-03-13 17:00'), policy, TZ),
      'rule_violation',
      'pre_penalty_notice_outdated',
    );
    f = step(f, o1, SAMPLE.issue_pre_penalty_notice, '2024-03-13 17:00');
    expect(f.s.prePenaltyNotices.map((n) => !!n.supersededAt)).toEqual([true, false]);
    expect(runningDeadlines(f.s, f.now).map((d) => [d.kind, d.dueAt.toISOString()])).toEqual([
      ['statement_window', endOfBjDay('2024-03-18')],
      ['hearing_request_window', endOfBjDay('2024-03-20')],
      ['decision_due', endOfBjDay('2024-05-30')],
    ]);
    expectRefused(
      () => decide(f.s, SAMPLE.submit_legal_review, o1, bj('2024-03-14 09:00'), policy, TZ),
      'rule_violation',
      'statement_window_open',
    );
    expect(decide(f.s, SAMPLE.submit_legal_review, o1, bj('2024-03-21 09:00'), policy, TZ).next).toBe(
      'legal_review',
    );
  });

  it('no decision without a passed review: a case sent to the approver without review under another policy', () => {
    const f = step(
      reach('pre_penalty_notified'),
      o1,
      SAMPLE.submit_for_decision,
      '2024-03-13 09:00',
      noReviewPolicy,
    );
    expectRefused(
      () => decide(f.s, SAMPLE.approve_decision, approver, bj('2024-03-14 09:00'), policy, TZ, calendar),
      'rule_violation',
      'legal_review_not_passed',
    );
    expect(
      decide(f.s, SAMPLE.approve_decision, approver, bj('2024-03-14 09:00'), noReviewPolicy, TZ, calendar)
        .next,
    ).toBe('decided');
  });

  it('a return by the approver after a passed review requires a new review', () => {
    let f = step(reach('awaiting_decision'), approver, SAMPLE.send_back, '2024-03-14 09:00');
    f = step(f, o1, SAMPLE.record_investigation, '2024-03-14 10:00');
    // Forced back to awaiting_decision without a new review: the old pass predates the return.
    const skipped = { ...f.s, state: 'awaiting_decision' as const };
    expectRefused(
      () => decide(skipped, SAMPLE.approve_decision, approver, bj('2024-03-14 11:00'), policy, TZ, calendar),
      'rule_violation',
      'legal_review_not_passed',
    );
    f = step(f, o1, SAMPLE.submit_legal_review, '2024-03-14 11:00');
    f = step(f, reviewer, SAMPLE.pass_legal_review, '2024-03-14 12:00');
    expect(
      decide(f.s, SAMPLE.approve_decision, approver, bj('2024-03-14 13:00'), policy, TZ, calendar).next,
    ).toBe('decided');
  });
});

describe('decision within 90 days of filing (Art. 60): flagged, not refused', () => {
  // Filed 2024-03-01 10:00 Beijing: the 90th day is 30 May.
  it.each([
    ['2024-05-30 23:59', []],
    ['2024-05-31 00:00', ['decision_after_90_days']],
  ])('decided at %s → flags %j', (when, flags) => {
    const outcome = decide(
      reach('awaiting_decision').s,
      SAMPLE.approve_decision,
      approver,
      bj(when),
      policy,
      TZ,
      calendar,
    );
    expect(outcome.next).toBe('decided');
    expect(outcome.effects.flags.map((f) => f.code)).toEqual(flags);
  });

  it('counts the 90 days from the Beijing date of filing, not the UTC one', () => {
    // 00:30 on 1 March in Beijing is still 29 February in UTC.
    const f = reach('filing_requested');
    const outcome = decide(f.s, SAMPLE.approve_filing, approver, bj('2024-03-01 00:30'), policy, TZ);
    expect(outcome.effects.deadlinesStarted).toEqual([
      { kind: 'decision_due', startedAt: bj('2024-03-01 00:30'), dueAt: new Date(endOfBjDay('2024-05-30')) },
    ]);
  });
});

describe('service (Art. 61), payment (Art. 67, 72), execution', () => {
  it.each([
    ['2024-03-25 23:59', []],
    ['2024-03-26 00:00', ['service_late']],
  ])('decided Thu 14 March (service due Mon 25), served at %s → flags %j', (when, flags) => {
    const outcome = decide(
      reach('decided').s,
      { type: 'record_service', method: 'post', servedAt: bj(when) },
      o1,
      bj('2024-03-27 09:00'),
      policy,
      TZ,
    );
    expect(outcome.effects.flags.map((f) => f.code)).toEqual(flags);
    expect(outcome.effects.deadlinesStopped).toEqual(['service_due']);
    expect(outcome.effects.deadlinesStarted).toEqual([
      {
        kind: 'payment_due',
        startedAt: bj(when),
        dueAt: new Date(endOfBjDay(when === '2024-03-25 23:59' ? '2024-04-09' : '2024-04-10')),
      },
    ]);
  });

  it('electronic service needs the signed consent', () => {
    const f = reach('decided');
    expectRefused(
      () =>
        decide(f.s, { type: 'record_service', method: 'electronic' }, o1, bj('2024-03-14 09:00'), policy, TZ),
      'rule_violation',
      'electronic_service_without_consent',
    );
    expect(
      decide(
        f.s,
        { type: 'record_service', method: 'electronic', consentDocumentId: 'doc-consent' },
        o1,
        bj('2024-03-14 09:00'),
        policy,
        TZ,
      ).next,
    ).toBe('served');
  });

  it('late payment: the late fee (taken as input) is owed on top of the fine, capped at the fine', () => {
    // Served Fri 15 March: 15 days end on Sat 30 March, moved to Mon 1 April (民法典 Art. 203).
    // Paid 3 April, 2 days late: 15,000 × 3% × 2 = 900, as the legal lib's late-fee rule computes it.
    const fee = lateFee(15_000, '2024-04-01', '2024-04-03').amountYuan;
    expect(fee).toBe(900);
    const f = reach('served');
    const pay = (amountYuan: number, lateFeeDueYuan?: number) =>
      decide(
        f.s,
        {
          type: 'record_payment',
          amountYuan,
          receiptNo: 'R-2',
          paidAt: bj('2024-04-03 10:00'),
          ...(lateFeeDueYuan === undefined ? {} : { lateFeeDueYuan }),
        },
        o1,
        bj('2024-04-03 10:00'),
        policy,
        TZ,
      );
    expectRefused(() => pay(15_000), 'validation', 'late_fee_due_required');
    expectRefused(() => pay(30_001, 15_001), 'validation', 'late_fee_above_cap');
    expectRefused(() => pay(16_000, fee), 'validation', 'payment_exceeds_amount_due');
    const partial = pay(15_000, fee);
    expect(partial).toMatchObject({ next: 'served', effects: { deadlinesStopped: [] } });
    expect(partial.effects.flags.map((x) => x.code)).toEqual(['payment_late']);
    const full = pay(15_900, fee);
    expect(full).toMatchObject({ next: 'executed', effects: { deadlinesStopped: ['payment_due'] } });
  });

  it('on-time payment owes no late fee; partial payments add up', () => {
    let f = reach('served');
    expectRefused(
      () =>
        decide(
          f.s,
          { type: 'record_payment', amountYuan: 15_000, receiptNo: 'R', lateFeeDueYuan: 10 },
          o1,
          bj('2024-04-01 23:00'),
          policy,
          TZ,
        ),
      'validation',
      'late_fee_not_due',
    );
    f = step(f, o1, { type: 'record_payment', amountYuan: 10_000.5, receiptNo: 'R-1' }, '2024-03-20 09:00');
    expect(f.s.state).toBe('served');
    expect(runningDeadlines(f.s).map((d) => d.kind)).toContain('payment_due');
    f = step(f, o1, { type: 'record_payment', amountYuan: 4_999.5, receiptNo: 'R-2' }, '2024-03-21 09:00');
    expect(f.s.state).toBe('executed');
    expect(f.s.flags).toEqual([]);
  });

  it('non-fine penalties are executed by recording execution, a warning by its service', () => {
    expectRefused(
      () => decide(reach('served').s, SAMPLE.record_execution, o1, bj('2024-03-20 09:00'), policy, TZ),
      'rule_violation',
      'penalty_executed_by_payment',
    );
    expectRefused(
      () => decide(reach('served', DRIVER).s, SAMPLE.record_payment, o1, bj('2024-03-20 09:00'), policy, TZ),
      'rule_violation',
      'penalty_not_a_fine',
    );
    const warned = decide(
      reach('decided', WARNING).s,
      SAMPLE.record_service,
      o1,
      bj('2024-03-14 09:00'),
      policy,
      TZ,
    );
    expect(warned).toMatchObject({
      next: 'executed',
      effects: { deadlinesStarted: [], deadlinesStopped: ['service_due'] },
    });
  });

  it('compulsory execution: a demand after the payment period, then the court after the remedy periods and 10 working days (行政强制法 Arts. 53, 54)', () => {
    const f = reach('served');
    // No application without a written demand, whatever the date.
    expectRefused(
      () => decide(f.s, SAMPLE.refer_for_enforcement, approver, bj('2024-09-19 00:00'), policy, TZ),
      'rule_violation',
      'demand_not_served',
    );
    // Served Fri 15 March: 15 days end Sat 30 March, moved to Mon 1 April; no demand before.
    expectRefused(
      () => decide(f.s, SAMPLE.serve_execution_demand, o1, bj('2024-04-01 23:00'), policy, TZ),
      'rule_violation',
      'payment_period_running',
    );
    const g = demanded();
    expect(g.s.executionDemand).toMatchObject({ issuedBy: 'o1' });
    // Six months end on Sun 15 September, a Mid-Autumn holiday (15-17), so the lawsuit period runs to the end
    // of Wed 18 September (民法典 Art. 203).
    expectRefused(
      () => decide(g.s, SAMPLE.refer_for_enforcement, approver, bj('2024-09-18 23:59'), policy, TZ),
      'rule_violation',
      'remedy_periods_running',
    );
    const referred = decide(g.s, SAMPLE.refer_for_enforcement, approver, bj('2024-09-19 00:00'), policy, TZ);
    expect(referred).toMatchObject({
      next: 'referred_for_enforcement',
      effects: { deadlinesStopped: ['payment_due'], flags: [] },
    });
    const tooLate = decide(g.s, SAMPLE.refer_for_enforcement, approver, bj('2024-12-19 00:00'), policy, TZ);
    expect(tooLate.effects.flags.map((x) => x.code)).toEqual(['enforcement_referral_late']);
    // A demand served late: 10 working days must pass after it (Art. 54 with Art. 69).
    const lateDemand = step(reach('served'), o1, { type: 'serve_execution_demand' }, '2024-09-10 10:00');
    expectRefused(
      () => decide(lateDemand.s, SAMPLE.refer_for_enforcement, approver, bj('2024-09-19 00:00'), policy, TZ),
      'rule_violation',
      'demand_period_running',
    );
    // A party that sought a remedy is not Art. 53's case: execution follows the remedy's outcome.
    const sought = step(g, o1, SAMPLE.record_remedy, '2024-04-09 10:00');
    expectRefused(
      () => decide(sought.s, SAMPLE.refer_for_enforcement, approver, bj('2024-09-19 00:00'), policy, TZ),
      'rule_violation',
      'remedy_sought',
    );
  });

  it('records a reconsideration or lawsuit with its body and dates, one pending of a kind at a time', () => {
    const f = step(reach('served'), o1, SAMPLE.record_remedy, '2024-03-20 10:00');
    expect(f.s.remedies).toEqual([
      expect.objectContaining({ kind: 'reconsideration', body: '汨罗市人民政府', filedOn: '2024-03-20' }),
    ]);
    expectRefused(
      () => decide(f.s, SAMPLE.record_remedy, o1, bj('2024-03-21 10:00'), policy, TZ),
      'rule_violation',
      'remedy_pending',
    );
    expectRefused(
      () =>
        decide(
          reach('served').s,
          { ...SAMPLE.record_remedy, filedOn: '2024-03-01' },
          o1,
          bj('2024-03-21 10:00'),
          policy,
          TZ,
        ),
      'validation',
      'filed_before_decision',
    );
    expectRefused(
      () => decide(reach('served').s, SAMPLE.record_remedy_outcome, o1, bj('2024-05-11 10:00'), policy, TZ),
      'rule_violation',
      'no_pending_remedy',
    );
    const done = step(f, o1, SAMPLE.record_remedy_outcome, '2024-05-11 10:00');
    expect(done.s.remedies?.[0]).toMatchObject({ outcome: 'upheld', concludedOn: '2024-05-10' });
  });
});

describe('closing, home-authority report, publicity, archiving', () => {
  it('closing requires the penalty executed', () => {
    expectRefused(
      () =>
        decide(reach('served').s, SAMPLE.close_case, approver, bj('2024-03-21 09:00'), policy, TZ, calendar),
      'conflict',
      'invalid_transition',
    );
    const forced = { ...reach('served').s, state: 'executed' as const };
    expectRefused(
      () => decide(forced, SAMPLE.close_case, approver, bj('2024-03-21 09:00'), policy, TZ, calendar),
      'rule_violation',
      'penalty_not_executed',
    );
  });

  it('closing starts the report to the home authority: 7 working days of the calendar (Art. 44)', () => {
    // Closed Thu 21 March 2024 → 22, 25, 26, 27, 28, 29 March, 1 April: due by the end of Mon 1 April.
    const f = reach('executed');
    const close = (cal: WorkingDayCalendar) =>
      decide(f.s, SAMPLE.close_case, approver, bj('2024-03-21 09:00'), policy, TZ, cal);
    expect(close(calendar).effects.deadlinesStarted.map((d) => [d.kind, d.dueAt.toISOString()])).toEqual([
      ['home_authority_report_due', endOfBjDay('2024-04-01')],
    ]);
    // The admin-maintained calendar is what counts: a day off on Fri 22 March moves it to Tue 2 April.
    const withDayOff = { ...calendar, holidays: [...calendar.holidays, '2024-03-22'] };
    expect(close(withDayOff).effects.deadlinesStarted[0]?.dueAt.toISOString()).toBe(endOfBjDay('2024-04-02'));
    // A calendar without holiday data for the period refuses rather than guessing.
    const stale = { ...calendar, coverage: { from: '2023-01-01', to: '2023-12-31' } };
    expectRefused(() => close(stale), 'rule_violation', 'working_calendar_not_covered');
    // Only the vehicle case carries the report.
    const driver = decide(
      reach('executed', DRIVER).s,
      SAMPLE.close_case,
      approver,
      bj('2024-03-21 09:00'),
      policy,
      TZ,
    );
    expect(driver.effects.deadlinesStarted).toEqual([]);
  });

  it('a late report or late publicity is flagged', () => {
    const closed = reach('closed');
    const late = decide(
      closed.s,
      SAMPLE.record_home_authority_report,
      o1,
      bj('2024-04-02 09:00'),
      policy,
      TZ,
    );
    expect(late.effects.flags.map((f) => f.code)).toEqual(['home_authority_report_late']);
    // Decided Thu 14 March → 7 working days: publicity due by the end of Mon 25 March.
    expect(
      decide(closed.s, SAMPLE.record_publicity, o1, bj('2024-03-25 23:00'), policy, TZ).effects.flags,
    ).toEqual([]);
    expect(
      decide(closed.s, SAMPLE.record_publicity, o1, bj('2024-03-26 09:00'), policy, TZ).effects.flags.map(
        (f) => f.code,
      ),
    ).toEqual(['publicity_late']);
    const published = step(closed, o1, SAMPLE.record_publicity, '2024-03-22 09:00');
    expectRefused(
      () => decide(published.s, SAMPLE.record_publicity, o1, bj('2024-03-22 10:00'), policy, TZ),
      'conflict',
      'already_recorded',
    );
  });

  it('archiving waits for the report and the publicity, then makes the case read-only', () => {
    let f = reach('closed');
    expectRefused(
      () => decide(f.s, SAMPLE.archive, o1, bj('2024-03-25 09:00'), policy, TZ),
      'rule_violation',
      'home_authority_report_pending',
    );
    f = step(f, o1, SAMPLE.record_home_authority_report, '2024-03-22 09:00');
    expectRefused(
      () => decide(f.s, SAMPLE.archive, o1, bj('2024-03-25 09:00'), policy, TZ),
      'rule_violation',
      'publicity_pending',
    );
    f = step(f, o1, SAMPLE.record_publicity, '2024-03-22 10:00');
    f = step(f, approver, SAMPLE.archive, '2024-03-25 09:00');
    expect(f.s).toMatchObject({ state: 'archived', archivedAt: bj('2024-03-25 09:00') });
    expect(runningDeadlines(f.s)).toEqual([]);
    for (const actor of [o1, approver, reviewer, admin])
      expect(allowedActions(f.s, actor, bj('2024-03-26 09:00'), policy, TZ)).toEqual([]);
  });

  // 行政处罚法 Art. 48: publicity is for the decisions the policy publishes. A decision the policy leaves
  // unpublished, or one whose publication was withdrawn, is archived without a recorded publication — and no
  // officer records a publication that never happened.
  it('archives a decision the publicity policy does not publish, or whose publication was withdrawn', () => {
    for (const status of ['not_published', 'withdrawn'] as const) {
      let f = step(
        reach('executed', DRIVER),
        approver,
        { type: 'close_case', publication: { status, rule: 'organisation' } },
        '2024-03-21 09:00',
      );
      expect(f.s.publication).toEqual({ status, rule: 'organisation', readAt: bj('2024-03-21 09:00') });
      expect(allowedActions(f.s, o1, bj('2024-03-25 09:00'), policy, TZ)).toContain('archive');
      f = step(f, o1, SAMPLE.archive, '2024-03-25 09:00');
      expect(f.s.state).toBe('archived');
    }
    const closed = step(
      reach('executed', DRIVER),
      approver,
      { type: 'close_case', publication: { status: 'published', rule: 'every_decision' } },
      '2024-03-21 09:00',
    );
    expectRefused(
      () => decide(closed.s, SAMPLE.archive, o1, bj('2024-03-25 09:00'), policy, TZ),
      'rule_violation',
      'publicity_pending',
    );
    for (const [status, code] of [
      ['not_published', 'publication_not_made'],
      ['held', 'publication_still_held'],
    ] as const) {
      expectRefused(
        () =>
          decide(
            closed.s,
            { type: 'record_publicity', publication: { status, rule: 'organisation' } },
            o1,
            bj('2024-03-22 09:00'),
            policy,
            TZ,
          ),
        'rule_violation',
        code,
      );
    }
  });

  it('a driver case (no report) archives after publicity', () => {
    let f = step(reach('closed', DRIVER), o1, SAMPLE.record_publicity, '2024-03-22 09:00');
    f = step(f, o1, SAMPLE.archive, '2024-03-25 09:00');
    expect(f.s.state).toBe('archived');
  });

  it('a terminated case stops every deadline and can be archived', () => {
    const f = reach('pre_penalty_notified');
    const t = transition(f.s, SAMPLE.terminate_case, approver, bj('2024-03-06 09:00'), policy, TZ);
    expect(t.outcome.effects.deadlinesStopped.sort()).toEqual([
      'decision_due',
      'hearing_request_window',
      'statement_window',
    ]);
    expect(runningDeadlines(t.snapshot)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------
// what the API shows

describe('allowedActions and explainActions', () => {
  it.each([
    ['draft', o1, '2024-03-01 09:10', ['request_filing', 'assign_officers', 'propose_penalty']],
    ['draft', o3, '2024-03-01 09:10', []],
    ['draft', approver, '2024-03-01 09:10', ['assign_officers']],
    [
      'filing_requested',
      approver,
      '2024-03-01 09:40',
      ['approve_filing', 'reject_filing', 'assign_officers'],
    ],
    ['filing_requested', officerAsApprover, '2024-03-01 09:40', ['assign_officers']],
    [
      'pre_penalty_notified',
      o1,
      '2024-03-06 09:00',
      ['record_statement', 'record_waiver', 'request_hearing', 'reopen_investigation'],
    ],
    [
      'pre_penalty_notified',
      o2,
      '2024-03-13 09:00',
      ['record_statement', 'record_waiver', 'request_hearing', 'reopen_investigation', 'submit_legal_review'],
    ],
    ['pre_penalty_notified', approver, '2024-03-06 09:00', ['terminate_case']],
    ['pre_penalty_notified', reviewer, '2024-03-06 09:00', []],
    ['legal_review', reviewer, '2024-03-12 09:00', ['pass_legal_review', 'return_legal_review']],
    ['legal_review', officerAsReviewer, '2024-03-12 09:00', []],
    ['legal_review', unqualifiedReviewer, '2024-03-12 09:00', []],
    ['legal_review', o1, '2024-03-12 09:00', []],
    [
      'awaiting_decision',
      approver,
      '2024-03-13 09:00',
      [
        'record_collective_discussion',
        'approve_decision',
        'decide_no_penalty',
        'send_back',
        'terminate_case',
      ],
    ],
    ['awaiting_decision', officerAsApprover, '2024-03-13 09:00', []],
    ['decided', o1, '2024-03-13 10:00', ['record_service', 'record_remedy', 'record_publicity']],
    ['served', o1, '2024-03-20 09:00', ['record_payment', 'record_remedy', 'record_publicity']],
    // After the payment period: the written demand is offered (行政强制法 Art. 54).
    [
      'served',
      o1,
      '2024-04-08 09:00',
      ['record_payment', 'record_remedy', 'serve_execution_demand', 'record_publicity'],
    ],
    ['served', approver, '2024-03-20 09:00', []],
    // No application to the court without a written demand served first (Art. 54).
    ['served', approver, '2024-09-20 09:00', []],
    ['closed', o1, '2024-03-22 09:00', ['record_home_authority_report', 'record_publicity']],
    ['closed', auditor, '2024-03-22 09:00', []],
    ['closed', admin, '2024-03-22 09:00', []],
  ] as const)('%s, %j at %s → %j', (state, actor, when, expected) => {
    expect(allowedActions(reach(state).s, actor, bj(when), policy, TZ)).toEqual(expected);
  });

  it('explains why an action is not offered', () => {
    const explained = explainActions(reach('pre_penalty_notified').s, o1, bj('2024-03-06 09:00'), policy, TZ);
    expect(explained.find((a) => a.action === 'submit_legal_review')).toMatchObject({
      allowed: false,
      refusal: { category: 'rule_violation', code: 'statement_window_open' },
    });
    expect(explained.find((a) => a.action === 'submit_for_decision')?.refusal?.code).toBe(
      'legal_review_required',
    );
    expect(explained.find((a) => a.action === 'record_statement')).toMatchObject({
      allowed: true,
      title: '记录陈述申辩',
    });
  });
});

describe('deadlines started and stopped along a whole vehicle case', () => {
  it('keeps exactly the running deadlines at each step', () => {
    const running = (f: Fixture) =>
      runningDeadlines(f.s, f.now).map((d) => `${d.kind}@${d.dueAt.toISOString()}`);
    expect(running(reach('draft'))).toEqual([]);
    expect(running(reach('filed'))).toEqual([`decision_due@${endOfBjDay('2024-05-30')}`]);
    expect(running(reach('pre_penalty_notified'))).toEqual([
      `statement_window@${endOfBjDay('2024-03-08')}`,
      `hearing_request_window@${endOfBjDay('2024-03-12')}`,
      `decision_due@${endOfBjDay('2024-05-30')}`,
    ]);
    // Party windows that ended lapse by themselves; the submission also stops their records.
    expect(running(reach('legal_review'))).toEqual([`decision_due@${endOfBjDay('2024-05-30')}`]);
    expect(
      reach('legal_review')
        .s.deadlines.filter((d) => d.stoppedBy === 'submit_legal_review')
        .map((d) => d.kind),
    ).toEqual(['statement_window', 'hearing_request_window']);
    expect(running(reach('decided'))).toEqual([
      `service_due@${endOfBjDay('2024-03-25')}`,
      `publicity_due@${endOfBjDay('2024-03-25')}`,
    ]);
    expect(running(reach('served'))).toEqual([
      `publicity_due@${endOfBjDay('2024-03-25')}`,
      `payment_due@${endOfBjDay('2024-04-01')}`,
    ]);
    expect(running(reach('executed'))).toEqual([`publicity_due@${endOfBjDay('2024-03-25')}`]);
    expect(running(reach('closed'))).toEqual([
      `publicity_due@${endOfBjDay('2024-03-25')}`,
      `home_authority_report_due@${endOfBjDay('2024-04-01')}`,
    ]);
    expect(running(reach('archived'))).toEqual([]);
  });

  it('marks an authority deadline overdue and drops a lapsed party window', () => {
    const f = reach('pre_penalty_notified');
    const later = runningDeadlines(f.s, bj('2024-06-01 09:00'));
    expect(later.map((d) => [d.kind, d.overdue])).toEqual([['decision_due', true]]);
    expect(runningDeadlines(f.s).map((d) => d.kind)).toEqual([
      'statement_window',
      'hearing_request_window',
      'decision_due',
    ]);
  });
});

describe('the same machine for every case type (一超四罚)', () => {
  it.each([
    ['vehicle', { kind: 'fine', amountYuan: 800 }],
    ['vehicle', { kind: 'fine', amountYuan: 2_000 }],
    ['vehicle', { kind: 'warning' }],
    ['driver', { kind: 'order_stop_transport' }],
    ['enterprise', { kind: 'business_suspension' }],
    ['vehicle_certificate', { kind: 'certificate_revocation' }],
    ['source_unit', { kind: 'fine', amountYuan: 30_000 }],
  ] as const)('%s with %j runs from draft to archive', (caseType, penalty) => {
    const v: Variant = { caseType, penalty };
    const f = reach('archived', v);
    expect(f.s).toMatchObject({ state: 'archived', decision: { penalty } });
    expect(f.s.flags).toEqual([]);
    // Non-fine penalties restricting a licence or practice carry a hearing right (Art. 63).
    expect(f.s.prePenaltyNotices[0]?.hearingRight).toBe(
      penalty.kind !== 'warning' && penalty.kind !== 'fine'
        ? true
        : penalty.kind === 'fine' && penalty.amountYuan >= policy.hearingThresholds.personYuan,
    );
  });
});

describe('input', () => {
  it('refuses a malformed action with the field named', () => {
    const error = expectRefused(
      () =>
        decide(
          reach('served').s,
          { type: 'record_payment', amountYuan: -5, receiptNo: '' } as CaseAction,
          o1,
          bj('2024-03-20 09:00'),
          policy,
          TZ,
        ),
      'validation',
      'invalid_case_action',
    );
    expect((error.details.errors ?? []).map((e) => e.path).sort()).toEqual(['amountYuan', 'receiptNo']);
    expectRefused(
      () =>
        decide(
          reach('served').s,
          { type: 'fly' } as unknown as CaseAction,
          o1,
          bj('2024-03-20 09:00'),
          policy,
          TZ,
        ),
      'validation',
      'invalid_case_action',
    );
  });

  it('refuses even a malformed action on an archived case as archived', () => {
    expectRefused(
      () =>
        decide(
          reach('archived').s,
          { type: 'fly' } as unknown as CaseAction,
          o1,
          bj('2024-04-01 09:00'),
          policy,
          TZ,
        ),
      'conflict',
      'case_archived',
    );
  });

  it('accepts ISO strings for times (as a JSON body carries them)', () => {
    const action: CaseActionInput = {
      type: 'record_service',
      method: 'post',
      servedAt: '2024-03-14T01:00:00.000Z',
    };
    const t = transition(reach('decided').s, action, o1, bj('2024-03-14 10:00'), policy, TZ);
    expect(t.snapshot.service?.servedAt).toEqual(new Date('2024-03-14T01:00:00.000Z'));
  });

  it('does not change the snapshot it is given', () => {
    const f = reach('served');
    const before = structuredClone(f.s);
    transition(
      f.s,
      { type: 'record_payment', amountYuan: 15_000, receiptNo: 'R' },
      o1,
      bj('2024-03-20 09:00'),
      policy,
      TZ,
    );
    expect(f.s).toEqual(before);
  });
});

describe('the path of issue 4, step by step', () => {
  it('filing → notice → statement → review returned, fixed, passed → decision → service → late payment → closing → archive → write refused', () => {
    let f = reach('draft');
    // 行政处罚法 Art. 72: 15,000 × 3% × 6 = 2,700, computed by the legal lib's late-fee rule.
    const fee = lateFee(15_000, '2024-04-02', '2024-04-08').amountYuan;
    expect(fee).toBe(2_700);
    const walk: [CaseActor, CaseActionInput, string][] = [
      [o1, { type: 'request_filing' }, '2024-03-01 09:30'],
      [approver, { type: 'approve_filing', caseNumber: '汨交罚〔2024〕第0001号' }, '2024-03-01 10:00'],
      [
        o1,
        {
          type: 'record_investigation',
          kind: 'inquiry',
          documentId: 'doc-inquiry',
          interviewee: INTERVIEWEE,
        },
        '2024-03-02 10:00',
      ],
      [o2, { type: 'record_investigation', kind: 'document_check' }, '2024-03-02 11:00'],
      [o1, { type: 'issue_pre_penalty_notice', documentId: 'doc-notice' }, '2024-03-05 10:00'],
      [o2, { type: 'record_statement', documentId: 'doc-statement' }, '2024-03-06 15:00'],
      [o1, { type: 'submit_legal_review' }, '2024-03-13 09:00'],
      [
        reviewer,
        { type: 'return_legal_review', opinions: '证据清单缺少车辆行驶证复印件' },
        '2024-03-13 15:00',
      ],
      [
        o1,
        { type: 'record_investigation', kind: 'document_check', documentId: 'doc-licence' },
        '2024-03-14 09:00',
      ],
      [o1, { type: 'submit_legal_review' }, '2024-03-14 10:00'],
      [reviewer, { type: 'pass_legal_review', opinionDocumentId: 'doc-review' }, '2024-03-14 16:00'],
      [approver, { type: 'approve_decision', documentId: 'doc-decision' }, '2024-03-15 09:00'],
      [o1, { type: 'record_publicity' }, '2024-03-18 09:00'],
      [o1, { type: 'record_service', method: 'direct' }, '2024-03-18 10:00'],
      // Served Mon 18 March: due by the end of Tue 2 April; paid Mon 8 April, 6 days late.
      [
        o1,
        { type: 'record_payment', amountYuan: 15_000 + fee, receiptNo: 'FS-2024-0413', lateFeeDueYuan: fee },
        '2024-04-08 10:00',
      ],
      [approver, { type: 'close_case' }, '2024-04-09 09:00'],
      [o2, { type: 'record_home_authority_report' }, '2024-04-10 09:00'],
      [o1, { type: 'archive' }, '2024-04-11 09:00'],
    ];
    const states: CaseState[] = [];
    for (const [actor, action, when] of walk) {
      f = step(f, actor, action, when);
      states.push(f.s.state);
    }
    expect(states).toEqual([
      'filing_requested',
      'filed',
      'investigating',
      'investigating',
      'pre_penalty_notified',
      'pre_penalty_notified',
      'legal_review',
      'returned',
      'returned',
      'legal_review',
      'awaiting_decision',
      'decided',
      'decided',
      'served',
      'executed',
      'closed',
      'closed',
      'archived',
    ]);
    expect(f.s.flags.map((x) => x.code)).toEqual(['payment_late']);
    expect(f.s.legalReviews.map((x) => x.outcome)).toEqual(['returned', 'passed']);
    expect(f.s.deadlines.every((d) => d.stoppedAt !== undefined)).toBe(true);
    expect(f.s.caseNumber).toBe('汨交罚〔2024〕第0001号');
    expectRefused(
      () => decide(f.s, SAMPLE.record_statement, o1, bj('2024-04-12 09:00'), policy, TZ),
      'conflict',
      'case_archived',
    );
  });
});

describe('the order to correct of a cargo source unit (湖南条例 Arts. 13, 30)', () => {
  it('is given only on a source-unit case without a penalty, once, and starts the correction period', () => {
    expectRefused(
      () => decide(reach('filed').s, SAMPLE.order_correction, o1, bj('2024-03-05 10:00'), policy, TZ),
      'rule_violation',
      'not_a_source_unit_case',
    );
    const instructed = reach('filed', {
      caseType: 'source_unit',
      penalty: { kind: 'fine', amountYuan: 12_000 },
    });
    expectRefused(
      () => decide(instructed.s, SAMPLE.order_correction, o1, bj('2024-03-05 10:00'), policy, TZ),
      'rule_violation',
      'penalty_already_proposed',
    );
    const withoutPeriod = { type: 'order_correction' as const };
    expectRefused(
      () => decide(sourceUnitCase('filed').s, withoutPeriod, o1, bj('2024-03-05 10:00'), policy, TZ),
      'rule_violation',
      'correction_period_unknown',
    );
    const f = ordered('filed');
    expect(runningDeadlines(f.s).map((d) => [d.kind, d.dueAt.toISOString()])).toContainEqual([
      'correction_period',
      endOfBjDay('2024-03-20'),
    ]);
    expect(f.s.correction).toMatchObject({ lastDay: '2024-03-20', periodDays: 15, orderedBy: 'o1' });
    expectRefused(
      () => decide(f.s, SAMPLE.order_correction, o1, bj('2024-03-06 10:00'), policy, TZ),
      'conflict',
      'correction_already_ordered',
    );
    // No fine is proposed by hand while the order stands: only a failed check leads to one.
    expectRefused(
      () => decide(f.s, SAMPLE.propose_penalty, o1, bj('2024-03-06 10:00'), policy, TZ),
      'rule_violation',
      'source_unit_under_correction_order',
    );
  });

  it('corrected in time: no fine, no notice can follow', () => {
    const f = step(ordered('filed'), o1, SAMPLE.check_correction, '2024-03-10 10:00');
    expect(f.s.correction?.check).toMatchObject({
      corrected: true,
      outcome: 'no_fine',
      correctedOn: '2024-03-10',
    });
    expect(f.s.proposedPenalty).toBeUndefined();
    expect(runningDeadlines(f.s).map((d) => d.kind)).not.toContain('correction_period');
    const investigating = step(f, o1, SAMPLE.record_investigation, '2024-03-10 11:00');
    expectRefused(
      () => decide(investigating.s, SAMPLE.issue_pre_penalty_notice, o1, bj('2024-03-11 09:00'), policy, TZ),
      'rule_violation',
      'proposed_penalty_missing',
    );
    expectRefused(
      () => decide(f.s, SAMPLE.check_correction, o1, bj('2024-03-11 09:00'), policy, TZ),
      'conflict',
      'correction_already_checked',
    );
    const fined = { ...SAMPLE.check_correction, amountYuan: 10_000, reasons: '逾期未改正' };
    expectRefused(
      () => decide(ordered('filed').s, fined, o1, bj('2024-03-10 10:00'), policy, TZ),
      'rule_violation',
      'corrected_in_time',
    );
  });

  it('not corrected: the fine chosen at the check is proposed, and the notice follows', () => {
    const check = { type: 'check_correction' as const, corrected: false, outcome: 'fine' as const };
    expectRefused(
      () => decide(ordered('investigating').s, check, o1, bj('2024-03-21 10:00'), policy, TZ),
      'validation',
      'fine_amount_required',
    );
    const f = step(
      ordered('investigating'),
      o1,
      { ...check, amountYuan: 15_000, reasons: '逾期未改正装载放行制度，情节一般' },
      '2024-03-21 10:00',
    );
    expect(f.s.proposedPenalty).toEqual({ kind: 'fine', amountYuan: 15_000 });
    expect(f.s.correction?.check).toMatchObject({ corrected: false, outcome: 'fine', amountYuan: 15_000 });
    const notified = step(
      f,
      o1,
      { type: 'issue_pre_penalty_notice', partyKind: 'organisation' },
      '2024-03-22 10:00',
    );
    expect(notified.s.state).toBe('pre_penalty_notified');
  });
});

describe('service (行政处罚法 Art. 61; 民事诉讼法 Art. 95)', () => {
  const announced = {
    type: 'record_service' as const,
    method: 'announcement' as const,
    announcement: { reason: 'other_methods_failed' as const, attempts: '直接送达两次无人，邮寄被退回' },
  };

  it('announces only where the party cannot be found or the other methods failed, and says so', () => {
    expectRefused(
      () =>
        decide(
          reach('decided').s,
          { type: 'record_service', method: 'announcement' },
          o1,
          bj('2024-03-15 09:00'),
          policy,
          TZ,
        ),
      'rule_violation',
      'announcement_without_reason',
    );
    expectRefused(
      () =>
        decide(
          reach('decided').s,
          { ...announced, method: 'direct' },
          o1,
          bj('2024-03-15 09:00'),
          policy,
          TZ,
        ),
      'validation',
      'announcement_only_for_announcement',
    );
  });

  // 民事诉讼法 Art. 91 (applied by 行政处罚法 Art. 61, 行政强制法 Art. 38): service by post is made on the day of
  // receipt the return receipt states — the periods run from then, not from the posting.
  it('by post, the periods run from the receipt: payment, the written demand', () => {
    const posted = {
      type: 'record_service' as const,
      method: 'post' as const,
      servedAt: bj('2024-03-15 09:00'),
      receivedAt: bj('2024-03-19 10:00'),
    };
    const outcome = decide(reach('decided').s, posted, o1, bj('2024-03-20 09:00'), policy, TZ);
    // received Tue 19 March; 15 days → Wed 3 April (not a holiday)
    expect(outcome.effects.deadlinesStarted).toEqual([
      expect.objectContaining({ kind: 'payment_due', dueAt: new Date(endOfBjDay('2024-04-03')) }),
    ]);
    expect(step(reach('decided'), o1, posted, '2024-03-20 09:00').s.service).toMatchObject({
      servedAt: bj('2024-03-15 09:00'),
      effectiveAt: bj('2024-03-19 10:00'),
    });
    // posted on 8 April, received on 11 April: the ten days of 行政强制法 Art. 54 run from the receipt
    const demand = step(
      reach('served'),
      o1,
      {
        type: 'serve_execution_demand',
        method: 'post',
        servedAt: bj('2024-04-08 10:00'),
        receivedAt: bj('2024-04-11 10:00'),
      },
      '2024-04-12 10:00',
    );
    expect(demand.s.executionDemand).toMatchObject({
      servedAt: bj('2024-04-08 10:00'),
      effectiveAt: bj('2024-04-11 10:00'),
    });
    // handed over in person: no separate effective instant
    const direct = step(reach('served'), o1, { type: 'serve_execution_demand' }, '2024-04-08 10:00');
    expect(direct.s.executionDemand?.effectiveAt).toBeUndefined();
    // an order to correct posted on 5 March, received on 7 March: its period starts from the receipt
    const ordered = transition(
      sourceUnitCase('investigating').s,
      {
        ...SAMPLE.order_correction,
        method: 'post',
        servedAt: bj('2024-03-05 10:00'),
        receivedAt: bj('2024-03-07 10:00'),
      },
      o1,
      bj('2024-03-08 10:00'),
      policy,
      TZ,
    );
    expect(ordered.outcome.effects.deadlinesStarted[0]?.startedAt).toEqual(bj('2024-03-07 10:00'));
    expect(ordered.snapshot.correction?.effectiveAt).toEqual(bj('2024-03-07 10:00'));
  });

  it('an announcement takes effect 30 days later: the payment period runs from then', () => {
    const outcome = decide(reach('decided').s, announced, o1, bj('2024-03-15 09:00'), policy, TZ);
    // Effective Sun 14 April; 15 days → Mon 29 April (not a holiday).
    expect(outcome.effects.deadlinesStarted).toEqual([
      expect.objectContaining({ kind: 'payment_due', dueAt: new Date(endOfBjDay('2024-04-29')) }),
    ]);
    const f = step(reach('decided'), o1, announced, '2024-03-15 09:00');
    expect(f.s.service).toMatchObject({
      method: 'announcement',
      effectiveAt: bj('2024-04-14 09:00'),
      announcement: { reason: 'other_methods_failed' },
    });
  });

  it('records the recipient, the signature and the day of receipt; and how the notice was served', () => {
    const f = step(
      reach('decided'),
      o1,
      {
        type: 'record_service',
        method: 'post',
        servedAt: bj('2024-03-16 09:00'),
        recipient: '张三',
        signedBy: '张三',
        receivedAt: bj('2024-03-17 10:00'),
      },
      '2024-03-18 09:00',
    );
    expect(f.s.service).toMatchObject({
      recipient: '张三',
      signedBy: '张三',
      receivedAt: bj('2024-03-17 10:00'),
    });
    expectRefused(
      () =>
        decide(
          reach('decided').s,
          {
            type: 'record_service',
            method: 'post',
            servedAt: bj('2024-03-16 09:00'),
            receivedAt: bj('2024-03-15 10:00'),
          },
          o1,
          bj('2024-03-18 09:00'),
          policy,
          TZ,
        ),
      'validation',
      'received_out_of_order',
    );
    const notified = step(
      reach('investigating'),
      o1,
      { type: 'issue_pre_penalty_notice', method: 'post' },
      '2024-03-05 10:00',
    );
    expect(notified.s.prePenaltyNotices[0]?.serviceMethod).toBe('post');
    expect(reach('pre_penalty_notified').s.prePenaltyNotices[0]?.serviceMethod).toBe('direct');
  });
});

describe('collective discussion (行政处罚法 Art. 57 ¶2)', () => {
  it.each([
    ['enterprise', 'business_suspension'],
    ['enterprise', 'licence_revocation'],
    ['vehicle_certificate', 'certificate_revocation'],
  ] as const)('a %s case with %s is decided only after it is recorded', (caseType, kind) => {
    const f = reach('awaiting_decision', { caseType, penalty: { kind } });
    expectRefused(
      () => decide(f.s, SAMPLE.approve_decision, approver, bj('2024-03-14 09:00'), policy, TZ),
      'rule_violation',
      'collective_discussion_missing',
    );
    const discussed = step(f, approver, SAMPLE.record_collective_discussion, '2024-03-13 16:00');
    expect(discussed.s.collectiveDiscussion).toMatchObject({ participants: '局长、分管副局长、法规科科长' });
    expect(
      decide(discussed.s, SAMPLE.approve_decision, approver, bj('2024-03-14 09:00'), policy, TZ).next,
    ).toBe('decided');
  });

  it('is not needed for a fine or an order to stop commercial transport', () => {
    for (const v of [VEHICLE_FINE, DRIVER]) {
      expect(
        decide(
          reach('awaiting_decision', v).s,
          SAMPLE.approve_decision,
          approver,
          bj('2024-03-14 09:00'),
          policy,
          TZ,
        ).next,
      ).toBe('decided');
    }
  });
});

describe('a decision not to penalise (行政处罚法 Art. 33)', () => {
  it('ends the case without a penalty, by its own decision, once reviewed', () => {
    const f = step(reach('awaiting_decision'), approver, SAMPLE.decide_no_penalty, '2024-03-14 09:00');
    expect(f.s.state).toBe('terminated');
    expect(f.s.decision).toBeUndefined();
    expect(f.s.noPenaltyDecision).toMatchObject({
      ground: 'first_minor_violation_corrected',
      approvedBy: 'a1',
    });
    expect(f.s.termination?.reason).toContain('行政处罚法第三十三条');
    expect(runningDeadlines(f.s)).toEqual([]);
    expectRefused(
      () =>
        decide(
          reach('investigating').s,
          SAMPLE.decide_no_penalty,
          approver,
          bj('2024-03-03 09:00'),
          policy,
          TZ,
        ),
      'conflict',
      'invalid_transition',
    );
    expectRefused(
      () =>
        decide(
          reach('awaiting_decision').s,
          SAMPLE.decide_no_penalty,
          o1,
          bj('2024-03-14 09:00'),
          policy,
          TZ,
        ),
      'forbidden',
      'role_not_allowed',
    );
  });
});
