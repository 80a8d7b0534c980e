import { combinePenalties, dimensionViolation, grossOverloadPenalty } from './overload-fine';
import { DEFAULT_SCREENING_POLICY } from './screening.policy';

const amount = (excessKg: number, rule: 'floor' | 'ceil' = 'floor') => {
  const p = grossOverloadPenalty(excessKg, rule);
  return p.kind === 'fine' ? p.amountYuan : p.kind;
};

describe('grossOverloadPenalty (Art. 43(1)(二))', () => {
  it('is nothing at or below the limit', () => {
    expect(amount(0)).toBe('none');
    expect(amount(-250)).toBe('none');
  });

  it('is a warning from 1 kg up to and including 1,000 kg over', () => {
    expect(amount(1)).toBe('warning');
    expect(amount(1_000)).toBe('warning');
    const w = grossOverloadPenalty(1_000, 'floor');
    expect(w).toMatchObject({ kind: 'warning', amountYuan: 0, basis: [{ code: 'ORR-43-1-2' }] });
  });

  it('fines 500 yuan per full 1,000 kg under the default floor rule', () => {
    expect(amount(1_001)).toBe(500);
    expect(amount(1_999)).toBe(500);
    expect(amount(2_000)).toBe(1_000);
    expect(amount(2_001)).toBe(1_000);
    expect(amount(6_290)).toBe(3_000);
  });

  it('counts a started 1,000 kg under the ceil rule', () => {
    expect(amount(1_001, 'ceil')).toBe(1_000);
    expect(amount(1_999, 'ceil')).toBe(1_000);
    expect(amount(2_000, 'ceil')).toBe(1_000);
    expect(amount(2_001, 'ceil')).toBe(1_500);
    expect(amount(6_290, 'ceil')).toBe(3_500);
  });

  it('stops at 30,000 yuan', () => {
    expect(amount(59_999)).toBe(29_500);
    expect(amount(60_000)).toBe(30_000);
    expect(amount(60_999)).toBe(30_000);
    expect(amount(59_001, 'ceil')).toBe(30_000);
    const p = grossOverloadPenalty(75_000, 'floor');
    expect(p).toMatchObject({ kind: 'fine', units: 75, amountYuan: 30_000, capped: true });
    expect(grossOverloadPenalty(60_000, 'floor')).toMatchObject({ capped: false });
  });

  it('records the fraction rule it used', () => {
    const p = grossOverloadPenalty(6_290, 'floor');
    if (p.kind !== 'fine') throw new Error('expected a fine');
    expect(p.rule.rule).toBe('fine.gross.floor');
    expect(p.rule.description).toContain('6 × 500 = 3,000');
  });
});

describe('dimensionViolation (Art. 3(1)(一)–(三), Art. 43(1)(一))', () => {
  const policy = DEFAULT_SCREENING_POLICY;

  it('is null at the limits exactly (4.0 m / 2.55 m / 18.1 m) and when not measured', () => {
    expect(dimensionViolation({ heightMm: 4_000, widthMm: 2_550, lengthMm: 18_100 }, policy)).toBeNull();
    expect(dimensionViolation({}, policy)).toBeNull();
  });

  it('tier 1: over a limit but within 4.2 / 3 / 20 m → at most 200 yuan', () => {
    const v = dimensionViolation({ heightMm: 4_001, widthMm: 2_550, lengthMm: 16_500 }, policy);
    expect(v).toMatchObject({
      exceeded: ['height'],
      tier: 1,
      amountYuan: 200,
      basis: [{ code: 'ORR-43-1-1A' }],
    });
    expect(dimensionViolation({ heightMm: 4_200, widthMm: 3_000, lengthMm: 20_000 }, policy)?.tier).toBe(1);
  });

  it('tier 2: beyond 4.2 / 3 / 20 m but within 4.5 / 3.75 / 28 m → 200–1,000 yuan', () => {
    expect(dimensionViolation({ heightMm: 4_201 }, policy)).toMatchObject({ tier: 2, amountYuan: 200 });
    expect(dimensionViolation({ widthMm: 3_750, lengthMm: 28_000 }, policy)).toMatchObject({
      tier: 2,
      exceeded: ['width', 'length'],
      basis: [{ code: 'ORR-43-1-1B' }],
    });
  });

  it('tier 3: beyond 4.5 m, 3.75 m or 28 m → 1,000–3,000 yuan', () => {
    expect(dimensionViolation({ heightMm: 4_501 }, policy)).toMatchObject({
      tier: 3,
      amountYuan: 1_000,
      basis: [{ code: 'ORR-43-1-1C' }],
    });
    expect(dimensionViolation({ heightMm: 4_100, lengthMm: 28_001 }, policy)?.tier).toBe(3);
  });

  it('takes the tier amounts and a measuring allowance from the policy', () => {
    const custom = {
      ...policy,
      dimensionFineYuan: { tier1: 100, tier2: 500, tier3: 2_000 },
      dimensionToleranceMm: { height: 50, width: 0, length: 0 },
    };
    expect(dimensionViolation({ heightMm: 4_050 }, custom)).toBeNull();
    expect(dimensionViolation({ heightMm: 4_051 }, custom)).toMatchObject({ tier: 1, amountYuan: 100 });
    expect(dimensionViolation({ heightMm: 4_600 }, custom)).toMatchObject({ tier: 3, amountYuan: 2_000 });
  });
});

