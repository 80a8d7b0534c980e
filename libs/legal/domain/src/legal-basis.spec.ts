import {
  basisInForce,
  catalogueProblems,
  citationText,
  legalArticleSchema,
  validateCitation,
  type LegalArticle,
} from './legal-basis';
import { BASIS, basisRef, LEGAL_BASIS_CATALOGUE } from './catalogue.data';

const entry = (code: string) => {
  const found = LEGAL_BASIS_CATALOGUE.find((e) => e.code === code);
  if (!found) throw new Error(`missing ${code}`);
  return found;
};

describe('legal-basis catalogue (data)', () => {
  it('is well-formed: every entry passes the schema and no two versions of a code overlap', () => {
    expect(catalogueProblems(LEGAL_BASIS_CATALOGUE)).toEqual([]);
  });

  it('holds every provision the system cites, under its stable code', () => {
    for (const code of Object.values(BASIS)) expect(entry(code).text.length).toBeGreaterThan(10);
  });

  it('dates the overload regulation from 2016-09-21 and the revised Administrative Penalty Law from 2021-07-15', () => {
    expect(entry(BASIS.overloadLimits)).toMatchObject({
      validFrom: '2016-09-21',
      instrument: '交通运输部令2016年第62号',
    });
    expect(entry(BASIS.electronicMonitoring).validFrom).toBe('2021-07-15');
    expect(entry(BASIS.repeatDriver).validFrom).toBe('2011-07-01');
  });

  it('carries the Art. 43 ranges: 500–30,000 for mass, three dimension tiers, a 30,000 cumulative cap', () => {
    expect(entry(BASIS.grossFine).penalty).toEqual({
      kinds: ['warning', 'fine'],
      fineYuan: { minYuan: 500, maxYuan: 30000 },
    });
    expect(entry(BASIS.dimensionFineTier1).penalty?.fineYuan).toEqual({ minYuan: 0, maxYuan: 200 });
    expect(entry(BASIS.dimensionFineTier2).penalty?.fineYuan).toEqual({ minYuan: 200, maxYuan: 1000 });
    expect(entry(BASIS.dimensionFineTier3).penalty?.fineYuan).toEqual({ minYuan: 1000, maxYuan: 3000 });
    expect(entry(BASIS.cumulativeCap).penalty?.fineYuan?.maxYuan).toBe(30000);
  });

  it('splits 公路安全保护条例 Art. 66 by party, each with its own sanction', () => {
    expect(entry(BASIS.repeatDriver).penalty?.kinds).toEqual(['order_stop_transport']);
    expect(entry(BASIS.repeatVehicle).penalty?.kinds).toEqual(['certificate_revocation']);
    expect(entry(BASIS.enterpriseFleet).penalty?.kinds).toEqual([
      'business_suspension',
      'licence_revocation',
    ]);
  });

  it('gives full citations', () => {
    expect(basisRef(BASIS.grossFine)).toEqual({
      code: 'ORR-43-1-2',
      article: '《超限运输车辆行驶公路管理规定》第四十三条第一款第（二）项',
    });
    expect(citationText(entry(BASIS.instructingOverload))).toBe('《公路安全保护条例》第六十八条');
  });
});

