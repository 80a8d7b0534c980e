import { addMonths, type LegalRef } from '@ecc/legal-domain';
import { type IsoDate } from '@ecc/shared-kernel';
import { oneYearWindow, type OneYearWindow } from './one-year-window';
import { type FourPenaltiesPolicy } from './four-penalties.policy';
import {
  type CountingRuleApplied,
  type CountMeasure,
  type RecordedTrip,
  type RuleCount,
  type TripOverload,
  type ViolationUnderDecision,
} from './four-penalties.types';

/** The certificate whose first issue starts the counting cycle of a measure (超限规定 Art. 46 ¶2). */
const CERTIFICATE: Record<CountMeasure, string> = {
  vehicle_trips: '道路运输证',
  driver_trips: '从业资格证',
  enterprise_vehicles: '道路运输经营许可证',
};

/** A trip as the counting sees it: the current violation, or a decided trip of the register. */
interface CountedTrip extends RecordedTrip {
  current?: true;
}

/**
 * The trips a count may rest on (《公路安全保护条例》 Art. 66 "违法超限运输"): confirmed violations only — a
 * decision dated on or before `asOf`, not annulled — no later than the violation; plus the current violation
 * itself, because the plan is made for its decision. A lead or an open case never counts. The window of each
 * count is applied by `countTrips`.
 */
export function countableTrips(
  violation: ViolationUnderDecision,
  history: RecordedTrip[],
  asOf: IsoDate,
): CountedTrip[] {
  const current: CountedTrip = {
    caseId: violation.caseId,
    violationDate: violation.violationDate,
    vehicleId: violation.vehicle.id,
    driverId: violation.driver?.id ?? null,
    enterpriseId: violation.enterprise?.id ?? null,
    excessKg: violation.overload?.excessKg ?? null,
    limitKg: violation.overload?.limitKg ?? null,
    current: true,
  };
  const confirmed = history.filter(
    (trip) =>
      trip.caseId !== violation.caseId &&
      !!trip.decidedOn &&
      trip.decidedOn <= asOf &&
      !trip.annulled &&
      trip.violationDate <= violation.violationDate,
  );
  return [current, ...dedupeByCase(confirmed)].sort(byDateThenCase);
}

/**
 * The window and the rule of one count, from the policy: 12 months back from the violation (民法典 Art. 202),
 * or the yearly cycle of the certificate from its first issue that holds the violation date. Without a
 * first issue date (or one after the violation) the cycle cannot be placed: 12 months apply, and the rule says
 * so.
 */
export function countingRuleFor(
  measure: CountMeasure,
  counting: FourPenaltiesPolicy['counting'],
  firstIssuedOn: IsoDate | null | undefined,
  violationDate: IsoDate,
  basis: LegalRef,
): { window: OneYearWindow; rule: CountingRuleApplied } {
  const certificate = CERTIFICATE[measure];
  const trips =
    counting.trips === 'every_decided_trip'
      ? '计入每一次已作出处罚决定的违法超限运输'
      : `仅计入超过限定标准${counting.provincialMarginPercent}%以上的违法超限运输（省定义）`;
  const tripRule = {
    trips: counting.trips,
    ...(counting.trips === 'over_provincial_margin'
      ? { provincialMarginPercent: counting.provincialMarginPercent }
      : {}),
  };
  if (counting.year === 'certificate_cycle' && firstIssuedOn && firstIssuedOn <= violationDate) {
    let years = Number(violationDate.slice(0, 4)) - Number(firstIssuedOn.slice(0, 4));
    while (addMonths(firstIssuedOn, 12 * years) > violationDate) years--;
    const cycleStart = addMonths(firstIssuedOn, 12 * years);
    return {
      window: { from: cycleStart, to: violationDate },
      rule: {
        year: 'certificate_cycle',
        ...tripRule,
        certificateFirstIssuedOn: firstIssuedOn,
        cycleStart,
        source: 'policy',
        basis: [basis],
        description: `自${certificate}初次领取之日（${firstIssuedOn}）起按年度周期计算，本周期自${cycleStart}起；${trips}`,
      },
    };
  }
  const window = oneYearWindow(violationDate);
  const fellBack = counting.year === 'certificate_cycle';
  return {
    window,
    rule: {
      year: 'rolling_12_months',
      ...tripRule,
      ...(fellBack ? { fellBackFrom: 'certificate_cycle' as const } : {}),
      source: 'policy',
      basis: [basis],
      description:
        (fellBack ? `${certificate}初次领证日期不明，` : '') +
        `自违法行为发生之日向前滚动计算一年（${window.from}至${window.to}）；${trips}`,
    },
  };
}

