import { z } from 'zod';
import { DEFAULT_FOUR_PENALTIES_POLICY, type FourPenaltiesPolicy } from './four-penalties.policy';

const D = DEFAULT_FOUR_PENALTIES_POLICY;

/** A 6-digit administrative division code (GB/T 2260), e.g. 430681 for 汨罗市. */
export const DIVISION_CODE = /^[1-8]\d{5}$/;

/**
 * The local choices of 一超四罚 an admin may set (PUT /policies/four_penalties). Every field defaults, and
 * each says why its default was taken. The thresholds of 《公路安全保护条例》 Arts. 66, 68 and the fine range
 * of 《湖南省治理货物运输车辆超限超载条例》 Art. 30 are law and not here.
 */
export const fourPenaltiesPolicySchema = z.strictObject({
  sourceUnitCorrection: z
    .strictObject({
      periodDays: z.number().int().min(1).max(90),
      counting: z.enum(['calendar_days', 'working_days']),
    })
    .default(D.sourceUnitCorrection)
    .describe(
      'The period of the order to correct a cargo source unit (湖南条例 Art. 30), from its service. Default 15 ' +
        'calendar days: the regulation leaves the length to the bureau; 15 days is the period the bureau gives a ' +
        'party elsewhere (the response window, payment) and enough to change a loading and release procedure.',
    ),
  jurisdiction: z
    .strictObject({
      divisionCodes: z
        .array(z.string().regex(DIVISION_CODE, 'a 6-digit administrative division code'))
        .min(1),
    })
    .default(D.jurisdiction)
    .describe(
      'The administrative divisions the bureau serves: it decides the Art. 66 measures (超限规定 Art. 46) for ' +
        'parties and vehicles registered there and reports the others to their home authority. Default 430681, ' +
        '汨罗市, the county-level city whose bureau this is.',
    ),
  counting: z
    .strictObject({
      year: z.enum(['rolling_12_months', 'certificate_cycle']),
      trips: z.enum(['every_decided_trip', 'over_provincial_margin']),
      provincialMarginPercent: z.number().int().min(0).max(100),
    })
    .default(D.counting)
    .describe(
      'Counting "within one year" for Art. 66. Default rolling 12 months before the violation and every decided ' +
        "overload trip: the plain reading of 条例 Art. 66; the certificate's yearly cycle (超限规定 Art. 46 ¶2) and " +
        "the province's 10% margin (违法超限运输 in the Hunan regulation) are the alternatives, to be confirmed.",
    ),
});

export type FourPenaltiesPolicySetting = z.infer<typeof fourPenaltiesPolicySchema>;

/** The rules' policy from the stored setting (or the defaults when none is set). */
export function fourPenaltiesPolicyOf(
  setting: FourPenaltiesPolicySetting | null | undefined,
): FourPenaltiesPolicy {
  if (!setting) return D;
  return {
    sourceUnitCorrection: setting.sourceUnitCorrection,
    jurisdiction: setting.jurisdiction,
    counting: setting.counting,
    basis: D.basis,
  };
}
