/**
 * The case as the state machine sees it: a plain, typed snapshot that the data layer rebuilds from its
 * rows. Nothing here knows about persistence.
 */
import type { PenaltyKind } from '@ecc/legal-domain';
import type { IdentityDocumentKind } from './identity-document';

/** The case from its draft (a confirmed lead) through filing, investigation, notice, review, decision, service,
 * execution and closing to the archived file. */
export const CASE_STATES = [
  'draft', // 待立案: a confirmed lead became a case draft; officers assigned, penalty proposed
  'filing_requested', // 立案审批中
  'not_filed', // 不予立案 (terminal until archived)
  'filed', // 已立案: approved, numbered, the 90-day decision period (Art. 60) runs
  'investigating', // 调查取证
  'pre_penalty_notice_issued', // 告知书已制发，待送达: its periods run only from its service (Art. 44, 61)
  'pre_penalty_notified', // 已告知 (Art. 44): statement period and, with a hearing right, the 5-day window run
  'hearing_requested', // 已申请听证 (Art. 64)
  'hearing_scheduled', // 听证已通知 (at least 7 working days before it is held, Art. 64, 85)
  'heard', // 已听证
  'legal_review', // 法制审核中 (Art. 58)
  'returned', // 已退回补正: legal review (or the approver) returned it with opinions
  'awaiting_decision', // 待负责人决定
  'decided', // 已作出处罚决定 (Art. 59); service due within 7 working days (Art. 61, 85)
  'served', // 已送达; a fine is due within 15 days (Art. 67)
  'executed', // 执行完毕: fine paid in full (with any late fee), non-fine penalty executed, warning served
  'referred_for_enforcement', // 已申请强制执行 (Art. 72, 行政强制法 Art. 53)
  'closed', // 已结案
  'terminated', // 已撤销案件 (no penalty)
  'archived', // 已归档: read-only
] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** Each state's name as users see it, and what it means (docs/case-actions.md renders them). */
export const CASE_STATE_INFO: Readonly<Record<CaseState, { title: string; meaning: string }>> = {
  draft: {
    title: '待立案',
    meaning: 'a confirmed lead became a case draft; officers assigned, penalty proposed',
  },
  filing_requested: { title: '立案审批中', meaning: 'an officer asked the approver to file' },
  not_filed: { title: '不予立案', meaning: 'the approver refused filing (terminal; can be archived)' },
  filed: {
    title: '已立案',
    meaning: 'approved and numbered; `decision_due` (filing + 90 days, Art. 60) runs',
  },
  investigating: { title: '调查取证', meaning: 'inquiry records, documents checked' },
  pre_penalty_notice_issued: {
    title: '告知书待送达',
    meaning:
      'the 告知书 is issued (dated and numbered); no period runs until its service is recorded (`record_notice_service`)',
  },
  pre_penalty_notified: {
    title: '已告知',
    meaning:
      'the 告知书 is served; `statement_window` (policy, 3 working days) and, with a hearing right, `hearing_request_window` (5 working days) run',
  },
  hearing_requested: { title: '已申请听证', meaning: 'within the 5 working days' },
  hearing_scheduled: {
    title: '已通知听证',
    meaning: 'party notified at least 7 working days before; host is not a case officer',
  },
  heard: { title: '已听证', meaning: 'transcript on file; legal review is then required by law' },
  legal_review: { title: '法制审核中', meaning: 'with a reviewer who is not an officer of the case' },
  returned: {
    title: '退回补正',
    meaning: 'returned with opinions by the reviewer or the approver; must change before it comes back',
  },
  awaiting_decision: {
    title: '待负责人决定',
    meaning: 'review passed (or not required); the decision document is with the approver',
  },
  decided: {
    title: '已决定',
    meaning:
      '处罚决定书 approved; `service_due` (7 working days) and `publicity_due` (policy, working days) run',
  },
  served: { title: '已送达', meaning: 'for a fine `payment_due` (15 days, moved off a holiday) runs' },
  executed: {
    title: '执行完毕',
    meaning: 'fine paid in full incl. late fee, non-fine penalty executed, or warning served',
  },
  referred_for_enforcement: {
    title: '已申请强制执行',
    meaning: 'the court was asked (Art. 72; 行政强制法 Art. 53)',
  },
  closed: {
    title: '已结案',
    meaning: 'closing report; for a vehicle case `home_authority_report_due` (7 working days) runs',
  },
  terminated: { title: '已撤销', meaning: 'no penalty (Art. 57 items 2-4); can be archived' },
  archived: { title: '已归档', meaning: 'read-only: every action → `conflict / case_archived`' },
};

