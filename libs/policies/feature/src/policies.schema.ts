import { z } from 'zod';
import { POLICY_KEYS } from './policy-registry';

export const policyKeySchema = z.enum(POLICY_KEYS as [string, ...string[]]);

export const policyViewSchema = z.object({
  key: z.string(),
  value: z.unknown(),
  source: z.enum(['default', 'set']),
  validFrom: z.string().datetime().nullable(),
  /** a holiday notice's changes to the working calendar */
  changes: z.unknown().optional(),
});

export const setPolicyQuerySchema = z.strictObject({
  dryRun: z.enum(['true', 'false']).optional().describe('true: answer the preview, write nothing'),
});

/** `PUT /policies/{key}?dryRun=true`: what would be stored, what is in force, and a notice's changes. */
export const policyPreviewSchema = z.object({
  key: z.string(),
  dryRun: z.literal(true),
  value: z.unknown().describe('the value that would be stored'),
  current: z.unknown().describe('the value in force now (the default while none is set)'),
  changes: z
    .object({
      year: z.number().int(),
      holidaysAdded: z.array(z.string()),
      holidaysRemoved: z.array(z.string()),
      makeUpWorkdaysAdded: z.array(z.string()),
      makeUpWorkdaysRemoved: z.array(z.string()),
      coverage: z.object({ before: z.unknown(), after: z.unknown() }),
    })
    .nullable()
    .describe('a holiday notice: the days it adds and removes, and the coverage before and after'),
});
