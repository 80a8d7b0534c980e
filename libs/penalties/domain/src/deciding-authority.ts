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
  /**
   * Where the cargo source unit loaded the vehicle (its site): the violation of 湖南条例 Art. 13 (and an
   * instruction to overload, 条例 Art. 68) takes place there, and the county where it lies is competent
   * (湖南条例 Art. 30; 行政处罚法 Art. 22).
   */
  sourceUnitSite?: string | null;
}

/**
 * What goes to the authority competent for a source unit whose site lies outside the divisions the bureau serves
 * (抄告, 行政处罚法 Art. 22): the unit, the trip, and what the unit did. The Hunan regulation reaches only units
 * in Hunan: outside it the referral cites none of its articles, and that authority applies its own rules.
 */
export interface SourceUnitReferral {
  divisionCode: string;
  /** The site lies in Hunan (division codes 43xxxx): 湖南条例 Arts. 13, 30 apply there. */
  withinHunan: boolean;
  parentCaseId: string;
  partyId: string;
  partyName: string;
  ruleCode: string;
  /** The measure this bureau would have taken, for the competent authority to consider. */
  measure: OutcomeKind;
  /** The provisions cited: the plan's, without the Hunan regulation when the site is outside Hunan. */
  basis: LegalRef[];
}

/** Hunan's administrative divisions (GB/T 2260): the province code 43. */
export const isWithinHunan = (divisionCode: string): boolean => divisionCode.startsWith('43');

/** The catalogue codes of the Hunan regulation (湖南省治理货物运输车辆超限超载条例), cited only within Hunan. */
const HUNAN_REGULATION = /^HN-OLR-/;

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
  /** Source units whose site lies elsewhere: referred to the competent authority there. */
  referrals: SourceUnitReferral[];
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

const REGISTRATION: Record<Exclude<PenaltyRole, 'source_unit'>, 'vehicle' | 'driver' | 'enterprise'> = {
  vehicle: 'vehicle',
  driver: 'driver',
  enterprise: 'enterprise',
};

const LABEL: Record<'vehicle' | 'driver' | 'enterprise', string> = {
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
  const result: AuthorityPartition = { subCases: [], reports: [], referrals: [], undetermined: [] };
  for (const plan of assessment.plans) {
    if (plan.role === 'source_unit') {
      sourceUnitByTerritory(plan, registrations.sourceUnitSite ?? null, served, result);
      continue;
    }
    const key = REGISTRATION[plan.role];
    const counts = plan.counts;
    if (!isArt66Measure(plan) || !counts) {
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
 * A source unit answers where it loaded the vehicle (行政处罚法 Art. 22: the place of the violation; 湖南条例 Art.
 * 30: the county's 交通运输主管部门): a sub-case when its site lies in a division the bureau serves, a referral
 * (抄告) to the authority there when elsewhere, and undetermined while the site is not known — no order, no
 * fine and no referral until the officer records it.
 */
function sourceUnitByTerritory(
  plan: SubCasePlan,
  site: string | null,
  served: ReadonlySet<string>,
  result: AuthorityPartition,
): void {
  if (!site) {
    result.undetermined.push({
      plan,
      reason:
        '货运源头单位装载场所所在地（行政区划代码）不明，无法确定管辖（《中华人民共和国行政处罚法》第二十二条）：' +
        '请在一超四罚评估中填写 sourceUnitSiteDivisionCode，或在登记信息中填写 siteDivisionCode',
    });
  } else if (served.has(site)) {
    result.subCases.push(plan);
  } else {
    const withinHunan = isWithinHunan(site);
    // the duty broken (湖南条例 Art. 13) with the sanction (Art. 30), or Art. 68 for a unit that instructed
    const cited = [...(plan.correction?.basis ?? []), ...plan.basis].filter(
      (b, i, all) => all.findIndex((x) => x.code === b.code) === i,
    );
    const basis = withinHunan ? cited : cited.filter((b) => !HUNAN_REGULATION.test(b.code));
    result.referrals.push({
      divisionCode: site,
      withinHunan,
      parentCaseId: plan.parentCaseId,
      partyId: plan.partyId,
      partyName: plan.partyName,
      ruleCode: plan.ruleCode,
      measure: plan.outcome,
      basis,
    });
  }
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
