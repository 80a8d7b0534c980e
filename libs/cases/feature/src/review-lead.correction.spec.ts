import type { DetectionFacts } from '@ecc/screening-domain';
import { reassessReviewedLead, vehicleCorrectionSchema } from './review-lead.correction';

/** 线索审核: the reviewer confirms or corrects the vehicle against the side photo and the vehicle licence. */
describe('lead review: truck or combination, and the wide-base tyre axles', () => {
  // A 4-axle vehicle the station read as a truck (31 t): 38,000 kg, tolerance 1,900 kg → 5,100 kg over.
  const detection: DetectionFacts = {
    stationCode: 'S308-K12',
    detectedAt: new Date('2025-06-01T02:00:00Z'),
    plate: { number: '湘F12345', color: 'yellow' },
    vehicle: { axleCount: 4, combination: false },
    weighing: { grossKg: 38_000, axleLoadsKg: [7_000, 9_000, 11_000, 11_000] },
    evidenceKinds: ['plate_front', 'plate_rear', 'side'],
  };
  const lead = { grossMassKg: 38_000, toleranceKg: 1_900, limitKg: 31_000, excessKg: 5_100 };
  const proposed = { kind: 'fine' as const, amountYuan: 2_500 };

  it('re-computes the limit, the excess and the penalty when a truck is corrected to a combination, with before and after', () => {
    const r = reassessReviewedLead({
      detection,
      lead: { ...lead, proposedPenalty: proposed },
      correction: vehicleCorrectionSchema.parse({ combination: true }),
      permits: [],
    });
    // 4-axle combination: 36,000 kg; 38,000 − 1,900 − 36,000 = 100 kg over → a warning (Art. 43: ≤ 1,000 kg).
    expect(r.columns).toMatchObject({ limitKg: 36_000, excessKg: 100, proposedPenaltyKind: 'warning' });
    expect(r.columns.proposedAmount).toBe(0);
    expect(r.correction.before).toEqual({
      combination: false,
      wideBaseTyreAxles: [],
      limitKg: 31_000,
      excessKg: 5_100,
      proposedPenalty: proposed,
    });
    expect(r.correction.after).toEqual({
      combination: true,
      wideBaseTyreAxles: [],
      limitKg: 36_000,
      excessKg: 100,
      proposedPenalty: { kind: 'warning', amountYuan: 0 },
    });
    // The figures add up for the party, and the rules say which are the bureau's policy.
    expect(lead.grossMassKg - lead.toleranceKg - r.columns.limitKg).toBe(r.columns.excessKg);
    const rules = r.columns.rules as { rule: string; source: string }[];
    expect(rules.find((x) => x.rule === 'tolerance.as_recorded')?.source).toBe('policy');
    expect(rules.some((x) => x.source === 'law')).toBe(true);
  });

  it('names the wide-base tyre axles: they do not lower the limit', () => {
    const threeSingle: DetectionFacts = {
      ...detection,
      vehicle: { axleCount: 6, combination: true, singleTyreAxles: 3 },
      weighing: { grossKg: 47_000, axleLoadsKg: [7_000, 9_000, 9_000, 8_000, 7_000, 7_000] },
    };
    const base = { grossMassKg: 47_000, toleranceKg: 2_350, limitKg: 40_000, excessKg: 4_650 };
    const r = reassessReviewedLead({
      detection: threeSingle,
      lead: { ...base, proposedPenalty: { kind: 'fine', amountYuan: 2_000 } },
      correction: vehicleCorrectionSchema.parse({ combination: true, wideBaseTyreAxles: [4, 5, 6] }),
      permits: [],
    });
    // 49,000 kg with no reduction: 47,000 − 2,350 − 49,000 < 0 → no overload: confirming is refused.
    expect(r.outcome).toBe('no_violation');
    const two = reassessReviewedLead({
      detection: threeSingle,
      lead: { ...base, proposedPenalty: { kind: 'fine', amountYuan: 2_000 } },
      correction: vehicleCorrectionSchema.parse({ combination: true, wideBaseTyreAxles: [5, 6] }),
      permits: [],
    });
    // one single-tyre axle left: 46,000 kg → 47,000 − 2,350 − 46,000 = −1,350: still none.
    expect(two.outcome).toBe('no_violation');
    const one = reassessReviewedLead({
      detection: { ...threeSingle, weighing: { ...threeSingle.weighing, grossKg: 50_000 } },
      lead: { ...base, grossMassKg: 50_000, proposedPenalty: { kind: 'fine', amountYuan: 2_000 } },
      correction: vehicleCorrectionSchema.parse({ combination: true, wideBaseTyreAxles: [6] }),
      permits: [],
    });
    // two single-tyre axles left: 43,000 kg → 50,000 − 2,350 − 43,000 = 4,650 over.
    expect(one.outcome).toBe('lead');
    expect(one.columns).toMatchObject({ limitKg: 43_000, excessKg: 4_650 });
    expect(one.correction.after.wideBaseTyreAxles).toEqual([6]);
  });

  it('refuses wide-base axles the vehicle cannot have, naming the field', () => {
    for (const wideBaseTyreAxles of [[1], [7], [4, 4]]) {
      expect(() =>
        reassessReviewedLead({
          detection: { ...detection, vehicle: { axleCount: 6, combination: true, singleTyreAxles: 3 } },
          lead: { ...lead, proposedPenalty: proposed },
          correction: vehicleCorrectionSchema.parse({ combination: true, wideBaseTyreAxles }),
          permits: [],
        }),
      ).toThrow(expect.objectContaining({ code: 'validation_failed' }));
    }
    // A configuration the table does not cover (a 6-axle truck) is refused with the rule's reason.
    expect(() =>
      reassessReviewedLead({
        detection: { ...detection, vehicle: { axleCount: 6, combination: true } },
        lead: { ...lead, proposedPenalty: proposed },
        correction: vehicleCorrectionSchema.parse({ combination: false }),
        permits: [],
      }),
    ).toThrow(expect.objectContaining({ code: 'vehicle_configuration_not_covered' }));
  });
});
