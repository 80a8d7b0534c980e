import { z } from 'zod';
import { EVIDENCE_MEDIA_TYPES, PLATE_COLOURS, STATION_EVIDENCE_KINDS } from '@ecc/shared-kernel';

/**
 * The station protocol (非现场执法 检测点推送): the body of `POST /api/v1/detections`, as a strict zod
 * schema. Bounds are generous enough for any real vehicle (a measured value above a legal limit is exactly
 * what must be accepted) and tight enough to refuse garbage before it reaches screening.
 */

/** A station's identifiers (detection id, device code): 1-64 of [A-Za-z0-9._:-]. */
export const STATION_IDENTIFIER = /^[A-Za-z0-9._:-]{1,64}$/;
export const stationIdentifierSchema = z
  .string()
  .regex(STATION_IDENTIFIER, '1-64 characters of A-Z a-z 0-9 . _ : -');

export const SHA256_HEX = /^[0-9a-f]{64}$/;
export const sha256HexSchema = z.string().regex(SHA256_HEX, 'sha256 as 64 lower-case hex characters');

export const MAX_INLINE_EVIDENCE = 10;
/** Records older than this are refused as implausible (and PostgreSQL knows no year 0). */
const EARLIEST_DETECTION = Date.parse('2000-01-01T00:00:00Z');
/** Free text goes to PostgreSQL text and jsonb, which refuse NUL; no other control character belongs in a plate. */
// eslint-disable-next-line no-control-regex
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]*$/;
/** Half of a surrogate pair alone: not Unicode text, and PostgreSQL's jsonb refuses its escape. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A plate number as read by the camera: up to 16 characters of text. */
const plateText = (min: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(16)
    .regex(NO_CONTROL_CHARACTERS, 'control characters are not allowed')
    .refine((v) => !LONE_SURROGATE.test(v), 'not well-formed Unicode text');
export const MAX_AXLES = 12;

/** `type/subtype`, e.g. image/jpeg, video/mp4. */
export const contentTypeSchema = z
  .string()
  .max(100)
  .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i, 'a media type such as image/jpeg');

/** Evidence media types by allow-list (photographs and video; never a document a browser would render). */
export const evidenceMediaTypeSchema = z.enum(EVIDENCE_MEDIA_TYPES, {
  error: `one of ${EVIDENCE_MEDIA_TYPES.join(', ')}`,
});

export const evidenceItemSchema = z.strictObject({
  kind: z.enum(STATION_EVIDENCE_KINDS),
  contentType: evidenceMediaTypeSchema,
  sha256: sha256HexSchema,
  /** The bytes, base64 (standard alphabet, padded). Large files go through the PUT evidence route instead. */
  data: z.base64('base64 (standard alphabet, padded)').min(4, 'at least one byte'),
});
export type EvidenceItem = z.infer<typeof evidenceItemSchema>;

const int = (min: number, max: number) => z.number().int().min(min).max(max);

