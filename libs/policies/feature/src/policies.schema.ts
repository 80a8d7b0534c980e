import { z } from 'zod';
import { POLICY_KEYS } from './policy-registry';

export const policyKeySchema = z.enum(POLICY_KEYS as [string, ...string[]]);

export const policyViewSchema = z.object({
  key: z.string(),
  value: z.unknown(),
  source: z.enum(['default', 'set']),
  validFrom: z.string().datetime().nullable(),
});
