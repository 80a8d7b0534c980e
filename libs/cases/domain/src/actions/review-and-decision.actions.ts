import { z } from 'zod';
import { decisionDeadline, publicityDeadline, serviceDeadline, statementWindowEnd } from '@ecc/legal-domain';
import type { CaseFlag, CaseSnapshot, CaseState, Penalty, PrePenaltyNotice } from '../case-state';
import {
  day,
  flag,
  hearingEnd,
  legalReviewRequired,
  majorCaseGrounds,
  type MajorCaseGround,
  noticeEffectiveAt,
  requireNotice,
  type ServedNotice,
  requirePastFact,
  requireTwoOfficers,
  rule,
  waived,
} from './case-action-helpers';
import {
  approver,
  defineCaseAction,
  id,
  officer,
  reviewer,
  same,
  text,
  to,
  when,
  type CaseActionContext,
} from './define-case-action';

/**
 * 法制审核 (行政处罚法 Art. 58) and 决定 (Art. 57, 59, 62): submitting the case once the party's periods are
 * over, the reviewer's and the approver's answers, and termination without a penalty.
 */

const MAJOR_GROUND_TEXT: Record<MajorCaseGround, string> = {
  penalty_kind:
    '拟作出的处罚列入本局重大执法决定法制审核目录（《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》，国办发〔2018〕118号）',
  hearing: '经过听证程序（第二项）',
  complex: '案件情况疑难复杂、涉及多个法律关系（第三项）',
};

/** The same penalty: kind, amount and the warning imposed with a fine (a dropped warning is a change too). */
const samePenalty = (a: Penalty | undefined, b: Penalty | undefined) =>
  !!a &&
  !!b &&
  a.kind === b.kind &&
  (a.amountYuan ?? 0) === (b.amountYuan ?? 0) &&
  !!a.warning === !!b.warning;

/** Art. 44: the party must have been told the penalty that is decided; a changed proposal needs a new notice. */
function requireNoticeMatchesProposal(s: CaseSnapshot, notice: PrePenaltyNotice): void {
  if (!samePenalty(notice.proposedPenalty, s.proposedPenalty)) {
    throw rule('pre_penalty_notice_outdated', '拟处罚内容已变更，须重新告知（行政处罚法第四十四条）');
  }
}

/**
 * The statement period of a notice, with the length in force when it was issued, from its service's effect
 * (Art. 44, 45, 61, 85; 民事诉讼法 Art. 95 for an announcement).
 */
const statementEnd = (c: CaseActionContext, notice: ServedNotice) =>
  statementWindowEnd(noticeEffectiveAt(notice), {
    ...c.dl,
    policy: { ...c.policy, statementDays: notice.statementDays },
  }).due;

const hearingPending = (notice: PrePenaltyNotice) =>
  !!notice.hearing && notice.hearing.heldAt === undefined && notice.hearing.withdrawnAt === undefined;

/**
 * No decision (nor legal review of the decision) while the party may still state a defence or ask for a
 * hearing, unless the party waived in writing (Art. 44, 45, 62, 64); a requested hearing must be held first.
 */
function requirePartyPeriodsOver(c: CaseActionContext, notice: ServedNotice): void {
  const t = c.now.getTime();
  const statementUntil = statementEnd(c, notice);
  if (t <= statementUntil.getTime() && !waived(notice, 'statement')) {
    throw rule(
      'statement_window_open',
      `陈述申辩期限未满（至 ${day(statementUntil, c.tz)}），当事人未书面放弃（行政处罚法第四十五条）`,
      { until: statementUntil.toISOString() },
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
      { until: hearingUntil.toISOString() },
    );
  }
}

const lastReturn = (s: CaseSnapshot) => s.returns[s.returns.length - 1];

/** Anything recorded after `at`: a document version, an investigation record, a changed proposal, a new notice. */
function changedSince(s: CaseSnapshot, at: Date): boolean {
  const after = (d: Date | undefined) => !!d && d.getTime() > at.getTime();
  return (
    s.documents.some((d) => after(d.createdAt)) ||
    s.investigationRecords.some((r) => after(r.recordedAt)) ||
    after(s.proposedPenaltyChangedAt) ||
    s.prePenaltyNotices.some((n) => after(n.issuedAt) || after(n.servedAt))
  );
}

