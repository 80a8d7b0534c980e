import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import {
  FourPenaltiesRepository,
  readStoredPlan,
  type PenaltyRow,
  type StoredPlan,
} from '@ecc/penalties-data';
import {
  answerableParties,
  recordedTripStanding,
  subCaseDecisionReadiness,
  type RecordedTripStanding,
  type AnswerableParty,
  type FourPenaltiesAssessment,
  type SubCasePlan,
} from '@ecc/penalties-domain';
import { DomainError, notFound } from '@ecc/shared-kernel';
import type { Tx } from '@ecc/shared-data';
import { casePenaltyKindOf } from './penalty-vocabulary';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
  }, 'not a calendar date');
export const answerableQuerySchema = z
  .strictObject({
    /** Enterprise (owner or road transport enterprise): its registry id or party id. */
    enterprise: z.string().uuid().optional(),
    /** Cargo source unit: its registry id or party id. */
    sourceUnit: z.string().uuid().optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: 'from must not be after to',
    path: ['from'],
  });
export type AnswerableQueryInput = z.infer<typeof answerableQuerySchema>;

export interface SubCaseRef {
  id: string;
  type: string;
  state: string;
  caseNumber: string | null;
}

export interface OutcomeView {
  role: SubCasePlan['role'];
  partyId: string;
  partyName: string;
  ruleCode: string;
  outcome: SubCasePlan['outcome'];
  /** The case workflow's penalty kind (see casePenaltyKindOf); null: recorded, no penalty. */
  penaltyKind: string | null;
  amountYuan: number | null;
  amountRange: SubCasePlan['amountRange'] | null;
  amountReasons: string | null;
  basis: SubCasePlan['basis'];
  /** What was counted, against which threshold, over which window, from which cases. */
  counts: SubCasePlan['counts'];
  evidenceCaseIds: string[];
  escalation: SubCasePlan['escalation'] | null;
  publicise: boolean;
  notes: string[];
  /** vehicle_case: the vehicle case itself carries it; sub_case: its linked sub-case; record_only: recorded on
   *  the vehicle case; standing_order: the party is already under this order from an earlier trip;
   *  home_authority_report: registered elsewhere, reported to its home authority (超限规定 Art. 46);
   *  source_unit_referral: a source unit that loaded elsewhere, referred to the authority there;
   *  awaiting_registration: where the party is registered is not known yet. */
  carriedBy: CarriedBy;
  /** The report (抄告) to the home authority, with its text, for a measure the bureau does not decide. */
  homeAuthorityReport: StoredPlan['homeAuthorityReport'] | null;
  /** The referral (抄告) of a source unit whose site lies elsewhere to the authority there (行政处罚法 Art. 22). */
  sourceUnitReferral: StoredPlan['sourceUnitReferral'] | null;
  awaitingRegistration: string | null;
  /**
   * A sub-case of a counted measure: whether it may be decided now — only once the trips it counts, above all
   * the one that crossed the threshold, are decided (the decision is refused before).
   */
  decisionReadiness: { ready: boolean; waitsFor: string[] } | null;
  subCase: SubCaseRef | null;
  standingSubCaseId: string | null;
  /** The standing order as it is now (its rule code may have been escalated since). */
  standingOrder: { subCase: SubCaseRef; ruleCode: string | null; penaltyKind: string | null } | null;
  /**
   * On a source unit's order to correct (its sub-case): the other trips the unit loaded while the order stood,
   * recorded on it (湖南条例 Art. 30), each with `standing`: `after_service` — loaded on or after the order was
   * served, evidence that the unit has not corrected; `before_service` / `order_not_served` — the same failure
   * the order deals with, not evidence of non-correction. Null on any other row.
   */
  recordedTrips: RecordedTripView[] | null;
  computedAt: string;
}

export interface RecordedTripView {
  caseId: string;
  caseNumber: string | null;
  violationDate: string;
  plate: string | null;
  station: string | null;
  standing: RecordedTripStanding;
}

export interface FourPenaltiesView {
  caseId: string;
  plate: string | null;
  violationDate: string;
  state: string;
  planned: boolean;
  unidentifiedRoles: string[];
  counts: StoredPlan['assessmentCounts'] | null;
  outcomes: OutcomeView[];
}

type CarriedBy =
  | 'vehicle_case'
  | 'sub_case'
  | 'record_only'
  | 'standing_order'
  | 'home_authority_report'
  | 'source_unit_referral'
  | 'awaiting_registration';

/** Rows that the vehicle case only records (no penalty of its own, no sub-case): never put in a batch. */
const recordedOnly = (stored: StoredPlan) =>
  stored.plan.outcome === 'record_only' ||
  !!stored.standingSubCaseId ||
  !!stored.homeAuthorityReport ||
  !!stored.sourceUnitReferral ||
  !!stored.awaitingRegistration;

const ref = (c: { id: string; type: string; state: string; caseNumber: string | null }): SubCaseRef => ({
  id: c.id,
  type: c.type,
  state: c.state,
  caseNumber: c.caseNumber,
});

