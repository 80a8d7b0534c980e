import {
  BASIS,
  basisInForce,
  LEGAL_BASIS_CATALOGUE,
  type LegalArticle,
  type LegalRef,
} from '@ecc/legal-domain';
import { citeFrom, type Cite } from './cite';
import { checkAxleLoads, checkEvidence, checkPlate } from './detection-checks';
import { checkDevice } from './device-approval';
import { grossLimit } from './gross-limit';
import { combinePenalties, dimensionLimits, dimensionViolation, grossOverloadPenalty } from './overload-fine';
import { permitCoverage } from './permit-coverage';
import { DEFAULT_SCREENING_POLICY, type ScreeningPolicy } from './screening.policy';
import type {
  AppliedRule,
  DetectionFacts,
  Dimensions,
  DeviceFacts,
  PenaltyPart,
  PermitFacts,
  ScreeningReason,
  ScreeningResult,
} from './screening.types';
import { toleranceFor } from './tolerance.policy';
import { kg, dayOf } from './format';

export interface ScreeningInput {
  detection: DetectionFacts;
  /** The device that weighed the vehicle. */
  device: DeviceFacts;
  /** Oversize-transport permits on record for the plate (or trailer plate); others are ignored. */
  permits: readonly PermitFacts[];
  /** The legal-basis catalogue to cite from; default the shipped one. */
  catalogue?: readonly LegalArticle[];
}

/**
 * Automatic screening of one detection (the step before officer review). Every check runs and is recorded in
 * `rules`, so a reviewer and the party see how the outcome came about:
 *
 * 1. the record can serve as evidence and be judged — device approved, published and calibrated on the day
 *    (行政处罚法 Art. 41), axle loads consistent with the gross, plate readable, required evidence present,
 *    a configuration the limit table covers; any failure → `invalid` with every reason found;
 * 2. limit (Art. 3), tolerance (policy), excess = measured − tolerance − limit, and dimensions (Art. 3);
 * 3. nothing over → `no_violation`, reason `within_limit`;
 * 4. a permit in force that covers the weight (and any exceeded dimension) → `no_violation`, reason `permit`;
 * 5. otherwise a `lead` with the Art. 43 penalty (warning or fine, several fines added up and capped).
 *
 * Worked example — the sample body of issue 3 (6-axle combination, not single-drive, no single tyres,
 * 58,200 kg, default policy): limit 49,000 kg (Art. 3(1)(八)); tolerance 5% × 58,200 = 2,910 kg; excess
 * 58,200 − 2,910 − 49,000 = 6,290 kg > 1,000 → fine; floor: 6 full tonnes × 500 = 3,000 yuan (ceil: 7 × 500
 * = 3,500); dimensions 16.5 × 2.55 × 3.95 m are within 18.1 / 2.55 / 4.0 (the width exactly at the limit is
 * not over). Outcome: lead, proposed fine 3,000 yuan under Art. 43(1)(二).
 */
export function screenDetection(
  input: ScreeningInput,
  policy: ScreeningPolicy = DEFAULT_SCREENING_POLICY,
): ScreeningResult {
  const { detection, device, permits } = input;
  const timeZone = policy.timeZone;
  const day = dayOf(detection.detectedAt, timeZone);
  const catalogue = input.catalogue ?? LEGAL_BASIS_CATALOGUE;
  const cite = citeFrom(catalogue, day);
  const rules: AppliedRule[] = [];
  const invalid: ScreeningReason[] = [];
  const take = (r: { reasons: ScreeningReason[]; rules: AppliedRule[] }) => {
    rules.push(...r.rules);
    invalid.push(...r.reasons);
  };

  if (!basisInForce(catalogue, BASIS.overloadLimits, day)) {
    invalid.push({
      code: 'basis_not_in_force',
      message: `检测日期 ${day} 时《超限运输车辆行驶公路管理规定》（交通运输部令2016年第62号）尚未施行，不能按其认定`,
    });
  }
  take(checkDevice(device, detection.detectedAt, timeZone, cite));
  take(checkAxleLoads(detection, policy));
  take(checkPlate(detection.plate, policy));
  take(checkEvidence(detection.evidenceKinds, policy));

  const limit = grossLimit(detection.vehicle, cite);
  rules.push(...limit.rules);
  if (!limit.ok)
    invalid.push({ code: limit.code, message: limit.message, basis: cite(BASIS.overloadLimits) });

  const grossKg = detection.weighing.grossKg;
  const tolerance =
    Number.isFinite(grossKg) && grossKg > 0 ? toleranceFor(grossKg, device, policy.tolerance) : null;
  if (tolerance) rules.push(tolerance.applied);

  if (invalid.length > 0 || !limit.ok || !tolerance) {
    const weighed = limit.ok && tolerance ? measuresOf(grossKg, tolerance.toleranceKg, limit.limitKg) : null;
    if (weighed) rules.push(excessRule(grossKg, weighed, cite(BASIS.overloadLimits)));
    return {
      outcome: 'invalid',
      reasons: invalid,
      limitKg: limit.ok ? limit.limitKg : null,
      toleranceKg: tolerance?.toleranceKg ?? null,
      excessKg: weighed?.excessKg ?? null,
      proposedPenalty: null,
      rules,
    };
  }
  return judge(
    { detection, permits, limitKg: limit.limitKg, toleranceKg: tolerance.toleranceKg },
    rules,
    policy,
    cite,
  );
}

