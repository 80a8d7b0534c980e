import { z } from 'zod';
import {
  CASE_ACTION_TYPES,
  CASE_STATES,
  CASE_TYPES,
  DEADLINE_KINDS,
  type CaseActionType,
} from '@ecc/cases-domain';
import { PENALTY_KINDS } from '@ecc/legal-domain';

/*
 * What the case routes answer, for the API document (the use cases build these values; the schemas say
 * what a client receives). Instants are ISO 8601 strings.
 */

const instant = z.string().datetime();
const page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('pass as `cursor` for the next page; null on the last'),
  });
const penalty = z.object({
  kind: z.enum(PENALTY_KINDS),
  amountYuan: z.number().optional(),
  warning: z
    .literal(true)
    .optional()
    .describe('a warning imposed with the fine (超限规定 Art. 43(1)(二), 43(2))'),
});

export const leadReviewResultSchema = z.object({
  id: z.string().uuid(),
  status: z.string().describe('the lead status after the review: confirmed or rejected'),
  ownerUnknown: z.boolean().describe('no owner in the registry: the lead waits for POST /leads/{id}/owner'),
  noticeIds: z.array(z.string().uuid()).describe('the notices created for the owner (sent by the worker)'),
  respondBy: instant.nullable().describe('the end of the response window, when it runs'),
});

export const ownerUnknownPageSchema = page(
  z.object({
    id: z.string().uuid(),
    status: z.string(),
    plate: z.string(),
    plateColour: z.string().nullable(),
    stationCode: z.string(),
    violationAt: instant,
    reviewedAt: instant.nullable(),
    createdAt: instant,
  }),
);

export const caseDraftSchema = z.object({
  id: z.string().uuid(),
  state: z.literal('draft'),
  version: z.literal(0),
});

export const casePageSchema = page(
  z.object({
    id: z.string().uuid(),
    caseNumber: z.string().nullable(),
    state: z.enum(CASE_STATES),
    type: z.enum(CASE_TYPES),
    leadId: z.string().uuid().nullable(),
    plate: z.string().nullable(),
    violationDate: z.string().describe('YYYY-MM-DD'),
    filedAt: instant.nullable(),
    createdAt: instant,
  }),
);

export const caseViewSchema = z.object({
  id: z.string().uuid(),
  caseNumber: z.string().nullable(),
  state: z.enum(CASE_STATES),
  type: z.enum(CASE_TYPES),
  version: z.number().int().describe('send it back as expectedVersion (or If-Match) with the next action'),
  leadId: z.string().uuid().nullable(),
  plate: z.string().nullable(),
  violationDate: z.string().describe('YYYY-MM-DD'),
  facts: z.string().nullable(),
  filedAt: instant.nullable(),
  decidedAt: instant.nullable(),
  servedAt: instant.nullable(),
  closedAt: instant.nullable(),
  archivedAt: instant.nullable(),
  proposedPenalty: penalty.nullable(),
  decision: z.object({ penalty, decidedAt: instant.nullable() }).nullable(),
  payments: z.array(
    z.object({
      amountYuan: z.number(),
      paidAt: instant,
      receiptNo: z.string(),
      lateFeeDueYuan: z.number(),
      recordedBy: z.string(),
    }),
  ),
  parties: z.array(
    z.object({
      role: z.string(),
      partyId: z.string().uuid(),
      kind: z.string(),
      name: z.string(),
      idNumber: z.string().nullable(),
      phone: z.string().nullable(),
      address: z.string().nullable(),
    }),
  ),
  officers: z.array(
    z.object({
      userId: z.string(),
      displayName: z.string().nullable(),
      enforcementCertificateNo: z.string().nullable(),
    }),
  ),
  allowedActions: z
    .array(z.enum(CASE_ACTION_TYPES as [CaseActionType, ...CaseActionType[]]))
    .describe('what the caller may do now (POST /cases/{id}/actions/{action})'),
  runningDeadlines: z.array(
    z.object({
      kind: z.enum(DEADLINE_KINDS),
      title: z.string(),
      owner: z.enum(['party', 'authority']),
      lapses: z.boolean(),
      article: z.string(),
      startedAt: instant,
      dueAt: instant,
      overdue: z.boolean().optional(),
    }),
  ),
  deadlines: z
    .array(
      z.object({
        kind: z.enum(DEADLINE_KINDS),
        title: z.string(),
        owner: z.enum(['party', 'authority']),
        lapses: z.boolean(),
        article: z.string(),
        startedAt: instant,
        dueAt: instant,
        stoppedAt: instant.nullable(),
        stoppedBy: z.string().nullable().describe('the action that ended it'),
        status: z
          .enum(['running', 'met', 'waived_in_writing', 'withdrawn', 'lapsed', 'missed'])
          .describe(
            'met on time by the action awaited; waived in writing by the party; withdrawn by the bureau (a new ' +
              "notice, the investigation reopened, the case terminated); lapsed: a party's window ran out unused; " +
              'missed: any other period past due, stopped late or still open',
          ),
      }),
    )
    .describe('every deadline the case has had, running or ended, in the order started'),
  documents: z.array(
    z.object({
      id: z.string().uuid(),
      kind: z.string(),
      title: z.string(),
      documentNumber: z.string().nullable(),
      currentVersion: z.number().int(),
      createdAt: instant,
      updatedAt: instant,
    }),
  ),
  flags: z.array(z.object({ code: z.string(), article: z.string(), message: z.string(), raisedAt: instant })),
});

export const caseTimelineSchema = z.object({
  caseId: z.string().uuid(),
  entries: z.array(
    z.object({
      at: instant,
      kind: z.enum(['step', 'document', 'notice']),
      action: z
        .string()
        .describe('the audit action (case.approve_filing…), document.<kind> or notice.<channel>'),
      title: z.string().nullable().describe("a case action's or a document's title"),
      actorId: z.string().nullable(),
      actorName: z.string().nullable(),
      detail: z.unknown().describe('what the step recorded; the document version; the notice'),
    }),
  ),
});

export const caseDocumentSchema = z.object({
  id: z.string().uuid(),
  caseId: z.string().uuid(),
  kind: z.string(),
  title: z.string(),
  documentNumber: z.string().nullable(),
  status: z.string(),
  currentVersion: z.number().int(),
  versions: z.array(
    z.object({
      version: z.number().int(),
      createdAt: instant,
      authorId: z.string().nullable(),
      contentSha256: z.string(),
      text: z.string(),
      html: z.string(),
    }),
  ),
});
