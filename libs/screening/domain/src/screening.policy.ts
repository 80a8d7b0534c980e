import { z } from 'zod';
import { DEFAULT_PLATE_PATTERN, STATION_EVIDENCE_KINDS, type StationEvidenceKind } from '@ecc/shared-kernel';
import { type ToleranceRule } from './screening.types';

/** How a part of 1,000 kg is counted for the Art. 43 fine: floor = not counted (default), ceil = counted. */
export type FractionRule = 'floor' | 'ceil';

export interface TolerancePolicy {
  /** Used when neither the device nor its accuracy class has a rule. */
  default: ToleranceRule;
  /** By the device's accuracy class, e.g. { "2": { kind: "percent_of_gross", percent: 2 } }. */
  byAccuracyClass: Record<string, ToleranceRule>;
}

/**
 * The bureau's screening choices (policy, not law), passed in; every value is recorded on the result
 * through the rules it drives.
 */
export interface ScreeningPolicy {
  /** The bureau's time zone: dates on certificates and permits are local days there. */
  timeZone: string;
  tolerance: TolerancePolicy;
  requiredEvidence: StationEvidenceKind[];
  /**
   * How long after its receipt a detection lacking only required evidence waits for it (a station may send
   * photos by the streamed PUT after the detection) before it is screened invalid; 0: at once.
   */
  evidenceGraceSeconds: number;
  /** Sum of axle loads may differ from the gross by at most this share of the gross. */
  axleLoadBandPercent: number;
  fractionRule: FractionRule;
  /** Same plate, same station within this many minutes of a lead's first detection → the same trip. */
  duplicateWindowMinutes: number;
  /** Measurement allowance deducted from measured dimensions before comparing with the limits. */
  dimensionToleranceMm: { height: number; width: number; length: number };
  /**
   * Fine proposed per tier of Art. 43(1)(一) (discretion, 裁量基准): tier 1 ≤ 200, tier 2 200–1,000,
   * tier 3 1,000–3,000. Defaults: the tier-1 cap, and the statutory minimum of tiers 2 and 3.
   */
  dimensionFineYuan: { tier1: number; tier2: number; tier3: number };
  /** A readable Chinese plate number (province, issuing-authority letter, serial; 8 characters for 新能源). */
  platePattern: string;
}

export const DEFAULT_SCREENING_POLICY: ScreeningPolicy = {
  timeZone: 'Asia/Shanghai',
  tolerance: { default: { kind: 'percent_of_gross', percent: 5 }, byAccuracyClass: {} },
  requiredEvidence: ['plate_front', 'plate_rear', 'side'],
  evidenceGraceSeconds: 0,
  axleLoadBandPercent: 5,
  fractionRule: 'floor',
  duplicateWindowMinutes: 10,
  dimensionToleranceMm: { height: 0, width: 0, length: 0 },
  dimensionFineYuan: { tier1: 200, tier2: 200, tier3: 1000 },
  platePattern: DEFAULT_PLATE_PATTERN,
};

const toleranceRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('percent_of_gross'), percent: z.number().min(0).max(20) }),
  z.strictObject({ kind: z.literal('fixed_kg'), kg: z.number().int().min(0).max(10_000) }),
]);

/** Parses a policy from configuration; missing keys take the defaults, amounts must fit the law. */
export const screeningPolicySchema = z.strictObject({
  timeZone: z.string().min(1).default(DEFAULT_SCREENING_POLICY.timeZone),
  tolerance: z
    .strictObject({
      default: toleranceRuleSchema,
      byAccuracyClass: z.record(z.string(), toleranceRuleSchema).default({}),
    })
    .default(DEFAULT_SCREENING_POLICY.tolerance),
  requiredEvidence: z
    .array(z.enum(STATION_EVIDENCE_KINDS))
    .default(DEFAULT_SCREENING_POLICY.requiredEvidence),
  evidenceGraceSeconds: z
    .number()
    .int()
    .min(0)
    .max(24 * 3600)
    .default(DEFAULT_SCREENING_POLICY.evidenceGraceSeconds),
  axleLoadBandPercent: z.number().min(0).max(50).default(DEFAULT_SCREENING_POLICY.axleLoadBandPercent),
  fractionRule: z.enum(['floor', 'ceil']).default(DEFAULT_SCREENING_POLICY.fractionRule),
  duplicateWindowMinutes: z
    .number()
    .min(0)
    .max(24 * 60)
    .default(DEFAULT_SCREENING_POLICY.duplicateWindowMinutes),
  dimensionToleranceMm: z
    .strictObject({
      height: z.number().int().min(0).max(500),
      width: z.number().int().min(0).max(500),
      length: z.number().int().min(0).max(2000),
    })
    .default(DEFAULT_SCREENING_POLICY.dimensionToleranceMm),
  dimensionFineYuan: z
    .strictObject({
      // 《超限运输车辆行驶公路管理规定》 Art. 43(1)(一): the three ranges.
      tier1: z.number().int().min(1).max(200),
      tier2: z.number().int().min(200).max(1000),
      tier3: z.number().int().min(1000).max(3000),
    })
    .default(DEFAULT_SCREENING_POLICY.dimensionFineYuan),
  platePattern: z
    .string()
    .refine((p) => {
      try {
        new RegExp(p, 'u');
        return true;
      } catch {
        return false;
      }
    }, 'not a valid regular expression')
    .default(DEFAULT_PLATE_PATTERN),
});
