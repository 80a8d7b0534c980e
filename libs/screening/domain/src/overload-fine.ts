import { BASIS, type LegalRef } from '@ecc/legal-domain';
import { defaultCite, type Cite } from './cite';
import type { FractionRule, ScreeningPolicy } from './screening.policy';
import type {
  AppliedRule,
  CombinationType,
  Dimensions,
  PenaltyPart,
  ProposedPenalty,
  VehicleAttributes,
} from './screening.types';
import { kg } from './format';

/** 《超限运输车辆行驶公路管理规定》 Art. 43(1)(二): the fine per 1,000 kg and the cap. */
export const GROSS_FINE_YUAN_PER_1000_KG = 500;
export const WARNING_MAX_EXCESS_KG = 1_000;
/** Art. 43(1)(二) and 43(2): no fine, nor sum of fines, above 30,000 yuan. */
export const FINE_CAP_YUAN = 30_000;

/** Art. 3(1)(一)–(三): dimension limits. */
export const DIMENSION_LIMITS_MM = { height: 4_000, width: 2_550, length: 18_100 } as const;
/** Art. 43(1)(一): the bounds of tiers 1 and 2 (above tier 2 is tier 3). */
export const DIMENSION_TIER_BOUNDS_MM = {
  tier1: { height: 4_200, width: 3_000, length: 20_000 },
  tier2: { height: 4_500, width: 3_750, length: 28_000 },
} as const;

export type GrossPenalty =
  | { kind: 'none'; excessKg: number }
  | { kind: 'warning'; excessKg: number; amountYuan: 0; basis: LegalRef[]; rule: AppliedRule }
  | {
      kind: 'fine';
      excessKg: number;
      /** Counted 1,000 kg units after the fraction rule. */
      units: number;
      amountYuan: number;
      capped: boolean;
      basis: LegalRef[];
      rule: AppliedRule;
    };

/**
 * The Art. 43(1)(二) penalty for a gross excess (after tolerance): ≤ 1,000 kg → warning; above → 500 yuan per
 * 1,000 kg, the part below 1,000 kg not counted (floor, default) or counted (ceil), at most 30,000 yuan. The
 * amount rests on the fraction rule, a policy: the rule is labelled policy, citing the article it applies.
 */
export function grossOverloadPenalty(
  excessKg: number,
  fractionRule: FractionRule,
  cite: Cite = defaultCite,
): GrossPenalty {
  if (excessKg <= 0) return { kind: 'none', excessKg };
  const basis = [cite(BASIS.grossFine)];
  if (excessKg <= WARNING_MAX_EXCESS_KG) {
    return {
      kind: 'warning',
      excessKg,
      amountYuan: 0,
      basis,
      rule: {
        rule: 'fine.gross.warning',
        description: `超限 ${excessKg} 千克，未超过 1000 千克：予以警告`,
        source: 'law',
        basis: basis[0],
      },
    };
  }
  const units = fractionRule === 'floor' ? Math.floor(excessKg / 1000) : Math.ceil(excessKg / 1000);
  const uncapped = units * GROSS_FINE_YUAN_PER_1000_KG;
  const amountYuan = Math.min(uncapped, FINE_CAP_YUAN);
  const fraction =
    fractionRule === 'floor'
      ? '不足 1000 千克的部分不计（政策：floor）'
      : '不足 1000 千克的部分按 1000 千克计（政策：ceil）';
  return {
    kind: 'fine',
    excessKg,
    units,
    amountYuan,
    capped: uncapped > FINE_CAP_YUAN,
    basis,
    rule: {
      rule: `fine.gross.${fractionRule}`,
      description:
        `超限 ${kg(excessKg)} 千克，每超 1000 千克罚款 500 元，${fraction}：` +
        `${units} × 500 = ${kg(uncapped)} 元` +
        (uncapped > FINE_CAP_YUAN ? `，最高不得超过 30000 元，罚款 30000 元` : ''),
      source: 'policy',
      basis: basis[0],
    },
  };
}

export type DimensionAxis = 'height' | 'width' | 'length';

export interface DimensionViolation {
  /** Axes over the Art. 3 limits (after the policy allowance and the GB 1589 exemptions). */
  exceeded: DimensionAxis[];
  tier: 1 | 2 | 3;
  amountYuan: number;
  basis: LegalRef[];
  rules: AppliedRule[];
}

