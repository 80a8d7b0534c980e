import { BASIS } from '@ecc/legal-domain';
import { defaultCite, type Cite } from './cite';
import type { AppliedRule, DateLike, DeviceFacts, ScreeningReason } from './screening.types';
import { onOrBefore, showDate, withinValidity } from './validity';

/**
 * 行政处罚法 Art. 41: records of an electronic monitoring device serve as evidence only when the device passed
 * legal and technical review and its location was made public — all before the detection — and it was
 * lawfully verified (检定/校准 valid) on the detection date.
 */
export function checkDevice(
  device: DeviceFacts,
  detectedAt: Date,
  timeZone: string,
  cite: Cite = defaultCite,
): { reasons: ScreeningReason[]; rules: AppliedRule[] } {
  const basis = cite(BASIS.electronicMonitoring);
  const reasons: ScreeningReason[] = [];
  const rules: AppliedRule[] = [];
  const step = (ok: boolean, rule: string, good: string, bad: string, code: ScreeningReason['code']) => {
    rules.push({ rule, description: ok ? good : bad, source: 'law', basis });
    if (!ok) reasons.push({ code, message: bad, basis });
  };
  const before = (d: DateLike | null) => d !== null && onOrBefore(d, detectedAt, timeZone);

  step(
    before(device.legalReviewedAt),
    'device.legal_review',
    `设备 ${device.code} 已于 ${device.legalReviewedAt && showDate(device.legalReviewedAt, timeZone)} 通过法制审核`,
    `设备 ${device.code} 在检测时未通过法制审核，记录不得作为行政处罚的证据`,
    'device_not_approved',
  );
  step(
    before(device.technicalReviewedAt),
    'device.technical_review',
    `设备 ${device.code} 已于 ${device.technicalReviewedAt && showDate(device.technicalReviewedAt, timeZone)} 通过技术审核`,
    `设备 ${device.code} 在检测时未通过技术审核，记录不得作为行政处罚的证据`,
    'device_not_approved',
  );
  step(
    before(device.publishedAt),
    'device.location_published',
    `设备设置地点已于 ${device.publishedAt && showDate(device.publishedAt, timeZone)} 向社会公布`,
    `设备 ${device.code} 的设置地点在检测时未向社会公布`,
    'device_location_not_published',
  );
  const cal = device.calibration;
  const calOk = cal !== null && withinValidity(detectedAt, cal.validFrom, cal.validTo, timeZone);
  step(
    calOk,
    'device.calibration',
    cal
      ? `计量检定/校准证书 ${cal.certificateNo} 有效期 ${showDate(cal.validFrom, timeZone)} 至 ${showDate(cal.validTo, timeZone)}，检测时有效`
      : '',
    cal
      ? `计量检定/校准证书 ${cal.certificateNo} 有效期 ${showDate(cal.validFrom, timeZone)} 至 ${showDate(cal.validTo, timeZone)}，检测时不在有效期内`
      : `设备 ${device.code} 无有效的计量检定/校准证书`,
    'calibration_invalid',
  );
  return { reasons, rules };
}