describe('basisInForce', () => {
  it('finds a provision from its first day, not the day before', () => {
    expect(basisInForce(LEGAL_BASIS_CATALOGUE, BASIS.grossFine, '2016-09-21')?.code).toBe('ORR-43-1-2');
    expect(basisInForce(LEGAL_BASIS_CATALOGUE, BASIS.grossFine, '2016-09-20')).toBeUndefined();
  });

  it('picks the version in force on the date (行政复议法 before and after its 2023 revision)', () => {
    expect(basisInForce(LEGAL_BASIS_CATALOGUE, BASIS.reconsiderationBefore2024, '2023-12-31')).toBeDefined();
    expect(
      basisInForce(LEGAL_BASIS_CATALOGUE, BASIS.reconsiderationBefore2024, '2024-01-01'),
    ).toBeUndefined();
    expect(basisInForce(LEGAL_BASIS_CATALOGUE, BASIS.reconsideration, '2024-01-01')?.article).toBe(
      '第二十条第一款',
    );
  });

  it('treats validTo as the last day in force', () => {
    const versions: LegalArticle[] = [
      { ...entry(BASIS.grossFine), validTo: '2030-06-30' },
      { ...entry(BASIS.grossFine), validFrom: '2030-07-01', text: 'amended text' },
    ];
    expect(basisInForce(versions, BASIS.grossFine, '2030-06-30')?.validTo).toBe('2030-06-30');
    expect(basisInForce(versions, BASIS.grossFine, '2030-07-01')?.text).toBe('amended text');
    expect(catalogueProblems(versions)).toEqual([]);
  });

  it('throws a coded error when citing a provision not in force on the date', () => {
    expect(() => basisRef(BASIS.grossFine, '2015-01-01')).toThrow(
      expect.objectContaining({ code: 'basis_not_in_force' }),
    );
  });
});

describe('catalogueProblems', () => {
  it('reports overlapping versions and malformed entries', () => {
    const base = entry(BASIS.grossFine);
    const problems = catalogueProblems([
      base,
      { ...base, validFrom: '2020-01-01' },
      { ...base, code: 'bad code', validFrom: 'yesterday' },
    ]);
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/overlap/);
    expect(problems.join('\n')).toMatch(/entry 2/);
  });

  it('rejects a fine range without the fine kind and unknown keys', () => {
    const base = entry(BASIS.repeatDriver);
    expect(
      legalArticleSchema.safeParse({
        ...base,
        penalty: { kinds: ['order_stop_transport'], fineYuan: { minYuan: 0, maxYuan: 1 } },
      }).success,
    ).toBe(false);
    expect(legalArticleSchema.safeParse({ ...base, extra: 1 }).success).toBe(false);
    expect(legalArticleSchema.safeParse(base).success).toBe(true);
  });
});

