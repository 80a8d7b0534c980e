import { LEGAL_BASIS_CATALOGUE } from '@ecc/legal-domain';
import { awaitsEvidence, reassessLead, screenDetection, type ScreeningInput } from './screen-detection';
import { DEFAULT_SCREENING_POLICY, screeningPolicySchema, type ScreeningPolicy } from './screening.policy';
import type { AxleConfiguration, DetectionFacts, DeviceFacts, PermitFacts } from './screening.types';

const calibration = { certificateNo: 'JD2024-0117', validFrom: '2024-03-05', validTo: '2025-03-04' };
const device: DeviceFacts = {
  code: 'WIM-01',
  legalReviewedAt: '2024-03-01',
  technicalReviewedAt: '2024-03-01',
  publishedAt: '2024-03-10',
  calibration,
  accuracyClass: '5',
};

/** The sample body of issue 3. */
const sample: DetectionFacts = {
  stationCode: 'S308-K12',
  detectionId: 'S308-K12-20241105-000123',
  detectedAt: new Date('2024-11-05T08:31:12+08:00'),
  plate: { number: '湘F12345', color: 'yellow' },
  trailerPlate: '湘F6789挂',
  vehicle: {
    axleCount: 6,
    combination: true,
    singleDriveAxle: false,
    singleTyreAxles: 0,
    lengthMm: 16_500,
    widthMm: 2_550,
    heightMm: 3_950,
  },
  weighing: { grossKg: 58_200, axleLoadsKg: [7_100, 11_000, 10_000, 10_000, 10_000, 10_100] },
  evidenceKinds: ['plate_front', 'plate_rear', 'side', 'video'],
};

/** Axle loads that add up to the gross exactly. */
const loads = (grossKg: number, n: number) =>
  Array.from({ length: n }, (_, i) => Math.floor(grossKg / n) + (i === 0 ? grossKg % n : 0));

const vehicleDetection = (
  config: AxleConfiguration,
  grossKg: number,
  over: Partial<DetectionFacts> = {},
): DetectionFacts => ({
  ...sample,
  vehicle: { ...config, lengthMm: 16_000, widthMm: 2_500, heightMm: 3_800 },
  weighing: { grossKg, axleLoadsKg: loads(grossKg, config.axleCount) },
  ...over,
});

/** No tolerance, to test the Art. 43 boundaries on the excess itself. */
const exact: ScreeningPolicy = {
  ...DEFAULT_SCREENING_POLICY,
  tolerance: { default: { kind: 'fixed_kg', kg: 0 }, byAccuracyClass: {} },
};

const screen = (
  detection: DetectionFacts,
  policy: ScreeningPolicy = DEFAULT_SCREENING_POLICY,
  permits: PermitFacts[] = [],
  dev = device,
) => screenDetection({ detection, device: dev, permits } satisfies ScreeningInput, policy);

/** The smallest measured gross whose excess after the default 5% tolerance equals `excessKg`. */
function grossForExcess(limitKg: number, excessKg: number): number {
  for (let g = Math.floor((limitKg + excessKg) / 0.95) - 5; ; g++) {
    if (g - Math.ceil((g * 5) / 100) - limitKg === excessKg) return g;
  }
}

