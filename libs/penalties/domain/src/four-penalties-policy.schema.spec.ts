import { fourPenaltiesPolicyOf, fourPenaltiesPolicySchema } from './four-penalties-policy.schema';

describe('the four_penalties policy', () => {
  it('defaults every choice: a 15-day correction period, 汨罗市 (430681), rolling 12 months, every decided trip', () => {
    const value = fourPenaltiesPolicySchema.parse({});
    expect(value).toEqual({
      sourceUnitCorrection: { periodDays: 15, counting: 'calendar_days' },
      jurisdiction: { divisionCodes: ['430681'] },
      counting: { year: 'rolling_12_months', trips: 'every_decided_trip', provincialMarginPercent: 10 },
    });
    expect(fourPenaltiesPolicyOf(value).jurisdiction.divisionCodes).toEqual(['430681']);
  });

  it('records the reason of each default in the schema', () => {
    const shape = fourPenaltiesPolicySchema.shape;
    expect(shape.sourceUnitCorrection.description).toContain('15');
    expect(shape.jurisdiction.description).toContain('汨罗市');
    expect(shape.counting.description).toContain('rolling');
  });

  it('refuses what cannot be a division code, an empty list, a zero period and the old per-trip fine range', () => {
    const bad = [
      { jurisdiction: { divisionCodes: ['43068'] } },
      { jurisdiction: { divisionCodes: ['4306811'] } },
      { jurisdiction: { divisionCodes: [] } },
      { sourceUnitCorrection: { periodDays: 0, counting: 'calendar_days' } },
      { counting: { year: 'calendar_year', trips: 'every_decided_trip', provincialMarginPercent: 10 } },
      { sourceUnitFineRange: { minYuan: 0, maxYuan: 30_000 } },
    ];
    for (const value of bad) expect(fourPenaltiesPolicySchema.safeParse(value).success).toBe(false);
  });
});