const AXIS_LABEL: Record<DimensionAxis, string> = { height: '高度', width: '宽度', length: '长度' };
const metres = (mm: number) => `${(mm / 1000).toFixed(2)} 米`;
const AXES: DimensionAxis[] = ['height', 'width', 'length'];

/** GB 1589-2016 lengths of the combinations longer than Art. 3's 18.1 m. */
const COMBINATION_LENGTH_MM: Partial<Record<CombinationType, { mm: number; label: string }>> = {
  car_transporter: { mm: 22_000, label: '中置轴车辆运输列车' },
  drawbar: { mm: 20_000, label: '全挂汽车列车' },
  centre_axle_trailer: { mm: 20_000, label: '中置轴挂车列车' },
};

/**
 * The dimension limits that apply to a vehicle: Art. 3(1)(一)–(三), raised or lifted for the vehicles that
 * Art. 3(2)(五) does not count as over the limit when they meet GB 1589 — a refrigerated vehicle up to 2.6 m
 * wide; drawbar and centre-axle trailer combinations up to 20 m and centre-axle car transporters up to 22 m long;
 * a special-purpose working vehicle not held to the length limit. (Air suspension is a mass allowance: see
 * grossLimit.) A null limit does not apply. The figures follow GB 1589-2016; confirm them against the standard.
 */
export function dimensionLimits(
  vehicle: VehicleAttributes & { combination?: boolean },
  cite: Cite = defaultCite,
): { limits: Record<DimensionAxis, number | null>; rules: AppliedRule[] } {
  const limits: Record<DimensionAxis, number | null> = { ...DIMENSION_LIMITS_MM };
  const exemptions: string[] = [];
  if (vehicle.bodyType === 'refrigerated') {
    limits.width = 2_600;
    exemptions.push('冷藏车宽度限值 2.60 米');
  }
  const combination = vehicle.combination && vehicle.combinationType;
  const longer = combination ? COMBINATION_LENGTH_MM[combination] : undefined;
  if (longer) {
    limits.length = longer.mm;
    exemptions.push(`${longer.label}长度限值 ${metres(longer.mm)}`);
  }
  if (vehicle.specialPurpose) {
    limits.length = null;
    exemptions.push('专用作业车不适用长度限值（按其产品标准）');
  }
  const rules: AppliedRule[] = exemptions.length
    ? [
        {
          rule: 'dimension.gb1589',
          description: `符合 GB 1589 的车辆不认定为超限（第三条第二款第（五）项）：${exemptions.join('；')}`,
          source: 'law',
          basis: cite(BASIS.overloadLimits),
        },
      ]
    : [];
  return { limits, rules };
}

/**
 * Dimensions over the limits that apply (Art. 3(1)(一)–(三) with the GB 1589 exemptions) and the Art. 43(1)(一)
 * tier they fall in (law), with the fine the policy proposes within that tier (policy, 裁量基准). Null when
 * within the limits or not measured.
 */