describe('screenDetection — the sample body of issue 3', () => {
  // 6-axle combination, not single-drive, no single tyres → limit 49,000 kg (Art. 3(1)(八)).
  // Tolerance 5% of 58,200 = 2,910 kg. Excess = 58,200 − 2,910 − 49,000 = 6,290 kg.
  // Art. 43(1)(二), floor: 6 full 1,000 kg × 500 = 3,000 yuan. Dimensions 16.5 × 2.55 × 3.95 m: within.
  const result = screen(sample);

  it('is a lead with limit 49,000, tolerance 2,910, excess 6,290 and a 3,000-yuan fine', () => {
    expect(result).toMatchObject({ outcome: 'lead', limitKg: 49_000, toleranceKg: 2_910, excessKg: 6_290 });
    expect(result.proposedPenalty).toMatchObject({
      kind: 'fine',
      amountYuan: 3_000,
      basis: [
        { code: 'HSR-64', article: '《公路安全保护条例》第六十四条' },
        { code: 'ORR-43-1-2', article: '《超限运输车辆行驶公路管理规定》第四十三条第一款第（二）项' },
      ],
    });
    expect(result.reasons).toEqual([
      expect.objectContaining({ code: 'overload_gross', basis: expect.objectContaining({ code: 'ORR-3' }) }),
    ]);
  });

  it('records every rule applied, in order, with its article', () => {
    expect(result.rules.map((r) => r.rule)).toEqual([
      'device.legal_review',
      'device.technical_review',
      'device.location_published',
      'device.calibration',
      'axle_loads.consistency',
      'plate.readable',
      'evidence.required',
      'gross_limit.axle_table',
      'tolerance.percent_of_gross',
      'gross.excess',
      'dimension.limits',
      'fine.gross.floor',
    ]);
    for (const r of result.rules) expect(r.source === 'policy' || r.basis !== null).toBe(true);
    expect(result.rules.find((r) => r.rule === 'gross.excess')?.description).toBe(
      '超限质量 = 实测 58,200 − 误差 2,910 − 限定标准 49,000 = 6,290 千克',
    );
  });

  it('is 3,500 yuan under the ceil fraction rule', () => {
    expect(
      screen(sample, { ...DEFAULT_SCREENING_POLICY, fractionRule: 'ceil' }).proposedPenalty?.amountYuan,
    ).toBe(3_500);
  });

  it('is 46,000 kg and 4,500 yuan more overloaded when the tractor has a single drive axle', () => {
    const single = screen({ ...sample, vehicle: { ...sample.vehicle, singleDriveAxle: true } });
    expect(single).toMatchObject({ outcome: 'lead', limitKg: 46_000, excessKg: 9_290 });
    expect(single.proposedPenalty?.amountYuan).toBe(4_500);
  });
});

describe('screenDetection — limit table boundaries (no tolerance)', () => {
  it.each([
    [{ axleCount: 2, combination: false }, 18_000],
    [{ axleCount: 3, combination: false }, 25_000],
    [{ axleCount: 3, combination: true }, 27_000],
    [{ axleCount: 4, combination: false }, 31_000],
    [{ axleCount: 4, combination: true }, 36_000],
    [{ axleCount: 5, combination: true }, 43_000],
    [{ axleCount: 6, combination: true }, 49_000],
    [{ axleCount: 6, combination: true, singleDriveAxle: true }, 46_000],
  ] as [AxleConfiguration, number][])(
    '%o: at the limit → no violation; 1 kg over → warning',
    (config, limitKg) => {
      const atLimit = screen(vehicleDetection(config, limitKg), exact);
      expect(atLimit).toMatchObject({ outcome: 'no_violation', limitKg, excessKg: 0, proposedPenalty: null });
      expect(atLimit.reasons[0].code).toBe('within_limit');
      const over = screen(vehicleDetection(config, limitKg + 1), exact);
      expect(over).toMatchObject({
        outcome: 'lead',
        excessKg: 1,
        proposedPenalty: { kind: 'warning', amountYuan: 0 },
      });
    },
  );

  it.each([
    [1_000, 'warning', 0],
    [1_001, 'fine', 500],
    [1_999, 'fine', 500],
    [2_000, 'fine', 1_000],
    [59_999, 'fine', 29_500],
    [60_000, 'fine', 30_000],
    [80_000, 'fine', 30_000],
  ] as const)('excess %i kg → %s %i yuan', (excessKg, kind, amountYuan) => {
    const r = screen(vehicleDetection({ axleCount: 6, combination: true }, 49_000 + excessKg), exact);
    expect(r).toMatchObject({ outcome: 'lead', excessKg, proposedPenalty: { kind, amountYuan } });
  });

  it('single tyres lower the limit: 3-axle truck with one single-tyre axle is limited to 22,000 kg', () => {
    const single = { axleCount: 3, combination: false, singleTyreAxles: 1 };
    expect(screen(vehicleDetection(single, 22_000), exact)).toMatchObject({
      outcome: 'no_violation',
      limitKg: 22_000,
    });
    expect(screen(vehicleDetection(single, 23_500), exact)).toMatchObject({
      outcome: 'lead',
      excessKg: 1_500,
      proposedPenalty: { kind: 'fine', amountYuan: 500 },
    });
    expect(screen(vehicleDetection({ ...single, wideBaseTyreAxles: 1 }, 23_500), exact)).toMatchObject({
      outcome: 'no_violation',
      limitKg: 25_000,
    });
  });
});

