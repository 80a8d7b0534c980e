import { citeFrom } from './cite';
import { grossLimit, GROSS_LIMITS_KG } from './gross-limit';

describe('grossLimit (《超限运输车辆行驶公路管理规定》 Art. 3)', () => {
  // The table of 超限运输车辆行驶公路管理规定 Art. 3, row by row.
  it.each([
    [2, false, 18_000, '二轴货车'],
    [3, false, 25_000, '三轴货车'],
    [3, true, 27_000, '三轴汽车列车'],
    [4, false, 31_000, '四轴货车'],
    [4, true, 36_000, '四轴汽车列车'],
    [5, true, 43_000, '五轴汽车列车'],
    [6, true, 49_000, '六轴及六轴以上汽车列车'],
    [7, true, 49_000, '六轴及六轴以上汽车列车'],
  ])('%i axles, combination %s → %i kg (%s)', (axleCount, combination, limitKg, label) => {
    const result = grossLimit({ axleCount, combination });
    expect(result).toMatchObject({ ok: true, limitKg });
    if (!result.ok) throw new Error('unreachable');
    expect(result.rules[0]).toMatchObject({
      rule: 'gross_limit.axle_table',
      source: 'law',
      basis: { code: 'ORR-3' },
    });
    expect(result.rules[0].description).toContain(label);
  });

  it('is 46,000 kg for a 6+ axle combination whose tractor has a single drive axle', () => {
    expect(grossLimit({ axleCount: 6, combination: true, singleDriveAxle: true })).toMatchObject({
      ok: true,
      limitKg: 46_000,
    });
    expect(grossLimit({ axleCount: 7, combination: true, singleDriveAxle: true })).toMatchObject({
      ok: true,
      limitKg: 46_000,
    });
    expect(GROSS_LIMITS_KG.sixPlusAxleCombinationSingleDrive).toBe(46_000);
  });

  it('ignores the single-drive flag below six axles (the table has no such row)', () => {
    expect(grossLimit({ axleCount: 5, combination: true, singleDriveAxle: true })).toMatchObject({
      limitKg: 43_000,
    });
  });

  it('lowers the limit by 3,000 kg per non-drive single-tyre axle, not for wide-base tyres', () => {
    expect(grossLimit({ axleCount: 3, combination: false, singleTyreAxles: 1 })).toMatchObject({
      ok: true,
      limitKg: 22_000,
    });
    expect(grossLimit({ axleCount: 6, combination: true, singleTyreAxles: 3 })).toMatchObject({
      ok: true,
      limitKg: 40_000,
    });
    expect(
      grossLimit({ axleCount: 6, combination: true, singleTyreAxles: 3, wideBaseTyreAxles: 2 }),
    ).toMatchObject({
      ok: true,
      limitKg: 46_000,
    });
    expect(
      grossLimit({ axleCount: 3, combination: false, singleTyreAxles: 1, wideBaseTyreAxles: 1 }),
    ).toMatchObject({
      ok: true,
      limitKg: 25_000,
    });
    const r = grossLimit({ axleCount: 6, combination: true, singleDriveAxle: true, singleTyreAxles: 1 });
    expect(r).toMatchObject({ ok: true, limitKg: 43_000 });
    if (r.ok)
      expect(r.rules.map((x) => x.rule)).toEqual(['gross_limit.axle_table', 'gross_limit.single_tyres']);
  });

  it('refuses impossible single-tyre counts (steering and drive axles are never counted)', () => {
    expect(grossLimit({ axleCount: 2, combination: false, singleTyreAxles: 1 })).toMatchObject({
      ok: false,
      code: 'single_tyre_axles_invalid',
    });
    expect(grossLimit({ axleCount: 5, combination: true, singleTyreAxles: 4 })).toMatchObject({ ok: false });
    expect(
      grossLimit({ axleCount: 5, combination: true, singleTyreAxles: 1, wideBaseTyreAxles: 2 }),
    ).toMatchObject({ ok: false });
    expect(grossLimit({ axleCount: 5, combination: true, singleTyreAxles: -1 })).toMatchObject({ ok: false });
  });

  it.each([
    [1, false],
    [1, true],
    [2, true],
    [5, false],
    [6, false],
    [0, false],
  ])('refuses %i axles, combination %s: not in the table', (axleCount, combination) => {
    const r = grossLimit({ axleCount, combination });
    expect(r).toMatchObject({ ok: false, code: 'axle_config_not_covered' });
  });

  it('uses the licensed total mass for tractors, farm vehicles and low-speed trucks', () => {
    for (const vehicleClass of ['tractor', 'farm_vehicle', 'low_speed_truck'] as const) {
      const r = grossLimit({ axleCount: 2, combination: false, vehicleClass, licensedTotalMassKg: 4_500 });
      expect(r).toMatchObject({ ok: true, limitKg: 4_500 });
      if (r.ok) expect(r.rules[0].rule).toBe('gross_limit.licensed_total_mass');
    }
  });

  it('cannot determine their limit without the licensed mass', () => {
    expect(grossLimit({ axleCount: 2, combination: false, vehicleClass: 'low_speed_truck' })).toMatchObject({
      ok: false,
      code: 'licensed_mass_unknown',
    });
  });

  it('cites the version of Art. 3 in force on the date given', () => {
    const r = grossLimit({ axleCount: 2, combination: false }, citeFrom(undefined, '2024-11-05'));
    expect(r.rules[0].basis).toEqual({ code: 'ORR-3', article: '《超限运输车辆行驶公路管理规定》第三条' });
  });
});
