import { z } from 'zod';
import { PLATE_COLOURS } from '@ecc/shared-kernel';
import {
  documentNumberSchema,
  isoDateSchema,
  plateColourSchema,
  plateSchema,
  text,
  validityInOrder,
} from './registry-formats';

/** 大件运输许可: a detection it covers (plate, day, gross) is no violation. */
export const createPermitSchema = z
  .strictObject({
    permitNo: documentNumberSchema.optional(),
    plate: plateSchema,
    plateColour: plateColourSchema.optional(),
    validFrom: isoDateSchema,
    validTo: isoDateSchema,
    maxGrossKg: z.number().int().min(1).max(1_000_000),
    route: text(500).optional(),
    issuer: text(100).optional(),
  })
  .superRefine((p, ctx) => validityInOrder(p, ctx));
export type CreatePermitInput = z.infer<typeof createPermitSchema>;

export const permitViewSchema = z.object({
  id: z.string().uuid(),
  permitNo: z.string().nullable(),
  plate: z.string(),
  plateColour: z.enum(PLATE_COLOURS).nullable(),
  validFrom: z.string().describe('YYYY-MM-DD'),
  validTo: z.string().describe('YYYY-MM-DD, inclusive'),
  maxGrossKg: z.number().int().nullable(),
  route: z.string().nullable(),
  issuer: z.string().nullable(),
  createdAt: z.string().datetime(),
});
export type PermitView = z.infer<typeof permitViewSchema>;

export const permitQuerySchema = z.strictObject({ plate: plateSchema });
