import {
  CN_WORKING_CALENDAR_2024_2026,
  addMonths,
  decisionDeadline,
  hearingNoticeLatest,
  hearingRequestWindowEnd,
  homeAuthorityReportDeadline,
  lawsuitWindowEnd,
  paymentDeadline,
  publicityDeadline,
  serviceDeadline,
  statementWindowEnd,
  type CasePolicy,
  type DeadlineContext,
  type WorkingDayCalendar,
} from '@ecc/legal-domain';
import { DomainError, addDays, localDate, startOfLocalDay, type FieldIssue } from '@ecc/shared-kernel';
import {
  CASE_ACTIONS,
  caseActionDefinition,
  caseActionSchema,
  type CaseAction,
  type CaseActionDefinition,
  type CaseActionInput,
  type CaseActionOf,
  type CaseActionType,
} from './case-actions';
import { openDeadlineKinds } from './case-deadlines';
import {
  PENALTY_KINDS_BY_CASE_TYPE,
  type CaseActor,
  type CaseFlag,
  type CaseFlagCode,
  type CaseSnapshot,
  type CaseState,
  type DeadlineKind,
  type Penalty,
  type PrePenaltyNotice,
  type WaivableRight,
} from './case-state';

export interface StartedDeadline {
  kind: DeadlineKind;
  startedAt: Date;
  dueAt: Date;
}

export interface CaseActionEffects {
  deadlinesStarted: StartedDeadline[];
  deadlinesStopped: DeadlineKind[];
  flags: CaseFlag[];
}

export interface CaseActionOutcome {
  ok: true;
  action: CaseActionType;
  from: CaseState;
  next: CaseState;
  effects: CaseActionEffects;
}

interface Ctx {
  s: CaseSnapshot;
  actor: CaseActor;
  now: Date;
  policy: CasePolicy;
  tz: string;
  /** For the lifecycle deadlines of @ecc/legal-domain: zone, working-day calendar, policy. */
  dl: DeadlineContext;
  def: CaseActionDefinition;
}

interface Step {
  next?: CaseState;
  started?: StartedDeadline[];
  /** Defaults to the definition's `stops`; only those actually running are reported. */
  stops?: readonly DeadlineKind[];
  flags?: CaseFlag[];
}

interface Handler<T extends CaseActionType> {
  /** Rules that need no input: also decide whether the action is offered by `allowedActions`. */
  guard?: (c: Ctx) => void;
  run?: (c: Ctx, a: CaseActionOf<T>) => Step;
  /** Records the action's facts on the snapshot (state, deadlines and flags are applied by `transition`). */
  apply?: (s: CaseSnapshot, a: CaseActionOf<T>, c: Ctx) => void;
}

// ---------------------------------------------------------------------------------------------------
// errors

const forbidden = (code: string, message: string) => new DomainError('forbidden', code, message);
const rule = (code: string, message: string, details: Record<string, unknown> = {}) =>
  new DomainError('rule_violation', code, message, details);
const conflict = (code: string, message: string) => new DomainError('conflict', code, message);
const invalid = (code: string, path: string, message: string) =>
  new DomainError('validation', code, message, { errors: [{ path, message }] });

// ---------------------------------------------------------------------------------------------------
// facts derived from the snapshot

const isCaseOfficer = (s: CaseSnapshot, userId: string) => s.officers.some((o) => o.userId === userId);

/**
 * Who acted as an officer of the case: the officers listed now, and anyone who investigated, notified or
 * submitted it earlier. Taking someone off the case does not make them independent of it.
 */
function actedAsOfficer(s: CaseSnapshot, userId: string): boolean {
  return (
    isCaseOfficer(s, userId) ||
    s.investigationRecords.some((r) => r.recordedBy === userId) ||
    s.prePenaltyNotices.some((n) => n.issuedBy === userId) ||
    s.legalReviews.some((r) => r.submittedBy === userId)
  );
}

/** A local calendar date for messages (the deadlines themselves end at local midnight). */
const day = (instant: Date, timeZone: string) => localDate(instant, timeZone);

function certifiedOfficerCount(s: CaseSnapshot): number {
  return new Set(
    s.officers.filter((o) => (o.enforcementCertificateNo ?? '').trim() !== '').map((o) => o.userId),
  ).size;
}

/** 行政处罚法 Art. 42: at least two officers holding an enforcement certificate act on every case. */
function requireTwoOfficers(s: CaseSnapshot): void {
  const count = certifiedOfficerCount(s);
  if (count < 2) {
    throw rule(
      'fewer_than_two_officers',
      `执法人员不得少于两人且须持有执法证（行政处罚法第四十二条），当前 ${count} 人`,
      {
        certifiedOfficers: count,
      },
    );
  }
}

function currentNotice(s: CaseSnapshot): PrePenaltyNotice | undefined {
  const last = s.prePenaltyNotices[s.prePenaltyNotices.length - 1];
  return last && last.supersededAt === undefined ? last : undefined;
}

function requireNotice(s: CaseSnapshot): PrePenaltyNotice {
  const notice = currentNotice(s);
  if (!notice) throw rule('pre_penalty_notice_missing', '尚未送达行政处罚告知书（行政处罚法第四十四条）');
  return notice;
}

const samePenalty = (a: Penalty | undefined, b: Penalty | undefined) =>
  !!a && !!b && a.kind === b.kind && (a.amountYuan ?? 0) === (b.amountYuan ?? 0);

/** Art. 44: the party must have been told the penalty that is decided; a changed proposal needs a new notice. */
function requireNoticeMatchesProposal(s: CaseSnapshot, notice: PrePenaltyNotice): void {
  if (!samePenalty(notice.proposedPenalty, s.proposedPenalty)) {
    throw rule('pre_penalty_notice_outdated', '拟处罚内容已变更，须重新告知（行政处罚法第四十四条）');
  }
}

