import { DomainError, type IsoDate } from '@ecc/shared-kernel';
import {
  type FourPenaltiesAssessment,
  type OutcomeKind,
  type PenaltyRole,
  type SubCasePlan,
} from './four-penalties.types';

/** The filter of the synchronized-issuance screen (同步处罚): GET /penalties/answerable. */
export interface AnswerableQuery {
  /** Cases whose vehicle owner or road transport enterprise is this party. */
  enterpriseId?: string;
  /** Cases whose cargo source unit is this party. */
  sourceUnitId?: string;
  /** Violation dates, inclusive. */
  from?: IsoDate;
  to?: IsoDate;
}

export interface AnswerableRole {
  role: PenaltyRole;
  /** The trips (parent cases) the party answers for in this role. */
  caseIds: string[];
  tripCount: number;
  plans: SubCasePlan[];
  /** Sum of the fines already chosen; `finesPending` counts those still to be chosen within their range. */
  totalFineYuan: number;
  finesPending: number;
  outcomes: Partial<Record<OutcomeKind, number>>;
}

export interface AnswerableParty {
  partyId: string;
  partyName: string;
  roles: AnswerableRole[];
}

const ROLE_ORDER: PenaltyRole[] = ['vehicle', 'driver', 'enterprise', 'source_unit'];

/**
 * Every party answerable for a batch of cases, with its sub-case plans grouped by role, so that their
 * penalties can be issued together — each plan still its own document. Parties are listed by the number
 * of trips they answer for, most first.
 */
export function answerableParties(
  assessments: FourPenaltiesAssessment[],
  query: AnswerableQuery = {},
): AnswerableParty[] {
  const seenCases = new Set<string>();
  const parties = new Map<string, { partyName: string; roles: Map<PenaltyRole, SubCasePlan[]> }>();
  for (const assessment of assessments.filter((a) => matches(a, query))) {
    if (seenCases.has(assessment.caseId)) {
      // The same trip twice in a batch would double every fine in it.
      throw new DomainError(
        'validation',
        'duplicate_case_in_batch',
        `case ${assessment.caseId} appears twice`,
      );
    }
    seenCases.add(assessment.caseId);
    for (const plan of assessment.plans) {
      const party = parties.get(plan.partyId) ?? { partyName: plan.partyName, roles: new Map() };
      parties.set(plan.partyId, party);
      party.roles.set(plan.role, [...(party.roles.get(plan.role) ?? []), plan]);
    }
  }
  return [...parties.entries()]
    .map(([partyId, { partyName, roles }]) => ({
      partyId,
      partyName,
      roles: ROLE_ORDER.flatMap((r) => {
        const plans = roles.get(r);
        return plans ? [summarise(r, plans)] : [];
      }),
    }))
    .sort((a, b) => trips(b) - trips(a) || a.partyId.localeCompare(b.partyId));
}

function summarise(role: PenaltyRole, plans: SubCasePlan[]): AnswerableRole {
  const caseIds = [...new Set(plans.map((p) => p.parentCaseId))].sort();
  const fines = plans.filter((p) => p.outcome === 'fine');
  const outcomes: Partial<Record<OutcomeKind, number>> = {};
  for (const p of plans) outcomes[p.outcome] = (outcomes[p.outcome] ?? 0) + 1;
  return {
    role,
    caseIds,
    tripCount: caseIds.length,
    plans,
    totalFineYuan: fines.reduce((sum, p) => sum + (p.amountYuan ?? 0), 0),
    finesPending: fines.filter((p) => p.amountYuan === null).length,
    outcomes,
  };
}

const trips = (party: AnswerableParty) => new Set(party.roles.flatMap((r) => r.caseIds)).size;

function matches(a: FourPenaltiesAssessment, q: AnswerableQuery): boolean {
  const partyIn = (roles: PenaltyRole[], id: string) =>
    a.plans.some((p) => roles.includes(p.role) && p.partyId === id);
  return (
    (!q.from || a.violationDate >= q.from) &&
    (!q.to || a.violationDate <= q.to) &&
    (!q.enterpriseId || partyIn(['vehicle', 'enterprise'], q.enterpriseId)) &&
    (!q.sourceUnitId || partyIn(['source_unit'], q.sourceUnitId))
  );
}
