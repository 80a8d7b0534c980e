import { z } from 'zod';
import { codeSchema, documentNumberSchema, isoDateSchema, text, validityInOrder } from './registry-formats';

export const DEVICE_KINDS = ['wim', 'camera'] as const;

/** 计量检定/校准证书: without a valid one on the detection day a WIM record is no evidence (Art. 41). */
const calibrationShape = {
  certificateNo: documentNumberSchema,
  validFrom: isoDateSchema,
  validTo: isoDateSchema,
  issuer: text(100).optional(),
};
export const calibrationSchema = z
  .strictObject(calibrationShape)
  .superRefine((c, ctx) => validityInOrder(c, ctx));
export type CalibrationInput = z.infer<typeof calibrationSchema>;

/**
 * An electronic monitoring device at a station, with what 行政处罚法 Art. 41 asks of it: legal review,
 * technical review and publication of its location (dates; null until done), and for weigh-in-motion its
 * accuracy class and calibration.
 */
export const createDeviceSchema = z
  .strictObject({
    code: codeSchema,
    kind: z.enum(DEVICE_KINDS),
    serialNo: documentNumberSchema.optional(),
    manufacturer: text(100).optional(),
    model: text(100).optional(),
    /** e.g. "5" (JJG 907 / OIML R134 class); picks the tolerance policy of the class. */
    accuracyClass: text(16).nullable().optional(),
    /** A tolerance fixed for this one device, in percent of the measured gross (overrides class and default). */
    tolerancePercent: z.number().min(0).max(20).nullable().optional(),
    legalReviewedAt: isoDateSchema.nullable(),
    technicalReviewedAt: isoDateSchema.nullable(),
    publishedAt: isoDateSchema.nullable(),
    calibration: z.strictObject(calibrationShape).nullable().optional(),
  })
  .superRefine((device, ctx) => {
    if (device.calibration) validityInOrder(device.calibration, ctx, ['calibration']);
    if (device.kind === 'wim') {
      if (!device.accuracyClass)
        ctx.addIssue({
          code: 'custom',
          path: ['accuracyClass'],
          message: 'a weigh-in-motion device needs its accuracy class',
        });
      if (!device.calibration)
        ctx.addIssue({
          code: 'custom',
          path: ['calibration'],
          message: 'a weigh-in-motion device needs its calibration certificate',
        });
    }
  });
export type CreateDeviceInput = z.infer<typeof createDeviceSchema>;

export const calibrationViewSchema = z.object({
  certificateNo: z.string(),
  issuer: z.string().nullable(),
  validFrom: z.string().describe('YYYY-MM-DD'),
  validTo: z.string().describe('YYYY-MM-DD, inclusive'),
});
export type CalibrationView = z.infer<typeof calibrationViewSchema>;

export const deviceViewSchema = z.object({
  code: z.string(),
  stationCode: z.string(),
  kind: z.enum(DEVICE_KINDS),
  serialNo: z.string().nullable(),
  manufacturer: z.string().nullable(),
  model: z.string().nullable(),
  accuracyClass: z.string().nullable(),
  tolerancePercent: z.number().nullable(),
  legalReviewedAt: z.string().nullable(),
  technicalReviewedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  active: z.boolean(),
  calibrations: z.array(calibrationViewSchema).describe('newest validity first'),
  createdAt: z.string().datetime(),
});
export type DeviceView = z.infer<typeof deviceViewSchema>;
