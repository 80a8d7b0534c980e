import {
  hasHearingRight as hearingRightOf,
  hearingNoticeLatest,
  hearingRequestWindowEnd,
  statementWindowEnd,
  type CasePolicy,
  type PartyKind,
} from '@ecc/legal-domain';
import { localDate } from '@ecc/shared-kernel';
import { z } from 'zod';
import type { Penalty, PrePenaltyNotice } from '../case-state';
import {
  actedAsOfficer,
  conflict,
  currentNotice,
  day,
  forbidden,
  hearingEnd,
  invalid,
  requireNotice,
  requireAnnouncementReason,
  requirePastFact,
  requireReceiptInOrder,
  requireTwoOfficers,
  requireUnservedNotice,
  rule,
  effectiveAtField,
  requireConsentForElectronic,
  serviceEffectiveAt,
  waived,
} from './case-action-helpers';
import {
  announcementField,
  defineCaseAction,
  id,
  officer,
  receiptFields,
  same,
  text,
  to,
  when,
  type CaseActionContext,
  type StartedDeadline,
} from './define-case-action';

/**
 * 告知 (行政处罚法 Art. 44), the party's statement and defence (Art. 45), written waivers, the hearing (Art.
 * 63-65), and reopening the investigation, which sets the notice aside.
 */

/**
 * 行政处罚法 Art. 63, by the party's kind (the threshold of 较大数额 differs for persons and organisations,
 * policy): a party whose kind is not recorded is judged by the person's threshold, the lower one, so that a
 * hearing due is never withheld.
 */
function hasHearingRight(penalty: Penalty, partyKind: PartyKind | undefined, policy: CasePolicy): boolean {
  return hearingRightOf(
    {
      kind: penalty.kind,
      ...(penalty.amountYuan !== undefined ? { amountYuan: penalty.amountYuan } : {}),
      partyKind: partyKind ?? 'person',
    },
    policy,
  );
}

/** What the party said or signed, as the record prints it (optional: the record says what it is). */
const content = text.optional().describe('the text of the record');

const serviceMethod = z.enum(['direct', 'post', 'electronic', 'announcement']);

/**
 * The party's periods from a notice's service (Art. 44, 45, 64(1), 85): they run from when the service took effect
 * — on delivery, or 30 days after a public announcement (民事诉讼法 Art. 95, applied by Art. 61), as for the decision.
 */
function noticeWindows(
  c: CaseActionContext,
  servedAt: Date,
  method: string,
  notice: { hearingRight: boolean; statementDays: number },
  receivedAt?: Date,
): StartedDeadline[] {
  const effective = serviceEffectiveAt(method, servedAt, receivedAt);
  const dl = { ...c.dl, policy: { ...c.policy, statementDays: notice.statementDays } };
  const started: StartedDeadline[] = [
    { kind: 'statement_window', startedAt: servedAt, dueAt: statementWindowEnd(effective, dl).due },
  ];
  if (notice.hearingRight) {
    started.push({
      kind: 'hearing_request_window',
      startedAt: servedAt,
      dueAt: hearingRequestWindowEnd(effective, c.dl).due,
    });
  }
  return started;
}

/** A service as the notice records it (the 送达回证 prints the same). */
function noticeService(
  servedAt: Date,
  method: z.infer<typeof serviceMethod>,
  recordedBy: string,
  receivedAt?: Date,
): Pick<PrePenaltyNotice, 'servedAt' | 'serviceMethod' | 'effectiveAt' | 'serviceRecordedBy'> {
  return {
    servedAt,
    serviceMethod: method,
    serviceRecordedBy: recordedBy,
    ...effectiveAtField(method, servedAt, receivedAt),
  };
}

/** The service fields of the one-step notice; with `serveLater` none may be given. */
const SERVICE_FIELDS = [
  'servedAt',
  'method',
  'announcement',
  'consentDocumentId',
  'recipient',
  'signedBy',
  'receivedAt',
] as const;