describe('validateCitation (what case-file evaluation calls)', () => {
  const cat = LEGAL_BASIS_CATALOGUE;

  it('accepts Art. 43(1)(2) for a gross overload in 2024 with a fine in range', () => {
    const result = validateCitation(cat, {
      code: BASIS.grossFine,
      violationType: 'overload_gross',
      violationDate: '2024-11-05',
      penalty: { kind: 'fine', amountYuan: 2000 },
    });
    expect(result).toMatchObject({ ok: true, issues: [] });
    expect(result.entry?.code).toBe('ORR-43-1-2');
  });

  it('accepts a warning under Art. 43(1)(2) and a citation without a penalty', () => {
    expect(
      validateCitation(cat, {
        code: BASIS.grossFine,
        violationType: 'overload_gross',
        violationDate: '2024-11-05',
        penalty: { kind: 'warning' },
      }).ok,
    ).toBe(true);
    expect(
      validateCitation(cat, {
        code: BASIS.overloadLimits,
        violationType: 'overload_gross',
        violationDate: '2024-11-05',
      }).ok,
    ).toBe(true);
  });

  it('flags an unknown code', () => {
    const r = validateCitation(cat, {
      code: 'ORR-99',
      violationType: 'overload_gross',
      violationDate: '2024-11-05',
    });
    expect(r.ok).toBe(false);
    expect(r.issues.map((i) => i.code)).toEqual(['basis_unknown']);
  });

  it('flags a provision not yet in force on the violation date', () => {
    const r = validateCitation(cat, {
      code: BASIS.grossFine,
      violationType: 'overload_gross',
      violationDate: '2016-09-20',
    });
    expect(r.issues.map((i) => i.code)).toEqual(['basis_not_in_force']);
    expect(r.issues[0].message).toContain('2016-09-20');
  });

  it('flags a provision that does not fit the violation type', () => {
    const r = validateCitation(cat, {
      code: BASIS.dimensionFineTier1,
      violationType: 'overload_gross',
      violationDate: '2024-11-05',
    });
    expect(r.issues.map((i) => i.code)).toEqual(['basis_not_applicable']);
    const procedural = validateCitation(cat, {
      code: BASIS.electronicMonitoring,
      violationType: 'overload_gross',
      violationDate: '2024-11-05',
    });
    expect(procedural.issues.map((i) => i.code)).toEqual(['basis_not_applicable']);
  });

  it('checks a procedural citation (no violation type) for existence and date only', () => {
    expect(validateCitation(cat, { code: BASIS.prePenaltyNotice, violationDate: '2024-11-05' }).ok).toBe(
      true,
    );
    expect(
      validateCitation(cat, { code: BASIS.prePenaltyNotice, violationDate: '2021-07-14' }).issues[0].code,
    ).toBe('basis_not_in_force');
  });

  it('flags amounts outside the range, at both ends, and accepts the ends themselves', () => {
    const check = (amountYuan: number) =>
      validateCitation(cat, {
        code: BASIS.grossFine,
        violationType: 'overload_gross',
        violationDate: '2024-11-05',
        penalty: { kind: 'fine', amountYuan },
      }).issues.map((i) => i.code);
    expect(check(500)).toEqual([]);
    expect(check(30000)).toEqual([]);
    expect(check(499)).toEqual(['penalty_amount_out_of_range']);
    expect(check(30500)).toEqual(['penalty_amount_out_of_range']);
  });

  it('flags a zero fine under an "N 元以下" range, and a fine with no amount', () => {
    const base = {
      code: BASIS.dimensionFineTier1,
      violationType: 'overload_dimension' as const,
      violationDate: '2024-11-05',
    };
    expect(validateCitation(cat, { ...base, penalty: { kind: 'fine', amountYuan: 200 } }).ok).toBe(true);
    expect(validateCitation(cat, { ...base, penalty: { kind: 'fine', amountYuan: 0 } }).issues[0].code).toBe(
      'penalty_amount_out_of_range',
    );
    expect(validateCitation(cat, { ...base, penalty: { kind: 'fine' } }).issues[0].code).toBe(
      'penalty_amount_missing',
    );
  });

  it('flags a sanction the provision does not allow (a fine on a driver under Art. 66)', () => {
    const r = validateCitation(cat, {
      code: BASIS.repeatDriver,
      violationType: 'repeat_overload_driver',
      violationDate: '2024-11-05',
      penalty: { kind: 'fine', amountYuan: 1000 },
    });
    expect(r.issues.map((i) => i.code)).toEqual(['penalty_kind_not_allowed']);
  });

  it('reports every problem at once', () => {
    const r = validateCitation(cat, {
      code: BASIS.repeatDriver,
      violationType: 'overload_gross',
      violationDate: '2024-11-05',
      penalty: { kind: 'business_suspension' },
    });
    expect(r.issues.map((i) => i.code)).toEqual(['basis_not_applicable', 'penalty_kind_not_allowed']);
  });
});

describe('provisions added for the lawful output (issue 11)', () => {
  it("carries Hunan's source-unit rule: an order to correct within a period, then 10,000–30,000 yuan", () => {
    expect(entry(BASIS.sourceUnitObligation)).toMatchObject({
      title: '《湖南省治理货物运输车辆超限超载条例》',
      role: 'definition',
      violationTypes: ['source_unit_release'],
    });
    expect(entry(BASIS.sourceUnitRelease).penalty).toEqual({
      kinds: ['order_correct', 'fine'],
      fineYuan: { minYuan: 10000, maxYuan: 30000 },
    });
  });

  it('carries compulsory execution, the late-fee pause, the reconsideration body and who decides Art. 66', () => {
    expect(entry(BASIS.courtExecution).title).toBe('《中华人民共和国行政强制法》');
    expect(entry(BASIS.executionDemand).validFrom).toBe('2012-01-01');
    expect(entry(BASIS.enforcementWorkingDays).text).toContain('工作日');
    expect(entry(BASIS.lateFeePause).text).toContain('不予计算');
    expect(entry(BASIS.reconsiderationBody)).toMatchObject({ validFrom: '2024-01-01', role: 'remedy' });
    expect(entry(BASIS.overloadMeasuresAuthority).text).toContain('初次领取');
  });
});