export function dimensionViolation(
  dims: Dimensions & VehicleAttributes & { combination?: boolean },
  policy: Pick<ScreeningPolicy, 'dimensionToleranceMm' | 'dimensionFineYuan'>,
  cite: Cite = defaultCite,
): DimensionViolation | null {
  const allowance = policy.dimensionToleranceMm;
  const measured: Record<DimensionAxis, number | undefined> = {
    height: dims.heightMm === undefined ? undefined : dims.heightMm - allowance.height,
    width: dims.widthMm === undefined ? undefined : dims.widthMm - allowance.width,
    length: dims.lengthMm === undefined ? undefined : dims.lengthMm - allowance.length,
  };
  const { limits, rules: exemptionRules } = dimensionLimits(dims, cite);
  const over = (a: DimensionAxis, bound: number | null) => bound !== null && (measured[a] ?? 0) > bound;
  const exceeded = AXES.filter((a) => over(a, limits[a]));
  if (exceeded.length === 0) return null;

  // Art. 43(1)(一) places the vehicle by all its dimensions ("未超过4.2米、3米且20米"), as written.
  const within = (bounds: Record<DimensionAxis, number>) => AXES.every((a) => !over(a, bounds[a]));
  const tier = within(DIMENSION_TIER_BOUNDS_MM.tier1) ? 1 : within(DIMENSION_TIER_BOUNDS_MM.tier2) ? 2 : 3;
  const tierCode = [BASIS.dimensionFineTier1, BASIS.dimensionFineTier2, BASIS.dimensionFineTier3][tier - 1];
  const amountYuan = [
    policy.dimensionFineYuan.tier1,
    policy.dimensionFineYuan.tier2,
    policy.dimensionFineYuan.tier3,
  ][tier - 1];
  const limitsRef = cite(BASIS.overloadLimits);
  const tierRef = cite(tierCode);
  const overText = exceeded
    .map((a) => `${AXIS_LABEL[a]} ${metres(measured[a] ?? 0)} 超过 ${metres(limits[a] ?? 0)}`)
    .join('，');
  const tierText = [
    '未超过高 4.2 米、宽 3 米且长 20 米：可以处 200 元以下罚款',
    '未超过高 4.5 米、宽 3.75 米且长 28 米：处 200 元以上 1000 元以下罚款',
    '超过高 4.5 米、宽 3.75 米或长 28 米：处 1000 元以上 3000 元以下罚款',
  ][tier - 1];
  return {
    exceeded,
    tier,
    amountYuan,
    basis: [tierRef],
    rules: [
      ...exemptionRules,
      { rule: 'dimension.limits', description: `外廓尺寸超限：${overText}`, source: 'law', basis: limitsRef },
      { rule: `fine.dimension.tier${tier}`, description: tierText, source: 'law', basis: tierRef },
      {
        rule: 'fine.dimension.amount',
        description: `按本局裁量基准，第 ${tier} 档拟罚款 ${amountYuan} 元`,
        source: 'policy',
        basis: tierRef,
      },
    ],
  };
}

/**
 * The penalty proposed for all violations of one trip: fines add up, at most 30,000 yuan in all (Art. 43(2));
 * a warning for the weight beside a fine for the size keeps both (a warning and the fine); only warnings → a
 * warning. Null when there is nothing to penalise.
 *
 * A fine cites 《公路安全保护条例》 Art. 64 first: a departmental rule (超限规定) may set penalties only within
 * the range an administrative regulation gives (行政处罚法 Art. 13–14), so Art. 43 is cited with the regulation's
 * Art. 64 (up to 30,000 yuan), not alone. It is cited on the penalty, not on a part: each part keeps its Art. 43
 * tier, whose range the case-file checks apply to it. A warning alone does not cite it: Art. 64 has no warning.
 */
export function combinePenalties(
  parts: PenaltyPart[],
  cite: Cite = defaultCite,
): { penalty: ProposedPenalty | null; rule: AppliedRule | null } {
  if (parts.length === 0) return { penalty: null, rule: null };
  const fines = parts.filter((p) => p.kind === 'fine');
  const warnings = parts.filter((p) => p.kind === 'warning');
  const basis = dedupe(parts.flatMap((p) => p.basis));
  if (fines.length === 0) {
    return { penalty: { kind: 'warning', amountYuan: 0, warning: true, basis, parts }, rule: null };
  }
  const sum = fines.reduce((total, p) => total + p.amountYuan, 0);
  const amountYuan = Math.min(sum, FINE_CAP_YUAN);
  const warning = warnings.length > 0;
  const fineBasis = dedupe([cite(BASIS.highwaySafetyOverload), ...basis]);
  if (fines.length === 1 && sum <= FINE_CAP_YUAN) {
    const rule: AppliedRule | null = warning
      ? {
          rule: 'penalty.warning_and_fine',
          description: `车货总质量超限未超过 1000 千克，予以警告；外廓尺寸超限，罚款 ${amountYuan} 元：两项并处`,
          source: 'law',
          basis: cite(BASIS.cumulativeCap),
        }
      : null;
    return { penalty: { kind: 'fine', amountYuan, warning, basis: fineBasis, parts }, rule };
  }
  const capRef = cite(BASIS.cumulativeCap);
  return {
    penalty: { kind: 'fine', amountYuan, warning, basis: dedupe([...fineBasis, capRef]), parts },
    rule: {
      rule: 'fine.cumulative',
      description:
        `多项违法行为罚款累计 ${kg(sum)} 元` +
        (sum > FINE_CAP_YUAN ? `，累计最高不得超过 30000 元，罚款 30000 元` : ''),
      source: 'law',
      basis: capRef,
    },
  };
}

function dedupe(refs: LegalRef[]): LegalRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => (seen.has(r.code) ? false : (seen.add(r.code), true)));
}