describe('screenDetection — boundaries after the default 5% tolerance', () => {
  const config = { axleCount: 2, combination: false };

  it('exactly at the limit after tolerance → no violation; 1 kg more → warning', () => {
    expect(grossForExcess(18_000, 0)).toBe(18_948);
    // 18,947 − ⌈947.35⌉ = 17,999: still under; 18,948 − 948 = 18,000: exactly at the limit.
    expect(screen(vehicleDetection(config, 18_948))).toMatchObject({
      outcome: 'no_violation',
      toleranceKg: 948,
      excessKg: 0,
    });
    expect(screen(vehicleDetection(config, 18_949))).toMatchObject({
      outcome: 'lead',
      excessKg: 1,
      proposedPenalty: { kind: 'warning' },
    });
  });

  it('1,000 kg over after tolerance is a warning; 1,001 kg the first 500 yuan', () => {
    expect(screen(vehicleDetection(config, grossForExcess(18_000, 1_000)))).toMatchObject({
      excessKg: 1_000,
      proposedPenalty: { kind: 'warning', amountYuan: 0 },
    });
    expect(screen(vehicleDetection(config, grossForExcess(18_000, 1_001)))).toMatchObject({
      excessKg: 1_001,
      proposedPenalty: { kind: 'fine', amountYuan: 500 },
    });
  });

  it('1,999 kg over → 500 yuan; 2,000 kg over → 1,000 yuan', () => {
    expect(screen(vehicleDetection(config, grossForExcess(18_000, 1_999))).proposedPenalty?.amountYuan).toBe(
      500,
    );
    expect(screen(vehicleDetection(config, grossForExcess(18_000, 2_000))).proposedPenalty?.amountYuan).toBe(
      1_000,
    );
  });

  it('the 30,000 cap: 60,000 kg over after tolerance and beyond', () => {
    const cfg = { axleCount: 6, combination: true };
    expect(screen(vehicleDetection(cfg, grossForExcess(49_000, 59_999))).proposedPenalty?.amountYuan).toBe(
      29_500,
    );
    expect(screen(vehicleDetection(cfg, grossForExcess(49_000, 60_000))).proposedPenalty?.amountYuan).toBe(
      30_000,
    );
    expect(screen(vehicleDetection(cfg, 130_000)).proposedPenalty?.amountYuan).toBe(30_000);
  });

  it('uses a per-class tolerance from the policy and records it', () => {
    const policy: ScreeningPolicy = {
      ...DEFAULT_SCREENING_POLICY,
      tolerance: {
        ...DEFAULT_SCREENING_POLICY.tolerance,
        byAccuracyClass: { '5': { kind: 'percent_of_gross', percent: 2.5 } },
      },
    };
    const r = screen(sample, policy);
    expect(r).toMatchObject({ toleranceKg: 1_455, excessKg: 7_745, proposedPenalty: { amountYuan: 3_500 } });
    expect(r.rules.find((x) => x.rule.startsWith('tolerance'))?.description).toContain('准确度等级 5');
  });
});

