import { randomUUID } from 'node:crypto';
import type { StageEffects } from './action-effects';

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
          { at: conductedAt.toISOString(), summary: body.summary, location: body.location ?? '' },
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
        },
      });
      c.refreshFacts(); // the evidence list includes the new record
      await c.make('evidence_list', {}, { versionOf: c.latest('evidence_list')?.id });
    },
  },
};
