import {
  courtApplication,
  executionDemand,
  paymentDeadline,
  serviceDeadline,
  type ExecutionFacts,
  type ExecutionStep,
} from '@ecc/legal-domain';
import { z } from 'zod';
import type { CaseFlag, CaseSnapshot } from '../case-state';
import {
  day,
  fen,
  flag,
  invalid,
  paidFen,
  requireDecision,
  requireAnnouncementReason,
  requirePastFact,
  requireReceiptInOrder,
  rule,
  effectiveAtField,
  requireConsentForElectronic,
  serviceEffectiveAt,
} from './case-action-helpers';
import {
  announcementField,
  approver,
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
  isoDay,
} from './define-case-action';

/** 送达 (行政处罚法 Art. 61) and 执行: payment with the late fee (Art. 67, 72), other penalties, the court. */

function requireService(s: CaseSnapshot) {
  if (!s.service) throw rule('service_missing', '处罚决定书尚未送达');
  return s.service;
}

/** When the service took effect: the periods that run from service run from here. */
const effectiveService = (s: CaseSnapshot): Date => {
  const service = requireService(s);
  return service.effectiveAt ?? service.servedAt;
};

/**
 * What compulsory execution (行政强制法 Arts. 53, 54) reads from the case: the service of the decision, the last
 * day to perform (a fine: 15 days, Art. 67; another measure: on service), whether it was performed, the
 * remedies the party sought and the service of the written demand.
 */
function executionFacts(c: CaseActionContext): ExecutionFacts {
  const decision = requireDecision(c.s);
  return {
    decisionServedAt: effectiveService(c.s),
    paymentLastDay:
      decision.penalty.kind === 'fine'
        ? paymentDeadline(effectiveService(c.s), c.dl).lastDay
        : day(effectiveService(c.s), c.tz),
    performed: c.s.state === 'executed' || c.s.state === 'closed',
    remedies: (c.s.remedies ?? []).map((r) => ({
      kind: r.kind,
      filedOn: r.filedOn,
      concludedOn: r.concludedOn ?? null,
    })),
    // the ten days of 行政强制法 Art. 54 run from when the demand reached the party (by post: the receipt's day)
    demandServedAt: c.s.executionDemand
      ? (c.s.executionDemand.effectiveAt ?? c.s.executionDemand.servedAt)
      : null,
  };
}

/** The first refusal of a step of compulsory execution, as the case's rule error (`ignore`: only flagged). */
function refuseUnless(step: ExecutionStep, ignore: string[] = []): void {
  const refusal = step.refusals.find((r) => !ignore.includes(r.code));
  if (refusal) throw rule(refusal.code, refusal.message, refusal.until ? { until: refusal.until } : {});
}

/** Art. 67: the fine is due within 15 days of service (a last day on a holiday moves to the next working day). */
const paymentDue = (c: CaseActionContext): Date => paymentDeadline(effectiveService(c.s), c.dl).due;

const effectiveAt = serviceEffectiveAt;

export const recordService = defineCaseAction({
  type: 'record_service',
  stage: 'execution',
  title: '记录送达',
  roles: officer,
  transitions: { decided: ['served', 'executed'] },
  starts: ['payment_due'],
  stops: ['service_due'],
  article: '行政处罚法 Art. 61',
  input: {
    method: z.enum(['direct', 'post', 'electronic', 'announcement']),
    servedAt: when,
    consentDocumentId: id.optional().describe('the party’s signed consent: required for electronic service'),
    announcement: announcementField,
    ...receiptFields,
  },
  example: { method: 'direct', servedAt: '2024-03-15T02:00:00.000Z', recipient: '张三' },
  guard: (c) => {
    requireDecision(c.s);
  },
  run: (c, a) => {
    const decision = requireDecision(c.s);
    const servedAt = a.servedAt ?? c.now;
    requirePastFact(c, servedAt, 'servedAt');
    if (servedAt < decision.decidedAt)
      throw invalid('served_before_decision', 'servedAt', 'service cannot precede the decision');
    requireAnnouncementReason(a);
    requireReceiptInOrder(c, a.receivedAt, servedAt);
    requireConsentForElectronic(a);
    const flags: CaseFlag[] = [];
    const due = serviceDeadline(decision.decidedAt, c.dl).due;
    if (servedAt.getTime() > due.getTime()) {
      flags.push(
        flag(c, 'service_late', '行政处罚法 Art. 61', `决定后7日内未送达（期限至 ${day(due, c.tz)}）`),
      );
    }
    const penalty = decision.penalty;
    // A warning is executed by being served.
    if (penalty.kind === 'warning') return { next: 'executed', flags, started: [] };
    // The payment period runs from when service took effect (30 days after an announcement).
    const effective = effectiveAt(a.method, servedAt, a.receivedAt);
    const started: StartedDeadline[] =
      penalty.kind === 'fine'
        ? [{ kind: 'payment_due', startedAt: servedAt, dueAt: paymentDeadline(effective, c.dl).due }]
        : [];
    return { next: 'served', flags, started };
  },
  apply: (s, a, c) => {
    const servedAt = a.servedAt ?? c.now;
    s.service = {
      servedAt,
      method: a.method,
      recordedBy: c.actor.id,
      ...(a.consentDocumentId ? { consentDocumentId: a.consentDocumentId } : {}),
      ...effectiveAtField(a.method, servedAt, a.receivedAt),
      ...(a.announcement ? { announcement: a.announcement } : {}),
      ...(a.recipient ? { recipient: a.recipient } : {}),
      ...(a.signedBy ? { signedBy: a.signedBy } : {}),
      ...(a.method !== 'announcement' ? { receivedAt: a.receivedAt ?? servedAt } : {}),
    };
  },
});

