import { z } from 'zod';
import { timeFilterSchema } from '@ecc/platform-nest';

/** `GET /audit/events` query: every filter optional, unknown keys refused. */
export const listAuditEventsQuerySchema = z
  .strictObject({
    entity: z
      .string()
      .regex(/^[a-z][a-z0-9_.-]*(:.+)?$/i, 'an entity type (`case`) or type and id (`case:<id>`)')
      .max(200)
      .optional()
      .describe(
        'An entity type (`case`, `lead`, `user`, ...) or a type and id separated by the first colon ' +
          '(`case:8f0c…`): the events of every entity of that type, or of that one entity.',
      ),
    entityId: z.string().min(1).max(200).optional().describe('The entity id alone (any type).'),
    actor: z
      .union([z.uuid(), z.literal('system')])
      .optional()
      .describe('A user or station id, or `system` for the events of the system itself (jobs, sweeps).'),
    action: z.string().min(1).max(100).optional().describe('An action, e.g. `case.action_performed`.'),
    from: timeFilterSchema.optional().describe('occurredAt from (inclusive); a plain date: from its start'),
    to: timeFilterSchema
      .optional()
      .describe('occurredAt to (exclusive); a plain date: up to its end (included)'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().min(1).max(200).optional().describe('Opaque: the `nextCursor` of the previous page.'),
  })
  .refine((q) => !q.entityId || !q.entity?.includes(':'), {
    path: ['entityId'],
    message: 'give the entity id either in entity (type:id) or in entityId, not both',
  });
export type ListAuditEventsQuery = z.infer<typeof listAuditEventsQuerySchema>;

export const auditEventViewSchema = z.object({
  id: z.string(),
  /** Position in the hash chain; null while the event is not sealed yet. */
  chainSeq: z.string().nullable(),
  occurredAt: z.string(),
  actor: z.object({
    kind: z.enum(['user', 'station', 'system']),
    id: z.string().nullable(),
    /** The user's username or the station's code. */
    name: z.string().nullable(),
  }),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  requestId: z.string().nullable(),
  digest: z.string(),
  payload: z.unknown(),
  prevHash: z.string().nullable(),
  hash: z.string().nullable(),
});
export type AuditEventView = z.infer<typeof auditEventViewSchema>;

export const auditEventPageSchema = z.object({
  items: z.array(auditEventViewSchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});

const reasons = [
  'seq_gap',
  'prev_mismatch',
  'hash_mismatch',
  'digest_mismatch',
  'checkpoint_malformed',
  'checkpoint_key_unknown',
  'checkpoint_signature_invalid',
  'checkpoint_event_missing',
  'checkpoint_mismatch',
] as const;

export const auditVerificationSchema = z.object({
  ok: z.boolean(),
  /** Sealed events verified (up to a break of the chain). */
  checked: z.number().int(),
  firstBrokenEventId: z.string().nullable(),
  firstBrokenChainSeq: z.string().nullable(),
  reason: z.enum(reasons).nullable(),
  detail: z.string().nullable(),
  /** Committed events not yet sealed into the chain (not covered by this verification). */
  unsealed: z.number().int(),
  head: z.object({ chainSeq: z.string(), eventId: z.string() }).nullable(),
  checkpointsChecked: z.number().int(),
  checkpointsFailed: z.number().int(),
  lastCheckpoint: z.object({ chainSeq: z.string(), objectKey: z.string(), createdAt: z.string() }).nullable(),
  scope: z.union([
    z.object({ kind: z.literal('full') }),
    z.object({ kind: z.literal('since'), afterChainSeq: z.string() }),
  ]),
  verifiedThrough: z.object({ chainSeq: z.string(), hash: z.string() }).nullable(),
  /** The key new checkpoints are signed with: keep its public key to verify them after a rotation. */
  signingKey: z.object({ keyId: z.string(), publicKey: z.string().describe('Ed25519, 32 bytes, hex') }),
  verifiedAt: z.string(),
});
