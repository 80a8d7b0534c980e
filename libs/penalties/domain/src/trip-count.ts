import { type IsoDate } from '@ecc/shared-kernel';
import { oneYearWindow, withinOneYearBefore } from './one-year-window';
import { type RecordedTrip, type RuleCount, type ViolationUnderDecision } from './four-penalties.types';

/**
 * The trips that count toward a decision on `violation` (《公路安全保护条例》 Art. 66 "一年内"):
 * confirmed violations only — a decision dated on or before `asOf`, not annulled — whose trip date lies
 * in the one-year window ending on the violation date; plus the current violation itself, because the
 * plan is made for its decision. A lead or an open case never counts.
 */
export function countableTrips(
  violation: ViolationUnderDecision,
  history: RecordedTrip[],
  asOf: IsoDate,
): RecordedTrip[] {
  const current: RecordedTrip = {
    caseId: violation.caseId,
    violationDate: violation.violationDate,
    vehicleId: violation.vehicle.id,
    driverId: violation.driver?.id ?? null,
    enterpriseId: violation.enterprise?.id ?? null,
  };
  const confirmed = history.filter(
    (trip) =>
      trip.caseId !== violation.caseId &&
      !!trip.decidedOn &&
      trip.decidedOn <= asOf &&
      !trip.annulled &&
      withinOneYearBefore(trip.violationDate, violation.violationDate),
  );
  return [current, ...dedupeByCase(confirmed)].sort(byDateThenCase);
}

/** Trips matching `belongs`, counted against "more than `threshold`". */
export function tripCount(
  measure: 'vehicle_trips' | 'driver_trips',
  trips: RecordedTrip[],
  belongs: (trip: RecordedTrip) => boolean,
  threshold: number,
  violationDate: IsoDate,
  asOf: IsoDate,
): RuleCount {
  const caseIds = trips.filter(belongs).map((t) => t.caseId);
  return {
    measure,
    count: caseIds.length,
    threshold,
    window: oneYearWindow(violationDate),
    asOf,
    includesCurrentCase: true,
    caseIds,
  };
}

/**
 * Distinct vehicles with a counted trip made while they belonged to the enterprise. A vehicle that
 * changed enterprise counts for the enterprise it belonged to at each trip, so it may count for both.
 * `count` is compared with `threshold` = the largest vehicle count still within the share of the fleet.
 */
export function enterpriseVehicleCount(
  enterpriseId: string,
  trips: RecordedTrip[],
  fleetSizeOnDate: number,
  sharePercent: number,
  violationDate: IsoDate,
  asOf: IsoDate,
): RuleCount {
  const own = trips.filter((t) => t.enterpriseId === enterpriseId);
  const vehicleIds = [...new Set(own.map((t) => t.vehicleId))].sort();
  return {
    measure: 'enterprise_vehicles',
    count: vehicleIds.length,
    // "超过10%": n vehicles exceed the share iff n·100 > fleet·share; integers avoid rounding doubts.
    threshold: Math.floor((fleetSizeOnDate * sharePercent) / 100),
    window: oneYearWindow(violationDate),
    asOf,
    includesCurrentCase: true,
    caseIds: own.map((t) => t.caseId),
    vehicleIds,
    fleetSizeOnDate,
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