/** The common checks before a case goes to legal review or to the approver. */
function requireReadyForDecisionStage(c: CaseActionContext): void {
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

/** Reviewer's opinions: optional when passing, required when returning (Art. 58). */
const opinionDocumentId = id
  .optional()
  .describe('an opinion on file; without it the 法制审核意见书 is generated');

export const submitLegalReview = defineCaseAction({
  type: 'submit_legal_review',
  stage: 'review_and_decision',
  title: '提交法制审核',
  roles: officer,
  transitions: to(['pre_penalty_notified', 'heard', 'returned'], 'legal_review'),
  stops: ['statement_window', 'hearing_request_window'],
  article: '行政处罚法 Art. 58, 62, 64',
  example: { expectedVersion: 7 },
  guard: (c) => requireReadyForDecisionStage(c),
  apply: (s, _a, c) => {
    s.legalReviews.push({ submittedAt: c.now, submittedBy: c.actor.id });
  },
});

export const submitForDecision = defineCaseAction({
  type: 'submit_for_decision',
  stage: 'review_and_decision',
  title: '提请决定（无需法制审核）',
  roles: officer,
  // Not from `heard`: a case that went through a hearing always needs legal review (Art. 58(1)(2)).
  transitions: to(['pre_penalty_notified', 'returned'], 'awaiting_decision'),
  stops: ['statement_window', 'hearing_request_window'],
  article: '行政处罚法 Art. 57, 58, 62',
  example: { expectedVersion: 7 },
  guard: (c) => {
    if (legalReviewRequired(c.s, c.policy)) {
      const grounds = majorCaseGrounds(c.s, c.policy);
      throw rule(
        'legal_review_required',
        grounds.length
          ? `重大执法决定，须经法制审核后方可决定（行政处罚法第五十八条第一款：${grounds.map((g) => MAJOR_GROUND_TEXT[g]).join('、')}）`
          : '本案须经法制审核后方可决定（行政处罚法第五十八条；本局政策：全部案件）',
        { grounds },
      );
    }
    requireReadyForDecisionStage(c);
  },
});

export const passLegalReview = defineCaseAction({
  type: 'pass_legal_review',
  stage: 'review_and_decision',
  title: '法制审核通过',
  roles: reviewer,
  transitions: to(['legal_review'], 'awaiting_decision'),
  article: '行政处罚法 Art. 58',
  input: { opinions: text.optional(), opinionDocumentId },
  example: { opinions: '经审核，事实清楚，证据确凿，程序合法，适用依据正确，裁量适当。' },
  apply: (s, a, c) => {
    const review = s.legalReviews[s.legalReviews.length - 1];
    if (!review) return;
    review.reviewerId = c.actor.id;
    review.outcome = 'passed';
    review.concludedAt = c.now;
    if (a.opinions) review.opinions = a.opinions;
    if (a.opinionDocumentId) review.opinionDocumentId = a.opinionDocumentId;
  },
});

export const returnLegalReview = defineCaseAction({
  type: 'return_legal_review',
  stage: 'review_and_decision',
  title: '法制审核退回',
  roles: reviewer,
  transitions: to(['legal_review'], 'returned'),
  article: '行政处罚法 Art. 58',
  input: { opinions: text.describe('what must be corrected'), opinionDocumentId },
  example: { opinions: '证据清单缺少车辆行驶证复印件' },
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
});

/** The penalties the bureau's leaders decide by collective discussion (行政处罚法 Art. 57 ¶2). */
const SERIOUS_PENALTIES = new Set<string>([
  'licence_revocation',
  'certificate_revocation',
  'business_suspension',
]);

export const recordCollectiveDiscussion = defineCaseAction({
  type: 'record_collective_discussion',
  stage: 'review_and_decision',
  title: '记录集体讨论',
  roles: approver,
  transitions: same(['legal_review', 'awaiting_decision']),
  article: '行政处罚法 Art. 57 ¶2',
  input: {
    heldAt: when,
    participants: text.describe('the leaders who took part'),
    conclusion: text.describe('what they decided, with the reasons'),
    documentId: id.optional().describe('the record on file; without it the 集体讨论记录 is generated'),
  },
  example: { participants: '局长、分管副局长、法规科科长', conclusion: '同意吊销车辆营运证' },
  guard: (c) => {
    if (!c.s.proposedPenalty) throw rule('proposed_penalty_missing', '尚未拟定处罚内容');
  },
  run: (c, a) => {
    requirePastFact(c, a.heldAt ?? c.now, 'heldAt');
    return {};
  },
  apply: (s, a, c) => {
    s.collectiveDiscussion = {
      heldAt: a.heldAt ?? c.now,
      recordedBy: c.actor.id,
      participants: a.participants,
      conclusion: a.conclusion,
      ...(a.documentId ? { documentId: a.documentId } : {}),
    };
  },
});

export const approveDecision = defineCaseAction({
  type: 'approve_decision',
  stage: 'review_and_decision',
  title: '批准处罚决定',
  roles: approver,
  transitions: to(['awaiting_decision'], 'decided'),
  starts: ['service_due', 'publicity_due'],
  stops: ['decision_due', 'statement_window', 'hearing_request_window'],
  article: '行政处罚法 Art. 57, 59, 60, 62',
  input: {
    documentId: id.optional().describe('a decision on file; without it the 行政处罚决定书 is generated'),
  },
  system: {
    publicityOwed: z
      .boolean()
      .optional()
      .describe('whether the publicity policy in force publishes this decision (Art. 48); absent: it does'),
  },
  systemRefusals: {
    publicityOwed: { message: 'whether the decision is published is read from the publicity policy' },
  },
  example: { expectedVersion: 9 },
  guard: (c) => {
    requireTwoOfficers(c.s);
    if (!c.s.proposedPenalty) throw rule('proposed_penalty_missing', '尚未拟定处罚内容');
    const notice = requireNotice(c.s);
    requireNoticeMatchesProposal(c.s, notice);
    // Checked again here, not only on submission: the decision is the act the law forbids too early.
    requirePartyPeriodsOver(c, notice);
    // Art. 57 ¶2: a revocation or a suspension is decided by the leaders' collective discussion, recorded first.
    if (SERIOUS_PENALTIES.has(c.s.proposedPenalty.kind) && !c.s.collectiveDiscussion) {
      throw rule(
        'collective_discussion_missing',
        '吊销许可证件、责令停业整顿等重大行政处罚，须经行政机关负责人集体讨论决定（行政处罚法第五十七条第二款）',
      );
    }
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
  run: (c, a) => {
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
        { kind: 'service_due', startedAt: c.now, dueAt: serviceDeadline(c.now, c.dl).due },
        // Art. 48: the period runs for a publication owed; a decision the policy does not publish has none.
        ...(a.publicityOwed === false
          ? []
          : [
              { kind: 'publicity_due' as const, startedAt: c.now, dueAt: publicityDeadline(c.now, c.dl).due },
            ]),
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
});

export const sendBack = defineCaseAction({
  type: 'send_back',
  stage: 'review_and_decision',
  title: '负责人退回',
  roles: approver,
  transitions: to(['awaiting_decision'], 'returned'),
  article: '行政处罚法 Art. 57',
  input: { opinions: text.describe('what must be corrected') },
  example: { opinions: '裁量理由不充分，请补充' },
  apply: (s, a, c) => {
    s.returns.push({ returnedAt: c.now, returnedBy: c.actor.id, stage: 'decision', opinions: a.opinions });
  },
});

const PRE_DECISION_AFTER_FILING = [
  'filed',
  'investigating',
  'pre_penalty_notice_issued',
  'pre_penalty_notified',
  'hearing_requested',
  'hearing_scheduled',
  'heard',
  'legal_review',
  'returned',
  'awaiting_decision',
] as const satisfies readonly CaseState[];

export const terminateCase = defineCaseAction({
  type: 'terminate_case',
  stage: 'review_and_decision',
  title: '撤销案件',
  roles: approver,
  transitions: to(PRE_DECISION_AFTER_FILING, 'terminated'),
  stops: ['decision_due', 'statement_window', 'hearing_request_window'],
  article: '行政处罚法 Art. 57 (items 2-4)',
  input: { reason: text },
  example: { reason: '违法事实不能成立' },
  apply: (s, a, c) => {
    s.termination = { terminatedAt: c.now, approvedBy: c.actor.id, reason: a.reason };
  },
});

export const decideNoPenalty = defineCaseAction({
  type: 'decide_no_penalty',
  stage: 'review_and_decision',
  title: '不予行政处罚决定',
  roles: approver,
  transitions: to(['awaiting_decision'], 'terminated'),
  stops: ['decision_due', 'statement_window', 'hearing_request_window'],
  article: '行政处罚法 Art. 33, 57(1)(二)',
  input: {
    ground: z
      .enum(['first_minor_violation_corrected', 'minor_violation_corrected', 'no_fault'])
      .describe(
        'Art. 33 ¶1: a first violation with slight harm corrected in time (may), a minor violation corrected in ' +
          'time without harm (shall); ¶2: no fault proven by the party',
      ),
    reasons: text.describe(
      'the facts that meet the ground (first time, the harm, the correction and its day)',
    ),
    documentId: id.optional().describe('a decision on file; without it the 不予行政处罚决定书 is generated'),
  },
  example: { ground: 'first_minor_violation_corrected', reasons: '初次违法，超限幅度小，当场卸载改正' },
  guard: (c) => {
    // The same review as a penalty decision: the case reached the approver through legal review (Art. 58).
    requireTwoOfficers(c.s);
  },
  apply: (s, a, c) => {
    s.noPenaltyDecision = {
      decidedAt: c.now,
      approvedBy: c.actor.id,
      ground: a.ground,
      reasons: a.reasons,
      ...(a.documentId ? { documentId: a.documentId } : {}),
    };
    s.termination = {
      terminatedAt: c.now,
      approvedBy: c.actor.id,
      reason: `不予行政处罚（行政处罚法第三十三条）：${a.reasons}`,
    };
  },
});

export const REVIEW_AND_DECISION_ACTIONS = [
  submitLegalReview,
  submitForDecision,
  passLegalReview,
  returnLegalReview,
  recordCollectiveDiscussion,
  approveDecision,
  decideNoPenalty,
  sendBack,
  terminateCase,
] as const;