/**
 * 行政处罚法 Art. 63: a hearing right for a large fine (threshold: policy), revocation of a licence or
 * certificate, suspension of business, and restriction of practice (stopping commercial transport).
 */
function hasHearingRight(penalty: Penalty, policy: CasePolicy): boolean {
  if (penalty.kind === 'warning') return false;
  if (penalty.kind === 'fine') return (penalty.amountYuan ?? 0) >= policy.hearingThresholdYuan;
  return true;
}

const waived = (notice: PrePenaltyNotice, right: WaivableRight) =>
  notice.waivers.some((w) => w.right === right);

/** The statement period of a notice, with the length in force when it was served (Art. 44, 45, 85). */
const statementEnd = (c: Ctx, notice: PrePenaltyNotice) =>
  statementWindowEnd(notice.servedAt, {
    ...c.dl,
    policy: { ...c.policy, statementDays: notice.statementDays },
  }).due;

/** 5 working days after the notice (Art. 64(1), 85). */
const hearingEnd = (c: Ctx, notice: PrePenaltyNotice) => hearingRequestWindowEnd(notice.servedAt, c.dl).due;

const hearingPending = (notice: PrePenaltyNotice) =>
  !!notice.hearing && notice.hearing.heldAt === undefined && notice.hearing.withdrawnAt === undefined;

/**
 * No decision (nor legal review of the decision) while the party may still state a defence or ask for a
 * hearing, unless the party waived in writing (Art. 44, 45, 62, 64); a requested hearing must be held first.
 */
function requirePartyPeriodsOver(c: Ctx, notice: PrePenaltyNotice): void {
  const t = c.now.getTime();
  const statementUntil = statementEnd(c, notice);
  if (t <= statementUntil.getTime() && !waived(notice, 'statement')) {
    throw rule(
      'statement_window_open',
      `陈述申辩期限未满（至 ${day(statementUntil, c.tz)}），当事人未书面放弃（行政处罚法第四十五条）`,
      {
        until: statementUntil.toISOString(),
      },
    );
  }
  if (!notice.hearingRight) return;
  if (hearingPending(notice)) {
    throw rule(
      'hearing_pending',
      '当事人已申请听证，听证结束前不得作出决定（行政处罚法第六十四条、第六十五条）',
    );
  }
  const hearingUntil = hearingEnd(c, notice);
  if (!notice.hearing && t <= hearingUntil.getTime() && !waived(notice, 'hearing')) {
    throw rule(
      'hearing_window_open',
      `听证申请期限（告知后5个工作日）未满（至 ${day(hearingUntil, c.tz)}），当事人未书面放弃（行政处罚法第六十四条）`,
      {
        until: hearingUntil.toISOString(),
      },
    );
  }
}

/** Art. 58: legal review for major cases and for cases that went through a hearing; policy: every case. */
export function legalReviewRequired(s: CaseSnapshot, policy: CasePolicy): boolean {
  const heard = !!currentNotice(s)?.hearing?.heldAt;
  return policy.legalReviewForEveryCase || !!s.major || heard;
}

const lastReturn = (s: CaseSnapshot) => s.returns[s.returns.length - 1];

/** Anything recorded after `at`: a document version, an investigation record, a changed proposal, a new notice. */
function changedSince(s: CaseSnapshot, at: Date): boolean {
  const after = (d: Date | undefined) => !!d && d.getTime() > at.getTime();
  return (
    s.documents.some((d) => after(d.createdAt)) ||
    s.investigationRecords.some((r) => after(r.recordedAt)) ||
    after(s.proposedPenaltyChangedAt) ||
    s.prePenaltyNotices.some((n) => after(n.servedAt))
  );
}

/** The common checks before a case goes to legal review or to the approver. */
function requireReadyForDecisionStage(c: Ctx): void {
  requireTwoOfficers(c.s);
  const notice = requireNotice(c.s);
  requireNoticeMatchesProposal(c.s, notice);
  requirePartyPeriodsOver(c, notice);
  const returned = lastReturn(c.s);
  if (c.s.state === 'returned' && returned && !changedSince(c.s, returned.returnedAt)) {
    throw rule('no_change_since_return', '退回后案件未作任何修改，不得再次提交（须按审核意见补正）', {
      returnedAt: returned.returnedAt.toISOString(),
    });
  }
}

function requirePastFact(c: Ctx, at: Date, path: string): void {
  if (at.getTime() > c.now.getTime()) throw invalid('time_in_future', path, `${path} lies in the future`);
}

const fen = (yuan: number) => Math.round(yuan * 100);

function flag(c: Ctx, code: CaseFlagCode, article: string, message: string): CaseFlag {
  return { code, article, message, raisedAt: c.now };
}

function requireDecision(s: CaseSnapshot) {
  if (!s.decision) throw rule('decision_missing', '尚无处罚决定');
  return s.decision;
}

function requireService(s: CaseSnapshot) {
  if (!s.service) throw rule('service_missing', '处罚决定书尚未送达');
  return s.service;
}

/** Art. 67: the fine is due within 15 days of service (a last day on a holiday moves to the next working day). */
function paymentDue(c: Ctx): Date {
  return paymentDeadline(requireService(c.s).servedAt, c.dl).due;
}

const paidFen = (s: CaseSnapshot) => s.payments.reduce((sum, p) => sum + fen(p.amountYuan), 0);

/** Paid in full: the fine plus the late fee owed as of the last payment (Art. 72). */
function fineSettled(s: CaseSnapshot): boolean {
  const last = s.payments[s.payments.length - 1];
  if (!last || !s.decision) return false;
  return paidFen(s) >= fen(s.decision.penalty.amountYuan ?? 0) + fen(last.lateFeeDueYuan);
}