/** Same values as the identity roles; kept local so that this lib depends on nothing but the kernel. */
export const CASE_ROLES = ['officer', 'legal_reviewer', 'approver', 'auditor', 'admin'] as const;
export type CaseRole = (typeof CASE_ROLES)[number];

/** Who performs an action. `legalQualificationNo` is recorded on the user (Art. 58(2)). */
export interface CaseActor {
  id: string;
  roles: readonly CaseRole[];
  legalQualificationNo?: string | null;
}

/** The five case types of "one overload, four penalties"; one machine serves them all. */
export const CASE_TYPES = ['vehicle', 'driver', 'enterprise', 'vehicle_certificate', 'source_unit'] as const;
export type CaseType = (typeof CASE_TYPES)[number];

/**
 * The role in which a case's party answers, by case type: the owner of a vehicle case and of a certificate
 * sub-case (the 车辆营运证 is the owner's), each other sub-case's party in its own role (一超四罚).
 */
export const CASE_PARTY_ROLE = {
  vehicle: 'owner',
  vehicle_certificate: 'owner',
  driver: 'driver',
  enterprise: 'enterprise',
  source_unit: 'source_unit',
} as const satisfies Record<CaseType, string>;

/** Which penalties each case type may carry (一超四罚: vehicle, driver, enterprise, certificate, source unit). */
export const PENALTY_KINDS_BY_CASE_TYPE: Readonly<Record<CaseType, readonly PenaltyKind[]>> = {
  vehicle: ['fine', 'warning'],
  driver: ['order_stop_transport'],
  enterprise: ['business_suspension', 'licence_revocation'],
  vehicle_certificate: ['certificate_revocation'],
  source_unit: ['fine'],
};

export interface Penalty {
  kind: PenaltyKind;
  /** Yuan; only for a fine. */
  amountYuan?: number;
  /**
   * A warning imposed with the fine (警告，并处罚款): 超限规定 Art. 43(1)(二) warns for a gross excess up to
   * 1,000 kg, and a size fine beside it does not replace that warning (Art. 43(2)). Only with a fine.
   */
  warning?: true;
}

/**
 * The penalty of a vehicle case from what screening proposed (超限规定 Art. 43): a fine keeps the warning of a
 * part (a weight warning with a size fine is a warning and the fine); a warning alone is a warning.
 */
export function penaltyFromProposal(proposal: {
  kind: string;
  amountYuan: number;
  parts: readonly { kind: string }[];
}): Penalty {
  if (proposal.kind !== 'fine') return { kind: 'warning' };
  const warning = proposal.parts.some((p) => p.kind === 'warning');
  return { kind: 'fine', amountYuan: proposal.amountYuan, ...(warning ? { warning: true as const } : {}) };
}

/** The kinds a decision imposes, as the decision row stores them (a warning with a fine is both). */
export const penaltyKindsOf = (p: Penalty): PenaltyKind[] =>
  p.warning && p.kind === 'fine' ? ['warning', 'fine'] : [p.kind];

export interface CaseOfficer {
  userId: string;
  /** 执法证号; Art. 42 requires at least two officers holding one. */
  enforcementCertificateNo: string | null;
}

/** The same values as the data layer's InvestigationKind. */
export const INVESTIGATION_RECORD_KINDS = [
  'inquiry', // 询问（询问笔录）
  'document_check', // 证件核查 (driving licence, vehicle licence, transport certificate, qualification)
  'site_inspection', // 现场检查（勘验）笔录
  'other', // 其他调查取证
] as const;
export type InvestigationRecordKind = (typeof INVESTIGATION_RECORD_KINDS)[number];

/** How the person questioned in an inquiry stands to the case (printed in the 询问笔录). */
export const INTERVIEWEE_RELATIONS = {
  party: '当事人本人',
  driver: '驾驶人',
  owner: '车辆所有人',
  legal_representative: '当事人的法定代表人（负责人）',
  employee: '当事人的工作人员',
  agent: '当事人的委托代理人',
  witness: '证人',
  other: '其他知情人',
} as const;
export type IntervieweeRelation = keyof typeof INTERVIEWEE_RELATIONS;

