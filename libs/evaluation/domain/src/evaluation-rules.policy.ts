import { z } from 'zod';
import { PENALTY_KINDS } from '@ecc/legal-domain';
import { DEFAULT_EVALUATION_RULES } from './default-evaluation-rules';
import type { EvaluationRule } from './evaluation-rule';
import { DEFAULT_EVALUATION_POLICY, type EvaluationPolicy } from './evaluation.policy';

const score = z.number().int().min(0).max(100);
const DEFAULT_RULE_CODES = new Set(DEFAULT_EVALUATION_RULES.map((r) => r.code));

/** How an admin changes one default rule: re-weight it, restrict or widen the penalty kinds it applies to, or switch it off. */
export const ruleOverrideSchema = z.strictObject({
  deduction: z.number().int().min(0).max(100).optional(),
  appliesTo: z.array(z.enum(PENALTY_KINDS)).min(1).optional(),
  enabled: z.boolean().optional(),
});
export type RuleOverride = z.infer<typeof ruleOverrideSchema>;

/**
 * The `case_file_evaluation` policy: grade bounds, the closing threshold and overrides of the default rules by
 * code. Grade bounds must descend; an override naming no default rule is refused (a typo would otherwise
 * silently change nothing).
 */
export const evaluationPolicySchema = z
  .strictObject({
    excellentFrom: score.default(DEFAULT_EVALUATION_POLICY.excellentFrom),
    goodFrom: score.default(DEFAULT_EVALUATION_POLICY.goodFrom),
    qualifiedFrom: score.default(DEFAULT_EVALUATION_POLICY.qualifiedFrom),
    closingMinimumScore: score.default(DEFAULT_EVALUATION_POLICY.closingMinimumScore),
    rules: z.record(z.string(), ruleOverrideSchema).default({}),
  })
  .superRefine((policy, ctx) => {
    if (!(policy.excellentFrom > policy.goodFrom && policy.goodFrom > policy.qualifiedFrom)) {
      ctx.addIssue({
        code: 'custom',
        path: ['goodFrom'],
        message: 'grade bounds must descend: excellentFrom > goodFrom > qualifiedFrom',
      });
    }
    for (const code of Object.keys(policy.rules)) {
      if (!DEFAULT_RULE_CODES.has(code)) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', code],
          message: `no evaluation rule has the code ${code}`,
        });
      }
    }
  });

export type EvaluationPolicySettings = z.infer<typeof evaluationPolicySchema>;

export const DEFAULT_EVALUATION_SETTINGS: EvaluationPolicySettings = evaluationPolicySchema.parse({});

/** The grades and threshold part of the settings. */
export const gradesOf = (settings: EvaluationPolicySettings): EvaluationPolicy => ({
  excellentFrom: settings.excellentFrom,
  goodFrom: settings.goodFrom,
  qualifiedFrom: settings.qualifiedFrom,
  closingMinimumScore: settings.closingMinimumScore,
});

/** The rules in force: the defaults with the policy's overrides applied, switched-off rules left out. */
export function rulesInForce(
  overrides: Readonly<Record<string, RuleOverride>>,
  defaults: readonly EvaluationRule[] = DEFAULT_EVALUATION_RULES,
): EvaluationRule[] {
  return defaults.flatMap((rule) => {
    const override = overrides[rule.code];
    if (!override) return [rule];
    if (override.enabled === false) return [];
    return [
      {
        ...rule,
        ...(override.deduction !== undefined ? { deduction: override.deduction } : {}),
        ...(override.appliesTo ? { appliesTo: [...override.appliesTo] } : {}),
      },
    ];
  });
}
