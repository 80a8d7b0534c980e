import { randomUUID } from 'node:crypto';
import { announcementEffectiveAt, type PrePenaltyNotice } from '@ecc/cases-domain';
import { casePartyOf } from '../case-document.service';
import {
  makeProofOfService,
  type ActionScope,
  type AppliedScope,
  type DocumentScope,
  type StageEffects,
} from './action-effects';

/** 陈述、申辩、放弃、听证: the party's records, on the party of the case (a sub-case's in its own role). */
function partyRecord(
  c: ActionScope,
  kind: 'statement' | 'defence' | 'waiver' | 'hearing_request' | 'hearing',
  fields: {
    receivedAt?: Date;
    notifiedAt?: Date;
    scheduledAt?: Date;
    heldAt?: Date;
    content?: string | null;
  },
) {
  const partyId = casePartyOf(c.loaded.row)?.id ?? null;
  return c.tx.statementRecord.create({ data: { caseId: c.caseId, kind, partyId, ...fields } });
}

/** The hearing of the current notice as the action left it (schedule_hearing has just set its host). */
const currentHearing = (c: AppliedScope) => c.next.prePenaltyNotices.at(-1)?.hearing;

async function hearingHost(c: AppliedScope): Promise<string> {
  const hostId = currentHearing(c)?.hostId;
  if (!hostId) return '';
  const host = await c.tx.user.findUnique({ where: { id: hostId }, select: { displayName: true } });
  return host?.displayName ?? '';
}

/** A record the party signed gets its document generated unless the request names one on file. */
const generatedId = (documentId: string | undefined) =>
  documentId === undefined ? { documentId: randomUUID() } : {};

const rightTitle = (right: 'statement' | 'hearing') => (right === 'hearing' ? '听证' : '陈述、申辩');

/**
 * A notice not handed over in person has its 送达回证 (行政处罚法 Art. 61): the periods of Art. 45 and 64 run from a
 * service that the file proves. An announcement takes effect 30 days on (民事诉讼法 Art. 95).
 */
async function noticeProofOfService(
  c: DocumentScope,
  notice: PrePenaltyNotice,
  body: { recipient?: string | undefined; signedBy?: string | undefined; receivedAt?: Date | undefined },
  input: { announcement?: { reason: string; attempts: string } | undefined },
) {
  const method = notice.serviceMethod ?? 'direct';
  if (!notice.servedAt || (method !== 'post' && method !== 'announcement')) return;
  await makeProofOfService(c, {
    kind: 'pre_penalty_notice',
    method,
    servedAt: notice.servedAt,
    recipient: body.recipient,
    signedBy: body.signedBy,
    receivedAt: body.receivedAt,
    announcement: input.announcement
      ? { ...input.announcement, effectiveAt: notice.effectiveAt ?? announcementEffectiveAt(notice.servedAt) }
      : undefined,
  });
}

export const NOTICE_AND_HEARING_EFFECTS: StageEffects = {
  issue_pre_penalty_notice: {
    // A notice issued again (after a return) is the next version of the case's notice document. The party's
    // kind decides the hearing threshold (Art. 63).
    prepare: async (c, body) => {
      const kind = casePartyOf(c.loaded.row)?.kind;
      return {
        ...(kind ? { partyKind: kind } : {}),
        ...(body.documentId !== undefined
          ? {}
          : {
              documentId:
                c.loaded.row.documents.find((d) => d.kind === 'pre_penalty_notice')?.id ?? randomUUID(),
            }),
      };
    },
    documents: async (c, body, input) => {
      const notice = c.next.prePenaltyNotices.at(-1)!;
      const extra = {
        statementDays: String(notice.statementDays),
        hearingRight: String(notice.hearingRight),
      };
      const existing = c.latest('pre_penalty_notice');
      if (existing && input.documentId === existing.id)
        await c.make('pre_penalty_notice', extra, { versionOf: existing.id });
      else if (!existing && body.documentId === undefined)
        await c.make('pre_penalty_notice', extra, { id: input.documentId });
      if (notice.servedAt) await noticeProofOfService(c, notice, body, input);
    },
  },

  // The notice was generated, dated and numbered when it was issued; its service has its 送达回证.
  record_notice_service: {
    documents: async (c, body, input) => {
      const notice = c.next.prePenaltyNotices.at(-1);
      if (notice) await noticeProofOfService(c, notice, body, input);
    },
  },

  record_statement: {
    prepare: async (_c, body) => generatedId(body.documentId),
    records: async (c, body) => {
      await partyRecord(c, body.kind ?? 'statement', {
        receivedAt: body.receivedAt ?? c.now,
        content: body.content ?? null,
      });
    },
    documents: async (c, body, input) => {
      if (body.documentId !== undefined) return;
      await c.make(
        'statement_record',
        { title: body.kind === 'defence' ? '申辩' : '陈述', content: body.content ?? '' },
        { id: input.documentId },
      );
    },
  },

  record_waiver: {
    prepare: async (_c, body) => generatedId(body.documentId),
    records: async (c, body) => {
      await partyRecord(c, 'waiver', {
        receivedAt: body.signedAt ?? c.now,
        content: body.content ?? `书面放弃${body.right === 'hearing' ? '听证' : '陈述申辩'}权利`,
      });
    },
    documents: async (c, body, input) => {
      if (body.documentId !== undefined) return;
      const right = rightTitle(body.right);
      await c.make(
        'statement_record',
        { title: `书面放弃${right}权利`, content: body.content ?? `当事人书面声明放弃${right}权利。` },
        { id: input.documentId },
      );
    },
  },

  request_hearing: {
    records: async (c, body) => {
      await partyRecord(c, 'hearing_request', {
        receivedAt: body.requestedAt ?? c.now,
        content: body.content ?? null,
      });
    },
  },

  schedule_hearing: {
    records: async (c, body) => {
      await partyRecord(c, 'hearing', { notifiedAt: body.notifiedAt ?? c.now, scheduledAt: body.hearingAt });
    },
    documents: async (c, body) => {
      await c.make('hearing_notice', {
        hearingAt: body.hearingAt.toISOString(),
        location: body.location ?? '本机关听证室',
        host: await hearingHost(c),
      });
    },
  },

  record_hearing: {
    prepare: async (_c, body) =>
      body.transcriptDocumentId === undefined ? { transcriptDocumentId: randomUUID() } : {},
    records: async (c, body) => {
      await partyRecord(c, 'hearing', { heldAt: body.heldAt ?? c.now });
    },
    documents: async (c, body, input) => {
      if (body.transcriptDocumentId !== undefined) return;
      await c.make(
        'hearing_record',
        {
          heldAt: (currentHearing(c)?.heldAt ?? c.now).toISOString(),
          host: await hearingHost(c),
          participants: body.participants ?? '',
          summary: body.summary ?? '',
        },
        { id: input.transcriptDocumentId },
      );
    },
  },
};
