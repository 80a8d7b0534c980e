import type { ScreeningPolicy } from './screening.policy';
import { normalisePlate, type StationEvidenceKind } from '@ecc/shared-kernel';
import type { AppliedRule, DetectionFacts, Plate, ScreeningReason } from './screening.types';
import { kg } from './format';

export function isReadablePlate(plate: Plate | null | undefined, pattern: string): boolean {
  return !!plate && new RegExp(pattern, 'u').test(normalisePlate(plate.number));
}

type CheckResult = { reasons: ScreeningReason[]; rules: AppliedRule[] };

/** An unreadable plate names no party: the record cannot start a case. */
export function checkPlate(plate: Plate | null, policy: Pick<ScreeningPolicy, 'platePattern'>): CheckResult {
  const readable = plate && isReadablePlate(plate, policy.platePattern) ? plate : null;
  const description = readable
    ? `号牌 ${normalisePlate(readable.number)}（${readable.color}）可识别`
    : `号牌无法识别或不符合号牌格式${plate ? `：“${plate.number}”` : ''}`;
  return {
    reasons: readable ? [] : [{ code: 'plate_unreadable', message: description }],
    rules: [{ rule: 'plate.readable', description, source: 'policy', basis: null }],
  };
}

const EVIDENCE_LABEL: Record<StationEvidenceKind, string> = {
  plate_front: '车头号牌照片',
  plate_rear: '车尾号牌照片',
  side: '车身侧面（显示轴数）照片',
  video: '视频',
  other: '其他',
};

/** The evidence a reviewer needs to confirm plate and axle count (policy: the required kinds). */
export function checkEvidence(
  present: readonly StationEvidenceKind[],
  policy: Pick<ScreeningPolicy, 'requiredEvidence'>,
): CheckResult {
  const missing = policy.requiredEvidence.filter((k) => !present.includes(k));
  const required = policy.requiredEvidence.map((k) => EVIDENCE_LABEL[k]).join('、');
  const description =
    missing.length === 0
      ? `证据齐全（要求：${required}）`
      : `证据不全，缺少：${missing.map((k) => EVIDENCE_LABEL[k]).join('、')}（要求：${required}）`;
  return {
    reasons: missing.length === 0 ? [] : [{ code: 'evidence_missing', message: description }],
    rules: [{ rule: 'evidence.required', description, source: 'policy', basis: null }],
  };
}

/**
 * Weighing plausibility: one load per axle, each positive, and their sum within the policy band of the gross
 * (a weigh-in-motion record whose parts disagree with its whole is not reliable evidence).
 */
export function checkAxleLoads(
  detection: Pick<DetectionFacts, 'vehicle' | 'weighing'>,
  policy: Pick<ScreeningPolicy, 'axleLoadBandPercent'>,
): CheckResult {
  const { grossKg, axleLoadsKg } = detection.weighing;
  const axleCount = detection.vehicle.axleCount;
  if (!Number.isFinite(grossKg) || grossKg <= 0) {
    const message = `车货总质量无效：${grossKg}`;
    return { reasons: [{ code: 'gross_invalid', message }], rules: [] };
  }
  if (axleLoadsKg.length !== axleCount) {
    const message = `轴荷数 ${axleLoadsKg.length} 与轴数 ${axleCount} 不一致`;
    return {
      reasons: [{ code: 'axle_loads_count_mismatch', message }],
      rules: [{ rule: 'axle_loads.count', description: message, source: 'policy', basis: null }],
    };
  }
  const sum = axleLoadsKg.reduce((a, b) => a + b, 0);
  const deviation = Math.abs(sum - grossKg);
  // Compare in integers: deviation / gross ≤ band%  ⇔  deviation × 10000 ≤ gross × band(bp)
  const ok =
    axleLoadsKg.every((l) => Number.isFinite(l) && l > 0) &&
    deviation * 10_000 <= grossKg * Math.round(policy.axleLoadBandPercent * 100);
  const percent = ((deviation / grossKg) * 100).toFixed(2);
  const description = `各轴轴荷之和 ${kg(sum)} 千克，与总质量 ${kg(grossKg)} 千克相差 ${percent}%（允许 ${policy.axleLoadBandPercent}%）`;
  return {
    reasons: ok
      ? []
      : [{ code: 'axle_loads_inconsistent', message: `轴荷数据与总质量不一致：${description}` }],
    rules: [{ rule: 'axle_loads.consistency', description, source: 'policy', basis: null }],
  };
}