/** Under the margin rule: the excess is more than the margin's share of the limit (integers, no rounding). */
function overMargin(
  trip: Pick<TripOverload, 'excessKg' | 'limitKg'> | RecordedTrip,
  percent: number,
): boolean {
  const { excessKg, limitKg } = trip;
  if (excessKg === null || excessKg === undefined || !limitKg) return false;
  return excessKg * 100 > limitKg * percent;
}

interface CountInput {
  measure: CountMeasure;
  trips: CountedTrip[];
  belongs: (trip: RecordedTrip) => boolean;
  window: OneYearWindow;
  rule: CountingRuleApplied;
  asOf: IsoDate;
}

function select({ trips, belongs, window, rule }: CountInput) {
  const own = trips.filter(
    (t) => belongs(t) && window.from <= t.violationDate && t.violationDate <= window.to,
  );
  const margin = rule.provincialMarginPercent;
  const counted = margin === undefined ? own : own.filter((t) => overMargin(t, margin));
  const excluded = own.filter((t) => !counted.includes(t));
  return { counted, excluded };
}

const baseCount = (input: CountInput, counted: CountedTrip[], excluded: CountedTrip[]) => ({
  measure: input.measure,
  window: input.window,
  asOf: input.asOf,
  includesCurrentCase: counted.some((t) => t.current),
  caseIds: counted.map((t) => t.caseId),
  excludedCaseIds: excluded.map((t) => t.caseId),
  rule: input.rule,
});

/** Trips matching `belongs` in the window, counted against "more than `threshold`". */
export function countTrips(input: CountInput & { threshold: number }): RuleCount {
  const { counted, excluded } = select(input);
  return { ...baseCount(input, counted, excluded), count: counted.length, threshold: input.threshold };
}

/**
 * Distinct vehicles with a counted trip made while they belonged to the enterprise. A vehicle that
 * changed enterprise counts for the enterprise it belonged to at each trip, so it may count for both.
 * `count` is compared with `threshold` = the largest vehicle count still within the share of the fleet.
 */
export function countEnterpriseVehicles(
  input: CountInput & { fleetSizeOnDate: number; sharePercent: number },
): RuleCount {
  const { counted, excluded } = select(input);
  const vehicleIds = [...new Set(counted.map((t) => t.vehicleId))].sort();
  return {
    ...baseCount(input, counted, excluded),
    count: vehicleIds.length,
    // "超过10%": n vehicles exceed the share iff n·100 > fleet·share; integers avoid rounding doubts.
    threshold: Math.floor((input.fleetSizeOnDate * input.sharePercent) / 100),
    vehicleIds,
    fleetSizeOnDate: input.fleetSizeOnDate,
  };
}

export const exceeds = (count: RuleCount): boolean => count.count > count.threshold;

function dedupeByCase(trips: RecordedTrip[]): RecordedTrip[] {
  const seen = new Map<string, RecordedTrip>();
  for (const trip of trips) if (!seen.has(trip.caseId)) seen.set(trip.caseId, trip);
  return [...seen.values()];
}

function byDateThenCase(a: RecordedTrip, b: RecordedTrip): number {
  return a.violationDate === b.violationDate
    ? a.caseId.localeCompare(b.caseId)
    : a.violationDate.localeCompare(b.violationDate);
}
