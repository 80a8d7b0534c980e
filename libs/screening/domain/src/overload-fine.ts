import { BASIS, type LegalRef } from '@ecc/legal-domain';
import { defaultCite, type Cite } from './cite';
import type { FractionRule, ScreeningPolicy } from './screening.policy';
import type { AppliedRule, Dimensions, PenaltyPart, ProposedPenalty } from './screening.types';
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
 * 1,000 kg, the part below 1,000 kg not counted (floor, default) or counted (ceil), at most 30,000 yuan.
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
      source: 'law',
      basis: basis[0],
    },
  };
}

export type DimensionAxis = 'height' | 'width' | 'length';

export interface DimensionViolation {
  /** Axes over the Art. 3 limits (after the policy allowance). */
  exceeded: DimensionAxis[];
  tier: 1 | 2 | 3;
  amountYuan: number;
  basis: LegalRef[];
  rules: AppliedRule[];
}

const AXIS_LABEL: Record<DimensionAxis, string> = { height: '高度', width: '宽度', length: '长度' };
const metres = (mm: number) => `${(mm / 1000).toFixed(2)} 米`;

/**
 * Dimensions over the Art. 3(1)(一)–(三) limits and the Art. 43(1)(一) tier they fall in, with the fine the
 * policy proposes for that tier. Null when within the limits or not measured.
 */
export function dimensionViolation(
  dims: Dimensions,
  policy: Pick<ScreeningPolicy, 'dimensionToleranceMm' | 'dimensionFineYuan'>,
  cite: Cite = defaultCite,
): DimensionViolation | null {
  const allowance = policy.dimensionToleranceMm;
  const measured: Record<DimensionAxis, number | undefined> = {
    height: dims.heightMm === undefined ? undefined : dims.heightMm - allowance.height,
    width: dims.widthMm === undefined ? undefined : dims.widthMm - allowance.width,
    length: dims.lengthMm === undefined ? undefined : dims.lengthMm - allowance.length,
  };
  const axes: DimensionAxis[] = ['height', 'width', 'length'];
  const over = (a: DimensionAxis, bound: number) => (measured[a] ?? 0) > bound;
  const exceeded = axes.filter((a) => over(a, DIMENSION_LIMITS_MM[a]));
  if (exceeded.length === 0) return null;

  const within = (bounds: Record<DimensionAxis, number>) => axes.every((a) => !over(a, bounds[a]));
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
    .map((a) => `${AXIS_LABEL[a]} ${metres(measured[a] ?? 0)} 超过 ${metres(DIMENSION_LIMITS_MM[a])}`)
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
      { rule: 'dimension.limits', description: `外廓尺寸超限：${overText}`, source: 'law', basis: limitsRef },
      {
        rule: `fine.dimension.tier${tier}`,
        description: `${tierText}；按裁量政策拟罚款 ${amountYuan} 元`,
        source: 'law',
        basis: tierRef,
      },
    ],
  };
}

/**
 * The penalty proposed for all violations of one trip: fines add up, at most 30,000 yuan in all (Art. 43(2));
 * only warnings → a warning. Null when there is nothing to penalise.
 */
export function combinePenalties(
  parts: PenaltyPart[],
  cite: Cite = defaultCite,
): { penalty: ProposedPenalty | null; rule: AppliedRule | null } {
  if (parts.length === 0) return { penalty: null, rule: null };
  const fines = parts.filter((p) => p.kind === 'fine');
  const basis = dedupe(parts.flatMap((p) => p.basis));
  if (fines.length === 0) return { penalty: { kind: 'warning', amountYuan: 0, basis, parts }, rule: null };
  const sum = fines.reduce((total, p) => total + p.amountYuan, 0);
  const amountYuan = Math.min(sum, FINE_CAP_YUAN);
  if (fines.length === 1 && sum <= FINE_CAP_YUAN) {
    return { penalty: { kind: 'fine', amountYuan, basis, parts }, rule: null };
  }
  const capRef = cite(BASIS.cumulativeCap);
  return {
    penalty: { kind: 'fine', amountYuan, basis: dedupe([...basis, capRef]), parts },
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
