import { z } from 'zod';
import { legalArticleSchema } from '@ecc/legal-domain';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const legalBasisQuerySchema = z.strictObject({
  code: z.string().min(1).max(64).optional(),
  inForceOn: isoDate.optional(),
});

export const legalBasisViewSchema = z.object({
  id: z.string().uuid(),
  code: z.string(),
  title: z.string(),
  instrument: z.string(),
  article: z.string(),
  text: z.string(),
  validFrom: isoDate,
  validTo: isoDate.nullable(),
  role: z.string(),
  violationTypes: z.array(z.string()),
  penalty: z.unknown(),
});

export const createLegalBasisSchema = legalArticleSchema;

export const endLegalBasisSchema = z.strictObject({ validTo: isoDate.nullable() });
