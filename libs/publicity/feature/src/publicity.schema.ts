import { z } from 'zod';
import { PENALTY_KINDS } from '@ecc/legal-domain';
import { WITHDRAWAL_GROUNDS } from '@ecc/publicity-domain';

const party = z.union([
  z.object({ kind: z.literal('person'), name: z.string().describe('surname and 某') }),
  z.object({
    kind: z.literal('organisation'),
    name: z.string(),
    creditCode: z.string().nullable().describe('统一社会信用代码'),
  }),
]);

/** A published decision as the public sees it (行政处罚法 Art. 48): redacted, structured fields only. */
export const publishedDecisionSchema = z.object({
  decisionNumber: z.string().describe('决定书文号 (the case number)'),
  authority: z.string().describe('the deciding authority'),
  decidedOn: z.string().describe('YYYY-MM-DD in the bureau’s zone'),
  caseType: z.string().describe('vehicle, driver, enterprise, source_unit, vehicle_certificate'),
  party: party.nullable(),
  plate: z
    .string()
    .nullable()
    .describe('masked: province, letter and first and last serial character (湘A·1***5)'),
  violation: z.object({
    on: z.string().describe('YYYY-MM-DD'),
    place: z.string().nullable().describe('the detection point: name, road, stake'),
    grossMassKg: z.number().int().nullable(),
    limitKg: z.number().int().nullable(),
  }),
  provisions: z.array(z.object({ code: z.string(), title: z.string().nullable(), article: z.string() })),
  penalty: z.object({
    kinds: z.array(z.enum(PENALTY_KINDS)),
    fineYuan: z.number().nullable(),
  }),
});

export const publicDecisionSchema = publishedDecisionSchema.extend({
  id: z.uuid().describe('the publication'),
  publishedAt: z.string().describe('date-time'),
});

export const publicDecisionPageSchema = z.object({
  items: z.array(publicDecisionSchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});

export const publicDecisionsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(200).optional().describe('Opaque: the `nextCursor` of the previous page.'),
});
export type PublicDecisionsQuery = z.infer<typeof publicDecisionsQuerySchema>;

export const feedQuerySchema = z.strictObject({
  since: z
    .string()
    .regex(/^\d{1,19}$/, 'the `next` of a previous answer, or 0')
    .default('0')
    .describe('The `next` of the previous answer (0, or left out: from the beginning).'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type FeedQuery = z.infer<typeof feedQuerySchema>;

const withdrawal = z.object({
  decisionNumber: z.string(),
  authority: z.string(),
  ground: z.enum(WITHDRAWAL_GROUNDS),
  reason: z.string().describe('the public reason (Art. 48 ¶2)'),
  reference: z.string().nullable(),
});

export const feedSchema = z.object({
  events: z.array(
    z.object({
      seq: z.string().describe('the event’s place in the feed'),
      kind: z.enum(['published', 'withdrawn']),
      occurredAt: z.string().describe('date-time'),
      publicationId: z.uuid(),
      decision: publishedDecisionSchema.nullable().describe('when published: the decision as published'),
      withdrawal: withdrawal.nullable().describe('when withdrawn: the decision and the public reason'),
    }),
  ),
  next: z.string().describe('Pass as `since` to read on; equal to `since` when nothing new'),
  more: z.boolean().describe('true: more events follow at once'),
});

export const publicationViewSchema = z.object({
  id: z.uuid(),
  caseId: z.uuid(),
  status: z.enum(['published', 'not_published', 'held', 'withdrawn']),
  rule: z.string().describe('the policy rule that decided'),
  content: publishedDecisionSchema,
  decidedAt: z.string(),
  dueAt: z.string().describe('end of the publicity period'),
  publishedAt: z.string().nullable(),
  withdrawal: z
    .object({
      withdrawnAt: z.string(),
      ground: z.enum(WITHDRAWAL_GROUNDS),
      reason: z.string(),
      reference: z.string().nullable(),
      revokedAt: z.string(),
      dueAt: z.string().describe('3 working days after the revocation (Art. 48 ¶2)'),
      late: z.boolean(),
    })
    .nullable(),
});
export type PublicationView = z.infer<typeof publicationViewSchema>;