export const recordPayment = defineCaseAction({
  type: 'record_payment',
  stage: 'execution',
  title: '记录缴款',
  roles: officer,
  transitions: { served: ['served', 'executed'] },
  stops: ['payment_due'],
  article: '行政处罚法 Art. 67, 72',
  input: {
    amountYuan: z.number().positive().max(100_000_000),
    receiptNo: z.string().trim().min(1).max(100).describe('罚没款收据号 (unique)'),
    paidAt: when,
    lateFeeDueYuan: z
      .number()
      .min(0)
      .max(100_000_000)
      .optional()
      .describe('the late fee owed as of the payment (Art. 72); computed by the system when absent'),
  },
  example: { amountYuan: 15000, receiptNo: 'FS-2024-0413', paidAt: '2024-03-20T02:00:00.000Z' },
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
      throw invalid('late_fee_above_cap', 'lateFeeDueYuan', 'the late fee cannot exceed the fine (Art. 72)');
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
});

export const recordExecution = defineCaseAction({
  type: 'record_execution',
  stage: 'execution',
  title: '记录执行',
  roles: officer,
  transitions: to(['served'], 'executed'),
  article: '行政处罚法 Art. 66',
  input: { executedAt: when, documentId: id.optional() },
  example: { executedAt: '2024-03-25T02:00:00.000Z' },
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
});

export const referForEnforcement = defineCaseAction({
  type: 'refer_for_enforcement',
  stage: 'execution',
  title: '申请强制执行',
  roles: approver,
  transitions: to(['served'], 'referred_for_enforcement'),
  stops: ['payment_due'],
  article: '行政处罚法 Art. 72(1)(4); 行政强制法 Art. 53',
  input: {
    documentId: id
      .optional()
      .describe('the application to the court, on file; without it the 强制执行申请书 is generated'),
  },
  extras: {
    court: z
      .string()
      .trim()
      .min(2)
      .max(100)
      .optional()
      .describe("the court applied to (default: the policy's)"),
  },
  example: { documentId: 'court-application-2024-017' },
  guard: (c) => {
    const decision = requireDecision(c.s);
    if (decision.penalty.kind === 'warning') throw rule('warning_executed_by_service', '警告无需强制执行');
    refuseUnless(courtApplication(executionFacts(c), c.dl, c.now), ['application_period_expired']);
  },
  run: (c) => {
    // 行政强制法 Art. 53: within three months after the remedy periods; later, the application is still made
    // (the court decides) and the lateness is flagged for 案卷评查.
    const step = courtApplication(executionFacts(c), c.dl, c.now);
    const late = step.refusals.find((r) => r.code === 'application_period_expired');
    return {
      flags: late ? [flag(c, 'enforcement_referral_late', '行政强制法 Art. 53', late.message)] : [],
    };
  },
  apply: (s, a, c) => {
    s.enforcementReferral = {
      referredAt: c.now,
      approvedBy: c.actor.id,
      ...(a.documentId ? { documentId: a.documentId } : {}),
    };
  },
});

const REMEDY_STATES = ['decided', 'served', 'executed', 'referred_for_enforcement'] as const;

