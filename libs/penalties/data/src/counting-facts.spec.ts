import { countingFactsOf, recordedTripOf } from './counting-facts';

const day = (d: string) => new Date(`${d}T00:00:00Z`);

/** What the counting policy needs from the register (certificate cycle, provincial margin), as stored. */
describe('the facts the counting policy reads from the register', () => {
  it('passes the first issue date of each certificate and the trip’s excess as enforced', () => {
    const facts = countingFactsOf({
      vehicle: { certificateFirstIssuedOn: day('2020-05-10') },
      driver: { qualificationFirstIssuedOn: day('2018-03-01') },
      enterprise: { licenceFirstIssuedOn: null },
      lead: { excessKg: 4_901, limitKg: 49_000 },
    });
    expect(facts).toEqual({
      vehicle: { certificateFirstIssuedOn: '2020-05-10' },
      driver: { qualificationFirstIssuedOn: '2018-03-01' },
      enterprise: { licenceFirstIssuedOn: null },
      overload: { excessKg: 4_901, limitKg: 49_000 },
    });
  });

  it('leaves the excess unknown for a case without its lead, so that the margin rule leaves it out', () => {
    expect(countingFactsOf({ vehicle: null, driver: null, enterprise: null, lead: null })).toEqual({
      vehicle: { certificateFirstIssuedOn: null },
      driver: { qualificationFirstIssuedOn: null },
      enterprise: { licenceFirstIssuedOn: null },
      overload: null,
    });
  });

  it('reads an earlier trip with its decision day in the bureau’s zone and its excess', () => {
    const trip = recordedTripOf(
      {
        id: 'c1',
        violationDate: day('2025-01-31'),
        vehicleId: 'veh-1',
        driver: { partyId: 'drv-party' },
        enterprise: { partyId: 'ent-party' },
        // 16:30 UTC is the next day in Asia/Shanghai.
        decidedAt: new Date('2025-02-10T16:30:00Z'),
        lead: { excessKg: 3_000, limitKg: 31_000 },
      },
      'Asia/Shanghai',
    );
    expect(trip).toEqual({
      caseId: 'c1',
      violationDate: '2025-01-31',
      vehicleId: 'veh-1',
      driverId: 'drv-party',
      enterpriseId: 'ent-party',
      decidedOn: '2025-02-11',
      excessKg: 3_000,
      limitKg: 31_000,
    });
  });

  it('marks a trip whose decision was annulled on reconsideration or by a court, unless decided again after it', () => {
    const row = {
      id: 'c1',
      violationDate: day('2025-01-31'),
      vehicleId: 'veh-1',
      driver: null,
      enterprise: null,
      decidedAt: new Date('2025-02-10T02:00:00Z'),
      lead: null,
    };
    const annulled = {
      kind: 'reconsideration' as const,
      outcome: 'annulled' as const,
      concludedOn: '2025-04-01',
      concludedRecordedAt: new Date('2025-04-01T03:00:00Z'),
    };
    expect(recordedTripOf(row, 'Asia/Shanghai', [annulled]).annulled).toBe(true);
    expect(
      recordedTripOf(row, 'Asia/Shanghai', [{ ...annulled, outcome: 'upheld' }]).annulled,
    ).toBeUndefined();
    const decidedAgain = { ...row, decidedAt: new Date('2025-05-01T02:00:00Z') };
    expect(recordedTripOf(decidedAgain, 'Asia/Shanghai', [annulled]).annulled).toBeUndefined();
  });
});
