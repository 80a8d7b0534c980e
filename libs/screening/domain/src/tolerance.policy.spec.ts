import { DEFAULT_SCREENING_POLICY, type TolerancePolicy } from './screening.policy';
import { toleranceFor } from './tolerance.policy';

const policy: TolerancePolicy = {
  default: { kind: 'percent_of_gross', percent: 5 },
  byAccuracyClass: { '2': { kind: 'percent_of_gross', percent: 2 }, '10': { kind: 'fixed_kg', kg: 3_000 } },
};

describe('toleranceFor (policy, default 5% of the measured gross)', () => {
  it('defaults to 5% of the measured gross', () => {
    const t = toleranceFor(58_200, {}, DEFAULT_SCREENING_POLICY.tolerance);
    expect(t).toMatchObject({ toleranceKg: 2_910, source: 'default' });
    expect(t.applied).toMatchObject({ rule: 'tolerance.percent_of_gross', source: 'policy', basis: null });
    expect(t.applied.description).toContain('2,910');
  });

  it('rounds a fraction of a kilogram up (favourable to the party)', () => {
    expect(toleranceFor(18_947, {}, policy).toleranceKg).toBe(948); // 947.35
    expect(toleranceFor(18_940, {}, policy).toleranceKg).toBe(947); // exactly 947
  });

  it('computes without binary-fraction drift', () => {
    // 1100 × 7% is 77.00000000000001 in floating point; it must stay 77.
    expect(
      toleranceFor(1_100, { tolerance: { kind: 'percent_of_gross', percent: 7 } }, policy).toleranceKg,
    ).toBe(77);
    expect(
      toleranceFor(10_000, { tolerance: { kind: 'percent_of_gross', percent: 2.5 } }, policy).toleranceKg,
    ).toBe(250);
  });

  it('takes the rule of the accuracy class, then the device override', () => {
    expect(toleranceFor(50_000, { accuracyClass: '2' }, policy)).toMatchObject({
      toleranceKg: 1_000,
      source: 'accuracy_class',
    });
    expect(toleranceFor(50_000, { accuracyClass: '10' }, policy)).toMatchObject({
      toleranceKg: 3_000,
      source: 'accuracy_class',
    });
    expect(toleranceFor(50_000, { accuracyClass: '5' }, policy)).toMatchObject({
      toleranceKg: 2_500,
      source: 'default',
    });
    expect(
      toleranceFor(50_000, { accuracyClass: '2', tolerance: { kind: 'fixed_kg', kg: 500 } }, policy),
    ).toMatchObject({ toleranceKg: 500, source: 'device' });
  });
});
