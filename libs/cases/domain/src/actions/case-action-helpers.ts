import { z } from 'zod';
import { hearingRequestWindowEnd, type CasePolicy } from '@ecc/legal-domain';
import { DomainError, localDate } from '@ecc/shared-kernel';
import type { CaseFlag, CaseFlagCode, CaseSnapshot, PrePenaltyNotice, WaivableRight } from '../case-state';
import type { CaseActionContext } from './define-case-action';

/*
 * What the rules of more than one stage share: the errors they throw and the facts they read off the case.
 */

export const forbidden = (code: string, message: string) => new DomainError('forbidden', code, message);
export const rule = (code: string, message: string, details: Record<string, unknown> = {}) =>
  new DomainError('rule_violation', code, message, details);
export const conflict = (code: string, message: string) => new DomainError('conflict', code, message);
export const invalid = (code: string, path: string, message: string) =>
  new DomainError('validation', code, message, { errors: [{ path, message }] });

export const isCaseOfficer = (s: CaseSnapshot, userId: string) => s.officers.some((o) => o.userId === userId);

/**
 * Who acted as an officer of the case: the officers listed now, and anyone who investigated, notified or
 * submitted it earlier. Taking someone off the case does not make them independent of it.
 */
export function actedAsOfficer(s: CaseSnapshot, userId: string): boolean {
  return (
    isCaseOfficer(s, userId) ||
    s.investigationRecords.some((r) => r.recordedBy === userId) ||
    s.prePenaltyNotices.some((n) => n.issuedBy === userId) ||
    s.legalReviews.some((r) => r.submittedBy === userId)
  );
}

/** A local calendar date for messages (the deadlines themselves end at local midnight). */
export const day = (instant: Date, timeZone: string) => localDate(instant, timeZone);

/** 行政处罚法 Art. 42: at least two officers holding an enforcement certificate act on every case. */
export function requireTwoOfficers(s: CaseSnapshot): void {
  const count = new Set(
    s.officers.filter((o) => (o.enforcementCertificateNo ?? '').trim() !== '').map((o) => o.userId),
  ).size;
  if (count < 2) {
    throw rule(
      'fewer_than_two_officers',
      `执法人员不得少于两人且须持有执法证（行政处罚法第四十二条），当前 ${count} 人`,
      { certifiedOfficers: count },
    );
  }
}

export function currentNotice(s: CaseSnapshot): PrePenaltyNotice | undefined {
  const last = s.prePenaltyNotices[s.prePenaltyNotices.length - 1];
  return last && last.supersededAt === undefined ? last : undefined;
}

/** A notice whose service is recorded: the party's periods run from it. */
export type ServedNotice = PrePenaltyNotice & { servedAt: Date };

/**
 * The current notice, served: the statement and hearing periods run from its service (行政处罚法 Art. 44, 45,
 * 64(1)), so a notice issued but not yet served answers nothing and supports no decision.
 */
export function requireNotice(s: CaseSnapshot): ServedNotice {
  const notice = currentNotice(s);
  if (!notice) throw rule('pre_penalty_notice_missing', '尚未送达行政处罚告知书（行政处罚法第四十四条）');
  if (!notice.servedAt) {
    throw rule(
      'pre_penalty_notice_not_served',
      '行政处罚告知书已制发但尚未送达，陈述申辩和听证期限自送达起算（行政处罚法第四十四条、第六十一条）',
    );
  }
  return notice as ServedNotice;
}

/** The current notice while it waits for its service (issued in two steps). */
export function requireUnservedNotice(s: CaseSnapshot): PrePenaltyNotice {
  const notice = currentNotice(s);
  if (!notice) throw rule('pre_penalty_notice_missing', '尚未制发行政处罚告知书（行政处罚法第四十四条）');
  if (notice.servedAt) throw conflict('pre_penalty_notice_already_served', '行政处罚告知书已记录送达');
  return notice;
}

/** 民事诉讼法 Art. 95: service by public announcement takes effect 30 days after the announcement. */
export const ANNOUNCEMENT_EFFECT_DAYS = 30;

/** When service by public announcement takes effect: 30 days after the announcement (民事诉讼法 Art. 95). */
export const announcementEffectiveAt = (servedAt: Date): Date =>
  new Date(servedAt.getTime() + ANNOUNCEMENT_EFFECT_DAYS * 86_400_000);

/**
 * When a service took effect: on delivery; by post on the day of receipt the return receipt states (民事诉讼法
 * Art. 91), when it is recorded; 30 days after an announcement (Art. 95).
 */
export const serviceEffectiveAt = (method: string, servedAt: Date, receivedAt?: Date): Date =>
  method === 'announcement'
    ? announcementEffectiveAt(servedAt)
    : method === 'post' && receivedAt
      ? receivedAt
      : servedAt;

/** The effective instant a service records beside `servedAt`, when it differs (announcement; post received later). */
export const effectiveAtField = (
  method: string,
  servedAt: Date,
  receivedAt?: Date,
): { effectiveAt?: Date } => {
  const effective = serviceEffectiveAt(method, servedAt, receivedAt);
  return effective.getTime() !== servedAt.getTime() ? { effectiveAt: effective } : {};
};

/** When the notice's service took effect: the party's periods run from here (Art. 61; 民事诉讼法 Art. 95). */
export const noticeEffectiveAt = (notice: ServedNotice): Date => notice.effectiveAt ?? notice.servedAt;