describe('screenDetection — permits (大件运输许可)', () => {
  const permit: PermitFacts = {
    permitNo: 'HN-DJ-2024-0088',
    plate: '湘F12345',
    validFrom: '2024-11-01',
    validTo: '2024-11-10',
    maxGrossKg: 60_000,
  };

  it('a permit in force covering the weight → no violation, reason permit', () => {
    const r = screen(sample, DEFAULT_SCREENING_POLICY, [permit]);
    expect(r).toMatchObject({ outcome: 'no_violation', proposedPenalty: null, excessKg: 6_290 });
    expect(r.reasons[0].code).toBe('permit');
    expect(r.reasons[0].message).toContain('HN-DJ-2024-0088');
    expect(r.rules.some((x) => x.rule === 'permit.check')).toBe(true);
  });

  it('compares the permitted gross with the weight after tolerance (55,290 kg)', () => {
    expect(screen(sample, DEFAULT_SCREENING_POLICY, [{ ...permit, maxGrossKg: 55_290 }]).outcome).toBe(
      'no_violation',
    );
    const low = screen(sample, DEFAULT_SCREENING_POLICY, [{ ...permit, maxGrossKg: 55_289 }]);
    expect(low.outcome).toBe('lead');
    expect(low.reasons.map((r) => r.code)).toEqual(['overload_gross', 'permit_not_covering']);
  });

  it('an expired permit does not cover', () => {
    const r = screen(sample, DEFAULT_SCREENING_POLICY, [{ ...permit, validTo: '2024-11-04' }]);
    expect(r.outcome).toBe('lead');
    expect(r.reasons[1]).toMatchObject({ code: 'permit_not_covering' });
    expect(r.reasons[1].message).toContain('不在有效期内');
  });

  it('a permit held by the trailer plate counts; one for another plate is ignored', () => {
    expect(screen(sample, DEFAULT_SCREENING_POLICY, [{ ...permit, plate: '湘F6789挂' }]).outcome).toBe(
      'no_violation',
    );
    const other = screen(sample, DEFAULT_SCREENING_POLICY, [{ ...permit, plate: '湘F54321' }]);
    expect(other.outcome).toBe('lead');
    expect(other.reasons.map((r) => r.code)).toEqual(['overload_gross']);
  });

  it('a permit without dimensions excuses the weight but not an over-height', () => {
    const tall = { ...sample, vehicle: { ...sample.vehicle, heightMm: 4_300 } };
    const r = screen(tall, DEFAULT_SCREENING_POLICY, [permit]);
    expect(r.outcome).toBe('lead');
    expect(r.proposedPenalty).toMatchObject({
      kind: 'fine',
      amountYuan: 200,
      basis: [{ code: 'HSR-64' }, { code: 'ORR-43-1-1B' }],
    });
    expect(r.reasons.map((x) => x.code)).toEqual(['overload_dimension', 'permit_not_covering']);
    expect(screen(tall, DEFAULT_SCREENING_POLICY, [{ ...permit, maxHeightMm: 4_500 }]).outcome).toBe(
      'no_violation',
    );
  });
});

