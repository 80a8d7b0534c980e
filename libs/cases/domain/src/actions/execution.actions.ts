import { addMonths, lawsuitWindowEnd, paymentDeadline, serviceDeadline } from '@ecc/legal-domain';
import { addDays, startOfLocalDay } from '@ecc/shared-kernel';
import { z } from 'zod';
import type { CaseFlag, CaseSnapshot } from '../case-state';
import {
  day,
  fen,
  flag,
  invalid,
  paidFen,
  requireDecision,
  requirePastFact,
  rule,
} from './case-action-helpers';
import {
  approver,
  defineCaseAction,
  id,
  officer,
  to,
  when,
  type CaseActionContext,
  type StartedDeadline,
} from './define-case-action';

/** 送达 (行政处罚法 Art. 61) and 执行: payment with the late fee (Art. 67, 72), other penalties, the court. */

function requireService(s: CaseSnapshot) {
  if (!s.service) throw rule('service_missing', '处罚决定书尚未送达');
  return s.service;
}

/** Art. 67: the fine is due within 15 days of service (a last day on a holiday moves to the next working day). */
const paymentDue = (c: CaseActionContext): Date => paymentDeadline(requireService(c.s).servedAt, c.dl).due;

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
  },
  extras: {
    recipient: z.string().trim().min(1).max(200).optional().describe('who received it (default: the party)'),
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
    // A warning is executed by being served.
    if (penalty.kind === 'warning') return { next: 'executed', flags, started: [] };
    const started: StartedDeadline[] =
      penalty.kind === 'fine'
        ? [{ kind: 'payment_due', startedAt: servedAt, dueAt: paymentDeadline(servedAt, c.dl).due }]
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
  input: { documentId: id.optional().describe('the application to the court, on file') },
  example: { documentId: 'court-application-2024-017' },
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
        { until: remediesEnd.toISOString() },
      );
    }
  },
  run: (c) => {
    const service = requireService(c.s);
    // 行政强制法 Art. 53: within three months after those periods lapse.
    const lawsuitLastDay = lawsuitWindowEnd(service.servedAt, c.dl).lastDay;
    const lastDay = new Date(startOfLocalDay(addDays(addMonths(lawsuitLastDay, 3), 1), c.tz).getTime() - 1);
    const late = c.now.getTime() > lastDay.getTime();
    return {
      flags: late
        ? [
            flag(
              c,
              'enforcement_referral_late',
              '行政强制法 Art. 53',
              '复议、诉讼期限届满后三个月内未申请强制执行',
            ),
          ]
        : [],
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

export const EXECUTION_ACTIONS = [
  recordService,
  recordPayment,
  recordExecution,
  referForEnforcement,
] as const;