/** 行政处罚法 Art. 61(2): a notice is served electronically only with the party's signed consent. */
const consentDocument = id
  .optional()
  .describe(
    'the party’s signed consent to electronic service (行政处罚法 Art. 61(2)): required for electronic',
  );

export const issuePrePenaltyNotice = defineCaseAction({
  type: 'issue_pre_penalty_notice',
  stage: 'notice_and_hearing',
  title: '制发（送达）行政处罚告知书',
  roles: officer,
  transitions: {
    investigating: ['pre_penalty_notified', 'pre_penalty_notice_issued'],
    returned: ['pre_penalty_notified', 'pre_penalty_notice_issued'],
  },
  starts: ['statement_window', 'hearing_request_window'],
  article: '行政处罚法 Art. 44, 61, 63, 64',
  input: {
    serveLater: z
      .boolean()
      .optional()
      .describe(
        'true: the notice is issued (generated, dated and numbered now) and its service is recorded later by ' +
          'record_notice_service, from which the periods run; absent or false: it is handed over as it is issued',
      ),
    servedAt: when,
    method: serviceMethod
      .optional()
      .describe('how the notice was served (default: direct); recorded on the notice'),
    documentId: id
      .optional()
      .describe('the 告知书 served; without it the case notice is generated (or its next version)'),
    announcement: announcementField,
    consentDocumentId: consentDocument,
    ...receiptFields,
  },
  system: {
    partyKind: z
      .enum(['person', 'organisation'])
      .optional()
      .describe("the kind of the case's party, from its record: the hearing threshold is by kind (Art. 63)"),
  },
  systemRefusals: {
    partyKind: { message: "the party's kind is read from the party's record" },
  },
  example: { serveLater: true },
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
    // A notice after a return supersedes the earlier one: its windows no longer count.
    const stops = ['statement_window', 'hearing_request_window'] as const;
    if (a.serveLater) {
      const given = SERVICE_FIELDS.find((k) => a[k] !== undefined);
      if (given) {
        throw invalid(
          'service_recorded_later',
          given,
          'a notice served later has its service recorded by record_notice_service',
        );
      }
      return { next: 'pre_penalty_notice_issued', started: [], stops };
    }
    const servedAt = a.servedAt ?? c.now;
    requirePastFact(c, servedAt, 'servedAt');
    requireReceiptInOrder(c, a.receivedAt, servedAt);
    requireAnnouncementReason(a);
    requireConsentForElectronic(a);
    const penalty = c.s.proposedPenalty as Penalty;
    const started = noticeWindows(
      c,
      servedAt,
      a.method ?? 'direct',
      {
        hearingRight: hasHearingRight(penalty, a.partyKind, c.policy),
        statementDays: c.policy.statementDays,
      },
      a.receivedAt,
    );
    return { next: 'pre_penalty_notified', started, stops };
  },
  apply: (s, a, c) => {
    for (const notice of s.prePenaltyNotices) notice.supersededAt ??= c.now;
    const penalty = s.proposedPenalty as Penalty;
    s.prePenaltyNotices.push({
      issuedAt: c.now,
      ...(a.serveLater
        ? {}
        : noticeService(a.servedAt ?? c.now, a.method ?? 'direct', c.actor.id, a.receivedAt)),
      ...(a.consentDocumentId ? { consentDocumentId: a.consentDocumentId } : {}),
      issuedBy: c.actor.id,
      ...(a.documentId ? { documentId: a.documentId } : {}),
      proposedPenalty: { ...penalty },
      hearingRight: hasHearingRight(penalty, a.partyKind, c.policy),
      ...(a.partyKind ? { partyKind: a.partyKind } : {}),
      statementDays: c.policy.statementDays,
      waivers: [],
      statements: [],
    });
  },
});

