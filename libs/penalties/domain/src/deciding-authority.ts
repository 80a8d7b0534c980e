import { type LegalRef } from '@ecc/legal-domain';
import { type FourPenaltiesPolicy } from './four-penalties.policy';
import { FOUR_PENALTIES_RULES } from './four-penalties.rules';
import {
  type FourPenaltiesAssessment,
  type OutcomeKind,
  type PenaltyRole,
  type RuleCount,
  type SubCasePlan,
} from './four-penalties.types';

/**
 * Who decides the measures of 《公路安全保护条例》 Art. 66 (stop transport, suspend business, revoke a
 * certificate or licence): the road transport authority where the party or vehicle is registered
 * (超限规定 Art. 46). The bureau decides them for registrations in the divisions it serves (policy); for the
 * others it records the count and reports (抄告) to the home authority instead of opening a sub-case.
 */

/** The 6-digit division codes of the registrations each Art. 66 measure depends on; null: not known. */
export interface PartyRegistrations {
  /** The vehicle's registration (its 道路运输证): the certificate revocation. */
  vehicle?: string | null;
  /** The driver's 从业资格证: the order to stop commercial transport. */
  driver?: string | null;
  /** The enterprise's 道路运输经营许可证: suspension, revocation. */
  enterprise?: string | null;
}

/** What goes to the home authority in place of a sub-case: the measure reached, with what was counted. */
export interface HomeAuthorityReport {
  divisionCode: string;
  parentCaseId: string;
  role: PenaltyRole;
  partyId: string;
  partyName: string;
  ruleCode: string;
  /** The Art. 66 measure the count reaches, for the home authority to decide. */
  measure: OutcomeKind;
  counts: RuleCount;
  countedCaseIds: string[];
  /** 超限规定 Art. 46 and the Art. 66 provision of the measure. */
  basis: LegalRef[];
}

export interface AuthorityPartition {
  /** Plans the bureau carries itself (its own sub-cases, the vehicle case, counts recorded on it). */
  subCases: SubCasePlan[];
  reports: HomeAuthorityReport[];
  /** Measures whose registration is not known: neither a sub-case nor a report until it is recorded. */
  undetermined: { plan: SubCasePlan; reason: string }[];
}

const ART_66_MEASURES: ReadonlySet<string> = new Set([
  FOUR_PENALTIES_RULES.vehicleCertificate,
  FOUR_PENALTIES_RULES.driver,
  FOUR_PENALTIES_RULES.enterprise,
  FOUR_PENALTIES_RULES.enterpriseSerious,
]);

/** An Art. 66 measure to decide (a count that only records belongs to the vehicle case wherever it is). */
const isArt66Measure = (plan: SubCasePlan) =>
  ART_66_MEASURES.has(plan.ruleCode) && plan.outcome !== 'record_only';

const REGISTRATION: Record<PenaltyRole, keyof PartyRegistrations | null> = {
  vehicle: 'vehicle',
  driver: 'driver',
  enterprise: 'enterprise',
  source_unit: null,
};

const LABEL: Record<keyof PartyRegistrations, string> = {
  vehicle: '车辆（道路运输证）',
  driver: '驾驶人（从业资格证）',
  enterprise: '道路运输企业（道路运输经营许可证）',
};

export function partitionByAuthority(
  assessment: Pick<FourPenaltiesAssessment, 'plans'>,
  registrations: PartyRegistrations,
  policy: Pick<FourPenaltiesPolicy, 'jurisdiction' | 'basis'>,
): AuthorityPartition {
  const served = new Set(policy.jurisdiction.divisionCodes);
  const result: AuthorityPartition = { subCases: [], reports: [], undetermined: [] };
  for (const plan of assessment.plans) {
    const key = REGISTRATION[plan.role];
    const counts = plan.counts;
    if (!isArt66Measure(plan) || !key || !counts) {
      result.subCases.push(plan);
      continue;
    }
    const division = registrations[key];
    if (!division) {
      result.undetermined.push({
        plan,
        reason: `${LABEL[key]}登记地不明，无法确定由谁作出处理（《超限运输车辆行驶公路管理规定》第四十六条）`,
      });
    } else if (served.has(division)) {
      result.subCases.push(plan);
    } else {
      result.reports.push({
        divisionCode: division,
        parentCaseId: plan.parentCaseId,
        role: plan.role,
        partyId: plan.partyId,
        partyName: plan.partyName,
        ruleCode: plan.ruleCode,
        measure: plan.outcome,
        counts,
        countedCaseIds: counts.caseIds,
        basis: [policy.basis.measuresAuthority, ...plan.basis],
      });
    }
  }
  return result;
}

/**
 * A sub-case of a counted measure is decided only once the trips it counts are decided — above all the trip
 * that crossed the threshold (its parent vehicle case), whose own decision makes it a confirmed violation.
 * Plans that count nothing are not held.
 */
export function subCaseDecisionReadiness(
  plan: Pick<SubCasePlan, 'parentCaseId' | 'counts'>,
  decidedCaseIds: Iterable<string>,
):
  | { ready: true; waitsFor: [] }
  | { ready: false; code: 'awaits_threshold_trip_decision'; waitsFor: string[] } {
  if (!plan.counts) return { ready: true, waitsFor: [] };
  const decided = new Set(decidedCaseIds);
  const needed = [...new Set([...plan.counts.caseIds, plan.parentCaseId])];
  const waitsFor = needed.filter((id) => !decided.has(id));
  return waitsFor.length
    ? { ready: false, code: 'awaits_threshold_trip_decision', waitsFor }
    : { ready: true, waitsFor: [] };
}