export interface ReassessmentInput {
  /** The detection as recorded, with the vehicle as the reviewer confirmed or corrected it. */
  detection: DetectionFacts;
  /** The tolerance recorded on the lead (it depends on the device and the gross, not on the vehicle type). */
  toleranceKg: number;
  permits: readonly PermitFacts[];
  catalogue?: readonly LegalArticle[];
}

/**
 * Lead review (线索审核) re-computes what depends on the vehicle when the reviewer confirms or corrects it — truck
 * or combination, the wide-base tyre axles, the GB 1589 attributes: the limit (Art. 3), the excess after the
 * tolerance already recorded, the dimensions, the permits and the proposed penalty (Art. 43), with every rule
 * applied, labelled law or policy. The device and evidence checks of screening stand as they were. A
 * configuration the table does not cover is `invalid`, naming it.
 */
export function reassessLead(
  input: ReassessmentInput,
  policy: ScreeningPolicy = DEFAULT_SCREENING_POLICY,
): ScreeningResult {
  const { detection } = input;
  const cite = citeFrom(
    input.catalogue ?? LEGAL_BASIS_CATALOGUE,
    dayOf(detection.detectedAt, policy.timeZone),
  );
  const limit = grossLimit(detection.vehicle, cite);
  const rules: AppliedRule[] = [...limit.rules];
  if (!limit.ok) {
    return {
      outcome: 'invalid',
      reasons: [{ code: limit.code, message: limit.message, basis: cite(BASIS.overloadLimits) }],
      limitKg: null,
      toleranceKg: input.toleranceKg,
      excessKg: null,
      proposedPenalty: null,
      rules,
    };
  }
  rules.push({
    rule: 'tolerance.as_recorded',
    description: `动态称重误差扣除：沿用线索记录的 ${kg(input.toleranceKg)} 千克`,
    source: 'policy',
    basis: null,
  });
  return judge(
    { detection, permits: input.permits, limitKg: limit.limitKg, toleranceKg: input.toleranceKg },
    rules,
    policy,
    cite,
  );
}

const measuresOf = (grossKg: number, toleranceKg: number, limitKg: number) => ({
  limitKg,
  toleranceKg,
  excessKg: grossKg - toleranceKg - limitKg,
});

/**
 * From a usable record with its limit and tolerance: the excess, the dimensions (none measured at a weigh-only
 * station: the weight alone is judged), the permits, and the Art. 43 penalty.
 */