export const recordNoticeService = defineCaseAction({
  type: 'record_notice_service',
  stage: 'notice_and_hearing',
  title: '记录告知书送达',
  roles: officer,
  transitions: to(['pre_penalty_notice_issued'], 'pre_penalty_notified'),
  starts: ['statement_window', 'hearing_request_window'],
  article: '行政处罚法 Art. 44, 45, 61, 64(1); 民事诉讼法 Art. 87, 95',
  input: {
    method: serviceMethod.describe('how the notice was served'),
    consentDocumentId: consentDocument,
    servedAt: z.coerce
      .date()
      .optional()
      .describe('the day of delivery (the postal receipt for post) or of the announcement; default now'),
    announcement: announcementField,
    ...receiptFields,
  },
  example: { method: 'post', servedAt: '2024-03-08T02:00:00.000Z', recipient: '张三', signedBy: '张三' },
  guard: (c) => {
    requireUnservedNotice(c.s);
  },
  run: (c, a) => {
    const notice = requireUnservedNotice(c.s);
    const servedAt = a.servedAt ?? c.now;
    requirePastFact(c, servedAt, 'servedAt');
    // By the day: a notice issued this morning may be handed over the same day, never the day before.
    if (notice.issuedAt && day(servedAt, c.tz) < day(notice.issuedAt, c.tz)) {
      throw invalid(
        'served_before_issue',
        'servedAt',
        `a notice is served after it is issued (issued ${day(notice.issuedAt, c.tz)})`,
      );
    }
    requireAnnouncementReason(a);
    requireConsentForElectronic(a);
    requireReceiptInOrder(c, a.receivedAt, servedAt);
    return { started: noticeWindows(c, servedAt, a.method, notice, a.receivedAt) };
  },
  apply: (s, a, c) => {
    const notice = currentNotice(s);
    if (notice) {
      Object.assign(notice, noticeService(a.servedAt ?? c.now, a.method, c.actor.id, a.receivedAt));
      if (a.consentDocumentId) notice.consentDocumentId = a.consentDocumentId;
    }
  },
});

export const recordStatement = defineCaseAction({
  type: 'record_statement',
  stage: 'notice_and_hearing',
  title: '记录陈述申辩',
  roles: officer,
  transitions: same(['pre_penalty_notified', 'hearing_requested', 'hearing_scheduled']),
  article: '行政处罚法 Art. 45',
  input: {
    receivedAt: when,
    documentId: id.optional().describe('a record on file; without it the 陈述申辩笔录 is generated'),
  },
  extras: { kind: z.enum(['statement', 'defence']).optional().describe('陈述 (default) or 申辩'), content },
  example: { kind: 'defence', content: '当事人称货物为分装，请求从轻处罚' },
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
});

export const recordWaiver = defineCaseAction({
  type: 'record_waiver',
  stage: 'notice_and_hearing',
  title: '记录书面放弃',
  roles: officer,
  transitions: same(['pre_penalty_notified']),
  stops: ['statement_window', 'hearing_request_window'],
  article: '行政处罚法 Art. 44, 45, 64',
  input: {
    right: z.enum(['statement', 'hearing']),
    signedAt: when,
    documentId: id.describe('the waiver the party signed (书面放弃); without it its record is generated'),
  },
  completedBySystem: ['documentId'],
  extras: { content },
  example: { right: 'statement', content: '当事人书面表示不再陈述申辩' },
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
});

export const requestHearing = defineCaseAction({
  type: 'request_hearing',
  stage: 'notice_and_hearing',
  title: '记录听证申请',
  roles: officer,
  transitions: to(['pre_penalty_notified'], 'hearing_requested'),
  stops: ['hearing_request_window'],
  article: '行政处罚法 Art. 63, 64(1)',
  input: { requestedAt: when },
  extras: { content },
  example: { requestedAt: '2024-03-07T01:30:00.000Z', content: '当事人书面要求听证' },
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
        { until: end.toISOString() },
      );
    }
    return {};
  },
  apply: (s, a, c) => {
    const notice = currentNotice(s);
    if (notice) notice.hearing = { requestedAt: a.requestedAt ?? c.now };
  },
});