function outcomeView(
  row: PenaltyRow,
  stored: StoredPlan,
  subCase: SubCaseRef | null,
  isParent: boolean,
): OutcomeView {
  const p = stored.plan;
  const carriedBy: CarriedBy = subCase
    ? 'sub_case'
    : stored.standingSubCaseId
      ? 'standing_order'
      : stored.homeAuthorityReport
        ? 'home_authority_report'
        : stored.sourceUnitReferral
          ? 'source_unit_referral'
          : stored.awaitingRegistration
            ? 'awaiting_registration'
            : isParent && p.outcome !== 'record_only' && row.penaltyKind
              ? 'vehicle_case'
              : 'record_only';
  return {
    role: p.role,
    partyId: p.partyId,
    partyName: p.partyName,
    ruleCode: row.ruleCode,
    outcome: p.outcome,
    penaltyKind: row.penaltyKind ?? (stored.standingSubCaseId ? casePenaltyKindOf(p) : null),
    amountYuan: row.amount === null ? null : Number(row.amount),
    amountRange: p.amountRange ?? null,
    amountReasons: p.amountReasons ?? null,
    basis: p.basis,
    counts: p.counts,
    evidenceCaseIds: p.evidenceCaseIds,
    escalation: p.escalation ?? null,
    publicise: !!p.publicise,
    notes: p.notes,
    carriedBy,
    subCase,
    standingSubCaseId: stored.standingSubCaseId ?? null,
    standingOrder: null,
    recordedTrips: null,
    homeAuthorityReport: stored.homeAuthorityReport ?? null,
    sourceUnitReferral: stored.sourceUnitReferral ?? null,
    awaitingRegistration: stored.awaitingRegistration ?? null,
    decisionReadiness: null,
    computedAt: row.computedAt.toISOString(),
  };
}

/** The four outcomes of a vehicle case, and the synchronized-issuance screen, from the stored Penalty rows. */
@Injectable()
export class FourPenaltiesQueries {
  constructor(private readonly repo: FourPenaltiesRepository) {}

  async view(caseId: string): Promise<FourPenaltiesView> {
    const v = await this.repo.loadViolation(caseId);
    if (!v) throw notFound('case', caseId);
    if (v.type !== 'vehicle' || v.parentCaseId) {
      throw new DomainError(
        'rule_violation',
        'not_a_vehicle_case',
        '一超四罚的结果显示在车辆违法超限运输案件（主案件）上',
        {
          parentCaseId: v.parentCaseId,
        },
      );
    }
    const [rows, subCases] = await Promise.all([this.repo.penaltiesOf(caseId), this.repo.subCasesOf(caseId)]);
    const outcomes: OutcomeView[] = [];
    let head: StoredPlan | null = null;
    for (const row of rows) {
      const stored = readStoredPlan(row);
      if (!stored) continue;
      if (stored.assessmentCounts) head = stored;
      const view = outcomeView(row, stored, null, true);
      if (stored.standingSubCaseId) {
        const standing = await this.repo.loadSubCase(stored.standingSubCaseId);
        const order = standing?.penalties[0];
        if (standing) {
          view.standingOrder = {
            subCase: ref(standing),
            ruleCode: order?.ruleCode ?? null,
            penaltyKind: order?.penaltyKind ?? null,
          };
        }
      }
      outcomes.push(view);
    }
    const counted = subCases.flatMap((sub) =>
      sub.penalties.flatMap((row) => readStoredPlan(row)?.plan.counts?.caseIds ?? []),
    );
    const decided = await this.repo.decidedAmong([...new Set([caseId, ...counted])]);
    for (const sub of subCases) {
      for (const row of sub.penalties) {
        const stored = readStoredPlan(row);
        if (!stored) continue;
        const view = outcomeView(row, stored, ref(sub), false);
        if (stored.recordedTripCaseIds) view.recordedTrips = await this.recordedTrips(sub.id, stored);
        if (stored.plan.counts) {
          const readiness = subCaseDecisionReadiness(stored.plan, decided);
          view.decisionReadiness = { ready: readiness.ready, waitsFor: readiness.waitsFor };
        }
        outcomes.push(view);
      }
    }
    const order = ['vehicle', 'driver', 'enterprise', 'source_unit'];
    outcomes.sort(
      (a, b) => order.indexOf(a.role) - order.indexOf(b.role) || a.ruleCode.localeCompare(b.ruleCode),
    );
    return {
      caseId,
      plate: v.vehicle?.plate ?? null,
      violationDate: v.violationDate.toISOString().slice(0, 10),
      state: v.state,
      planned: !!head,
      unidentifiedRoles: head?.unidentifiedRoles ?? [],
      counts: head?.assessmentCounts ?? null,
      outcomes,
    };
  }

  /**
   * The trips recorded on a source unit's order, by date, each labelled against the order's service; in `tx`
   * when given (the check's correction review reads them in its transaction).
   */
  async recordedTrips(orderId: string, stored: StoredPlan, tx?: Tx): Promise<RecordedTripView[]> {
    const ids = stored.recordedTripCaseIds ?? [];
    const record = await this.repo.correctionRecordOf(tx, orderId);
    const trips = await this.repo.tripFacts(tx, ids);
    return trips
      .sort((a, b) => a.violationDate.localeCompare(b.violationDate) || a.caseId.localeCompare(b.caseId))
      .map((t) => ({ ...t, standing: recordedTripStanding(t.violationDate, record?.servedOn ?? null) }));
  }

