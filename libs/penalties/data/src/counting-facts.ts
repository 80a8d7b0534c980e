import {
  decisionAnnulled,
  type RecordedTrip,
  type RemedyOutcomeFact,
  type TripOverload,
} from '@ecc/penalties-domain';
import { localDate, type IsoDate } from '@ecc/shared-kernel';

/** A DATE column (UTC midnight of the day) → the day. */
const dayOf = (d: Date | null | undefined): IsoDate | null => (d ? d.toISOString().slice(0, 10) : null);

/** The lead's figures as enforced: the excess after the tolerance, over the limit it was judged by. */
const overloadOf = (lead: { excessKg: number; limitKg: number } | null | undefined): TripOverload | null =>
  lead ? { excessKg: lead.excessKg, limitKg: lead.limitKg } : null;

/**
 * What the counting policy of the four_penalties policy reads from the register (超限规定 Art. 46 ¶2; the
 * province's margin): the first issue of the vehicle's 道路运输证, the driver's 从业资格证 and the enterprise's
 * 经营许可证 (the start of each yearly cycle), and the trip's excess as enforced.
 */
export function countingFactsOf(row: {
  vehicle: { certificateFirstIssuedOn: Date | null } | null;
  driver: { qualificationFirstIssuedOn: Date | null } | null;
  enterprise: { licenceFirstIssuedOn: Date | null } | null;
  lead: { excessKg: number; limitKg: number } | null;
}) {
  return {
    vehicle: { certificateFirstIssuedOn: dayOf(row.vehicle?.certificateFirstIssuedOn) },
    driver: { qualificationFirstIssuedOn: dayOf(row.driver?.qualificationFirstIssuedOn) },
    enterprise: { licenceFirstIssuedOn: dayOf(row.enterprise?.licenceFirstIssuedOn) },
    overload: overloadOf(row.lead),
  };
}

/**
 * An earlier vehicle case as the counting sees it: the ids the rules compare (vehicle id, the driver's and the
 * enterprise's party ids as recorded on the case), the local day of its decision, its excess, and whether the
 * decision was annulled on reconsideration or by a court since (`remedies` of the case's workflow; such a trip
 * is no longer a confirmed violation, see `decisionAnnulled`).
 */
export function recordedTripOf(
  c: {
    id: string;
    violationDate: Date;
    vehicleId: string | null;
    driver: { partyId: string } | null;
    enterprise: { partyId: string } | null;
    decidedAt: Date | null;
    lead: { excessKg: number; limitKg: number } | null;
  },
  timeZone: string,
  remedies: readonly RemedyOutcomeFact[] = [],
): RecordedTrip {
  const overload = overloadOf(c.lead);
  return {
    caseId: c.id,
    violationDate: dayOf(c.violationDate)!,
    vehicleId: c.vehicleId ?? '',
    driverId: c.driver?.partyId ?? null,
    enterpriseId: c.enterprise?.partyId ?? null,
    decidedOn: c.decidedAt ? localDate(c.decidedAt, timeZone) : null,
    ...(decisionAnnulled(remedies, c.decidedAt) ? { annulled: true } : {}),
    excessKg: overload?.excessKg ?? null,
    limitKg: overload?.limitKg ?? null,
  };
}