function judge(
  input: { detection: DetectionFacts; permits: readonly PermitFacts[]; limitKg: number; toleranceKg: number },
  rules: AppliedRule[],
  policy: ScreeningPolicy,
  cite: Cite,
): ScreeningResult {
  const { detection, permits } = input;
  const grossKg = detection.weighing.grossKg;
  const measures = measuresOf(grossKg, input.toleranceKg, input.limitKg);
  const { limitKg, toleranceKg, excessKg } = measures;
  rules.push(excessRule(grossKg, measures, cite(BASIS.overloadLimits)));
  const dims = dimensionViolation(
    { ...detection.vehicle, combination: detection.vehicle.combination },
    policy,
    cite,
  );
  rules.push(
    ...(dims?.rules ?? [
      ...dimensionLimits(detection.vehicle, cite).rules,
      withinDimensions(detection.vehicle, cite),
    ]),
  );
  if (excessKg <= 0 && !dims) {
    const message =
      `扣除误差后总质量 ${kg(grossKg - toleranceKg)} 千克，未超过限定标准 ${kg(limitKg)} 千克` +
      (weighOnly(detection.vehicle) ? '；外廓尺寸未测量' : '；外廓尺寸未超限');
    return {
      outcome: 'no_violation',
      reasons: [{ code: 'within_limit', message }],
      ...measures,
      proposedPenalty: null,
      rules,
    };
  }

  // A permit may excuse the mass, the dimensions, or both.
  const coverage = permitCoverage(
    detection,
    permits,
    grossKg - toleranceKg,
    dims?.exceeded ?? [],
    policy.timeZone,
  );
  for (const c of coverage)
    rules.push({ rule: 'permit.check', description: c.description, source: 'law', basis: null });
  const grossPermit = excessKg > 0 ? coverage.find((c) => c.coversGross) : undefined;
  const dimsPermit = dims ? coverage.find((c) => c.coversDimensions) : undefined;
  const grossOver = excessKg > 0 && !grossPermit;
  const dimsOver = dims !== null && !dimsPermit;
  if (!grossOver && !dimsOver) {
    const excusing = grossPermit ?? dimsPermit;
    const message = excusing ? excusing.description : '';
    return {
      outcome: 'no_violation',
      reasons: [{ code: 'permit', message }],
      ...measures,
      proposedPenalty: null,
      rules,
    };
  }

  const reasons: ScreeningReason[] = [];
  const parts: PenaltyPart[] = [];
  if (grossOver) {
    reasons.push({
      code: 'overload_gross',
      message: `车货总质量 ${kg(grossKg)} 千克，扣除误差 ${kg(toleranceKg)} 千克后超过限定标准 ${kg(limitKg)} 千克 ${kg(excessKg)} 千克`,
      basis: cite(BASIS.overloadLimits),
    });
    const gross = grossOverloadPenalty(excessKg, policy.fractionRule, cite);
    if (gross.kind !== 'none') {
      rules.push(gross.rule);
      parts.push({
        violation: 'overload_gross',
        kind: gross.kind,
        amountYuan: gross.amountYuan,
        basis: gross.basis,
      });
    }
  }
  if (dimsOver && dims) {
    reasons.push({
      code: 'overload_dimension',
      message: dims.rules.find((r) => r.rule === 'dimension.limits')?.description ?? '',
      basis: cite(BASIS.overloadLimits),
    });
    parts.push({
      violation: 'overload_dimension',
      kind: 'fine',
      amountYuan: dims.amountYuan,
      basis: dims.basis,
    });
  }
  if (grossOver && coverage.length > 0) {
    reasons.push({ code: 'permit_not_covering', message: coverage.map((c) => c.description).join('；') });
  }
  if (dimsOver && coverage.some((c) => c.inForce)) {
    reasons.push({ code: 'permit_not_covering', message: '大件运输许可未载明或不覆盖超限的外廓尺寸' });
  }
  const combined = combinePenalties(parts, cite);
  if (combined.rule) rules.push(combined.rule);
  return { outcome: 'lead', reasons, ...measures, proposedPenalty: combined.penalty, rules };
}

const weighOnly = (d: Dimensions) =>
  d.lengthMm === undefined && d.widthMm === undefined && d.heightMm === undefined;

/** The dimension rule when nothing is over: within the limits, or not measured at a weigh-only station. */
function withinDimensions(d: Dimensions, cite: Cite): AppliedRule {
  return weighOnly(d)
    ? {
        rule: 'dimension.not_measured',
        description: '外廓尺寸未测量（仅称重的检测点）：仅按车货总质量认定',
        source: 'law',
        basis: cite(BASIS.overloadLimits),
      }
    : {
        rule: 'dimension.limits',
        description: '外廓尺寸未超过限定标准（高 4 米、宽 2.55 米、长 18.1 米，或 GB 1589 准许的限值）',
        source: 'law',
        basis: cite(BASIS.overloadLimits),
      };
}

/**
 * The excess as enforced: measured − tolerance − limit. The tolerance is the bureau's (policy), so the rule
 * that deducts it is labelled policy, citing the limit it is compared with.
 */
function excessRule(
  grossKg: number,
  { limitKg, toleranceKg, excessKg }: { limitKg: number; toleranceKg: number; excessKg: number },
  basis: LegalRef,
): AppliedRule {
  return {
    rule: 'gross.excess',
    description: `超限质量 = 实测 ${kg(grossKg)} − 误差 ${kg(toleranceKg)} − 限定标准 ${kg(limitKg)} = ${kg(excessKg)} 千克`,
    source: 'policy',
    basis,
  };
}

/**
 * Whether a result is to be held back rather than recorded: the detection is invalid only for lacking required
 * evidence, and it is still within the policy's grace after its receipt (the photos may be on their way over the
 * streamed PUT). Any other reason, or the grace over, and the result stands.
 */
export function awaitsEvidence(
  result: Pick<ScreeningResult, 'outcome' | 'reasons'>,
  receivedAt: Date,
  now: Date,
  policy: Pick<ScreeningPolicy, 'evidenceGraceSeconds'>,
): boolean {
  return (
    result.outcome === 'invalid' &&
    result.reasons.length > 0 &&
    result.reasons.every((r) => r.code === 'evidence_missing') &&
    now.getTime() < receivedAt.getTime() + policy.evidenceGraceSeconds * 1000
  );
}