describe('screenDetection — invalid records', () => {
  it('a calibration that expired the day before → invalid (行政处罚法 Art. 41)', () => {
    const r = screen(sample, DEFAULT_SCREENING_POLICY, [], {
      ...device,
      calibration: { ...calibration, validTo: '2024-11-04' },
    });
    expect(r.outcome).toBe('invalid');
    expect(r.reasons).toEqual([
      expect.objectContaining({
        code: 'calibration_invalid',
        basis: expect.objectContaining({ code: 'APL-41' }),
      }),
    ]);
    expect(r.proposedPenalty).toBeNull();
    // what could be computed is still shown
    expect(r).toMatchObject({ limitKg: 49_000, excessKg: 6_290 });
  });

  it('a device without legal review → invalid', () => {
    expect(
      screen(sample, DEFAULT_SCREENING_POLICY, [], { ...device, legalReviewedAt: null }).reasons[0].code,
    ).toBe('device_not_approved');
  });

  it('missing evidence kinds → invalid, naming them', () => {
    const r = screen({ ...sample, evidenceKinds: ['plate_front', 'video'] });
    expect(r.outcome).toBe('invalid');
    expect(r.reasons.map((x) => x.code)).toEqual(['evidence_missing']);
    expect(r.reasons[0].message).toMatch(/车尾号牌照片.*车身侧面/);
    expect(screen({ ...sample, evidenceKinds: ['plate_front', 'plate_rear', 'side'] }).outcome).toBe('lead');
  });

  it('an unreadable plate → invalid', () => {
    expect(screen({ ...sample, plate: null }).reasons.map((r) => r.code)).toEqual(['plate_unreadable']);
    expect(screen({ ...sample, plate: { number: '未识别', color: 'yellow' } }).outcome).toBe('invalid');
  });

  it('axle loads inconsistent with the gross beyond the band → invalid', () => {
    const r = screen({
      ...sample,
      weighing: { grossKg: 58_200, axleLoadsKg: [7_100, 11_000, 10_000, 10_000, 10_000, 4_000] },
    });
    expect(r.reasons.map((x) => x.code)).toEqual(['axle_loads_inconsistent']);
  });

  it('a configuration the table does not cover → invalid with no limit', () => {
    const oneAxle = screen(vehicleDetection({ axleCount: 1, combination: false }, 9_000));
    expect(oneAxle).toMatchObject({ outcome: 'invalid', limitKg: null, excessKg: null });
    expect(oneAxle.reasons.map((r) => r.code)).toEqual(['axle_config_not_covered']);
    expect(screen(vehicleDetection({ axleCount: 2, combination: true }, 20_000)).reasons[0].code).toBe(
      'axle_config_not_covered',
    );
  });

  it('lists every reason, in the order of the checks', () => {
    const r = screen(
      { ...vehicleDetection({ axleCount: 2, combination: true }, 20_000), plate: null, evidenceKinds: [] },
      DEFAULT_SCREENING_POLICY,
      [],
      { ...device, publishedAt: null },
    );
    expect(r.reasons.map((x) => x.code)).toEqual([
      'device_location_not_published',
      'plate_unreadable',
      'evidence_missing',
      'axle_config_not_covered',
    ]);
  });

  it('a detection before the regulation took effect cannot be judged under it', () => {
    const early = screen(
      { ...sample, detectedAt: new Date('2016-09-20T10:00:00+08:00') },
      DEFAULT_SCREENING_POLICY,
      [],
      {
        ...device,
        legalReviewedAt: '2016-01-01',
        technicalReviewedAt: '2016-01-01',
        publishedAt: '2016-01-01',
        calibration: { certificateNo: 'x', validFrom: '2016-01-01', validTo: '2016-12-31' },
      },
    );
    expect(early.reasons.map((r) => r.code)).toContain('basis_not_in_force');
  });
});

describe('screenDetection — dimensions with or without a mass excess', () => {
  it('dimension only: a fine under the dimension tier', () => {
    const r = screen({
      ...vehicleDetection({ axleCount: 2, combination: false }, 15_000),
      vehicle: { axleCount: 2, combination: false, heightMm: 4_100 },
    });
    expect(r).toMatchObject({
      outcome: 'lead',
      proposedPenalty: {
        kind: 'fine',
        amountYuan: 200,
        basis: [{ code: 'HSR-64' }, { code: 'ORR-43-1-1A' }],
      },
    });
    expect(r.reasons.map((x) => x.code)).toEqual(['overload_dimension']);
  });

  it('mass and dimensions: fines add up, cumulative provision cited, capped at 30,000', () => {
    const both = screen({ ...sample, vehicle: { ...sample.vehicle, lengthMm: 29_000 } });
    expect(both.proposedPenalty).toMatchObject({ kind: 'fine', amountYuan: 4_000 });
    expect(both.proposedPenalty?.basis.map((b) => b.code)).toEqual([
      'HSR-64',
      'ORR-43-1-2',
      'ORR-43-1-1C',
      'ORR-43-2',
    ]);
    expect(both.reasons.map((x) => x.code)).toEqual(['overload_gross', 'overload_dimension']);
    const heavy = screen({
      ...sample,
      vehicle: { ...sample.vehicle, lengthMm: 29_000 },
      weighing: { grossKg: 130_000, axleLoadsKg: loads(130_000, 6) },
    });
    expect(heavy.proposedPenalty?.amountYuan).toBe(30_000);
    expect(heavy.rules.at(-1)?.rule).toBe('fine.cumulative');
  });

  it('a mass warning with a dimension fine keeps both: a warning and a fine', () => {
    const r = screen(
      {
        ...vehicleDetection({ axleCount: 2, combination: false }, 18_500),
        vehicle: { axleCount: 2, combination: false, widthMm: 2_600 },
      },
      exact,
    );
    expect(r.proposedPenalty).toMatchObject({ kind: 'fine', amountYuan: 200, warning: true });
    expect(r.proposedPenalty?.parts.map((p) => p.kind)).toEqual(['warning', 'fine']);
    expect(r.rules.at(-1)).toMatchObject({ rule: 'penalty.warning_and_fine', source: 'law' });
    expect(r.rules.at(-1)?.description).toContain('予以警告');
    expect(r.rules.at(-1)?.description).toContain('罚款 200 元');
  });
});