/**
 * The person questioned (被询问人): an inquiry record is evidence only when it names whose statement it is
 * (行政处罚法 Art. 55: the officers question the party or others and make a record; 询问笔录 signed by the person).
 */
export interface Interviewee {
  name: string;
  /** The identity document shown (absent: a 居民身份证, as recorded before other documents were accepted). */
  idKind?: IdentityDocumentKind;
  /** Its number: a 居民身份证号 (GB 11643) or the number of the document of `idKind`. */
  idNumber: string;
  relation: IntervieweeRelation;
}

export interface InvestigationRecord {
  kind: InvestigationRecordKind;
  recordedAt: Date;
  recordedBy: string;
  documentId?: string;
  /** The person questioned, for an inquiry. */
  interviewee?: Interviewee;
}

/** A version of a case document (documents are versioned; any new version after a return is a change). */
export interface CaseDocumentVersion {
  documentId: string;
  kind: string;
  version: number;
  createdAt: Date;
}

export type WaivableRight = 'statement' | 'hearing';

/** A written waiver (书面放弃) signed by the party. */
export interface Waiver {
  right: WaivableRight;
  signedAt: Date;
  documentId: string;
}

export interface Statement {
  receivedAt: Date;
  documentId?: string;
}

export interface Hearing {
  requestedAt: Date;
  hearingAt?: Date;
  notifiedAt?: Date;
  hostId?: string;
  heldAt?: Date;
  transcriptDocumentId?: string;
  withdrawnAt?: Date;
  withdrawalReason?: 'withdrawn_in_writing' | 'absent_without_reason';
}

/** 行政处罚告知书 as issued and served; a new notice supersedes the earlier one. */
export interface PrePenaltyNotice {
  /** When the notice was issued (absent on notices recorded before issue and service were two steps). */
  issuedAt?: Date;
  /** When it was delivered or announced; absent while it waits for service (no period runs yet). */
  servedAt?: Date;
  /**
   * When the service took effect: 30 days after a public announcement (民事诉讼法 Art. 95, applied by 行政处罚法
   * Art. 61); by post, the day of receipt when recorded (民事诉讼法 Art. 91); absent when it took effect on delivery.
   * The party's periods run from here.
   */
  effectiveAt?: Date;
  /** The party's signed consent to electronic service (行政处罚法 Art. 61(2)), when served electronically. */
  consentDocumentId?: string;
  /** Who recorded the service (the issuer, when it was served on issue). */
  serviceRecordedBy?: string;
  issuedBy: string;
  documentId?: string;
  proposedPenalty: Penalty;
  /** How the notice was served (行政处罚法 Art. 44, 61). */
  serviceMethod?: ServiceMethod;
  /** The kind of the party the notice was served on, as recorded then (the hearing threshold is by kind). */
  partyKind?: 'person' | 'organisation';
  hearingRight: boolean;
  /** The statement period in force when the notice was served (policy), so later policy edits do not move it. */
  statementDays: number;
  waivers: Waiver[];
  statements: Statement[];
  hearing?: Hearing;
  /** Set when the investigation was reopened: the notice no longer counts. */
  supersededAt?: Date;
}

export interface LegalReview {
  submittedAt: Date;
  submittedBy: string;
  reviewerId?: string;
  outcome?: 'passed' | 'returned';
  concludedAt?: Date;
  opinions?: string;
  opinionDocumentId?: string;
}

/** A return with opinions, by the legal reviewer or by the approver; the case must change before it comes back. */
export interface CaseReturn {
  returnedAt: Date;
  returnedBy: string;
  stage: 'legal_review' | 'decision';
  opinions: string;
}

export interface CaseDecision {
  decidedAt: Date;
  approvedBy: string;
  penalty: Penalty;
  documentId?: string;
}

/** 直接送达, 邮寄送达, 电子送达 (with consent), 公告送达 (whereabouts unknown; the caller gives the effective date). */
export type ServiceMethod = 'direct' | 'post' | 'electronic' | 'announcement';

