import type { TolerancePolicy } from './screening.policy';
import type { AppliedRule, DeviceFacts, ToleranceRule } from './screening.types';
import { kg } from './format';

export interface ToleranceResult {
  toleranceKg: number;
  rule: ToleranceRule;
  /** Where the rule came from: the device itself, its accuracy class, or the bureau default. */
  source: 'device' | 'accuracy_class' | 'default';
  applied: AppliedRule;
}

/**
 * The weighing tolerance deducted before the excess is computed (policy, not law: the measurement tolerance).
 * A percentage is rounded up to the whole kilogram — the rounding favourable to the party — and computed in
 * integers (basis points) so that no binary fraction changes a boundary.
 */
export function toleranceFor(
  grossKg: number,
  device: Pick<DeviceFacts, 'accuracyClass' | 'tolerance'>,
  policy: TolerancePolicy,
): ToleranceResult {
  const byClass = device.accuracyClass ? policy.byAccuracyClass[device.accuracyClass] : undefined;
  const [rule, source] = device.tolerance
    ? ([device.tolerance, 'device'] as const)
    : byClass
      ? ([byClass, 'accuracy_class'] as const)
      : ([policy.default, 'default'] as const);
  const toleranceKg =
    rule.kind === 'fixed_kg' ? rule.kg : Math.ceil((grossKg * Math.round(rule.percent * 100)) / 10_000);
  const origin =
    source === 'device'
      ? '本设备设定'
      : source === 'accuracy_class'
        ? `准确度等级 ${device.accuracyClass}`
        : '默认政策';
  const what =
    rule.kind === 'fixed_kg' ? `固定 ${rule.kg} 千克` : `实测总质量的 ${rule.percent}%（向上取整到千克）`;
  return {
    toleranceKg,
    rule,
    source,
    applied: {
      rule: `tolerance.${rule.kind}`,
      description: `动态称重误差扣除：${what}，来源：${origin}，扣除 ${kg(toleranceKg)} 千克`,
      source: 'policy',
      basis: null,
    },
  };
}
