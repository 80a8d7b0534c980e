import { randomUUID } from 'node:crypto';
import {
  INTERVIEWEE_RELATIONS,
  identityDocumentLine,
  serviceEffectiveAt,
  type Interviewee,
} from '@ecc/cases-domain';
import { localDate } from '@ecc/shared-kernel';
import { makeProofOfService, type ActionScope, type StageEffects } from './action-effects';

/** The calendar and policy the source-unit rules count the order's period with. */
const deadlineContext = (c: ActionScope) => ({
  timeZone: c.env.timeZone,
  calendar: c.env.calendar,
  policy: c.env.policy,
});

/** The person questioned as the 询问笔录 prints it. */
const intervieweeExtra = (p: Interviewee | undefined): Record<string, string> =>
  p
    ? {
        intervieweeName: p.name,
        intervieweeIdNumber: p.idNumber,
        intervieweeId: identityDocumentLine(p.idKind, p.idNumber),
        intervieweeRelation: INTERVIEWEE_RELATIONS[p.relation],
      }
    : {};

const generatedId = (documentId: string | undefined) =>
  documentId === undefined ? { documentId: randomUUID() } : {};

export const INVESTIGATION_EFFECTS: StageEffects = {
  record_investigation: {
    // An inquiry without a record on file gets its 询问笔录 generated under this id.
    prepare: async (_c, body) =>
      body.kind === 'inquiry' && body.documentId === undefined ? { documentId: randomUUID() } : {},
    // The parties the investigation identified (一超四罚 plans their sub-cases after the action).
    records: async (c, body) => {
      for (const party of body.parties ?? []) await c.cases.addParty(c.tx, c.caseId, party);
    },
    // The investigation record is written with the documents: the inquiry record's document comes first.
    documents: async (c, body, input) => {
      const conductedAt = body.recordedAt ?? c.now;
      let documentId = input.documentId ?? null;
      if (body.documentId === undefined && input.documentId) {
        await c.make(
          'inquiry_record',
          {
            at: conductedAt.toISOString(),
            summary: body.summary,
            location: body.location ?? '',
            ...intervieweeExtra(input.interviewee),
          },
          { id: input.documentId },
        );
      } else if (
        documentId &&
        !(await c.tx.caseDocument.findFirst({ where: { id: documentId, caseId: c.caseId } }))
      ) {
        documentId = null; // an outside reference (a scanned paper record): kept on the snapshot only
      }
      await c.tx.investigationRecord.create({
        data: {
          caseId: c.caseId,
          kind: input.kind,
          documentId,
          conductedAt,
          location: body.location ?? null,
          summary: body.summary,
          documentsChecked: body.documentsChecked ?? [],
          // 被询问人 of an inquiry (行政处罚法 Art. 55), as the record names it.
          ...(input.interviewee ? { interviewee: { ...input.interviewee } } : {}),
        },
      });
      c.refreshFacts(); // the evidence list includes the new record
      await c.make('evidence_list', {}, { versionOf: c.latest('evidence_list')?.id });
    },
  },

  order_correction: {
    // The period comes from the sub-case's plan (一超四罚), counted from the day after service.
    prepare: async (c, body) => ({
      ...generatedId(body.documentId),
      // counted from the order's effective service: by post, the receipt's day (民事诉讼法 Art. 91)
      period: await c.correction.get().order(c.tx, {
        caseId: c.caseId,
        servedAt: serviceEffectiveAt(body.method ?? 'direct', body.servedAt ?? c.now, body.receivedAt),
        ctx: deadlineContext(c),
      }),
    }),
    documents: async (c, body, input) => {
      if (body.documentId === undefined) await c.make('correction_order', {}, { id: input.documentId });
      // 湖南条例 Art. 30: "逾期不改正" runs from the order's proven service.
      await makeProofOfService(c, {
        kind: 'correction_order',
        method: input.method ?? 'direct',
        servedAt: c.next.correction!.servedAt,
        recipient: body.recipient,
        signedBy: body.signedBy,
        receivedAt: body.receivedAt,
      });
    },
  },

  check_correction: {
    prepare: async (_c, body) => generatedId(body.documentId),
    // Once the machine allowed the check: corrected within the period or not, and a fine only within range.
    decided: async (c, body) => {
      const order = c.loaded.snapshot.correction;
      if (!order) return {};
      const { outcome, penalty } = await c.correction.get().check(c.tx, {
        caseId: c.caseId,
        // the period ran from the order's effective service (by post: the receipt's day), as when it was ordered
        servedAt: order.effectiveAt ?? order.servedAt,
        ctx: deadlineContext(c),
        check: {
          corrected: body.corrected,
          ...(body.correctedOn ? { correctedOn: body.correctedOn } : {}),
          checkedOn: localDate(body.checkedAt ?? c.now, c.env.timeZone),
        },
        ...(body.amountYuan !== undefined && body.reasons
          ? { fine: { amountYuan: body.amountYuan, reasons: body.reasons } }
          : {}),
      });
      return { input: { outcome }, audit: { correctionOutcome: outcome, ...(penalty ? { penalty } : {}) } };
    },
    documents: async (c, body, input) => {
      if (body.documentId !== undefined) return;
      // the trips loaded once the order was served: the evidence the check relied on (湖南条例 Art. 30)
      const trips = (await c.correction.get().recordedTrips(c.tx, c.caseId)).filter(
        (t) => t.standing === 'after_service',
      );
      await c.make('correction_review', trips.length ? { tripsAfterService: JSON.stringify(trips) } : {}, {
        id: input.documentId,
      });
    },
  },
};
