import { randomUUID } from 'node:crypto';
import { lateFee } from '@ecc/legal-domain';
import { DomainError, localDate } from '@ecc/shared-kernel';
import type { CaseSnapshot } from '@ecc/cases-domain';
import { casePartyOf } from '../case-document.service';
import { makeProofOfService, type StageEffects } from './action-effects';

/** Art. 73 ¶3: the days a reconsideration or a lawsuit was pending are not counted in the late fee. */
const pendingRemedies = (s: CaseSnapshot) =>
  (s.remedies ?? []).map((r) => ({ kind: r.kind, from: r.filedOn, to: r.concludedOn ?? null }));

export const EXECUTION_EFFECTS: StageEffects = {
  record_service: {
    records: async (c, body, input) => {
      const owner = casePartyOf(c.loaded.row);
      const servedAt = c.next.service!.servedAt;
      await c.tx.serviceRecord.create({
        data: {
          caseId: c.caseId,
          documentId: c.loaded.row.decision?.documentId ?? null,
          method: input.method,
          recipient: body.recipient ?? owner?.name ?? '当事人',
          servedAt,
          consentReference: input.consentDocumentId ?? null,
        },
      });
      // A warning is executed by being served.
      return { servedAt, ...(c.next.state === 'executed' ? { executedAt: c.now } : {}) };
    },
    documents: async (c, body, input) => {
      const service = c.next.service!;
      await c.make('proof_of_service', {
        method: input.method,
        recipient: body.recipient ?? '',
        servedAt: service.servedAt.toISOString(),
        ...(service.signedBy ? { signedBy: service.signedBy } : {}),
        ...(service.receivedAt ? { receivedAt: service.receivedAt.toISOString() } : {}),
        ...(service.effectiveAt ? { effectiveAt: service.effectiveAt.toISOString() } : {}),
        ...(service.announcement
          ? { announcementReason: service.announcement.reason, attempts: service.announcement.attempts }
          : {}),
      });
    },
  },

  record_payment: {
    // 行政处罚法 Art. 72(1)(一): 3% of the fine a day after the due date, capped at the fine.
    prepare: async (c, body) => {
      const s = c.loaded.snapshot;
      if (s.decision?.penalty.kind !== 'fine' || s.state !== 'served') return {};
      const paidAt = body.paidAt ?? c.now;
      const due = [...s.deadlines].reverse().find((d) => d.kind === 'payment_due');
      if (!due) return {};
      const timeZone = c.env.timeZone;
      const fee = lateFee(s.decision.penalty.amountYuan ?? 0, localDate(due.dueAt, timeZone), paidAt, {
        timeZone,
        pending: pendingRemedies(s),
      });
      if (body.lateFeeDueYuan !== undefined && body.lateFeeDueYuan !== fee.amountYuan) {
        throw new DomainError(
          'rule_violation',
          'late_fee_mismatch',
          `the late fee owed on ${localDate(paidAt, timeZone)} is ${fee.amountYuan} yuan (${fee.daysLate} days late, Art. 72` +
            `${fee.daysPaused ? `; ${fee.daysPaused} days paused while a remedy was pending, Art. 73` : ''}), not ${body.lateFeeDueYuan}`,
          { lateFeeDueYuan: fee.amountYuan, daysLate: fee.daysLate, daysPaused: fee.daysPaused },
        );
      }
      return { lateFeeDueYuan: fee.amountYuan };
    },
    records: async (c) => {
      const p = c.next.payments.at(-1)!;
      await c.tx.payment.create({
        data: {
          caseId: c.caseId,
          amount: p.amountYuan,
          lateFee: p.lateFeeDueYuan,
          receiptNo: p.receiptNo,
          paidAt: p.paidAt,
        },
      });
      return c.next.state === 'executed' ? { paidAt: p.paidAt, executedAt: c.now } : {};
    },
    documents: async (c) => {
      const p = c.next.payments.at(-1)!;
      await c.make('payment_record', {
        amount: String(p.amountYuan),
        lateFee: String(p.lateFeeDueYuan),
        receiptNo: p.receiptNo,
        paidAt: p.paidAt.toISOString(),
      });
    },
  },

  record_execution: {
    records: async (c) => ({ executedAt: c.next.execution!.executedAt }),
  },

  serve_execution_demand: {
    prepare: async (_c, body) => (body.documentId === undefined ? { documentId: randomUUID() } : {}),
    // The demand states what is owed on the day it is served: the fine and the late fee to that day.
    documents: async (c, body, input) => {
      const s = c.next;
      const servedAt = s.executionDemand!.servedAt;
      // 行政强制法 Art. 54: the court is applied to ten days after the demand was served — its 送达回证.
      const proof = () =>
        makeProofOfService(c, {
          kind: 'execution_demand',
          method: input.method ?? 'direct',
          servedAt,
          recipient: body.recipient,
          signedBy: body.signedBy,
          receivedAt: body.receivedAt,
        });
      if (body.documentId !== undefined) {
        await proof();
        return;
      }
      const due = [...s.deadlines].reverse().find((d) => d.kind === 'payment_due');
      const timeZone = c.env.timeZone;
      const fee =
        s.decision?.penalty.kind === 'fine' && due
          ? lateFee(s.decision.penalty.amountYuan ?? 0, localDate(due.dueAt, timeZone), servedAt, {
              timeZone,
              pending: pendingRemedies(s),
            }).amountYuan
          : 0;
      await c.make(
        'execution_demand',
        { lateFee: String(fee), asOf: localDate(servedAt, timeZone) },
        { id: input.documentId },
      );
      await proof();
    },
  },

  refer_for_enforcement: {
    prepare: async (_c, body) => (body.documentId === undefined ? { documentId: randomUUID() } : {}),
    documents: async (c, body, input) => {
      if (body.documentId !== undefined) return;
      await c.make('court_application', body.court ? { court: body.court } : {}, { id: input.documentId });
    },
  },
};
