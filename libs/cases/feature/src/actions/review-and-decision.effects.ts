import { randomUUID } from 'node:crypto';
import { penaltyKindsOf } from '@ecc/cases-domain';
import type { Prisma } from '@ecc/shared-data';
import {
  approval,
  type ActionScope,
  type AppliedScope,
  type DocumentScope,
  type StageEffects,
} from './action-effects';
import { caseCitedCodes, casePartyOf, decisionBasisRefs } from '../case-document.service';

/** What the reviewer's answer carries, either way. */
interface ReviewAnswer {
  opinions?: string | undefined;
  opinionDocumentId?: string | undefined;
}

/** 法制审核意见书 and the review row, for the reviewer's answer either way. */
function legalReviewEffects(outcome: 'passed' | 'returned') {
  return {
    prepare: async (_c: ActionScope, body: ReviewAnswer) =>
      body.opinionDocumentId === undefined ? { opinionDocumentId: randomUUID() } : {},
    records: async (c: AppliedScope, body: ReviewAnswer) => {
      const review = c.next.legalReviews.at(-1);
      await c.tx.legalReview.create({
        data: {
          caseId: c.caseId,
          reviewerId: c.actorId,
          outcome,
          opinions: { text: body.opinions ?? null },
          submittedAt: review?.submittedAt ?? c.now,
          reviewedAt: c.now,
        },
      });
    },
    documents: async (c: DocumentScope, body: ReviewAnswer, input: ReviewAnswer) => {
      if (body.opinionDocumentId !== undefined) return;
      const reviewer = await c.tx.user.findUnique({
        where: { id: c.actorId },
        select: { displayName: true, legalQualificationNo: true },
      });
      await c.make(
        'legal_review_opinion',
        {
          outcome,
          opinions: body.opinions ?? '经审核，事实清楚，证据确凿，程序合法，适用依据正确，裁量适当。',
          reviewer: reviewer?.displayName ?? '',
          qualification: reviewer?.legalQualificationNo ?? '',
        },
        { id: input.opinionDocumentId },
      );
    },
  };
}

export const REVIEW_AND_DECISION_EFFECTS: StageEffects = {
  pass_legal_review: legalReviewEffects('passed'),
  return_legal_review: legalReviewEffects('returned'),

  approve_decision: {
    // Whether the decision is published (Art. 48), by the publicity policy on the penalty as proposed: the same
    // facts the publication reads once the decision is written.
    prepare: async (c, body) => {
      const penalty = c.loaded.snapshot.proposedPenalty;
      const verdict = penalty
        ? await c.publicity.verdict(
            c.tx,
            {
              partyKind: casePartyOf(c.loaded.row)?.kind ?? 'person',
              penaltyKinds: penaltyKindsOf(penalty),
              fineYuan: penalty.amountYuan ?? null,
            },
            c.now,
          )
        : undefined;
      return {
        ...(body.documentId === undefined ? { documentId: randomUUID() } : {}),
        ...(verdict ? { publicityOwed: verdict.publish } : {}),
      };
    },
    records: async (c) => {
      const penalty = c.next.decision!.penalty;
      // 执法依据 of the decision (行政处罚法 Art. 59(3)), published with it (Art. 48): the provisions the lead
      // proposed; a sub-case (一超四罚) has no lead and stores what its documents cite (its plan's basis).
      const lead = c.loaded.row.lead;
      const basis = lead
        ? ((lead.proposedBasis as { basis?: unknown } | null)?.basis ?? [])
        : decisionBasisRefs(
            caseCitedCodes({
              lead: null,
              penalties: await c.tx.penalty.findMany({
                where: { caseId: c.caseId },
                select: { counts: true, legalBasisCode: true },
              }),
            }),
            c.basis,
          );
      await approval(c, 'decision', 'approved');
      await c.tx.decision.create({
        data: {
          caseId: c.caseId,
          penaltyKinds: penaltyKindsOf(penalty),
          fineAmount: penalty.amountYuan ?? null,
          basis: basis as Prisma.InputJsonValue,
          decidedAt: c.now,
        },
      });
      return { decidedAt: c.now };
    },
    documents: async (c, body, input) => {
      if (body.documentId !== undefined) return;
      const doc = await c.make('decision', {}, { id: input.documentId });
      await c.tx.decision.update({ where: { caseId: c.caseId }, data: { documentId: doc.id } });
    },
  },

  record_collective_discussion: {
    prepare: async (_c, body) => (body.documentId === undefined ? { documentId: randomUUID() } : {}),
    documents: async (c, body, input) => {
      if (body.documentId !== undefined) return;
      await c.make('collective_discussion', {}, { id: input.documentId });
    },
  },

  send_back: {
    records: async (c, body) => {
      await approval(c, 'decision', 'rejected', body.opinions);
    },
  },

  terminate_case: {
    records: async (c) => ({ terminatedAt: c.now }),
  },

  decide_no_penalty: {
    prepare: async (_c, body) => (body.documentId === undefined ? { documentId: randomUUID() } : {}),
    records: async (c) => {
      await approval(c, 'decision', 'approved', '不予行政处罚');
      return { terminatedAt: c.now };
    },
    documents: async (c, body, input) => {
      if (body.documentId !== undefined) return;
      await c.make('no_penalty_decision', {}, { id: input.documentId });
    },
  },
};