export interface CaseService {
  /** The day of delivery or, for a public announcement, of the announcement. */
  servedAt: Date;
  method: ServiceMethod;
  recordedBy: string;
  /**
   * When the service took effect: at delivery, or 30 days after a public announcement (民事诉讼法 Art. 95, with
   * 行政处罚法 Art. 61). The periods that run from service (payment, remedies) run from here.
   */
  effectiveAt?: Date;
  /** Why it was announced: the party could not be found, or the other methods failed (and how). */
  announcement?: { reason: 'party_not_found' | 'other_methods_failed'; attempts: string };
  /** 送达回证: who received it, who signed, the day of receipt. */
  recipient?: string;
  signedBy?: string;
  receivedAt?: Date;
  /** Electronic service needs the party's signed consent (Art. 61(2)). */
  consentDocumentId?: string;
}

/**
 * 责令限期改正 of a cargo source unit (《湖南省治理货物运输车辆超限超载条例》 Arts. 13, 30): the order as served,
 * its period (computed by the source-unit rules of 一超四罚) and the check of the correction.
 */
export interface CorrectionOrderRecord {
  servedAt: Date;
  /** When the service took effect, if later than `servedAt` (by post: the receipt's day, 民事诉讼法 Art. 91). */
  effectiveAt?: Date;
  orderedBy: string;
  documentId?: string;
  servedOn: string;
  periodDays: number;
  counting: 'calendar_days' | 'working_days';
  /** The last day of the period and its last instant. */
  lastDay: string;
  dueAt: Date;
  check?: CorrectionCheckRecord;
}

export interface CorrectionCheckRecord {
  checkedAt: Date;
  checkedBy: string;
  corrected: boolean;
  correctedOn?: string;
  /** Corrected within the period → no fine; else the fine chosen within 10,000-30,000 yuan with reasons. */
  outcome: 'no_fine' | 'fine';
  amountYuan?: number;
  reasons?: string;
  documentId?: string;
}

/** A reconsideration or lawsuit the party brought against the decision (行政复议法, 行政诉讼法), with its outcome. */
export interface RemedyRecord {
  kind: 'reconsideration' | 'lawsuit';
  /** The reconsideration body or the court. */
  body: string;
  /** The day it was filed (a legal day). */
  filedOn: string;
  recordedAt: Date;
  recordedBy: string;
  documentId?: string;
  /** How it ended, and the day the outcome was served: the pending period ends (行政处罚法 Art. 73 ¶3). */
  outcome?: 'upheld' | 'changed' | 'annulled' | 'dismissed' | 'withdrawn';
  concludedOn?: string;
  concludedRecordedAt?: Date;
}

export interface Payment {
  amountYuan: number;
  paidAt: Date;
  receiptNo: string;
  /** Late fee owed as of this payment (Art. 72), as computed by the late-fee rule; 0 when on time. */
  lateFeeDueYuan: number;
  recordedBy: string;
}

export interface CaseFlag {
  code: CaseFlagCode;
  article: string;
  message: string;
  raisedAt: Date;
}

/** Lawful-but-late facts: recorded on the case for 案卷评查 and the alerts, never silently accepted. */
export type CaseFlagCode =
  | 'decision_after_90_days'
  | 'service_late'
  | 'payment_late'
  | 'home_authority_report_late'
  | 'publicity_late'
  | 'enforcement_referral_late';

