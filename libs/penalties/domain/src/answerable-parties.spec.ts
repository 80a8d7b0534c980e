import { addDays } from '@ecc/shared-kernel';
import { answerableParties, type AnswerableParty, type AnswerableRole } from './answerable-parties';
import { planFourPenalties } from './four-penalties.rules';
import {
  type FourPenaltiesAssessment,
  type PenaltyRole,
  type RecordedTrip,
  type ViolationUnderDecision,
} from './four-penalties.types';

/**
 * The bureau's example: 29 overloaded concrete-mixer trips (搅拌车) by trucks of four concrete companies,
 * each company owning its trucks (and registered as their road transport enterprise) and loading the
 * concrete (cargo source unit). Penalised together ("同步").
 */
const companies = [
  { id: 'co-A', name: '甲混凝土有限公司', fleet: 20, trucks: [4, 4, 3] }, // 11 trips, 3 of 20 trucks = 15%
  { id: 'co-B', name: '乙混凝土有限公司', fleet: 10, trucks: [4, 4] }, // 8 trips, 2 of 10 = 20%
  { id: 'co-C', name: '丙混凝土有限公司', fleet: 40, trucks: [3, 3] }, // 6 trips, 2 of 40 = 5%
  { id: 'co-D', name: '丁混凝土有限公司', fleet: 20, trucks: [2, 2] }, // 4 trips, 2 of 20 = exactly 10%
];

interface Trip {
  violation: ViolationUnderDecision;
  recorded: RecordedTrip;
}

function bureauTrips(): Trip[] {
  const trips: Trip[] = [];
  for (const co of companies) {
    co.trucks.forEach((tripCount, t) => {
      for (let k = 0; k < tripCount; k++) {
        const caseId = `${co.id}-m${t + 1}-${k + 1}`;
        const violationDate = addDays('2024-06-03', 14 * k + t);
        const party = { id: co.id, name: co.name };
        const vehicleId = `${co.id}-mixer-${t + 1}`;
        const driverId = `${co.id}-driver-${t + 1}`;
        trips.push({
          violation: {
            caseId,
            plate: `湘F${co.id.slice(-1)}${t + 1}00${k}`,
            violationDate,
            vehicle: { id: vehicleId, owner: party, transportCertificateNo: `RTC-${vehicleId}` },
            driver: { id: driverId, name: `${co.name}驾驶员${t + 1}` },
            enterprise: { ...party, fleetSizeOnDate: co.fleet },
            sourceUnit: { ...party, instructedOrForced: false },
            proposedVehiclePenalty: { kind: 'fine', amountYuan: 3_000 },
          },
          // The vehicle cases were decided before the sub-cases are assessed together.
          recorded: {
            caseId,
            violationDate,
            vehicleId,
            driverId,
            enterpriseId: co.id,
            decidedOn: '2024-10-20',
          },
        });
      }
    });
  }
  return trips;
}

function roleOf(parties: AnswerableParty[], partyId: string, role: PenaltyRole): AnswerableRole {
  const found = parties.find((p) => p.partyId === partyId)?.roles.find((r) => r.role === role);
  if (!found) throw new Error(`${partyId} has no ${role} role`);
  return found;
}

function assessAll(): FourPenaltiesAssessment[] {
  const trips = bureauTrips();
  const history = trips.map((t) => t.recorded);
  return trips.map((t) => planFourPenalties({ violation: t.violation, history, asOf: '2024-11-05' }));
}

describe('answerable parties for a batch (synchronized issuance)', () => {
  it('lists the four concrete companies with their trip counts, each as owner, enterprise and source unit', () => {
    const assessments = assessAll();
    expect(assessments).toHaveLength(29);
    const parties = answerableParties(assessments);
    const top4 = parties.filter((p) => companies.some((c) => c.id === p.partyId));
    expect(top4.map((p) => [p.partyName, p.roles.map((r) => [r.role, r.tripCount])])).toEqual([
      [
        '甲混凝土有限公司',
        [
          ['vehicle', 11],
          ['enterprise', 11],
          ['source_unit', 11],
        ],
      ],
      [
        '乙混凝土有限公司',
        [
          ['vehicle', 8],
          ['enterprise', 8],
          ['source_unit', 8],
        ],
      ],
      [
        '丙混凝土有限公司',
        [
          ['vehicle', 6],
          ['enterprise', 6],
          ['source_unit', 6],
        ],
      ],
      [
        '丁混凝土有限公司',
        [
          ['vehicle', 4],
          ['enterprise', 4],
          ['source_unit', 4],
        ],
      ],
    ]);

    const role = (r: PenaltyRole) => roleOf(parties, 'co-A', r);
    // One Art. 43 fine per trip; the source unit is ordered to correct on each trip, not fined per trip
    // (湖南条例 Art. 30: a fine follows only if it does not correct).
    expect(role('vehicle').totalFineYuan).toBe(11 * 3_000);
    expect(role('source_unit').totalFineYuan).toBe(0);
    expect(role('source_unit').outcomes).toEqual({ order_correct: 11 });
    expect(role('source_unit').plans).toHaveLength(11);
    // Two of its mixers made a 4th trip: their certificates are revoked on that trip.
    expect(role('vehicle').outcomes).toEqual({ fine: 11, certificate_revocation: 2 });
    // 3 of 20 trucks > 10% once the third truck has overloaded; before that the trips are recorded.
    expect(role('enterprise').outcomes).toEqual({ record_only: 2, business_suspension: 9 });
  });

  it('gives the drivers and vehicles over the thresholds theirs, and not the others', () => {
    const parties = answerableParties(assessAll());
    const drivers = parties.filter((p) => p.roles.some((r) => r.role === 'driver'));
    expect(drivers).toHaveLength(9);
    const stopped = drivers
      .filter((d) => roleOf(parties, d.partyId, 'driver').outcomes.order_stop_transport)
      .map((d) => d.partyId);
    expect(stopped.sort()).toEqual(['co-A-driver-1', 'co-A-driver-2', 'co-B-driver-1', 'co-B-driver-2']);

    const enterprise = (id: string) => roleOf(parties, id, 'enterprise');
    expect(enterprise('co-B').outcomes.business_suspension).toBeGreaterThan(0);
    expect(enterprise('co-C').outcomes).toEqual({ record_only: 6 }); // 2 of 40
    expect(enterprise('co-D').outcomes).toEqual({ record_only: 4 }); // exactly 10%, not over
  });

  it('filters by enterprise, source unit and violation dates', () => {
    const assessments = assessAll();
    const onlyB = answerableParties(assessments, { enterpriseId: 'co-B' });
    expect(onlyB.map((p) => p.partyId)).toEqual(['co-B', 'co-B-driver-1', 'co-B-driver-2']);
    expect(
      roleOf(answerableParties(assessments, { sourceUnitId: 'co-D' }), 'co-D', 'source_unit').tripCount,
    ).toBe(4);

    const june = answerableParties(assessments, { from: '2024-06-01', to: '2024-06-30' });
    expect(companies.map((c) => roleOf(june, c.id, 'vehicle').tripCount)).toEqual([6, 4, 4, 4]);
  });

  it('refuses a batch holding the same case twice, which would double its fines', () => {
    const first = assessAll().slice(0, 1);
    expect(() => answerableParties([...first, ...first])).toThrow(
      expect.objectContaining({ code: 'duplicate_case_in_batch' }),
    );
  });
});
