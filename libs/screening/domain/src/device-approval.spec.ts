import { checkDevice } from './device-approval';
import type { DeviceFacts } from './screening.types';

const TZ = 'Asia/Shanghai';
const calibration = { certificateNo: 'JD2024-0117', validFrom: '2024-03-05', validTo: '2025-03-04' };
const device: DeviceFacts = {
  code: 'WIM-01',
  legalReviewedAt: '2024-03-01',
  technicalReviewedAt: '2024-03-01',
  publishedAt: '2024-03-10',
  calibration,
};
const detectedAt = new Date('2024-11-05T08:31:12+08:00');
const codes = (d: DeviceFacts, at = detectedAt) => checkDevice(d, at, TZ).reasons.map((r) => r.code);

describe('checkDevice (行政处罚法 Art. 41)', () => {
  it('passes an approved, published, calibrated device and records four rules citing Art. 41', () => {
    const r = checkDevice(device, detectedAt, TZ);
    expect(r.reasons).toEqual([]);
    expect(r.rules.map((x) => x.rule)).toEqual([
      'device.legal_review',
      'device.technical_review',
      'device.location_published',
      'device.calibration',
    ]);
    expect(r.rules.every((x) => x.basis?.code === 'APL-41')).toBe(true);
  });

  it('refuses a calibration that expired the day before the detection', () => {
    expect(codes({ ...device, calibration: { ...calibration, validTo: '2024-11-04' } })).toEqual([
      'calibration_invalid',
    ]);
  });

  it('accepts the last day of validity, in the bureau zone', () => {
    const lastDay = { ...device, calibration: { ...calibration, validTo: '2024-11-05' } };
    expect(codes(lastDay)).toEqual([]);
    // 00:30 on 6 November in Beijing is still 5 November in UTC, but the certificate has expired locally.
    expect(codes(lastDay, new Date('2024-11-05T16:30:00Z'))).toEqual(['calibration_invalid']);
  });

  it('refuses a calibration not yet valid, or none', () => {
    expect(codes({ ...device, calibration: { ...calibration, validFrom: '2024-11-06' } })).toEqual([
      'calibration_invalid',
    ]);
    expect(codes({ ...device, calibration: null })).toEqual(['calibration_invalid']);
  });

  it('refuses a device without legal or technical review, or reviewed only after the detection', () => {
    expect(codes({ ...device, legalReviewedAt: null })).toEqual(['device_not_approved']);
    expect(codes({ ...device, technicalReviewedAt: '2024-11-06' })).toEqual(['device_not_approved']);
    expect(codes({ ...device, legalReviewedAt: null, technicalReviewedAt: null })).toEqual([
      'device_not_approved',
      'device_not_approved',
    ]);
    // reviewed on the day of the detection counts
    expect(codes({ ...device, legalReviewedAt: '2024-11-05' })).toEqual([]);
  });

  it('refuses a device whose location was not published', () => {
    expect(codes({ ...device, publishedAt: null })).toEqual(['device_location_not_published']);
  });

  it('takes exact instants too', () => {
    const instants = {
      ...device,
      calibration: {
        certificateNo: 'x',
        validFrom: new Date('2024-03-05T00:00:00+08:00'),
        validTo: new Date('2024-11-05T08:00:00+08:00'),
      },
    };
    expect(codes(instants)).toEqual(['calibration_invalid']);
  });
});
