import { decisionAnnulled } from './annulled-decision';
import { planFourPenalties } from './four-penalties.rules';
import { type RecordedTrip, type ViolationUnderDecision } from './four-penalties.types';

describe('a decision annulled on reconsideration or by a court no longer counts (条例 Art. 66)', () => {
  const at = (d: string) => new Date(`${d}T02:00:00Z`);
  const annulledOn = (d: string) => ({
    kind: 'lawsuit' as const,
    outcome: 'annulled' as const,
    concludedOn: d,
    concludedRecordedAt: at(d),
  });

  it('annulled, with no decision made again after it', () => {
    expect(decisionAnnulled([annulledOn('2024-05-10')], at('2024-03-01'))).toBe(true);
    expect(decisionAnnulled([{ kind: 'reconsideration', outcome: 'annulled' }], at('2024-03-01'))).toBe(true);
  });

  it('decided again after the annulment, changed, upheld, dismissed, withdrawn or pending: the decision stands', () => {
    expect(decisionAnnulled([annulledOn('2024-05-10')], at('2024-06-01'))).toBe(false);
    for (const outcome of ['changed', 'upheld', 'dismissed', 'withdrawn'] as const) {
      expect(decisionAnnulled([{ ...annulledOn('2024-05-10'), outcome }], at('2024-03-01'))).toBe(false);
    }
    expect(decisionAnnulled([{ kind: 'reconsideration' }], at('2024-03-01'))).toBe(false);
    expect(decisionAnnulled(undefined, at('2024-03-01'))).toBe(false);
  });

  it('an annulled trip no longer makes the driver cross "more than 3 trips"', () => {
    const violation: ViolationUnderDecision = {
      caseId: 'c4',
      plate: '湘F12345',
      violationDate: '2024-06-01',
      vehicle: { id: 'v1', owner: { id: 'owner', name: '车主' }, transportCertificateNo: 'YY1' },
      driver: { id: 'd1', name: '驾驶人' },
      proposedVehiclePenalty: { kind: 'fine', amountYuan: 3500 },
    };
    const trip = (caseId: string, violationDate: string, annulled = false): RecordedTrip => ({
      caseId,
      violationDate,
      vehicleId: 'v1',
      driverId: 'd1',
      decidedOn: '2024-05-20',
      annulled,
    });
    const driverOutcome = (history: RecordedTrip[]) =>
      planFourPenalties({ violation, history, asOf: '2024-06-10' }).plans.find((p) => p.role === 'driver');
    const history = [trip('c1', '2024-02-01'), trip('c2', '2024-03-01'), trip('c3', '2024-04-01')];
    expect(driverOutcome(history)).toMatchObject({ outcome: 'order_stop_transport', counts: { count: 4 } });
    const annulled = [history[0]!, history[1]!, trip('c3', '2024-04-01', true)];
    expect(driverOutcome(annulled)).toMatchObject({ outcome: 'record_only', counts: { count: 3 } });
    expect(driverOutcome(annulled)?.counts?.caseIds).not.toContain('c3');
  });
});