export const DEADLINE_KINDS = [
  'decision_due',
  'statement_window',
  'hearing_request_window',
  'service_due',
  'payment_due',
  'home_authority_report_due',
  'publicity_due',
  'correction_period',
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** A deadline as kept on the case: started by one action, stopped by another (or lapsing, for a party's window). */
export interface DeadlineRecord {
  kind: DeadlineKind;
  startedAt: Date;
  dueAt: Date;
  stoppedAt?: Date;
  stoppedBy?: string;
}

/** The same values as the publicity context's publication status. */
export const PUBLICATION_OUTCOMES = ['published', 'not_published', 'held', 'withdrawn'] as const;
export type PublicationOutcome = (typeof PUBLICATION_OUTCOMES)[number];

export interface CaseSnapshot {
  id: string;
  caseType: CaseType;
  state: CaseState;
  /** Set when filing is approved (the sequence is allocated by the database). */
  caseNumber?: string;
  parentCaseId?: string;
  /**
   * Marked complex by the officer asking to file (案件情况疑难复杂、涉及多个法律关系, 行政处罚法 Art. 58(1)(三)): a major
   * case, reviewed whatever the policy. The other grounds are derived (majorCaseGrounds).
   */
  major?: boolean;
  /** Why the officer marked it complex. */
  majorReason?: string;
  /**
   * A vehicle case: whether the law warns beside the fine, as screening read the detection (超限规定 Art. 43(1)(二)
   * warns for a gross excess up to 1,000 kg; a size fine beside it does not replace that warning, Art. 43(2)).
   * Set at filing; a case filed before it was kept has none, and its proposals are not checked against it.
   */
  warningByLaw?: boolean;
  createdAt: Date;
  officers: CaseOfficer[];
  proposedPenalty?: Penalty;
  proposedPenaltyChangedAt?: Date;
  filingRequestedAt?: Date;
  filing?: { approvedBy: string; filedAt: Date } | { rejectedBy: string; rejectedAt: Date; reason: string };
  investigationRecords: InvestigationRecord[];
  documents: CaseDocumentVersion[];
  prePenaltyNotices: PrePenaltyNotice[];
  legalReviews: LegalReview[];
  returns: CaseReturn[];
  decision?: CaseDecision;
  service?: CaseService;
  /** A source unit's order to correct and its check (a source-unit sub-case only). */
  correction?: CorrectionOrderRecord;
  payments: Payment[];
  execution?: { executedAt: Date; recordedBy: string; documentId?: string };
  enforcementReferral?: { referredAt: Date; approvedBy: string; documentId?: string };
  /**
   * 不予行政处罚决定 (行政处罚法 Art. 33, 57(1)(二)): the approver decided not to penalise a first, minor violation
   * corrected in time (or one without fault); the case ends without a penalty, by this decision and its document.
   */
  noPenaltyDecision?: {
    decidedAt: Date;
    approvedBy: string;
    ground: 'first_minor_violation_corrected' | 'minor_violation_corrected' | 'no_fault';
    reasons: string;
    documentId?: string;
  };
  /** 集体讨论 by the bureau's leaders (行政处罚法 Art. 57 ¶2), recorded before a serious decision. */
  collectiveDiscussion?: {
    heldAt: Date;
    recordedBy: string;
    participants: string;
    conclusion: string;
    documentId?: string;
  };
  /** Reconsiderations and lawsuits against the decision. */
  remedies?: RemedyRecord[];
  /** 催告书 served before the application to the court (行政强制法 Art. 54). */
  /** 催告书 (行政强制法 Art. 35, 54); `effectiveAt` when it reached the party later (by post: the receipt's day). */
  executionDemand?: { servedAt: Date; effectiveAt?: Date; issuedBy: string; documentId?: string };
  termination?: { terminatedAt: Date; approvedBy: string; reason: string };
  closing?: { closedAt: Date; approvedBy: string };
  homeAuthorityReport?: { reportedAt: Date; recordedBy: string };
  publicity?: { publishedAt: Date; recordedBy: string };
  /**
   * What became of the decision's publication (公示, 行政处罚法 Art. 48) as the publicity context recorded it, read
   * at closing and when publicity is recorded: published, not published under the publicity policy, held for a
   * check of personal data, or withdrawn (Art. 48 ¶2).
   */
  publication?: { status: PublicationOutcome; rule: string | null; readAt: Date };
  archivedAt?: Date;
  deadlines: DeadlineRecord[];
  flags: CaseFlag[];
}

/** A new case draft from a confirmed lead. */
export function newCaseDraft(input: {
  id: string;
  caseType: CaseType;
  createdAt: Date;
  officers?: CaseOfficer[];
  proposedPenalty?: Penalty;
  parentCaseId?: string;
  major?: boolean;
  warningByLaw?: boolean;
}): CaseSnapshot {
  return {
    id: input.id,
    caseType: input.caseType,
    state: 'draft',
    createdAt: input.createdAt,
    officers: input.officers ?? [],
    ...(input.proposedPenalty
      ? { proposedPenalty: input.proposedPenalty, proposedPenaltyChangedAt: input.createdAt }
      : {}),
    ...(input.parentCaseId ? { parentCaseId: input.parentCaseId } : {}),
    ...(input.major ? { major: true } : {}),
    ...(input.warningByLaw !== undefined ? { warningByLaw: input.warningByLaw } : {}),
    investigationRecords: [],
    documents: [],
    prePenaltyNotices: [],
    legalReviews: [],
    returns: [],
    payments: [],
    deadlines: [],
    flags: [],
  };
}