export const recordRemedy = defineCaseAction({
  type: 'record_remedy',
  stage: 'execution',
  title: '记录行政复议或行政诉讼',
  roles: officer,
  transitions: same(REMEDY_STATES),
  article: '行政处罚法 Art. 73; 行政复议法 Art. 20, 24; 行政诉讼法 Art. 46',
  input: {
    kind: z.enum(['reconsideration', 'lawsuit']),
    body: text.describe('the reconsideration body or the court'),
    filedOn: isoDay.describe('the day it was filed'),
    documentId: id.optional().describe('the application or the complaint, on file'),
  },
  example: { kind: 'reconsideration', body: '汨罗市人民政府', filedOn: '2024-03-20' },
  guard: (c) => {
    requireDecision(c.s);
  },
  run: (c, a) => {
    const decision = requireDecision(c.s);
    if (a.filedOn > day(c.now, c.tz))
      throw invalid('filed_in_future', 'filedOn', 'a filing cannot lie ahead');
    if (a.filedOn < day(decision.decidedAt, c.tz)) {
      throw invalid('filed_before_decision', 'filedOn', 'a remedy is sought against a decision made');
    }
    if ((c.s.remedies ?? []).some((r) => r.kind === a.kind && !r.outcome)) {
      throw rule('remedy_pending', `已有未结的${a.kind === 'lawsuit' ? '行政诉讼' : '行政复议'}`);
    }
    return {};
  },
  apply: (s, a, c) => {
    (s.remedies ??= []).push({
      kind: a.kind,
      body: a.body,
      filedOn: a.filedOn,
      recordedAt: c.now,
      recordedBy: c.actor.id,
      ...(a.documentId ? { documentId: a.documentId } : {}),
    });
  },
});

export const recordRemedyOutcome = defineCaseAction({
  type: 'record_remedy_outcome',
  stage: 'execution',
  title: '记录复议决定或裁判结果',
  roles: officer,
  transitions: same(REMEDY_STATES),
  article: '行政处罚法 Art. 73',
  input: {
    kind: z.enum(['reconsideration', 'lawsuit']),
    outcome: z.enum(['upheld', 'changed', 'annulled', 'dismissed', 'withdrawn']),
    concludedOn: isoDay.describe('the day the outcome was served (or the remedy withdrawn)'),
  },
  example: { kind: 'reconsideration', outcome: 'upheld', concludedOn: '2024-05-10' },
  guard: (c) => {
    if (!(c.s.remedies ?? []).some((r) => !r.outcome))
      throw rule('no_pending_remedy', '没有未结的复议或诉讼');
  },
  run: (c, a) => {
    const pending = (c.s.remedies ?? []).find((r) => r.kind === a.kind && !r.outcome);
    if (!pending) throw rule('no_pending_remedy', '没有未结的该类复议或诉讼');
    if (a.concludedOn < pending.filedOn || a.concludedOn > day(c.now, c.tz)) {
      throw invalid('concluded_out_of_order', 'concludedOn', 'between the filing and today');
    }
    return {};
  },
  apply: (s, a, c) => {
    const pending = (s.remedies ?? []).find((r) => r.kind === a.kind && !r.outcome)!;
    pending.outcome = a.outcome;
    pending.concludedOn = a.concludedOn;
    pending.concludedRecordedAt = c.now;
  },
});

export const serveExecutionDemand = defineCaseAction({
  type: 'serve_execution_demand',
  stage: 'execution',
  title: '送达催告书',
  roles: officer,
  transitions: same(['served']),
  article: '行政强制法 Art. 35, 54; 行政处罚法 Art. 72',
  input: {
    servedAt: when,
    documentId: id.optional().describe('the 催告书 served; without it the demand is generated'),
    // 行政强制法 Art. 38: served directly, or as 民事诉讼法 provides; its 送达回证 proves the service that the ten
    // days of Art. 54 run from.
    method: z.enum(['direct', 'post']).optional().describe('how the demand was served (default: direct)'),
    ...receiptFields,
  },
  example: { servedAt: '2024-04-05T02:00:00.000Z' },
  guard: (c) => {
    if (requireDecision(c.s).penalty.kind === 'warning')
      throw rule('warning_executed_by_service', '警告无需催告');
    refuseUnless(executionDemand(executionFacts(c), c.dl, c.now));
  },
  run: (c, a) => {
    const servedAt = a.servedAt ?? c.now;
    requirePastFact(c, servedAt, 'servedAt');
    requireReceiptInOrder(c, a.receivedAt, servedAt);
    refuseUnless(executionDemand(executionFacts(c), c.dl, servedAt));
    return {};
  },
  apply: (s, a, c) => {
    const servedAt = a.servedAt ?? c.now;
    s.executionDemand = {
      servedAt,
      ...effectiveAtField(a.method ?? 'direct', servedAt, a.receivedAt),
      issuedBy: c.actor.id,
      ...(a.documentId ? { documentId: a.documentId } : {}),
    };
  },
});

export const EXECUTION_ACTIONS = [
  recordService,
  recordPayment,
  recordExecution,
  recordRemedy,
  recordRemedyOutcome,
  serveExecutionDemand,
  referForEnforcement,
] as const;