/** The vehicle case carries the report to the home authority; it lists the other parties' decisions too. */
export const homeAuthorityReportRequired = (s: CaseSnapshot) => s.caseType === 'vehicle';

function openDeadlineDue(s: CaseSnapshot, kind: DeadlineKind): Date | undefined {
  return s.deadlines.find((d) => d.kind === kind && d.stoppedAt === undefined)?.dueAt;
}

// ---------------------------------------------------------------------------------------------------
// the actions

const HANDLERS: { [T in CaseActionType]: Handler<T> } = {
  request_filing: {
    guard: (c) => requireTwoOfficers(c.s),
    apply: (s, _a, c) => {
      s.filingRequestedAt = c.now;
    },
  },

  approve_filing: {
    guard: (c) => requireTwoOfficers(c.s),
    run: (c) => ({
      started: [
        {
          kind: 'decision_due',
          startedAt: c.now,
          dueAt: decisionDeadline(c.now, c.dl).due,
        },
      ],
    }),
    apply: (s, a, c) => {
      s.filing = { approvedBy: c.actor.id, filedAt: c.now };
      if (a.caseNumber) s.caseNumber = a.caseNumber;
    },
  },

  reject_filing: {
    apply: (s, a, c) => {
      s.filing = { rejectedBy: c.actor.id, rejectedAt: c.now, reason: a.reason };
    },
  },

  assign_officers: {
    run: (c, a) => {
      const ids = a.officers.map((o) => o.userId);
      if (new Set(ids).size !== ids.length)
        throw invalid('duplicate_officer', 'officers', 'an officer is listed twice');
      // Separation of duties (Art. 58): whoever reviewed the case cannot become one of its officers.
      const reviewers = new Set(c.s.legalReviews.map((r) => r.reviewerId).filter((r): r is string => !!r));
      const clash = ids.find((id) => reviewers.has(id));
      if (clash)
        throw forbidden(
          'officer_is_case_reviewer',
          `${clash} 已审核本案，不得担任本案执法人员（行政处罚法第五十八条）`,
        );
      // Art. 42: once filed, the case may never drop below two certified officers.
      if (!['draft', 'filing_requested'].includes(c.s.state))
        requireTwoOfficers({ ...c.s, officers: a.officers });
      return {};
    },
    apply: (s, a) => {
      s.officers = a.officers.map((o) => ({
        userId: o.userId,
        enforcementCertificateNo: o.enforcementCertificateNo,
      }));
    },
  },

  record_investigation: {
    // Art. 42, 55: investigation is done by at least two officers showing their certificates.
    guard: (c) => requireTwoOfficers(c.s),
    run: (c, a) => {
      if (a.recordedAt) requirePastFact(c, a.recordedAt, 'recordedAt');
      return {};
    },
    apply: (s, a, c) => {
      s.investigationRecords.push({
        kind: a.kind,
        recordedAt: a.recordedAt ?? c.now,
        recordedBy: c.actor.id,
        ...(a.documentId ? { documentId: a.documentId } : {}),
      });
    },
  },

  propose_penalty: {
    run: (c, a) => {
      const allowed = PENALTY_KINDS_BY_CASE_TYPE[c.s.caseType];
      if (!allowed.includes(a.penalty.kind)) {
        throw rule('penalty_not_allowed_for_case_type', `${c.s.caseType} 案件不能处以 ${a.penalty.kind}`, {
          allowed,
        });
      }
      if (a.penalty.kind === 'fine' && a.penalty.amountYuan === undefined) {
        throw invalid('fine_amount_required', 'penalty.amountYuan', 'a fine needs its amount');
      }
      if (a.penalty.kind !== 'fine' && a.penalty.amountYuan !== undefined) {
        throw invalid('amount_only_for_fine', 'penalty.amountYuan', 'only a fine has an amount');
      }
      return {};
    },
    apply: (s, a, c) => {
      s.proposedPenalty = { ...a.penalty };
      s.proposedPenaltyChangedAt = c.now;
    },
  },

  issue_pre_penalty_notice: {
    guard: (c) => {
      requireTwoOfficers(c.s);
      // Art. 54: facts are investigated before a penalty is proposed to the party.
      if (c.s.investigationRecords.length === 0) {
        throw rule('investigation_records_missing', '尚无调查取证记录，不得告知（行政处罚法第五十四条）');
      }
      if (!c.s.proposedPenalty)
        throw rule('proposed_penalty_missing', '尚未拟定处罚内容（行政处罚法第四十四条）');
    },
    run: (c, a) => {
      const servedAt = a.servedAt ?? c.now;
      requirePastFact(c, servedAt, 'servedAt');
      const penalty = c.s.proposedPenalty as Penalty;
      const started: StartedDeadline[] = [
        {
          kind: 'statement_window',
          startedAt: servedAt,
          dueAt: statementWindowEnd(servedAt, c.dl).due,
        },
      ];
      if (hasHearingRight(penalty, c.policy)) {
        started.push({
          kind: 'hearing_request_window',
          startedAt: servedAt,
          dueAt: hearingRequestWindowEnd(servedAt, c.dl).due,
        });
      }
      // A notice after a return supersedes the earlier one: its windows no longer count.
      return { started, stops: ['statement_window', 'hearing_request_window'] };
    },
    apply: (s, a, c) => {
      for (const notice of s.prePenaltyNotices) notice.supersededAt ??= c.now;
      const penalty = s.proposedPenalty as Penalty;
      s.prePenaltyNotices.push({
        servedAt: a.servedAt ?? c.now,
        issuedBy: c.actor.id,
        ...(a.documentId ? { documentId: a.documentId } : {}),
        proposedPenalty: { ...penalty },
        hearingRight: hasHearingRight(penalty, c.policy),
        statementDays: c.policy.statementDays,
        waivers: [],
        statements: [],
      });
    },
  },

  record_statement: {
    guard: (c) => {
      requireNotice(c.s);
    },
    run: (c, a) => {
      const receivedAt = a.receivedAt ?? c.now;
      requirePastFact(c, receivedAt, 'receivedAt');
      if (receivedAt < requireNotice(c.s).servedAt) {
        throw invalid(
          'statement_before_notice',
          'receivedAt',
          'a statement answers the notice: it cannot precede it',
        );
      }
      return {};
    },
    apply: (s, a, c) => {
      currentNotice(s)?.statements.push({
        receivedAt: a.receivedAt ?? c.now,
        ...(a.documentId ? { documentId: a.documentId } : {}),
      });
    },
  },

  record_waiver: {
    guard: (c) => {
      requireNotice(c.s);
    },
    run: (c, a) => {
      const notice = requireNotice(c.s);
      const signedAt = a.signedAt ?? c.now;
      requirePastFact(c, signedAt, 'signedAt');
      if (signedAt < notice.servedAt) throw rule('waiver_before_notice', '放弃权利的书面声明不能早于告知');
      if (a.right === 'hearing' && !notice.hearingRight)
        throw rule('no_hearing_right', '本案拟处罚不属于听证范围（行政处罚法第六十三条）');
      if (a.right === 'hearing' && notice.hearing)
        throw rule('hearing_already_requested', '当事人已申请听证，应记录撤回听证');
      if (waived(notice, a.right)) throw conflict('already_waived', '当事人已书面放弃该项权利');
      return { stops: [a.right === 'statement' ? 'statement_window' : 'hearing_request_window'] };
    },
    apply: (s, a, c) => {
      currentNotice(s)?.waivers.push({
        right: a.right,
        signedAt: a.signedAt ?? c.now,
        documentId: a.documentId,
      });
    },
  },

  request_hearing: {
    guard: (c) => {
      const notice = requireNotice(c.s);
      if (!notice.hearingRight)
        throw rule('no_hearing_right', '本案拟处罚不属于听证范围（行政处罚法第六十三条）');
      if (notice.hearing) throw rule('hearing_already_requested', '本次告知已有听证申请');
      if (waived(notice, 'hearing')) throw rule('hearing_waived', '当事人已书面放弃听证');
    },
    run: (c, a) => {
      const notice = requireNotice(c.s);
      const requestedAt = a.requestedAt ?? c.now;
      requirePastFact(c, requestedAt, 'requestedAt');
      const end = hearingEnd(c, notice);
      if (requestedAt < notice.servedAt) {
        throw invalid(
          'request_before_notice',
          'requestedAt',
          'a hearing request answers the notice: it cannot precede it',
        );
      }
      if (requestedAt.getTime() > end.getTime()) {
        throw rule(
          'hearing_request_late',
          `听证应在告知后5个工作日内提出（至 ${day(end, c.tz)}，行政处罚法第六十四条）`,
          {
            until: end.toISOString(),
          },
        );
      }
      return {};
    },
    apply: (s, a, c) => {
      const notice = currentNotice(s);
      if (notice) notice.hearing = { requestedAt: a.requestedAt ?? c.now };
    },
  },

  schedule_hearing: {
    run: (c, a) => {
      // Art. 64(4): the hearing is chaired by someone who did not investigate the case.
      if (actedAsOfficer(c.s, a.hostId)) {
        throw forbidden(
          'hearing_host_is_case_officer',
          '听证主持人不得是本案调查人员（行政处罚法第六十四条）',
        );
      }
      const notifiedAt = a.notifiedAt ?? c.now;
      requirePastFact(c, notifiedAt, 'notifiedAt');
      // Art. 64(2), 85: the party is notified at least 7 working days before the hearing.
      const latest = hearingNoticeLatest(a.hearingAt, c.dl);
      if (notifiedAt.getTime() > latest.due.getTime()) {
        throw rule(
          'hearing_notice_too_short',
          `应在举行听证的七个工作日前通知当事人（最迟 ${latest.lastDay}，行政处罚法第六十四条、第八十五条）`,
          { latest: latest.lastDay },
        );
      }
      return {};
    },
    apply: (s, a, c) => {
      const hearing = currentNotice(s)?.hearing;
      if (!hearing) return;
      hearing.hearingAt = a.hearingAt;
      hearing.notifiedAt = a.notifiedAt ?? c.now;
      hearing.hostId = a.hostId;
    },
  },

  record_hearing: {
    guard: (c) => {
      const hearingAt = currentNotice(c.s)?.hearing?.hearingAt;
      if (hearingAt && localDate(c.now, c.tz) < localDate(hearingAt, c.tz)) {
        throw rule('hearing_not_yet_held', `听证定于 ${day(hearingAt, c.tz)}，尚未举行`);
      }
    },
    run: (c, a) => {
      const heldAt = a.heldAt ?? c.now;
      requirePastFact(c, heldAt, 'heldAt');
      const hearingAt = currentNotice(c.s)?.hearing?.hearingAt;
      if (hearingAt && localDate(heldAt, c.tz) < localDate(hearingAt, c.tz)) {
        throw rule('hearing_not_yet_held', `听证定于 ${day(hearingAt, c.tz)}，尚未举行`);
      }
      return {};
    },
    apply: (s, a, c) => {
      const hearing = currentNotice(s)?.hearing;
      if (!hearing) return;
      hearing.heldAt = a.heldAt ?? c.now;
      if (a.transcriptDocumentId) hearing.transcriptDocumentId = a.transcriptDocumentId;
    },
  },

  withdraw_hearing: {
    apply: (s, a, c) => {
      const hearing = currentNotice(s)?.hearing;
      if (!hearing) return;
      hearing.withdrawnAt = c.now;
      hearing.withdrawalReason = a.reason;
    },
  },

  reopen_investigation: {
    apply: (s, _a, c) => {
      const notice = currentNotice(s);
      if (notice) notice.supersededAt = c.now;
    },
  },

  submit_legal_review: {
    guard: (c) => requireReadyForDecisionStage(c),
    apply: (s, _a, c) => {
      s.legalReviews.push({ submittedAt: c.now, submittedBy: c.actor.id });
    },
  },

  submit_for_decision: {
    guard: (c) => {
      if (legalReviewRequired(c.s, c.policy)) {
        throw rule(
          'legal_review_required',
          '本案须经法制审核后方可决定（行政处罚法第五十八条；本局政策：全部案件）',
        );
      }
      requireReadyForDecisionStage(c);
    },
  },

  pass_legal_review: {
    apply: (s, a, c) => {
      const review = s.legalReviews[s.legalReviews.length - 1];
      if (!review) return;
      review.reviewerId = c.actor.id;
      review.outcome = 'passed';
      review.concludedAt = c.now;
      if (a.opinions) review.opinions = a.opinions;
      if (a.opinionDocumentId) review.opinionDocumentId = a.opinionDocumentId;
    },
  },

  return_legal_review: {
    apply: (s, a, c) => {
      const review = s.legalReviews[s.legalReviews.length - 1];
      if (review) {
        review.reviewerId = c.actor.id;
        review.outcome = 'returned';
        review.concludedAt = c.now;
        review.opinions = a.opinions;
        if (a.opinionDocumentId) review.opinionDocumentId = a.opinionDocumentId;
      }
      s.returns.push({
        returnedAt: c.now,
        returnedBy: c.actor.id,
        stage: 'legal_review',
        opinions: a.opinions,
      });
    },
  },

  approve_decision: {
    guard: (c) => {
      requireTwoOfficers(c.s);
      if (!c.s.proposedPenalty) throw rule('proposed_penalty_missing', '尚未拟定处罚内容');
      const notice = requireNotice(c.s);
      requireNoticeMatchesProposal(c.s, notice);
      // Checked again here, not only on submission: the decision is the act the law forbids too early.
      requirePartyPeriodsOver(c, notice);
      if (legalReviewRequired(c.s, c.policy)) {
        const review = c.s.legalReviews[c.s.legalReviews.length - 1];
        const returned = lastReturn(c.s);
        const passed =
          review?.outcome === 'passed' &&
          !!review.concludedAt &&
          (!returned || returned.returnedAt.getTime() <= review.concludedAt.getTime());
        if (!passed)
          throw rule(
            'legal_review_not_passed',
            '未经法制审核或审核未通过，不得作出决定（行政处罚法第五十八条）',
          );
      }
    },
    run: (c) => {
      const filedAt = c.s.filing && 'filedAt' in c.s.filing ? c.s.filing.filedAt : undefined;
      const flags: CaseFlag[] = [];
      // Art. 60 is a duty to decide in time, not a bar: refusing a late decision would leave the case
      // undecidable, so the decision is made and the breach flagged for 案卷评查 and the approver.
      if (filedAt) {
        const due = decisionDeadline(filedAt, c.dl).due;
        if (c.now.getTime() > due.getTime()) {
          flags.push(
            flag(
              c,
              'decision_after_90_days',
              '行政处罚法 Art. 60',
              `立案之日起90日内未作出决定（期限至 ${day(due, c.tz)}）`,
            ),
          );
        }
      }
      return {
        flags,
        started: [
          {
            kind: 'service_due',
            startedAt: c.now,
            dueAt: serviceDeadline(c.now, c.dl).due,
          },
          {
            kind: 'publicity_due',
            startedAt: c.now,
            dueAt: publicityDeadline(c.now, c.dl).due,
          },
        ],
      };
    },
    apply: (s, a, c) => {
      s.decision = {
        decidedAt: c.now,
        approvedBy: c.actor.id,
        penalty: { ...(s.proposedPenalty as Penalty) },
        ...(a.documentId ? { documentId: a.documentId } : {}),
      };
    },
  },

  send_back: {
    apply: (s, a, c) => {
      s.returns.push({ returnedAt: c.now, returnedBy: c.actor.id, stage: 'decision', opinions: a.opinions });
    },
  },

  terminate_case: {
    apply: (s, a, c) => {
      s.termination = { terminatedAt: c.now, approvedBy: c.actor.id, reason: a.reason };
    },
  },

  record_service: {
    guard: (c) => {
      requireDecision(c.s);
    },
    run: (c, a) => {
      const decision = requireDecision(c.s);
      const servedAt = a.servedAt ?? c.now;
      requirePastFact(c, servedAt, 'servedAt');
      if (servedAt < decision.decidedAt)
        throw invalid('served_before_decision', 'servedAt', 'service cannot precede the decision');
      // Art. 61(2): electronic service only with the party's signed consent.
      if (a.method === 'electronic' && !a.consentDocumentId) {
        throw rule(
          'electronic_service_without_consent',
          '电子送达须经当事人同意并签订确认书（行政处罚法第六十一条）',
        );
      }
      const flags: CaseFlag[] = [];
      const due = serviceDeadline(decision.decidedAt, c.dl).due;
      if (servedAt.getTime() > due.getTime()) {
        flags.push(
          flag(c, 'service_late', '行政处罚法 Art. 61', `决定后7日内未送达（期限至 ${day(due, c.tz)}）`),
        );
      }
      const penalty = decision.penalty;
      if (penalty.kind === 'warning') {
        // A warning is executed by being served.
        return { next: 'executed', flags, started: [] };
      }
      const started: StartedDeadline[] =
        penalty.kind === 'fine'
          ? [
              {
                kind: 'payment_due',
                startedAt: servedAt,
                dueAt: paymentDeadline(servedAt, c.dl).due,
              },
            ]
          : [];
      return { next: 'served', flags, started };
    },
    apply: (s, a, c) => {
      s.service = {
        servedAt: a.servedAt ?? c.now,
        method: a.method,
        recordedBy: c.actor.id,
        ...(a.consentDocumentId ? { consentDocumentId: a.consentDocumentId } : {}),
      };
    },
  },

  record_payment: {
    guard: (c) => {
      if (requireDecision(c.s).penalty.kind !== 'fine') {
        throw rule('penalty_not_a_fine', '本案处罚不是罚款，应记录执行而非缴款');
      }
    },
    run: (c, a) => {
      const decision = requireDecision(c.s);
      const service = requireService(c.s);
      const paidAt = a.paidAt ?? c.now;
      requirePastFact(c, paidAt, 'paidAt');
      if (paidAt < service.servedAt)
        throw invalid('paid_before_service', 'paidAt', 'payment recorded before service');
      const fineFen = fen(decision.penalty.amountYuan ?? 0);
      const due = paymentDue(c);
      const late = paidAt.getTime() > due.getTime();
      // Art. 72(1): 3% of the fine per day late, never more than the fine; computed by the late-fee rule.
      if (late && a.lateFeeDueYuan === undefined) {
        throw invalid(
          'late_fee_due_required',
          'lateFeeDueYuan',
          'a late payment needs the late fee owed (Art. 72)',
        );
      }
      const lateFeeFen = fen(a.lateFeeDueYuan ?? 0);
      if (!late && lateFeeFen > 0) {
        throw invalid(
          'late_fee_not_due',
          'lateFeeDueYuan',
          'paid within 15 days of service: no late fee (Art. 67)',
        );
      }
      if (lateFeeFen > fineFen) {
        throw invalid(
          'late_fee_above_cap',
          'lateFeeDueYuan',
          'the late fee cannot exceed the fine (Art. 72)',
        );
      }
      const owedFen = fineFen + lateFeeFen;
      const totalFen = paidFen(c.s) + fen(a.amountYuan);
      if (totalFen > owedFen) {
        throw invalid(
          'payment_exceeds_amount_due',
          'amountYuan',
          `only ${(owedFen - paidFen(c.s)) / 100} yuan is owed`,
        );
      }
      const flags =
        late && !c.s.flags.some((f) => f.code === 'payment_late')
          ? [
              flag(
                c,
                'payment_late',
                '行政处罚法 Art. 67, 72',
                `逾期缴纳罚款（期限至 ${day(due, c.tz)}），加处罚款 ${lateFeeFen / 100} 元`,
              ),
            ]
          : [];
      const full = totalFen === owedFen;
      return { next: full ? 'executed' : 'served', stops: full ? ['payment_due'] : [], flags };
    },
    apply: (s, a, c) => {
      s.payments.push({
        amountYuan: a.amountYuan,
        paidAt: a.paidAt ?? c.now,
        receiptNo: a.receiptNo,
        lateFeeDueYuan: a.lateFeeDueYuan ?? 0,
        recordedBy: c.actor.id,
      });
    },
  },

  record_execution: {
    guard: (c) => {
      const kind = requireDecision(c.s).penalty.kind;
      if (kind === 'fine') throw rule('penalty_executed_by_payment', '罚款以缴款执行，应记录缴款');
      if (kind === 'warning') throw rule('warning_executed_by_service', '警告随送达即执行完毕');
    },
    run: (c, a) => {
      const executedAt = a.executedAt ?? c.now;
      requirePastFact(c, executedAt, 'executedAt');
      if (executedAt < requireService(c.s).servedAt) {
        throw invalid('executed_before_service', 'executedAt', 'execution recorded before service');
      }
      return {};
    },
    apply: (s, a, c) => {
      s.execution = {
        executedAt: a.executedAt ?? c.now,
        recordedBy: c.actor.id,
        ...(a.documentId ? { documentId: a.documentId } : {}),
      };
    },
  },

  refer_for_enforcement: {
    guard: (c) => {
      const decision = requireDecision(c.s);
      const service = requireService(c.s);
      if (decision.penalty.kind === 'warning') throw rule('warning_executed_by_service', '警告无需强制执行');
      const due = paymentDue(c);
      if (decision.penalty.kind === 'fine' && c.now.getTime() <= due.getTime()) {
        throw rule('payment_period_running', `缴款期限未满（至 ${day(due, c.tz)}，行政处罚法第六十七条）`);
      }
      // 行政强制法 Art. 53: the court is asked only after the periods for reconsideration and lawsuit lapse.
      const remediesEnd = lawsuitWindowEnd(service.servedAt, c.dl).due;
      if (c.now.getTime() <= remediesEnd.getTime()) {
        throw rule(
          'remedy_period_running',
          `复议、诉讼期限届满前不得申请强制执行（至 ${day(remediesEnd, c.tz)}，行政强制法第五十三条）`,
          {
            until: remediesEnd.toISOString(),
          },
        );
      }
    },
    run: (c) => {
      const service = requireService(c.s);
      // 行政强制法 Art. 53: within three months after those periods lapse.
      const lawsuitLastDay = lawsuitWindowEnd(service.servedAt, c.dl).lastDay;
      const lastDay = new Date(startOfLocalDay(addDays(addMonths(lawsuitLastDay, 3), 1), c.tz).getTime() - 1);
      const flags =
        c.now.getTime() > lastDay.getTime()
          ? [
              flag(
                c,
                'enforcement_referral_late',
                '行政强制法 Art. 53',
                '复议、诉讼期限届满后三个月内未申请强制执行',
              ),
            ]
          : [];
      return { flags };
    },
    apply: (s, a, c) => {
      s.enforcementReferral = {
        referredAt: c.now,
        approvedBy: c.actor.id,
        ...(a.documentId ? { documentId: a.documentId } : {}),
      };
    },
  },

  close_case: {
    guard: (c) => {
      // The state already says so; checked on the facts as well, since closing is what 案卷评查 scores.
      const decision = requireDecision(c.s);
      if (c.s.state === 'referred_for_enforcement') return;
      const executed =
        decision.penalty.kind === 'warning'
          ? !!c.s.service
          : decision.penalty.kind === 'fine'
            ? fineSettled(c.s)
            : !!c.s.execution;
      if (!executed) throw rule('penalty_not_executed', '处罚尚未执行完毕，不得结案');
    },
    run: (c) => ({
      started: homeAuthorityReportRequired(c.s)
        ? [
            {
              kind: 'home_authority_report_due',
              startedAt: c.now,
              dueAt: homeAuthorityReportDeadline(c.now, c.dl).due,
            },
          ]
        : [],
    }),
    apply: (s, _a, c) => {
      s.closing = { closedAt: c.now, approvedBy: c.actor.id };
    },
  },

  record_home_authority_report: {
    guard: (c) => {
      if (!homeAuthorityReportRequired(c.s))
        throw rule('home_authority_report_not_required', '本案不需抄告车籍地');
      if (c.s.homeAuthorityReport) throw conflict('already_recorded', '已记录抄告');
    },
    run: (c, a) => {
      const reportedAt = a.reportedAt ?? c.now;
      requirePastFact(c, reportedAt, 'reportedAt');
      const due = openDeadlineDue(c.s, 'home_authority_report_due');
      const late = !!due && reportedAt.getTime() > due.getTime();
      return {
        flags: late
          ? [
              flag(
                c,
                'home_authority_report_late',
                '《超限运输车辆行驶公路管理规定》 Art. 44',
                '结案后7个工作日内未抄告车籍地',
              ),
            ]
          : [],
      };
    },
    apply: (s, a, c) => {
      s.homeAuthorityReport = { reportedAt: a.reportedAt ?? c.now, recordedBy: c.actor.id };
    },
  },

  record_publicity: {
    guard: (c) => {
      requireDecision(c.s);
      if (c.s.publicity) throw conflict('already_recorded', '已记录公示');
    },
    run: (c, a) => {
      const publishedAt = a.publishedAt ?? c.now;
      requirePastFact(c, publishedAt, 'publishedAt');
      const due = openDeadlineDue(c.s, 'publicity_due');
      const late = !!due && publishedAt.getTime() > due.getTime();
      return {
        flags: late ? [flag(c, 'publicity_late', '行政处罚法 Art. 48', '未在规定期限内公示处罚决定')] : [],
      };
    },
    apply: (s, a, c) => {
      s.publicity = { publishedAt: a.publishedAt ?? c.now, recordedBy: c.actor.id };
    },
  },

  archive: {
    guard: (c) => {
      if (c.s.state !== 'closed') return;
      // Once archived nothing can be recorded: the report and the publicity must be on file first.
      if (homeAuthorityReportRequired(c.s) && !c.s.homeAuthorityReport) {
        throw rule(
          'home_authority_report_pending',
          '尚未抄告车籍地（《超限运输车辆行驶公路管理规定》第四十四条），不得归档',
        );
      }
      if (c.s.decision && !c.s.publicity)
        throw rule('publicity_pending', '处罚决定尚未公示（行政处罚法第四十八条），不得归档');
    },
    apply: (s, _a, c) => {
      s.archivedAt = c.now;
    },
  },
};