describe('screenDetection — weigh-only stations, truck or combination, GB 1589 exemptions', () => {
  const weighOnly = (vehicle: AxleConfiguration, grossKg: number): DetectionFacts => ({
    ...sample,
    vehicle,
    weighing: { grossKg, axleLoadsKg: loads(grossKg, vehicle.axleCount) },
  });

  it('screens a weigh-only detection on weight alone, and says so', () => {
    const r = screen(weighOnly({ axleCount: 6, combination: true }, 58_200));
    expect(r).toMatchObject({ outcome: 'lead', excessKg: 6_290, proposedPenalty: { amountYuan: 3_000 } });
    expect(r.rules.find((x) => x.rule.startsWith('dimension.'))).toMatchObject({
      rule: 'dimension.not_measured',
      description: expect.stringContaining('未测量'),
    });
    const within = screen(weighOnly({ axleCount: 6, combination: true }, 50_000));
    expect(within.outcome).toBe('no_violation');
  });

  it('takes the limit of a truck or a combination: 3 axles 25 t vs 27 t, 4 axles 31 t vs 36 t', () => {
    const limit = (axleCount: number, combination: boolean) =>
      screen(weighOnly({ axleCount, combination }, 20_000), exact).limitKg;
    expect([limit(3, false), limit(3, true), limit(4, false), limit(4, true)]).toEqual([
      25_000, 27_000, 31_000, 36_000,
    ]);
  });

  it('does not count a refrigerated vehicle 2.6 m wide as over the width (GB 1589 via Art. 3(2)(五))', () => {
    const cold = (widthMm: number) =>
      screen({
        ...vehicleDetection({ axleCount: 2, combination: false }, 15_000),
        vehicle: { axleCount: 2, combination: false, widthMm, bodyType: 'refrigerated' },
      });
    expect(cold(2_600)).toMatchObject({ outcome: 'no_violation' });
    expect(cold(2_600).rules.find((x) => x.rule === 'dimension.gb1589')).toMatchObject({
      source: 'law',
      description: expect.stringContaining('冷藏车'),
    });
    expect(cold(2_601)).toMatchObject({ outcome: 'lead', reasons: [{ code: 'overload_dimension' }] });
  });

  it('lets a centre-axle car transporter reach 22 m and a drawbar combination 20 m in length', () => {
    const long = (lengthMm: number, combinationType: 'car_transporter' | 'drawbar' | 'articulated') =>
      screen({
        ...vehicleDetection({ axleCount: 6, combination: true }, 40_000),
        vehicle: {
          axleCount: 6,
          combination: true,
          lengthMm,
          widthMm: 2_500,
          heightMm: 3_800,
          combinationType,
        },
      }).outcome;
    expect(long(22_000, 'car_transporter')).toBe('no_violation');
    expect(long(22_001, 'car_transporter')).toBe('lead');
    expect(long(20_000, 'drawbar')).toBe('no_violation');
    expect(long(18_101, 'articulated')).toBe('lead');
  });

  it('does not apply the length limit to a special-purpose working vehicle', () => {
    const r = screen({
      ...vehicleDetection({ axleCount: 4, combination: false }, 20_000),
      vehicle: {
        axleCount: 4,
        combination: false,
        lengthMm: 19_000,
        widthMm: 2_500,
        heightMm: 3_900,
        specialPurpose: true,
      },
    });
    expect(r.outcome).toBe('no_violation');
  });

  it('adds 1,000 kg to a 3- or 4-axle truck whose dual-tyre drive axle has air suspension', () => {
    const air = (grossKg: number, axleCount: number) =>
      screen(weighOnly({ axleCount, combination: false, airSuspension: true }, grossKg), exact);
    expect(air(26_000, 3)).toMatchObject({ outcome: 'no_violation', limitKg: 26_000 });
    expect(air(32_001, 4)).toMatchObject({ outcome: 'lead', limitKg: 32_000, excessKg: 1 });
    expect(air(32_001, 4).rules.find((x) => x.rule === 'gross_limit.air_suspension')?.source).toBe('law');
    // Not for combinations here, nor for a 2-axle truck.
    expect(
      screen(weighOnly({ axleCount: 2, combination: false, airSuspension: true }, 18_000), exact).limitKg,
    ).toBe(18_000);
  });

  it('labels the policy rules as policy: the tolerance, the excess after it, the fraction rule, the fine chosen in a tier', () => {
    const r = screen({ ...sample, vehicle: { ...sample.vehicle, lengthMm: 19_000 } });
    const source = (rule: string) => r.rules.find((x) => x.rule === rule)?.source;
    expect(source('tolerance.percent_of_gross')).toBe('policy');
    expect(source('gross.excess')).toBe('policy');
    expect(source('fine.gross.floor')).toBe('policy');
    expect(source('fine.dimension.tier1')).toBe('law');
    expect(source('fine.dimension.amount')).toBe('policy');
    expect(source('gross_limit.axle_table')).toBe('law');
  });
});