  /**
   * 同步处罚: every party answerable for the vehicle cases of the range (answerableParties of the domain, over
   * the plans stored at planning), each plan with the case that carries it, so that one batch can act on
   * them together. Cases in range not yet planned are named, not guessed.
   */
  async answerable(q: AnswerableQueryInput) {
    const enterpriseParty = q.enterprise ? await this.repo.partyIdOf('enterprise', q.enterprise) : undefined;
    const sourceParty = q.sourceUnit ? await this.repo.partyIdOf('source_unit', q.sourceUnit) : undefined;
    if (q.enterprise && !enterpriseParty) throw notFound('enterprise', q.enterprise);
    if (q.sourceUnit && !sourceParty) throw notFound('source_unit', q.sourceUnit);
    const partyIds = [enterpriseParty, sourceParty].filter((x): x is string => !!x);
    const parents = await this.repo.parentCases({
      ...(q.from ? { from: q.from } : {}),
      ...(q.to ? { to: q.to } : {}),
      ...(partyIds.length ? { partyIds } : {}),
    });
    const assessments: FourPenaltiesAssessment[] = [];
    const carriers = new Map<string, SubCaseRef>();
    // Measures the bureau does not decide here: reported to the home authority, or awaiting the registration.
    const notDecidedHere = new Map<
      string,
      { reportedTo: string | null; awaitingRegistration: string | null }
    >();
    const unplanned: string[] = [];
    for (const parent of parents) {
      const plans: SubCasePlan[] = [];
      let head: StoredPlan | null = null;
      for (const row of parent.penalties) {
        const stored = readStoredPlan(row);
        if (!stored) continue;
        if (stored.assessmentCounts) head = stored;
        plans.push(stored.plan);
        if (!recordedOnly(stored)) {
          carriers.set(`${parent.id}|${row.ruleCode}`, ref(parent));
        }
        if (stored.homeAuthorityReport || stored.sourceUnitReferral || stored.awaitingRegistration) {
          notDecidedHere.set(`${parent.id}|${row.ruleCode}`, {
            reportedTo:
              stored.homeAuthorityReport?.divisionCode ?? stored.sourceUnitReferral?.divisionCode ?? null,
            awaitingRegistration: stored.awaitingRegistration ?? null,
          });
        }
      }
      for (const sub of parent.subCases) {
        for (const row of sub.penalties) {
          const stored = readStoredPlan(row);
          if (!stored) continue;
          plans.push({ ...stored.plan, amountYuan: row.amount === null ? null : Number(row.amount) });
          carriers.set(`${parent.id}|${row.ruleCode}`, ref(sub));
        }
      }
      const counts = head?.assessmentCounts;
      if (!head || !counts) {
        unplanned.push(parent.id);
        continue;
      }
      const violationDate = parent.violationDate.toISOString().slice(0, 10);
      assessments.push({
        caseId: parent.id,
        plate: parent.vehicle?.plate ?? '',
        violationDate,
        asOf: counts.vehicleTrips.asOf,
        plans,
        unidentifiedRoles: head.unidentifiedRoles ?? [],
        counts,
      });
    }
    const parties: AnswerableParty[] = answerableParties(assessments, {
      ...(enterpriseParty ? { enterpriseId: enterpriseParty } : {}),
      ...(sourceParty ? { sourceUnitId: sourceParty } : {}),
      ...(q.from ? { from: q.from } : {}),
      ...(q.to ? { to: q.to } : {}),
    });
    return {
      query: q,
      caseIds: assessments.map((a) => a.caseId),
      unplannedCaseIds: unplanned,
      parties: parties.map((party) => ({
        ...party,
        roles: party.roles.map((role) => ({
          ...role,
          plans: role.plans.map((plan) => ({
            ...plan,
            // A measure reported to the home authority (or awaiting the registration) is no penalty of this bureau.
            penaltyKind: notDecidedHere.has(`${plan.parentCaseId}|${plan.ruleCode}`)
              ? null
              : casePenaltyKindOf(plan),
            carriedBy: carriers.get(`${plan.parentCaseId}|${plan.ruleCode}`) ?? null,
            reportedTo: notDecidedHere.get(`${plan.parentCaseId}|${plan.ruleCode}`)?.reportedTo ?? null,
            awaitingRegistration:
              notDecidedHere.get(`${plan.parentCaseId}|${plan.ruleCode}`)?.awaitingRegistration ?? null,
          })),
          /** The cases to put in a batch for this party and role (one per plan that carries a penalty). */
          caseIdsToIssue: [
            ...new Set(
              role.plans
                .map((plan) => carriers.get(`${plan.parentCaseId}|${plan.ruleCode}`)?.id)
                .filter((id): id is string => !!id),
            ),
          ],
        })),
      })),
    };
  }
}