export const scheduleHearing = defineCaseAction({
  type: 'schedule_hearing',
  stage: 'notice_and_hearing',
  title: '通知听证',
  roles: officer,
  transitions: to(['hearing_requested'], 'hearing_scheduled'),
  article: '行政处罚法 Art. 64(2), 64(4)',
  input: {
    hearingAt: z.coerce.date().describe('when the hearing is held'),
    notifiedAt: when,
    hostId: id.describe('the user who chairs the hearing: not an officer of the case'),
  },
  /** Where the hearing is held (听证通知书 Art. 64(2): time and place). */
  extras: { location: z.string().trim().min(1).max(200).optional() },
  example: {
    hearingAt: '2024-03-20T01:30:00.000Z',
    hostId: '5e2a9c4b-1f3d-4e6a-8b7c-0d9e8f7a6b05',
    location: '本机关听证室',
  },
  run: (c, a) => {
    // Art. 64(4): the hearing is chaired by someone who did not investigate the case.
    if (actedAsOfficer(c.s, a.hostId)) {
      throw forbidden('hearing_host_is_case_officer', '听证主持人不得是本案调查人员（行政处罚法第六十四条）');
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
});

export const recordHearing = defineCaseAction({
  type: 'record_hearing',
  stage: 'notice_and_hearing',
  title: '记录听证',
  roles: officer,
  transitions: to(['hearing_scheduled'], 'heard'),
  article: '行政处罚法 Art. 64(8), 65',
  input: {
    heldAt: when,
    transcriptDocumentId: id
      .optional()
      .describe('a transcript on file; without it the 听证笔录 is generated'),
  },
  /** What the hearing record (听证笔录, Art. 64(8)) says: who took part, what was argued. */
  extras: {
    participants: z.string().trim().min(1).max(500).optional(),
    summary: text.optional(),
  },
  example: { participants: '当事人张三及其代理人李四', summary: '当事人对超限事实无异议' },
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
});

export const withdrawHearing = defineCaseAction({
  type: 'withdraw_hearing',
  stage: 'notice_and_hearing',
  title: '记录放弃听证',
  roles: officer,
  transitions: to(['hearing_requested', 'hearing_scheduled'], 'pre_penalty_notified'),
  article: '行政处罚法 Art. 64(6)',
  input: { reason: z.enum(['withdrawn_in_writing', 'absent_without_reason']) },
  example: { reason: 'withdrawn_in_writing' },
  apply: (s, a, c) => {
    const hearing = currentNotice(s)?.hearing;
    if (!hearing) return;
    hearing.withdrawnAt = c.now;
    hearing.withdrawalReason = a.reason;
  },
});

export const reopenInvestigation = defineCaseAction({
  type: 'reopen_investigation',
  stage: 'notice_and_hearing',
  title: '补充调查',
  roles: officer,
  transitions: to(['pre_penalty_notice_issued', 'pre_penalty_notified', 'heard'], 'investigating'),
  stops: ['statement_window', 'hearing_request_window'],
  article: '行政处罚法 Art. 44, 54',
  input: { reason: text },
  example: { reason: '当事人申辩称货物为分装，需补充核查装载单' },
  apply: (s, _a, c) => {
    const notice = currentNotice(s);
    if (notice) notice.supersededAt = c.now;
  },
});

/** In the order they are offered; reopening the investigation is the way back from this stage. */
export const NOTICE_AND_HEARING_ACTIONS = [
  issuePrePenaltyNotice,
  recordNoticeService,
  recordStatement,
  recordWaiver,
  requestHearing,
  scheduleHearing,
  recordHearing,
  withdrawHearing,
  reopenInvestigation,
] as const;