// ---------------------------------------------------------------------------------------------------
// who may act

/**
 * Role and separation-of-duties checks. Order matters for the error a caller sees: an archived case
 * refuses everything; an auditor never writes; then the state, then the role, then the person.
 */
function checkActor(c: Ctx): void {
  const { s, actor, def } = c;
  if (s.state === 'archived') throw conflict('case_archived', '案件已归档，只读');
  if (actor.roles.includes('auditor'))
    throw forbidden('auditor_read_only', '监督/评查人员只读，不得办理案件');
  if (!def.transitions[s.state]) {
    throw conflict('invalid_transition', `案件处于 ${s.state}，不能执行 ${def.type}`);
  }
  const qualifying = actor.roles.filter((r) => def.roles.includes(r));
  if (qualifying.length === 0)
    throw forbidden('role_not_allowed', `${def.title} 须由 ${def.roles.join(' / ')} 办理`);
  const onlyAsOfficer = qualifying.every((r) => r === 'officer');
  if (def.caseOfficersOnly && onlyAsOfficer && s.officers.length > 0 && !isCaseOfficer(s, actor.id)) {
    throw forbidden('not_case_officer', '仅本案执法人员可办理');
  }
  if (def.independentOfCase && actedAsOfficer(s, actor.id)) {
    // 行政处罚法 Art. 58 (review) and the bureau's reading of Art. 42/57: no one checks their own case.
    if (def.roles.includes('legal_reviewer')) {
      throw forbidden('reviewer_is_case_officer', '法制审核人员不得是本案执法人员（行政处罚法第五十八条）');
    }
    throw forbidden('approver_is_case_officer', '负责人不得审批本人承办的案件');
  }
  if (def.roles.includes('legal_reviewer') && !(actor.legalQualificationNo ?? '').trim()) {
    // Art. 58(2): a first-time reviewer needs the national legal professional qualification.
    throw forbidden('legal_qualification_missing', '法制审核人员须取得法律职业资格（行政处罚法第五十八条）');
  }
}