describe('combinePenalties (Art. 43(2))', () => {
  const gross = (amountYuan: number) => ({
    violation: 'overload_gross' as const,
    kind: amountYuan === 0 ? ('warning' as const) : ('fine' as const),
    amountYuan,
    basis: [{ code: 'ORR-43-1-2', article: 'x' }],
  });
  const dim = (amountYuan: number) => ({
    violation: 'overload_dimension' as const,
    kind: 'fine' as const,
    amountYuan,
    basis: [{ code: 'ORR-43-1-1C', article: 'y' }],
  });

  it('adds several fines and cites the cumulative provision', () => {
    const { penalty, rule } = combinePenalties([gross(3_000), dim(1_000)]);
    expect(penalty).toMatchObject({ kind: 'fine', amountYuan: 4_000 });
    expect(penalty?.basis.map((b) => b.code)).toEqual(['HSR-64', 'ORR-43-1-2', 'ORR-43-1-1C', 'ORR-43-2']);
    expect(rule?.rule).toBe('fine.cumulative');
  });

  it('caps the sum at 30,000 yuan', () => {
    expect(combinePenalties([gross(29_500), dim(3_000)]).penalty?.amountYuan).toBe(30_000);
    expect(combinePenalties([gross(30_000), dim(1_000)]).rule?.description).toContain('30000');
  });

  it('a warning for the mass and a fine for the dimensions is a fine', () => {
    expect(combinePenalties([gross(0), dim(200)]).penalty).toMatchObject({ kind: 'fine', amountYuan: 200 });
  });

  it('only a warning is a warning; nothing is null', () => {
    expect(combinePenalties([gross(0)]).penalty).toMatchObject({ kind: 'warning', amountYuan: 0 });
    expect(combinePenalties([]).penalty).toBeNull();
  });

  // A departmental rule penalises only within the regulation's range (行政处罚法 Art. 13–14): a fine cites
  // 《公路安全保护条例》 Art. 64 with 超限规定 Art. 43, on the penalty, never on a part (each part keeps its tier).
  it('a fine cites 条例 Art. 64 before Art. 43; a warning alone does not (Art. 64 has no warning)', () => {
    const single = combinePenalties([gross(1_500)]).penalty!;
    expect(single.basis.map((b) => b.code)).toEqual(['HSR-64', 'ORR-43-1-2']);
    expect(single.basis[0]!.article).toBe('《公路安全保护条例》第六十四条');
    expect(single.parts.flatMap((p) => p.basis.map((b) => b.code))).toEqual(['ORR-43-1-2']);
    const both = combinePenalties([gross(0), dim(200)]).penalty!;
    expect(both.basis.map((b) => b.code)).toEqual(['HSR-64', 'ORR-43-1-2', 'ORR-43-1-1C']);
    expect(combinePenalties([gross(0)]).penalty!.basis.map((b) => b.code)).toEqual(['ORR-43-1-2']);
  });
});
