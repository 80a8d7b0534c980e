import { DEFAULT_PENALTY_BASIS, type PenaltyBasis } from './penalty-basis';

/**
 * Thresholds fixed by law (《公路安全保护条例》). Not configurable: changing one is a change of law.
 */
export const FOUR_PENALTIES_LAW = {
  /** Art. 66: "超过3次" — more than 3 trips within one year stops the driver / revokes the certificate. */
  maxTripsWithinYear: 3,
  /** Art. 66: "超过本单位货运车辆总数10%" — more than 10% of the fleet suspends the enterprise. */
  enterpriseFleetSharePercent: 10,
  /** Art. 68: a unit that instructed or forced a driver to overload, "3万元以下". */
  instructedOverloadMaxYuan: 30_000,
} as const;

/** Local choices (DOMAIN.md "policy") for the four penalties. */
export interface FourPenaltiesPolicy {
  /** Province source-control rule: the source unit's fine per vehicle trip lies in this range. */
  sourceUnitFineRange: { minYuan: number; maxYuan: number };
  basis: PenaltyBasis;
}

export const DEFAULT_FOUR_PENALTIES_POLICY: FourPenaltiesPolicy = {
  sourceUnitFineRange: { minYuan: 0, maxYuan: 30_000 },
  basis: DEFAULT_PENALTY_BASIS,
};