/** The detection's fields, with the evidence items of its form (inline base64, or declared for a form part). */
function detectionSchemaOf<E extends z.ZodType<{ kind: string }>>(evidenceItem: E) {
  return z
    .strictObject({
      detectionId: stationIdentifierSchema,
      deviceCode: stationIdentifierSchema,
      /** ISO 8601 with an explicit offset (Z or ±hh:mm): a local time without zone is ambiguous evidence. */
      detectedAt: z.iso
        .datetime({ offset: true, message: 'an ISO 8601 date-time with offset' })
        .refine((v) => Date.parse(v) >= EARLIEST_DETECTION, 'before 2000: not a plausible detection time'),
      lane: int(1, 20),
      /**
       * 号牌. An unreadable plate is sent with `number: ""` (the record is kept; screening marks it invalid,
       * it names no party); `color` is the colour seen, or the station's best guess.
       */
      plate: z.strictObject({
        number: plateText(0),
        color: z.enum(PLATE_COLOURS),
      }),
      /** 挂车号牌 of a combination, when read. */
      trailerPlate: plateText(1).optional(),
      vehicle: z.strictObject({
        axleCount: int(2, MAX_AXLES),
        combination: z.boolean(),
        singleDriveAxle: z.boolean(),
        singleTyreAxles: int(0, MAX_AXLES),
        /**
         * Axles with wide-base single tyres meeting the national standard (加宽轮胎), by position from the front
         * (1 = the steering axle, which never counts): no 3,000 kg reduction for them (《超限运输车辆行驶公路管理
         * 规定》 Art. 3(2)(二)). Optional: absent or empty when the station cannot tell; they are among the
         * `singleTyreAxles`.
         */
        wideBaseTyreAxles: z.array(int(2, MAX_AXLES)).max(MAX_AXLES).optional(),
        /** Measured by a profile scanner; a weigh-only station sends none of the three, and weight alone is judged. */
        lengthMm: int(1, 50_000).optional(),
        widthMm: int(1, 10_000).optional(),
        heightMm: int(1, 10_000).optional(),
      }),
      weighing: z.strictObject({
        grossKg: int(1, 200_000),
        axleLoadsKg: z.array(int(0, 100_000)).min(2).max(MAX_AXLES),
        speedKmh: z.number().min(0).max(250),
      }),
      evidence: z.array(evidenceItem).max(MAX_INLINE_EVIDENCE).default([]),
    })
    .superRefine((body, ctx) => {
      if (body.weighing.axleLoadsKg.length !== body.vehicle.axleCount) {
        ctx.addIssue({
          code: 'custom',
          path: ['weighing', 'axleLoadsKg'],
          message: `has ${body.weighing.axleLoadsKg.length} entries; vehicle.axleCount is ${body.vehicle.axleCount}`,
        });
      }
      const v = body.vehicle;
      if (v.singleTyreAxles >= v.axleCount) {
        ctx.addIssue({
          code: 'custom',
          path: ['vehicle', 'singleTyreAxles'],
          message: 'must be less than axleCount (the steering axle does not count)',
        });
      }
      const measured = [v.lengthMm, v.widthMm, v.heightMm].filter((d) => d !== undefined).length;
      if (measured !== 0 && measured !== 3) {
        ctx.addIssue({
          code: 'custom',
          path: ['vehicle'],
          message:
            'lengthMm, widthMm and heightMm are measured together: send all three or none (a weigh-only station)',
        });
      }
      const wide = v.wideBaseTyreAxles ?? [];
      const wideIssue = (message: string) =>
        ctx.addIssue({ code: 'custom', path: ['vehicle', 'wideBaseTyreAxles'], message });
      if (wide.some((axle) => axle > v.axleCount)) wideIssue(`names an axle beyond axleCount ${v.axleCount}`);
      if (new Set(wide).size !== wide.length) wideIssue('names an axle twice');
      if (wide.length > v.singleTyreAxles) {
        wideIssue(
          `names ${wide.length} axles; only singleTyreAxles (${v.singleTyreAxles}) can have wide-base tyres`,
        );
      }
      // One object per kind: the PUT route addresses evidence by kind, so a second one would be ambiguous.
      const seen = new Set<string>();
      body.evidence.forEach((item, index) => {
        if (seen.has(item.kind)) {
          ctx.addIssue({
            code: 'custom',
            path: ['evidence', index, 'kind'],
            message: `evidence of kind ${item.kind} appears twice`,
          });
        }
        seen.add(item.kind);
      });
    });
}

export const detectionBodySchema = detectionSchemaOf(evidenceItemSchema);
export type DetectionBody = z.infer<typeof detectionBodySchema>;

/**
 * The `detection` part of a `multipart/form-data` detection (detection-form.ts): the same body, each evidence
 * item without `data` — its bytes are the part named by its kind.
 */
export const formEvidenceItemSchema = evidenceItemSchema.omit({ data: true });
export const detectionFormSchema = detectionSchemaOf(formEvidenceItemSchema);
export type DetectionForm = z.infer<typeof detectionFormSchema>;

/** Answer to an accepted (202) or repeated (200) detection. */
export const detectionReceiptSchema = z.strictObject({
  receiptId: z.string().uuid(),
  detectionId: z.string(),
  status: z.enum(['accepted', 'duplicate']),
});
export type DetectionReceipt = z.infer<typeof detectionReceiptSchema>;

/** What staff see of a detection's progress. */
export const detectionStatusSchema = z.strictObject({
  receiptId: z.string().uuid(),
  stationCode: z.string(),
  detectionId: z.string(),
  status: z.enum(['accepted', 'screened']),
  outcome: z.enum(['lead', 'no_violation', 'invalid']).nullable(),
  reasons: z.array(z.unknown()),
  leadId: z.string().uuid().nullable(),
  receivedAt: z.string(),
  screenedAt: z.string().nullable(),
  evidence: z.array(
    z.strictObject({ kind: z.enum(STATION_EVIDENCE_KINDS), sha256: z.string(), sizeBytes: z.number() }),
  ),
});
export type DetectionStatusView = z.infer<typeof detectionStatusSchema>;

/** Answer to an evidence upload. */
export const evidenceReceiptSchema = z.strictObject({
  detectionId: z.string(),
  kind: z.enum(STATION_EVIDENCE_KINDS),
  sha256: z.string(),
  sizeBytes: z.number(),
  status: z.enum(['stored', 'duplicate']),
});
export type EvidenceReceipt = z.infer<typeof evidenceReceiptSchema>;
