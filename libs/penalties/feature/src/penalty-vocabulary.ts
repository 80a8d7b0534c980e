import type { CaseType } from '@ecc/cases-domain';
import { isPenaltyKind, type PenaltyKind } from '@ecc/legal-domain';
import { FOUR_PENALTIES_RULES, type SubCasePlan } from '@ecc/penalties-domain';

/**
 * Where the plans of 一超四罚 meet the cases. The outcome of a plan is written in the one vocabulary of
 * @ecc/legal-domain (`PENALTY_KINDS`, Prisma `penalty_kind`), so a penalty outcome is the case's penalty kind
 * as it is; `order_correct` (an order, not a penalty) and `record_only` (the count is recorded, nothing
 * follows) give a Penalty row with a null kind.
 */
export function casePenaltyKindOf(plan: Pick<SubCasePlan, 'outcome'>): PenaltyKind | null {
  return isPenaltyKind(plan.outcome) ? plan.outcome : null;
}

/**
 * The case that carries a plan: `parent` for the vehicle's own Art. 43 penalty (the vehicle case is that
 * sub-case already — a second one would fine the owner twice for the trip), else the linked sub-case type.
 */
export function carrierOf(plan: Pick<SubCasePlan, 'role' | 'ruleCode'>): 'parent' | CaseType {
  switch (plan.role) {
    case 'vehicle':
      return plan.ruleCode === FOUR_PENALTIES_RULES.vehicleFine ? 'parent' : 'vehicle_certificate';
    case 'driver':
      return 'driver';
    case 'enterprise':
      return 'enterprise';
    case 'source_unit':
      return 'source_unit';
  }
}

/** The CaseParty role of the party a sub-case is against. */
export function casePartyRoleOf(
  plan: Pick<SubCasePlan, 'role'>,
): 'owner' | 'driver' | 'enterprise' | 'source_unit' {
  return plan.role === 'vehicle' ? 'owner' : plan.role;
}

/** The rule codes of one role on one case (the enterprise's ordinary and serious codes are one row). */
export function sameRoleCodes(ruleCode: string): string[] {
  const R = FOUR_PENALTIES_RULES;
  const groups = [
    [R.enterprise, R.enterpriseSerious],
    [R.sourceUnitLoading, R.sourceUnitInstructed],
  ];
  return groups.find((g) => (g as string[]).includes(ruleCode)) ?? [ruleCode];
}

/** 案由 of a sub-case, in the bureau's words. */
export function subCaseFacts(plan: SubCasePlan, plate: string, violationDate: string): string {
  const what: Record<string, string> = {
    vehicle_certificate: `车辆${plate}一年内违法超限运输超过3次，拟吊销车辆营运证（《公路安全保护条例》第六十六条）`,
    driver: `驾驶人${plan.partyName}一年内违法超限运输超过3次，拟责令停止从事营业性运输（《公路安全保护条例》第六十六条）`,
    enterprise: `道路运输企业${plan.partyName}一年内违法超限运输的货运车辆超过本单位货运车辆总数的10%，拟责令停业整顿（《公路安全保护条例》第六十六条）`,
    source_unit: `货运源头单位${plan.partyName}为${plate}装载货物致其违法超限运输（${violationDate}）`,
  };
  return [
    what[carrierOf(plan)] ?? '',
    ...(plan.counts ? [countStatement(plan.counts)] : []),
    `系${violationDate}车辆${plate}违法超限运输案（一超四罚）的关联案件`,
  ].join('；');
}

/** The count a sub-case rests on, with the counting rule that produced it (the bureau's policy, 超限规定 Art. 46). */
function countStatement(c: NonNullable<SubCasePlan['counts']>): string {
  const counted =
    c.measure === 'enterprise_vehicles'
      ? `计${c.count}辆（货运车辆总数${c.fleetSizeOnDate ?? '—'}辆，10%为${c.threshold}辆）`
      : `计${c.count}次，超过${c.threshold}次`;
  return `${counted}；计数规则（本局执法政策）：${c.rule.description}`;
}
