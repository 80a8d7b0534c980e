import { checkAxleLoads, checkEvidence, checkPlate, isReadablePlate } from './detection-checks';
import { DEFAULT_PLATE_PATTERN, normalisePlate } from '@ecc/shared-kernel';
import { DEFAULT_SCREENING_POLICY } from './screening.policy';

describe('plate', () => {
  it.each(['湘F12345', '湘F6789挂', '粤BD12345', '京A·12345', ' 湘f12345 '])('reads %s', (number) => {
    expect(isReadablePlate({ number, color: 'yellow' }, DEFAULT_PLATE_PATTERN)).toBe(true);
  });

  it.each(['', '未识别', '无牌', '湘F1234', '湘FI2345', 'XF12345', '湘F123456789'])(
    'does not read "%s"',
    (number) => {
      expect(isReadablePlate({ number, color: 'yellow' }, DEFAULT_PLATE_PATTERN)).toBe(false);
    },
  );

  it('makes an unreadable plate a reason', () => {
    expect(checkPlate(null, DEFAULT_SCREENING_POLICY).reasons[0].code).toBe('plate_unreadable');
    expect(checkPlate({ number: '湘F12345', color: 'yellow' }, DEFAULT_SCREENING_POLICY).reasons).toEqual([]);
    expect(normalisePlate('湘f 12345')).toBe('湘F12345');
  });
});

describe('evidence', () => {
  it('requires front plate, rear plate and side view by default; video is optional', () => {
    expect(checkEvidence(['plate_front', 'plate_rear', 'side'], DEFAULT_SCREENING_POLICY).reasons).toEqual(
      [],
    );
    const r = checkEvidence(['plate_front', 'video'], DEFAULT_SCREENING_POLICY);
    expect(r.reasons).toHaveLength(1);
    expect(r.reasons[0]).toMatchObject({ code: 'evidence_missing' });
    expect(r.reasons[0].message).toContain('车尾号牌照片');
    expect(r.reasons[0].message).toContain('车身侧面');
  });

  it('follows the policy', () => {
    expect(checkEvidence(['plate_front'], { requiredEvidence: ['plate_front'] }).reasons).toEqual([]);
    expect(
      checkEvidence(['plate_front', 'plate_rear', 'side'], { requiredEvidence: ['video'] }).reasons,
    ).toHaveLength(1);
  });
});

describe('axle loads', () => {
  const facts = (grossKg: number, axleLoadsKg: number[]) => ({
    vehicle: { axleCount: axleLoadsKg.length, combination: true },
    weighing: { grossKg, axleLoadsKg },
  });

  it('accepts loads whose sum is within the band (default 5%), band edge included', () => {
    expect(
      checkAxleLoads(facts(58_200, [7_100, 11_000, 10_000, 10_000, 10_000, 10_100]), DEFAULT_SCREENING_POLICY)
        .reasons,
    ).toEqual([]);
    // 5% of 40,000 = 2,000: a sum of 42,000 is at the edge, 42,001 beyond it
    expect(checkAxleLoads(facts(40_000, [21_000, 21_000]), DEFAULT_SCREENING_POLICY).reasons).toEqual([]);
    expect(checkAxleLoads(facts(40_000, [21_000, 21_001]), DEFAULT_SCREENING_POLICY).reasons[0].code).toBe(
      'axle_loads_inconsistent',
    );
    expect(checkAxleLoads(facts(40_000, [19_000, 18_999]), DEFAULT_SCREENING_POLICY).reasons[0].code).toBe(
      'axle_loads_inconsistent',
    );
  });

  it('refuses a load count that differs from the axle count, a zero load, and a non-positive gross', () => {
    const r = checkAxleLoads(
      {
        vehicle: { axleCount: 3, combination: false },
        weighing: { grossKg: 20_000, axleLoadsKg: [10_000, 10_000] },
      },
      DEFAULT_SCREENING_POLICY,
    );
    expect(r.reasons[0].code).toBe('axle_loads_count_mismatch');
    expect(checkAxleLoads(facts(20_000, [20_000, 0]), DEFAULT_SCREENING_POLICY).reasons[0].code).toBe(
      'axle_loads_inconsistent',
    );
    expect(checkAxleLoads(facts(0, [0, 0]), DEFAULT_SCREENING_POLICY).reasons[0].code).toBe('gross_invalid');
  });

  it('follows the policy band', () => {
    expect(checkAxleLoads(facts(40_000, [21_000, 21_000]), { axleLoadBandPercent: 2 }).reasons).toHaveLength(
      1,
    );
  });
});
