import type { z } from 'zod';
import {
  casePolicySchema,
  CN_WORKING_CALENDAR_2024_2026,
  DEFAULT_CASE_POLICY,
  workingDayCalendarSchema,
} from '@ecc/legal-domain';
import { DEFAULT_SCREENING_POLICY, screeningPolicySchema } from '@ecc/screening-domain';
import {
  DEFAULT_NOTICES_POLICY,
  noticesDefaults,
  noticesPolicySchema,
  noticesPolicySchemaWith,
} from '@ecc/notices-domain';
import type { AppConfig } from '@ecc/shared-config';
import { fourPenaltiesPolicySchema } from '@ecc/penalties-domain';
import { DEFAULT_EVALUATION_SETTINGS, evaluationPolicySchema } from '@ecc/evaluation-domain';
import { DEFAULT_PUBLICITY_POLICY, publicityPolicySchema } from '@ecc/publicity-domain';

/**
 * Every policy an admin may set, with the schema that validates it and the default that applies while
 * none is set. A key not listed here does not exist.
 */
export const POLICIES = {
  /** Tolerance, required evidence, duplicate window, fraction rule (issue: intake and screening). */
  screening: { schema: screeningPolicySchema, default: DEFAULT_SCREENING_POLICY },
  /** Response window, statement period, hearing thresholds (person, organisation), publicity, legal review. */
  case: { schema: casePolicySchema, default: DEFAULT_CASE_POLICY },
  /** Holidays and make-up working days for the periods counted in working days (行政处罚法 Art. 85). */
  working_calendar: { schema: workingDayCalendarSchema, default: CN_WORKING_CALENDAR_2024_2026 },
  /** SMS notice and push templates (Chinese), office address, evidence URL, SMS length limit. */
  notices: { schema: noticesPolicySchema, default: DEFAULT_NOTICES_POLICY },
  /** 一超四罚: the source unit's correction period, the divisions served (Art. 66 measures), the counting rule. */
  four_penalties: { schema: fourPenaltiesPolicySchema, default: fourPenaltiesPolicySchema.parse({}) },
  /** 案卷评查: grade bounds, the closing threshold (90) and overrides of the default rules by code. */
  case_file_evaluation: { schema: evaluationPolicySchema, default: DEFAULT_EVALUATION_SETTINGS },
  /** 公示 (行政处罚法 Art. 48): every decision (default) or those the criteria mark; the period is the case policy's. */
  publicity: { schema: publicityPolicySchema, default: DEFAULT_PUBLICITY_POLICY },
} as const satisfies Record<string, { schema: z.ZodType; default: unknown }>;

export type PolicyKey = keyof typeof POLICIES;
export const POLICY_KEYS = Object.keys(POLICIES) as PolicyKey[];

export type PolicyRegistry = Record<PolicyKey, { schema: z.ZodType; default: unknown }>;

/** The policies of this installation: the notices' defaults are configuration (NOTICE_*), the rest built in. */
export function policyRegistry(config: AppConfig): PolicyRegistry {
  const notices = noticesDefaults(config.notices.defaults);
  return { ...POLICIES, notices: { schema: noticesPolicySchemaWith(notices), default: notices } };
}
