import { z } from 'zod';
import { DEFAULT_FOUR_PENALTIES_POLICY, type FourPenaltiesPolicy } from './four-penalties.policy';

const D = DEFAULT_FOUR_PENALTIES_POLICY;

/**
 * The local choices of 一超四罚 an admin may set (PUT /policies/four_penalties): the range of the cargo
 * source unit's fine per vehicle trip and the province rule it rests on. Every field defaults. The
 * thresholds of 《公路安全保护条例》 Art. 66 and 68 are law and not here.
 */
export const fourPenaltiesPolicySchema = z.strictObject({
  /** 省货运源头治超规定: the source unit's fine per vehicle trip (default up to 30,000 yuan). */
  sourceUnitFineRange: z
    .strictObject({
      minYuan: z.number().int().min(0).max(1_000_000),
      maxYuan: z.number().int().min(1).max(1_000_000),
    })
    .refine((r) => r.minYuan <= r.maxYuan, { message: 'minYuan must not exceed maxYuan', path: ['minYuan'] })
    .default(D.sourceUnitFineRange),
  /** The province rule's entry in the legal-basis catalogue. */
  sourceUnitBasis: z
    .strictObject({ code: z.string().trim().min(1).max(64), article: z.string().trim().min(1).max(200) })
    .default({ code: D.basis.sourceUnitLoading.code, article: D.basis.sourceUnitLoading.article }),
});
export type FourPenaltiesPolicySetting = z.infer<typeof fourPenaltiesPolicySchema>;

/** The rules' policy from the stored setting (or the defaults when none is set). */
export function fourPenaltiesPolicyOf(
  setting: FourPenaltiesPolicySetting | null | undefined,
): FourPenaltiesPolicy {
  if (!setting) return D;
  return {
    sourceUnitFineRange: setting.sourceUnitFineRange,
    basis: { ...D.basis, sourceUnitLoading: { ...D.basis.sourceUnitLoading, ...setting.sourceUnitBasis } },
  };
}