describe('reassessLead — the reviewer corrects the vehicle type or the wide-base axles', () => {
  // Recorded as a 4-axle truck (31 t) at 36,000 kg with a 1,800 kg tolerance: 3,200 kg over, 1,500 yuan.
  const recorded: DetectionFacts = {
    ...sample,
    trailerPlate: null,
    vehicle: { axleCount: 4, combination: false, singleTyreAxles: 0 },
    weighing: { grossKg: 36_000, axleLoadsKg: loads(36_000, 4) },
  };

  it('recomputes limit, excess and penalty for a combination, with the rules applied', () => {
    const before = reassessLead({ detection: recorded, toleranceKg: 1_800, permits: [] });
    expect(before).toMatchObject({
      outcome: 'lead',
      limitKg: 31_000,
      excessKg: 3_200,
      proposedPenalty: { amountYuan: 1_500 },
    });
    const corrected = reassessLead({
      detection: { ...recorded, vehicle: { ...recorded.vehicle, combination: true } },
      toleranceKg: 1_800,
      permits: [],
    });
    expect(corrected).toMatchObject({
      outcome: 'no_violation',
      limitKg: 36_000,
      excessKg: -1_800,
      proposedPenalty: null,
    });
    expect(corrected.rules.map((x) => [x.rule, x.source])).toEqual([
      ['gross_limit.axle_table', 'law'],
      ['tolerance.as_recorded', 'policy'],
      ['gross.excess', 'policy'],
      ['dimension.not_measured', 'law'],
    ]);
  });

  it('lowers the limit for single tyres, except on the wide-base axles the reviewer names', () => {
    const vehicle = { axleCount: 6, combination: true, singleTyreAxles: 3 };
    const detection = { ...sample, vehicle, weighing: { grossKg: 45_000, axleLoadsKg: loads(45_000, 6) } };
    const plain = reassessLead({ detection, toleranceKg: 0, permits: [] });
    expect(plain).toMatchObject({ limitKg: 40_000, excessKg: 5_000, proposedPenalty: { amountYuan: 2_500 } });
    const wide = reassessLead({
      detection: {
        ...detection,
        vehicle: { ...vehicle, wideBaseTyreAxles: 3, wideBaseTyreAxlePositions: [4, 5, 6] },
      },
      toleranceKg: 0,
      permits: [],
    });
    expect(wide).toMatchObject({ outcome: 'no_violation', limitKg: 49_000 });
    expect(wide.rules.find((x) => x.rule === 'gross_limit.single_tyres')?.description).toContain(
      '第4、5、6轴',
    );
  });

  it('refuses a configuration the table does not cover, naming it', () => {
    const r = reassessLead({
      detection: { ...recorded, vehicle: { axleCount: 5, combination: false } },
      toleranceKg: 1_800,
      permits: [],
    });
    expect(r).toMatchObject({
      outcome: 'invalid',
      limitKg: null,
      reasons: [{ code: 'axle_config_not_covered' }],
    });
  });
});