function parseAction(snapshot: CaseSnapshot, action: unknown): CaseAction {
  // An archived case refuses every write, even a malformed one: 409 before 400.
  if (snapshot.state === 'archived') throw conflict('case_archived', '案件已归档，只读');
  const parsed = caseActionSchema.safeParse(action);
  if (parsed.success) return parsed.data;
  const errors: FieldIssue[] = parsed.error.issues.map((i) => ({
    path: i.path.map(String).join('.') || 'action',
    message: i.message,
  }));
  throw new DomainError('validation', 'invalid_case_action', '案件操作参数无效', { errors });
}

function context(
  s: CaseSnapshot,
  type: CaseActionType,
  actor: CaseActor,
  now: Date,
  policy: CasePolicy,
  tz: string,
  calendar: WorkingDayCalendar,
): Ctx {
  return {
    s,
    actor,
    now,
    policy,
    tz,
    dl: { timeZone: tz, calendar, policy },
    def: caseActionDefinition(type),
  };
}

function evaluate(c: Ctx, action: CaseAction): CaseActionOutcome {
  checkActor(c);
  const handler = HANDLERS[action.type] as Handler<CaseActionType>;
  handler.guard?.(c);
  const step = handler.run?.(c, action) ?? {};
  const targets = c.def.transitions[c.s.state] ?? [];
  const next = step.next ?? targets[0];
  if (!next || !targets.includes(next)) {
    throw new Error(`case machine table does not allow ${c.s.state} -${action.type}-> ${String(next)}`);
  }
  const open = openDeadlineKinds(c.s);
  const stopped = (step.stops ?? c.def.stops).filter((k) => open.has(k));
  return {
    ok: true,
    action: action.type,
    from: c.s.state,
    next,
    effects: {
      deadlinesStarted: step.started ?? [],
      deadlinesStopped: [...new Set(stopped)],
      flags: step.flags ?? [],
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// the API

/**
 * Decides one action on a case: who may do it, what must exist first, the next state, and the deadlines
 * it starts and stops. Pure: it changes nothing; `transition` also returns the updated snapshot.
 * Throws a DomainError: `forbidden` (role, separation of duties), `rule_violation` (an unmet
 * precondition), `conflict` (`invalid_transition`, `case_archived`), `validation` (malformed input).
 */
export function decide(
  snapshot: CaseSnapshot,
  action: CaseActionInput,
  actor: CaseActor,
  now: Date,
  policy: CasePolicy,
  timeZone: string,
  calendar: WorkingDayCalendar = CN_WORKING_CALENDAR_2024_2026,
): CaseActionOutcome {
  const parsed = parseAction(snapshot, action);
  return evaluate(context(snapshot, parsed.type, actor, now, policy, timeZone, calendar), parsed);
}

/** `decide`, then the snapshot as it is after the action (the data layer persists the difference). */
export function transition(
  snapshot: CaseSnapshot,
  action: CaseActionInput,
  actor: CaseActor,
  now: Date,
  policy: CasePolicy,
  timeZone: string,
  calendar: WorkingDayCalendar = CN_WORKING_CALENDAR_2024_2026,
): { outcome: CaseActionOutcome; snapshot: CaseSnapshot } {
  const parsed = parseAction(snapshot, action);
  const c = context(snapshot, parsed.type, actor, now, policy, timeZone, calendar);
  const outcome = evaluate(c, parsed);
  const next = structuredClone(snapshot);
  (HANDLERS[parsed.type] as Handler<CaseActionType>).apply?.(next, parsed, c);
  next.state = outcome.next;
  for (const record of next.deadlines) {
    if (record.stoppedAt === undefined && outcome.effects.deadlinesStopped.includes(record.kind)) {
      record.stoppedAt = now;
      record.stoppedBy = parsed.type;
    }
  }
  // A terminal outcome leaves nothing running (e.g. a party window of a terminated case).
  if (['terminated', 'not_filed', 'archived'].includes(outcome.next)) {
    for (const record of next.deadlines) {
      if (record.stoppedAt === undefined) {
        record.stoppedAt = now;
        record.stoppedBy = parsed.type;
      }
    }
  }
  next.deadlines.push(...outcome.effects.deadlinesStarted.map((d) => ({ ...d })));
  next.flags.push(...outcome.effects.flags);
  return { outcome, snapshot: next };
}

export interface ActionAvailability {
  action: CaseActionType;
  title: string;
  allowed: boolean;
  refusal?: { category: DomainError['category']; code: string; message: string };
}

/**
 * Every action that leaves the current state, with whether this actor may do it now and, if not, why.
 * Input-dependent rules (amounts, dates) are checked only when the action is submitted.
 */
export function explainActions(
  snapshot: CaseSnapshot,
  actor: CaseActor,
  now: Date,
  policy: CasePolicy,
  timeZone: string,
  calendar: WorkingDayCalendar = CN_WORKING_CALENDAR_2024_2026,
): ActionAvailability[] {
  return CASE_ACTIONS.filter((def) => snapshot.state !== 'archived' && def.transitions[snapshot.state]).map(
    (def) => {
      const c = context(snapshot, def.type, actor, now, policy, timeZone, calendar);
      try {
        checkActor(c);
        (HANDLERS[def.type] as Handler<CaseActionType>).guard?.(c);
        return { action: def.type, title: def.title, allowed: true };
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return {
          action: def.type,
          title: def.title,
          allowed: false,
          refusal: { category: error.category, code: error.code, message: error.message },
        };
      }
    },
  );
}

/** The actions this actor may do now (GET /cases/{id} shows them). */
export function allowedActions(
  snapshot: CaseSnapshot,
  actor: CaseActor,
  now: Date,
  policy: CasePolicy,
  timeZone: string,
  calendar: WorkingDayCalendar = CN_WORKING_CALENDAR_2024_2026,
): CaseActionType[] {
  return explainActions(snapshot, actor, now, policy, timeZone, calendar)
    .filter((a) => a.allowed)
    .map((a) => a.action);
}
