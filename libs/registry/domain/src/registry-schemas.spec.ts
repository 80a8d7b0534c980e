import { createDeviceSchema, calibrationSchema } from './device.schema';
import { createPermitSchema } from './permit.schema';
import { createStationSchema } from './station.schema';

const issues = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.success ? [] : result.error!.issues.map((i) => i.path.join('.'));

describe('registry schemas', () => {
  const station = {
    code: 'S308-K12',
    name: 'S308 K12',
    road: 'S308',
    stake: 'K12+300',
    direction: '往长沙方向',
    lat: 28.79,
    lng: 113.08,
  };

  it('takes station codes of 1-32 letters, digits, "_" and "-"', () => {
    expect(createStationSchema.safeParse(station).success).toBe(true);
    for (const code of ['', 'S308 K12', 'S308/K12', 'x'.repeat(33), '检测点1'])
      expect(issues(createStationSchema.safeParse({ ...station, code }))).toEqual(['code']);
  });

  it('refuses a calibration that ends before it starts, and impossible dates', () => {
    expect(
      issues(
        calibrationSchema.safeParse({
          certificateNo: 'JD-1',
          validFrom: '2024-03-10',
          validTo: '2024-03-09',
        }),
      ),
    ).toEqual(['validTo']);
    expect(
      calibrationSchema.safeParse({ certificateNo: 'JD-01', validFrom: '2024-03-10', validTo: '2024-03-10' })
        .success,
    ).toBe(true);
    expect(
      issues(
        calibrationSchema.safeParse({
          certificateNo: 'JD-01',
          validFrom: '2023-02-29',
          validTo: '2024-03-10',
        }),
      ),
    ).toEqual(['validFrom']);
  });

  it('wants an accuracy class and a calibration of a weigh-in-motion device, not of a camera', () => {
    const reviews = { legalReviewedAt: '2024-03-01', technicalReviewedAt: null, publishedAt: null };
    expect(issues(createDeviceSchema.safeParse({ code: 'WIM-01', kind: 'wim', ...reviews })).sort()).toEqual([
      'accuracyClass',
      'calibration',
    ]);
    expect(createDeviceSchema.safeParse({ code: 'CAM-01', kind: 'camera', ...reviews }).success).toBe(true);
    expect(
      issues(
        createDeviceSchema.safeParse({
          code: 'WIM-01',
          kind: 'wim',
          accuracyClass: '5',
          ...reviews,
          calibration: { certificateNo: 'JD-01', validFrom: '2024-03-10', validTo: '2024-01-01' },
        }),
      ),
    ).toEqual(['calibration.validTo']);
  });

  it('normalises permit plates the way screening compares them', () => {
    const permit = createPermitSchema.parse({
      plate: ' 湘f·12345 ',
      validFrom: '2024-11-01',
      validTo: '2024-11-30',
      maxGrossKg: 65000,
    });
    expect(permit.plate).toBe('湘F12345');
    expect(issues(createPermitSchema.safeParse({ ...permit, validTo: '2024-10-31' }))).toEqual(['validTo']);
  });
});