describe('screenDetection — citing from the catalogue passed in', () => {
  it('cites the version of a provision in force on the detection date', () => {
    const amended = LEGAL_BASIS_CATALOGUE.flatMap((e) =>
      e.code === 'ORR-43-1-2'
        ? [
            { ...e, validTo: '2024-10-31' },
            { ...e, validFrom: '2024-11-01', article: '第四十三条第一款第（二）项（2024年修正）' },
          ]
        : [e],
    );
    const r = screenDetection({ detection: sample, device, permits: [], catalogue: amended });
    expect(r.proposedPenalty?.basis[1].article).toContain('2024年修正');
    const before = screenDetection({
      detection: { ...sample, detectedAt: new Date('2024-10-31T10:00:00+08:00') },
      device,
      permits: [],
      catalogue: amended,
    });
    expect(before.proposedPenalty?.basis[1].article).not.toContain('修正');
  });
});

describe('screening policy schema', () => {
  it('fills in the defaults', () => {
    expect(screeningPolicySchema.parse({})).toEqual(DEFAULT_SCREENING_POLICY);
  });

  it('refuses dimension fines outside Art. 43(1)(一) and unknown keys', () => {
    expect(
      screeningPolicySchema.safeParse({ dimensionFineYuan: { tier1: 300, tier2: 500, tier3: 1_000 } })
        .success,
    ).toBe(false);
    expect(
      screeningPolicySchema.safeParse({ dimensionFineYuan: { tier1: 200, tier2: 500, tier3: 3_001 } })
        .success,
    ).toBe(false);
    expect(screeningPolicySchema.safeParse({ fractionRule: 'round' }).success).toBe(false);
    expect(screeningPolicySchema.safeParse({ toleranceKg: 5 }).success).toBe(false);
    expect(screeningPolicySchema.parse({ fractionRule: 'ceil', duplicateWindowMinutes: 15 })).toMatchObject({
      fractionRule: 'ceil',
      duplicateWindowMinutes: 15,
    });
  });
});

describe('awaitsEvidence: a detection lacking only required evidence waits for it within the grace', () => {
  const received = new Date('2026-11-28T08:00:00Z');
  const at = (seconds: number) => new Date(received.getTime() + seconds * 1000);
  const missing = {
    outcome: 'invalid' as const,
    reasons: [{ code: 'evidence_missing' as const, message: '缺少照片' }],
  };

  it('holds it back while the grace runs, not after, and never with a grace of 0 (the default)', () => {
    expect(awaitsEvidence(missing, received, at(119), { evidenceGraceSeconds: 120 })).toBe(true);
    expect(awaitsEvidence(missing, received, at(120), { evidenceGraceSeconds: 120 })).toBe(false);
    expect(awaitsEvidence(missing, received, at(0), DEFAULT_SCREENING_POLICY)).toBe(false);
  });

  it('does not wait when something else makes it invalid, or when it is not invalid', () => {
    const alsoDevice = {
      outcome: 'invalid' as const,
      reasons: [...missing.reasons, { code: 'device_not_approved' as const, message: '设备未经审核' }],
    };
    expect(awaitsEvidence(alsoDevice, received, at(1), { evidenceGraceSeconds: 120 })).toBe(false);
    expect(
      awaitsEvidence({ outcome: 'lead', reasons: [] }, received, at(1), { evidenceGraceSeconds: 120 }),
    ).toBe(false);
  });
});
