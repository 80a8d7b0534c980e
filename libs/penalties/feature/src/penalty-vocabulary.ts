import type { CaseType } from '@ecc/cases-domain';
import { isPenaltyKind, type PenaltyKind } from '@ecc/legal-domain';
import { FOUR_PENALTIES_LAW, FOUR_PENALTIES_RULES, type SubCasePlan } from '@ecc/penalties-domain';

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

/** A trip as the facts of a sub-case state it: when, which vehicle, where it was detected, its case. */
export interface TripFact {
  caseId: string;
  caseNumber: string | null;
  violationDate: string;
  plate: string | null;
  station: string | null;
}

/** The vehicle case's own facts a source unit's sub-case states (湖南条例 Art. 13: it loaded the vehicle). */
export interface LoadingFact {
  plate: string;
  violationDate: string;
  loadingSlipNo?: string | null;
}

/** "10% of the fleet" as a number of vehicles, e.g. 0.8 of 8 (Art. 66 compares the count with it exactly). */
const tenPercentOf = (fleet: number | undefined) =>
  fleet === undefined ? '' : `（${(fleet * FOUR_PENALTIES_LAW.enterpriseFleetSharePercent) / 100}辆）`;

const tripLine = (t: TripFact, i: number) =>
  `${i + 1}. ${t.violationDate}，车辆${t.plate ?? '—'}` +
  `${t.station ? `途经${t.station}` : ''}，经检测违法超限运输` +
  `${t.caseNumber ? `（案号：${t.caseNumber}）` : ''}`;

/**
 * 违法事实 of a sub-case, printed as such in its documents (行政处罚法 Arts. 44, 59): only what happened — the
 * trips (date, plate, station, case number) and, for a counted measure, their count against the threshold of
 * 《公路安全保护条例》 Art. 66 (超过3次; 超过本单位货运车辆总数的10%). The proposed measure is the case's proposed
 * penalty, the counting rule (the bureau's policy) is on its Penalty row with the count: neither is a fact.
 * `trips` are the trips the plan rests on (`evidenceCaseIds`), in any order. `circumstances`: the facts found
 * serious (情节严重) by the approver, when escalated.
 */
export function subCaseFacts(
  plan: SubCasePlan,
  trips: TripFact[],
  loading: LoadingFact,
  circumstances?: string,
): string {
  const ordered = plan.evidenceCaseIds
    .map((id) => trips.find((t) => t.caseId === id))
    .filter((t): t is TripFact => !!t)
    .sort((a, b) => a.violationDate.localeCompare(b.violationDate) || a.caseId.localeCompare(b.caseId));
  const listed = ordered.map(tripLine).join('；');
  const c = plan.counts;
  const within = c ? `${c.window.from}至${c.window.to}期间` : '';
  let text: string;
  switch (carrierOf(plan)) {
    case 'vehicle_certificate':
      text =
        `车辆${loading.plate}违法超限运输：${listed}。` +
        (c
          ? `${within}该车违法超限运输计${c.count}次，超过《公路安全保护条例》第六十六条规定的${c.threshold}次。`
          : '');
      break;
    case 'driver':
      text =
        `驾驶人${plan.partyName}驾驶车辆违法超限运输：${listed}。` +
        (c
          ? `${within}该驾驶人违法超限运输计${c.count}次，超过《公路安全保护条例》第六十六条规定的${c.threshold}次。`
          : '');
      break;
    case 'enterprise':
      text =
        `道路运输企业${plan.partyName}所属货运车辆违法超限运输：${listed}。` +
        (c
          ? `${within}该企业有违法超限运输行为的货运车辆计${c.count}辆，` +
            `超过本单位货运车辆总数（${c.fleetSizeOnDate ?? '—'}辆）的10%${tenPercentOf(c.fleetSizeOnDate)}` +
            `（《公路安全保护条例》第六十六条）。`
          : '');
      break;
    default: {
      const trip = ordered[0];
      text =
        `${loading.violationDate}，货运源头单位${plan.partyName}为车辆${loading.plate}装载货物` +
        `${loading.loadingSlipNo ? `（装载单号：${loading.loadingSlipNo}）` : ''}，` +
        `该车${trip?.station ? `途经${trip.station}` : ''}经检测违法超限运输` +
        `${trip?.caseNumber ? `（案号：${trip.caseNumber}）` : ''}。` +
        // 《公路安全保护条例》 Art. 68 fines the instruction or forcing, not the loading: the facts must state the
        // act fined (行政处罚法 Arts. 44, 59(2)), as the 案由 and any referral do.
        (plan.ruleCode === FOUR_PENALTIES_RULES.sourceUnitInstructed
          ? '经调查，该单位指使、强令车辆驾驶人超限运输货物。'
          : '');
    }
  }
  return circumstances ? `${text}情节：${circumstances}` : text;
}