export const waived = (notice: PrePenaltyNotice, right: WaivableRight) =>
  notice.waivers.some((w) => w.right === right);

/** 5 working days after the notice took effect (Art. 64(1), 85). */
export const hearingEnd = (c: CaseActionContext, notice: ServedNotice) =>
  hearingRequestWindowEnd(noticeEffectiveAt(notice), c.dl).due;

/** Why a case is major (行政处罚法 Art. 58(1)): the penalty, a hearing, or the officer's mark at filing. */
export type MajorCaseGround = 'penalty_kind' | 'hearing' | 'complex';

/**
 * The grounds that make a case major (重大执法决定, 行政处罚法 Art. 58(1)), whatever the policy of reviewing every
 * case: its proposed penalty is one the policy lists (the bureau's 重大执法决定法制审核目录, 国办发〔2018〕118号 — Art.
 * 58(1)(四) is review that a law or regulation itself requires, not this list; default the measures that revoke, suspend or
 * stop — Art. 57 ¶2's serious penalties and the order to stop transport); a hearing was requested and not withdrawn,
 * or held (Art. 58(1)(二): 经过听证程序); the officer marked it complex when asking to file (Art. 58(1)(三)).
 */
export function majorCaseGrounds(s: CaseSnapshot, policy: CasePolicy): MajorCaseGround[] {
  const grounds: MajorCaseGround[] = [];
  const kind = s.decision?.penalty.kind ?? s.proposedPenalty?.kind;
  if (kind && policy.majorCasePenaltyKinds.includes(kind)) grounds.push('penalty_kind');
  const hearing = currentNotice(s)?.hearing;
  if (hearing && (hearing.heldAt || !hearing.withdrawnAt)) grounds.push('hearing');
  if (s.major) grounds.push('complex');
  return grounds;
}

/**
 * The officer's mark that a case is complex (案件情况疑难复杂、涉及多个法律关系, 行政处罚法 Art. 58(1)(三)): at filing or,
 * as investigation shows it, with the proposed penalty — a major case from then on, never unmarked.
 */
export const complexMark = z
  .strictObject({
    reason: z.string().trim().min(1).max(4000).describe('案件情况疑难复杂、涉及多个法律关系: why'),
  })
  .optional()
  .describe(
    'marks the case major (行政处罚法 Art. 58(1)(三)): legal review before the decision, whatever the policy',
  );

export function markComplex(s: CaseSnapshot, mark: { reason: string } | undefined): void {
  if (!mark) return;
  s.major = true;
  s.majorReason = mark.reason;
}

/** Art. 58: legal review for major cases; policy: every case. */
export function legalReviewRequired(s: CaseSnapshot, policy: CasePolicy): boolean {
  return policy.legalReviewForEveryCase || majorCaseGrounds(s, policy).length > 0;
}

export function requirePastFact(c: CaseActionContext, at: Date, path: string): void {
  if (at.getTime() > c.now.getTime()) throw invalid('time_in_future', path, `${path} lies in the future`);
}

/**
 * 民事诉讼法 Art. 95 (as 行政处罚法 Art. 61 applies it): service by announcement only where the party cannot be
 * found or the other methods failed — and the file says which, and what was tried.
 */
export function requireAnnouncementReason(a: { method?: string | undefined; announcement?: unknown }): void {
  if (a.method === 'announcement' && !a.announcement) {
    throw rule(
      'announcement_without_reason',
      '公告送达仅限受送达人下落不明或者用其他方式无法送达的情形，须记明原因及已采取的送达方式（民事诉讼法第九十五条）',
    );
  }
  if (a.method !== 'announcement' && a.announcement) {
    throw invalid('announcement_only_for_announcement', 'announcement', 'only for service by announcement');
  }
}

/** 行政处罚法 Art. 61(2): electronic service only with the party's signed consent (the notice as the decision). */
export function requireConsentForElectronic(a: {
  method?: string | undefined;
  consentDocumentId?: string | undefined;
}): void {
  if (a.method === 'electronic' && !a.consentDocumentId) {
    throw rule(
      'electronic_service_without_consent',
      '电子送达须经当事人同意并签订确认书（行政处罚法第六十一条）',
    );
  }
}

/** The day of receipt on a 送达回证 lies between service and now. */
export function requireReceiptInOrder(
  c: CaseActionContext,
  receivedAt: Date | undefined,
  servedAt: Date,
): void {
  if (receivedAt && (receivedAt < servedAt || receivedAt > c.now)) {
    throw invalid('received_out_of_order', 'receivedAt', 'receipt lies between service and now');
  }
}

export const fen = (yuan: number) => Math.round(yuan * 100);

export const paidFen = (s: CaseSnapshot) => s.payments.reduce((sum, p) => sum + fen(p.amountYuan), 0);

export function flag(c: CaseActionContext, code: CaseFlagCode, article: string, message: string): CaseFlag {
  return { code, article, message, raisedAt: c.now };
}

export function requireDecision(s: CaseSnapshot) {
  if (!s.decision) throw rule('decision_missing', '尚无处罚决定');
  return s.decision;
}

/** The vehicle case carries the report to the home authority; it lists the other parties' decisions too. */
export const homeAuthorityReportRequired = (s: CaseSnapshot) => s.caseType === 'vehicle';
