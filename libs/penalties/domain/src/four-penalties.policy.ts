import { DEFAULT_PENALTY_BASIS, type PenaltyBasis } from './penalty-basis';

/**
 * Thresholds fixed by law (《公路安全保护条例》, 《湖南省治理货物运输车辆超限超载条例》). Not configurable:
 * changing one is a change of law.
 */
export const FOUR_PENALTIES_LAW = {
  /** Art. 66: "超过3次" — more than 3 trips within one year stops the driver / revokes the certificate. */
  maxTripsWithinYear: 3,
  /** Art. 66: "超过本单位货运车辆总数10%" — more than 10% of the fleet suspends the enterprise. */
  enterpriseFleetSharePercent: 10,
  /** Art. 68: a unit that instructed or forced a driver to overload, "3万元以下". */
  instructedOverloadMaxYuan: 30_000,
  /** 湖南条例 Art. 30: a source unit that does not correct within the period, "一万元以上三万元以下". */
  sourceUnitUncorrectedFineYuan: { minYuan: 10_000, maxYuan: 30_000 },
} as const;

export type CountingYear = 'rolling_12_months' | 'certificate_cycle';
export type CountedTrips = 'every_decided_trip' | 'over_provincial_margin';

/** Local choices (policy, not law) for the four penalties; the defaults and their reasons are in the schema. */
export interface FourPenaltiesPolicy {
  /** 责令限期改正 of a cargo source unit: the period, counted from the service of the order. */
  sourceUnitCorrection: { periodDays: number; counting: 'calendar_days' | 'working_days' };
  /** The administrative divisions (6-digit codes) the bureau serves: it decides the Art. 66 measures there. */
  jurisdiction: { divisionCodes: string[] };
  /** How "within one year" is counted, and which trips count (超限规定 Art. 46 ¶2; the province's definition). */
  counting: { year: CountingYear; trips: CountedTrips; provincialMarginPercent: number };
  basis: PenaltyBasis;
}

export const DEFAULT_FOUR_PENALTIES_POLICY: FourPenaltiesPolicy = {
  sourceUnitCorrection: { periodDays: 15, counting: 'calendar_days' },
  jurisdiction: { divisionCodes: ['430681'] },
  counting: { year: 'rolling_12_months', trips: 'every_decided_trip', provincialMarginPercent: 10 },
  basis: DEFAULT_PENALTY_BASIS,
};
