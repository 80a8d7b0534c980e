import { z } from 'zod';
import { LEAD_STATUSES } from '@ecc/leads-domain';
import { STATION_EVIDENCE_KINDS } from '@ecc/shared-kernel';
import { timeFilterSchema } from '@ecc/platform-nest';

/** `GET /leads` query: every filter optional, unknown keys refused. */
export const listLeadsQuerySchema = z.strictObject({
  status: z.enum(LEAD_STATUSES).optional(),
  /** Station code. */
  station: z.string().min(1).max(64).optional(),
  plate: z.string().trim().min(1).max(16).optional(),
  /** Violation time from (inclusive): an instant, or a day of the bureau from its start. */
  from: timeFilterSchema.optional(),
  /** Violation time to (exclusive): an instant, or a day of the bureau up to its end (included). */
  to: timeFilterSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** Opaque: the `nextCursor` of the previous page. */
  cursor: z.string().min(1).max(200).optional(),
});
export type ListLeadsQuery = z.infer<typeof listLeadsQuerySchema>;

const legalRefSchema = z.object({ code: z.string(), article: z.string() });

export const leadEvidenceSchema = z.object({
  detectionId: z.string().uuid(),
  kind: z.enum(STATION_EVIDENCE_KINDS),
  sha256: z.string(),
  size: z.number().int(),
  contentType: z.string(),
  /** Presigned GET, valid for a few minutes (EVIDENCE_URL_TTL_SECONDS). */
  url: z.string().url(),
});

export const leadDetectionSchema = z.object({
  id: z.string().uuid(),
  stationDetectionId: z.string(),
  detectedAt: z.string(),
  lane: z.number().int().nullable(),
  axleCount: z.number().int(),
  grossKg: z.number().int(),
});

export const leadViewSchema = z.object({
  id: z.string().uuid(),
  status: z.enum(LEAD_STATUSES),
  plate: z.string(),
  plateColour: z.string().nullable(),
  stationCode: z.string(),
  detectedAt: z.string(),
  axleCount: z.number().int(),
  grossKg: z.number().int(),
  limitKg: z.number().int(),
  toleranceKg: z.number().int(),
  excessKg: z.number().int(),
  proposedPenalty: z.object({
    kind: z.enum(['warning', 'fine']),
    amountYuan: z.number(),
    basis: z.array(legalRefSchema),
  }),
  /** Every rule applied at screening, with its article: what a reviewer and the party see. */
  rules: z.array(
    z.object({
      rule: z.string(),
      description: z.string(),
      source: z.string(),
      basis: legalRefSchema.nullable(),
    }),
  ),
  vehicleId: z.string().uuid().nullable(),
  ownerUnknown: z.boolean(),
  evidence: z.array(leadEvidenceSchema),
  detections: z.array(leadDetectionSchema),
  createdAt: z.string(),
});
export type LeadView = z.infer<typeof leadViewSchema>;

export const leadPageSchema = z.object({
  items: z.array(leadViewSchema.omit({ evidence: true, rules: true })),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type LeadPage = z.infer<typeof leadPageSchema>;
