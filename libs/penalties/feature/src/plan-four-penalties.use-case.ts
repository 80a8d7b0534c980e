import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { z } from 'zod';
import { recordAudit } from '@ecc/audit-data';
import { CaseDocumentsRepository, decodeSnapshot } from '@ecc/cases-data';
import {
  CASE_DOCUMENT_PRINTER,
  caseDocumentContent,
  penaltyText,
  type CaseDocumentPrinter,
} from '@ecc/cases-feature';
import { newCaseDraft, type CaseSnapshot, type Penalty } from '@ecc/cases-domain';
import {
  countingFactsOf,
  FourPenaltiesRepository,
  readStoredPlan,
  type StoredPlan,
  type SubCaseRow,
  type ViolationRow,
} from '@ecc/penalties-data';
import {
  DIVISION_CODE,
  FOUR_PENALTIES_RULES,
  fourPenaltiesPolicyOf,
  fourPenaltiesPolicySchema,
  HOME_AUTHORITY_REPORT_TITLE,
  homeAuthorityReportLines,
  oneYearWindow,
  partitionByAuthority,
  planFourPenalties,
  sourceUnitReferralLines,
  standingCorrectionOrder,
  type SourceUnitReferral,
  type AuthorityPartition,
  type FourPenaltiesAssessment,
  type HomeAuthorityReport,
  type FourPenaltiesPolicy,
  type ProposedVehiclePenalty,
  type SubCasePlan,
  type ViolationUnderDecision,
} from '@ecc/penalties-domain';
import { PoliciesRepository } from '@ecc/legal-data';
import type { AppConfig } from '@ecc/shared-config';
import type { PrismaClient, Tx } from '@ecc/shared-data';
import { DomainError, localDate, notFound, type Clock } from '@ecc/shared-kernel';
import { APP_CONFIG, CLOCK, PRISMA, type CommandContext } from '@ecc/platform-nest';
import { FourPenaltiesQueries, type FourPenaltiesView } from './four-penalties.queries';
import {
  carrierOf,
  casePartyRoleOf,
  casePenaltyKindOf,
  sameRoleCodes,
  subCaseFacts,
} from './penalty-vocabulary';

/** 违法事实 of a sub-case from the register: the trips its plan rests on and the vehicle case's loading. */
export async function subCaseFactsOf(
  tx: Tx,
  repo: FourPenaltiesRepository,
  parent: Pick<ViolationRow, 'violationDate' | 'loadingSlipNo' | 'vehicle' | 'lead'>,
  plan: SubCasePlan,
  circumstances?: string,
): Promise<string> {
  const trips = await repo.tripFacts(tx, [...new Set([plan.parentCaseId, ...plan.evidenceCaseIds])]);
  return subCaseFacts(
    plan,
    trips,
    {
      plate: parent.vehicle?.plate ?? parent.lead?.plate ?? '—',
      violationDate: parent.violationDate.toISOString().slice(0, 10),
      loadingSlipNo: parent.loadingSlipNo,
    },
    circumstances,
  );
}

export const planFourPenaltiesSchema = z.strictObject({
  /** 指使、强令超限 found by the investigation (《公路安全保护条例》 Art. 68); kept from the last plan when absent. */
  sourceUnitInstructedOrForced: z.boolean().optional(),
  /**
   * Where the source unit loaded the vehicle (its site's 6-digit division code), as the investigation found: the
   * county there is competent (湖南条例 Art. 30; 行政处罚法 Art. 22). The officer's finding is kept from the last
   * plan when absent; without one, the registry's `siteDivisionCode` as it reads at each planning.
   */
  sourceUnitSiteDivisionCode: z
    .string()
    .regex(DIVISION_CODE, 'a 6-digit administrative division code (e.g. 430681)')
    .optional(),
});
export type PlanFourPenaltiesInput = z.infer<typeof planFourPenaltiesSchema>;

/** States in which a sub-case's proposed penalty may still change (before its pre-penalty notice). */
export const BEFORE_NOTICE = new Set(['draft', 'filing_requested', 'filed', 'investigating', 'returned']);
const NOT_PLANNABLE = new Set(['not_filed', 'terminated', 'archived']);

export const PLAN_TRANSACTION = { maxWait: 15_000, timeout: 60_000 } as const;

/**
 * 一超四罚 for one vehicle case (POST /cases/{id}/four-penalties/plan): the violation with its vehicle,
 * owner, enterprise (and its fleet registered on the violation date), driver and source unit; the confirmed
 * (decided) trips of the rolling year; the pure rules of @ecc/penalties-domain; then, in ONE transaction
 * with the audit, a linked sub-case per answerable party and role with its Penalty row (rule code, counts,
 * the cases counted, threshold, amount or kind). Re-planning updates the rows and never creates a second
 * sub-case for a party and role; an order already standing against a party (driver stopped, enterprise
 * suspended, certificate revoked under another trip) is not opened again.
 */
@Injectable()
export class PlanFourPenaltiesUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: FourPenaltiesRepository,
    private readonly queries: FourPenaltiesQueries,
    private readonly policies: PoliciesRepository,
    private readonly documents: CaseDocumentsRepository,
    @Optional() @Inject(CASE_DOCUMENT_PRINTER) private readonly printer?: CaseDocumentPrinter,
  ) {}

  async execute(
    caseId: string,
    input: PlanFourPenaltiesInput,
    ctx: CommandContext,
  ): Promise<FourPenaltiesView> {
    const now = this.clock.now();
    // The policy is read before the transaction opens (a second pool connection is not waited for inside it).
    const policy = await this.policyAt(now);
    const documentsWritten: WrittenDocument[] = [];
    await this.prisma.$transaction(async (tx) => {
      if (!(await this.repo.lockCase(tx, caseId))) throw notFound('case', caseId);
      if (!(await this.repo.isOfficerOf(caseId, ctx.actor.id, tx))) {
        throw new DomainError('forbidden', 'not_case_officer', '只有本案执法人员可以进行一超四罚评估');
      }
      await this.executeIn(tx, caseId, input, ctx, { now, policy, documentsWritten });
    }, PLAN_TRANSACTION);
    // The reports written are printed off the request path once committed, as a case action's documents are.
    if (documentsWritten.length) await this.printer?.versionsWritten(caseId, documentsWritten);
    return this.queries.view(caseId);
  }

  /**
   * Plans the case again on the bureau's own motion (the registry now knows where its source unit loads): as
   * `execute`, without the check that the actor is an officer of the case; the planning is audited as any.
   */
  async replan(caseId: string, ctx: CommandContext): Promise<void> {
    const now = this.clock.now();
    const policy = await this.policyAt(now);
    const documentsWritten: WrittenDocument[] = [];
    await this.prisma.$transaction(
      (tx) => this.executeIn(tx, caseId, {}, ctx, { now, policy, documentsWritten }),
      PLAN_TRANSACTION,
    );
    if (documentsWritten.length) await this.printer?.versionsWritten(caseId, documentsWritten);
  }

  /**
   * The planning inside a caller's transaction (the filing or investigation action that triggers it, see
   * FourPenaltiesAfterAction): the case is locked, assessed and its sub-cases, penalty rows and audit
   * written on `tx`. Who may plan is the caller's check. Roles not identified yet (no driver, no source
   * unit) are not an error: they are listed in `unidentifiedRoles` and planned once known. The document
   * versions it writes on the vehicle case (reports to a home authority) are added to `documentsWritten`, for
   * the caller to have printed after its commit.
   */
  async executeIn(
    tx: Tx,
    caseId: string,
    input: PlanFourPenaltiesInput,
    ctx: CommandContext,
    at: { now?: Date; policy?: FourPenaltiesPolicy; documentsWritten?: WrittenDocument[] } = {},
  ): Promise<FourPenaltiesAssessment> {
    const now = at.now ?? this.clock.now();
    const policy = at.policy ?? (await this.policyAt(now, tx));
    const timeZone = this.config.bureau.timeZone;
    if (!(await this.repo.lockCase(tx, caseId))) throw notFound('case', caseId);
    const v = await this.repo.loadViolation(caseId, tx);
    if (!v) throw notFound('case', caseId);
    if (v.type !== 'vehicle' || v.parentCaseId) {
      throw new DomainError(
        'rule_violation',
        'not_a_vehicle_case',
        '一超四罚只对车辆违法超限运输案件（主案件）评估',
      );
    }
    if (NOT_PLANNABLE.has(v.state)) {
      throw new DomainError('conflict', 'case_not_plannable', `案件处于 ${v.state} 状态，不能评估一超四罚`);
    }
    const existingParent = await this.repo.penaltiesOf(caseId, tx);
    const subCases = await this.repo.subCasesOf(caseId, tx);
    const violation = await this.violationOf(tx, v, input, existingParent.map(readStoredPlan), subCases);
    const window = oneYearWindow(violation.violationDate);
    const history = await this.repo.decidedTrips(
      tx,
      {
        vehicleId: v.vehicleId,
        driverId: v.driverId,
        enterpriseId: v.enterpriseId,
        from: window.from,
        to: window.to,
      },
      timeZone,
    );
    const asOf = localDate(now, timeZone);
    const assessment = planFourPenalties({
      violation,
      history,
      asOf: asOf < violation.violationDate ? violation.violationDate : asOf,
      policy,
    });
    // The source unit's site: the officer's finding on this trip (now or at an earlier planning), else the
    // registry's as it reads now — never a registry value frozen by an earlier planning.
    const officerSite =
      input.sourceUnitSiteDivisionCode ??
      [...existingParent, ...subCases.flatMap((c) => c.penalties)]
        .map(readStoredPlan)
        .find((s) => s?.plan.role === 'source_unit' && s.plan.partyId === v.sourceUnit?.partyId)
        ?.sourceUnitSiteFoundByOfficer;
    const sourceUnitSite = officerSite ?? v.sourceUnit?.siteDivisionCode ?? null;
    // 超限规定 Art. 46: the Art. 66 measures of parties registered elsewhere are reported, not opened here; a
    // source unit answers where it loaded (行政处罚法 Art. 22), referred there when that is not the bureau's.
    const partition = partitionByAuthority(
      assessment,
      {
        vehicle: v.vehicle?.registrationDivisionCode ?? null,
        driver: v.driver?.registrationDivisionCode ?? null,
        enterprise: v.enterprise?.registrationDivisionCode ?? null,
        sourceUnitSite,
      },
      policy,
    );
    const writtenBefore = at.documentsWritten?.length ?? 0;
    const reporting: Reporting = {
      previous: new Map(
        existingParent.flatMap((row) => {
          const report = readStoredPlan(row)?.homeAuthorityReport;
          return report ? [[report.ruleCode, report] as const] : [];
        }),
      ),
      previousReferrals: new Map(
        existingParent.flatMap((row) => {
          const referral = readStoredPlan(row)?.sourceUnitReferral;
          return referral ? [[referral.ruleCode, referral] as const] : [];
        }),
      ),
      written: at.documentsWritten ?? [],
      // the officer who planned is the report's author; a planning not done by a user has none
      authorId: ctx.actor.kind === 'user' ? ctx.actor.id : null,
    };
    const changes = await this.apply(
      tx,
      v,
      subCases,
      assessment,
      partition,
      { ...violation, sourceUnitSite, officerSite: officerSite ?? null },
      now,
      ctx,
      reporting,
    );
    // the versions written are named by this event, as a case action's are (the case-file trace links them)
    const documents = reporting.written.slice(writtenBefore).map((d) => d.id);
    await recordAudit(
      tx,
      {
        actor: ctx.actor,
        action: 'four_penalties.planned',
        entityType: 'case',
        entityId: caseId,
        requestId: ctx.requestId,
        changes: {
          asOf: assessment.asOf,
          unidentifiedRoles: assessment.unidentifiedRoles,
          counts: {
            vehicleTrips: assessment.counts.vehicleTrips.count,
            driverTrips: assessment.counts.driverTrips?.count ?? null,
            enterpriseVehicles: assessment.counts.enterpriseVehicles?.count ?? null,
          },
          ...changes,
          documents,
        },
      },
      now,
    );
    return assessment;
  }

  /**
   * The report to the home authority, with the party's identity and every counted case with its decision, as
   * a case document of the vehicle case (违法超限运输情况抄告函, numbered `CJ`): written when the count first
   * reaches the measure, a new version when what it reports changes (a case more, another count), untouched
   * — date included — when re-planning finds the same.
   */
  private async report(
    tx: Tx,
    v: ViolationRow,
    report: HomeAuthorityReport,
    now: Date,
    reporting: Reporting,
  ): Promise<NonNullable<StoredPlan['homeAuthorityReport']>> {
    const timeZone = this.config.bureau.timeZone;
    const party = await this.repo.partyOf(tx, report.partyId);
    const cases = (await this.repo.reportedCases(tx, report.countedCaseIds)).map((c) => ({
      ...c,
      decision: c.decision && {
        documentNumber: c.decision.documentNumber,
        penalty: c.decision.penalty ? penaltyText(c.decision.penalty) : null,
        decidedOn: localDate(c.decision.decidedAt, timeZone),
      },
    }));
    const linesOn = (issuedOn: string) =>
      homeAuthorityReportLines(report, {
        authority: this.config.bureau.name,
        issuedOn,
        addressee: addresseeOf(v, report),
        party: {
          name: party?.name ?? report.partyName,
          idNumber: party?.idNumber ?? null,
          ...(party ? { kind: party.kind } : {}),
        },
        cases,
      });
    const textOf = (lines: string[]) => [HOME_AUTHORITY_REPORT_TITLE, ...lines].join('\n');
    const previous = reporting.previous.get(report.ruleCode);
    if (previous?.document && textOf(linesOn(previous.issuedOn)) === previous.text) {
      return { ...report, text: previous.text, issuedOn: previous.issuedOn, document: previous.document };
    }
    const issuedOn = localDate(now, timeZone);
    const lines = linesOn(issuedOn);
    const document = await this.reportDocument(tx, v, previous?.document, lines, now, reporting);
    return { ...report, text: textOf(lines), issuedOn, document };
  }

  /**
   * The referral (抄告) of a source unit whose site lies elsewhere to the authority there (行政处罚法 Art. 22), as
   * a case document of the vehicle case like a report to a home authority: written once, a new version when
   * what it says changes, untouched when re-planning finds the same.
   */
  private async refer(
    tx: Tx,
    v: ViolationRow,
    referral: SourceUnitReferral,
    now: Date,
    reporting: Reporting,
  ): Promise<NonNullable<StoredPlan['sourceUnitReferral']>> {
    const party = await this.repo.partyOf(tx, referral.partyId);
    const [trip] = await this.repo.tripFacts(tx, [v.id]);
    const linesOn = (issuedOn: string) =>
      sourceUnitReferralLines(referral, {
        authority: this.config.bureau.name,
        issuedOn,
        unit: { name: party?.name ?? referral.partyName, idNumber: party?.idNumber ?? null },
        trip: {
          caseNumber: v.caseNumber,
          violationDate: v.violationDate.toISOString().slice(0, 10),
          plate: v.vehicle?.plate ?? v.lead?.plate ?? '—',
          station: trip?.station ?? null,
          loadingSlipNo: v.loadingSlipNo,
        },
      });
    const textOf = (lines: string[]) => [HOME_AUTHORITY_REPORT_TITLE, ...lines].join('\n');
    const previous = reporting.previousReferrals.get(referral.ruleCode);
    if (previous?.document && textOf(linesOn(previous.issuedOn)) === previous.text) {
      return { ...referral, text: previous.text, issuedOn: previous.issuedOn, document: previous.document };
    }
    const issuedOn = localDate(now, this.config.bureau.timeZone);
    const lines = linesOn(issuedOn);
    const document = await this.reportDocument(tx, v, previous?.document, lines, now, reporting);
    return { ...referral, text: textOf(lines), issuedOn, document };
  }

  /** A report's document on the vehicle case (违法超限运输情况抄告函, `CJ`): a new one, or its next version. */
  private async reportDocument(
    tx: Tx,
    v: ViolationRow,
    previous: { id: string; documentNumber: string; version: number } | undefined,
    lines: string[],
    now: Date,
    reporting: Reporting,
  ) {
    const content = caseDocumentContent(HOME_AUTHORITY_REPORT_TITLE, lines);
    const document = previous
      ? {
          ...previous,
          ...(await this.documents.addVersion(tx, previous.id, content, reporting.authorId, now)),
        }
      : await this.documents.create(tx, {
          id: randomUUID(),
          caseId: v.id,
          kind: 'home_authority_measure_report',
          numberPrefix: caseNumberOf(v),
          content,
          authorId: reporting.authorId,
          at: now,
        });
    reporting.written.push({ id: document.id, version: document.version });
    return document;
  }

  /** The policy in force at `now` (PUT /policies/four_penalties), else the defaults. */
  private async policyAt(now: Date, db?: Tx): Promise<FourPenaltiesPolicy> {
    const setting = await this.policies.current('four_penalties', now, db);
    const parsed = setting ? fourPenaltiesPolicySchema.safeParse(setting.value) : null;
    return fourPenaltiesPolicyOf(parsed?.success ? parsed.data : null);
  }

  private async violationOf(
    tx: Tx,
    v: ViolationRow,
    input: PlanFourPenaltiesInput,
    stored: (StoredPlan | null)[],
    subCases: SubCaseRow[],
  ): Promise<ViolationUnderDecision> {
    const owner = v.vehicle?.owner;
    if (!v.vehicle || !owner) {
      throw new DomainError('rule_violation', 'owner_unknown', '车辆所有人不明，不能评估一超四罚');
    }
    const violationDate = v.violationDate.toISOString().slice(0, 10);
    const subStored = subCases.flatMap((s) => s.penalties.map(readStoredPlan));
    const all = [...stored, ...subStored].filter((s): s is StoredPlan => !!s);
    const enterprisePlan = all.find((s) => s.plan.role === 'enterprise');
    const sourcePlan = all.find((s) => s.plan.role === 'source_unit');
    const snapshot = v.workflow ? decodeSnapshot(v.workflow) : null;
    // The counting policy's certificate cycle and provincial margin read these (超限规定 Art. 46 ¶2).
    const counting = countingFactsOf(v);
    let enterprise: ViolationUnderDecision['enterprise'] = null;
    if (v.enterprise) {
      const fleet = await this.repo.fleetSizeOn(tx, v.enterprise.id, violationDate, v.enterprise.fleetSize);
      const escalation =
        enterprisePlan?.plan.partyId === v.enterprise.partyId
          ? (enterprisePlan.plan.escalation ?? null)
          : null;
      enterprise = {
        id: v.enterprise.partyId,
        name: v.enterprise.party.name,
        fleetSizeOnDate: fleet,
        seriousEscalation: escalation,
        ...counting.enterprise,
      };
    }
    let sourceUnit: ViolationUnderDecision['sourceUnit'] = null;
    if (v.sourceUnit) {
      const same = sourcePlan?.plan.partyId === v.sourceUnit.partyId ? sourcePlan : undefined;
      const instructedOrForced = input.sourceUnitInstructedOrForced ?? same?.instructedOrForced ?? false;
      sourceUnit = {
        id: v.sourceUnit.partyId,
        name: v.sourceUnit.party.name,
        instructedOrForced,
        // A fine chosen under Art. 68 stays while the unit is still found to have instructed the overload; a
        // unit that only loaded is ordered to correct first (湖南条例 Art. 30).
        fine:
          instructedOrForced && same?.plan.amountYuan && same.plan.amountReasons
            ? { amountYuan: same.plan.amountYuan, reasons: same.plan.amountReasons }
            : null,
      };
    }
    return {
      caseId: v.id,
      plate: v.vehicle.plate,
      violationDate,
      vehicle: {
        id: v.vehicle.id,
        owner: { id: owner.id, name: owner.name },
        transportCertificateNo: v.vehicle.transportCertificateNo,
        ...counting.vehicle,
      },
      driver: v.driver ? { id: v.driver.partyId, name: v.driver.party.name, ...counting.driver } : null,
      enterprise,
      sourceUnit,
      proposedVehiclePenalty: this.vehiclePenalty(v, snapshot?.proposedPenalty),
      overload: counting.overload,
    };
  }

  /** The Art. 43 penalty as the case proposes it now (propose_penalty may have changed the lead's). */
  private vehiclePenalty(v: ViolationRow, proposed: Penalty | undefined): ProposedVehiclePenalty {
    if (proposed?.kind === 'fine' && proposed.amountYuan)
      return { kind: 'fine', amountYuan: proposed.amountYuan };
    if (proposed?.kind === 'warning') return { kind: 'warning' };
    if (v.lead?.proposedPenaltyKind === 'fine' && v.lead.proposedAmount) {
      return { kind: 'fine', amountYuan: Number(v.lead.proposedAmount) };
    }
    return { kind: 'warning' };
  }

  private async apply(
    tx: Tx,
    parent: ViolationRow,
    subCases: SubCaseRow[],
    assessment: FourPenaltiesAssessment,
    partition: AuthorityPartition,
    violation: ViolationUnderDecision & { sourceUnitSite: string | null; officerSite: string | null },
    now: Date,
    ctx: CommandContext,
    reporting: Reporting,
  ) {
    const referrals = new Map(partition.referrals.map((r) => [r.ruleCode, r]));
    const referred: { ruleCode: string; partyId: string; divisionCode: string; withinHunan: boolean }[] = [];
    const previousRows = (await this.repo.penaltiesOf(parent.id, tx)).map(readStoredPlan);
    const reports = new Map(partition.reports.map((r) => [r.ruleCode, r]));
    const undetermined = new Map(partition.undetermined.map((u) => [u.plan.ruleCode, u.reason]));
    const reported: { ruleCode: string; partyId: string; divisionCode: string; countedCaseIds: string[] }[] =
      [];
    const awaitingRegistration: { ruleCode: string; partyId: string; reason: string }[] = [];
    const created: { id: string; type: string; role: string; partyId: string; ruleCode: string }[] = [];
    const updated: string[] = [];
    const frozen: string[] = [];
    const standing: { ruleCode: string; subCaseId: string }[] = [];
    const parentCodes: string[] = [];
    const stored = (plan: SubCasePlan): StoredPlan => ({
      plan,
      ...(plan.role === 'source_unit'
        ? {
            instructedOrForced: violation.sourceUnit?.instructedOrForced ?? false,
            ...(violation.sourceUnitSite ? { sourceUnitSiteDivisionCode: violation.sourceUnitSite } : {}),
            ...(violation.officerSite ? { sourceUnitSiteFoundByOfficer: violation.officerSite } : {}),
          }
        : {}),
    });
    const row = (plan: SubCasePlan, extra: Partial<StoredPlan> = {}) => ({
      // Recorded on the vehicle case, not its penalty: a standing order, a report, a measure awaiting its registration.
      penaltyKind:
        extra.standingSubCaseId ||
        extra.homeAuthorityReport ||
        extra.sourceUnitReferral ||
        extra.awaitingRegistration
          ? null
          : casePenaltyKindOf(plan),
      stored: { ...stored(plan), ...extra },
      threshold: plan.counts?.threshold ?? null,
      amountYuan: plan.amountYuan,
      legalBasisCode: plan.basis[0]?.code ?? null,
      at: now,
    });

    for (const plan of assessment.plans) {
      const carrier = carrierOf(plan);
      const codes = sameRoleCodes(plan.ruleCode);
      if (carrier === 'parent') {
        await this.repo.upsertPenalty(
          tx,
          parent.id,
          plan.ruleCode,
          {
            ...row(plan, {
              unidentifiedRoles: assessment.unidentifiedRoles,
              assessmentCounts: assessment.counts,
            }),
          },
          codes,
        );
        parentCodes.push(plan.ruleCode);
        continue;
      }
      const partyRole = casePartyRoleOf(plan);
      const mine = subCases.find(
        (s) =>
          s.type === carrier && s.parties.some((p) => p.partyId === plan.partyId && p.role === partyRole),
      );
      if (mine) {
        // One sub-case per party and role: re-planning brings its counts up to date while its penalty may
        // still change (before the pre-penalty notice); after that the notified penalty stands.
        // The fine of a source unit found not to have corrected (check_correction) stands like a notified one.
        // Its row is read and written back whole: the sub-case is locked first and read afresh, so that a trip
        // recorded on a source unit's order meanwhile (or its check_correction) is neither lost nor overwritten.
        await this.repo.lockCase(tx, mine.id);
        const current = (await this.repo.loadSubCase(mine.id, tx)) ?? mine;
        const fined = current.penalties.some((p) => readStoredPlan(p)?.correctionFine);
        if (BEFORE_NOTICE.has(current.state) && !fined) {
          // the trips recorded on a source unit's order stay recorded on it
          const recorded = current.penalties
            .map(readStoredPlan)
            .find((s) => s?.recordedTripCaseIds)?.recordedTripCaseIds;
          const extra =
            recorded && plan.ruleCode === FOUR_PENALTIES_RULES.sourceUnitLoading
              ? { recordedTripCaseIds: recorded }
              : {};
          await this.repo.upsertPenalty(tx, mine.id, plan.ruleCode, row(plan, extra), codes);
          // the facts follow the count (a trip decided or annulled since) while the penalty may still change
          const escalation = plan.escalation?.reasons;
          const facts = await this.factsOf(tx, parent, plan, escalation);
          if (await this.repo.updateFacts(tx, mine.id, facts)) {
            // 违法事实 is what the sub-case's documents print: its change is audited on the sub-case itself
            await recordAudit(
              tx,
              {
                actor: ctx.actor,
                action: 'case.facts_restated',
                entityType: 'case',
                entityId: mine.id,
                requestId: ctx.requestId,
                changes: {
                  parentCaseId: parent.id,
                  ruleCode: plan.ruleCode,
                  facts: { before: current.facts, after: facts },
                },
              },
              now,
            );
          }
          updated.push(mine.id);
        } else frozen.push(mine.id);
        continue;
      }
      const report = reports.get(plan.ruleCode);
      if (report) {
        // 抄告: the home authority decides the measure; the count and the report are recorded on the vehicle case.
        const homeAuthorityReport = await this.report(tx, parent, report, now, reporting);
        await this.repo.upsertPenalty(
          tx,
          parent.id,
          plan.ruleCode,
          row(plan, { homeAuthorityReport }),
          codes,
        );
        parentCodes.push(plan.ruleCode);
        reported.push({
          ruleCode: plan.ruleCode,
          partyId: plan.partyId,
          divisionCode: report.divisionCode,
          countedCaseIds: report.countedCaseIds,
        });
        continue;
      }
      const referral = referrals.get(plan.ruleCode);
      if (referral) {
        // 抄告: the authority where the unit loaded decides; outside Hunan nothing of the Hunan rule is cited.
        const sourceUnitReferral = await this.refer(tx, parent, referral, now, reporting);
        const cited: SubCasePlan = referral.withinHunan
          ? plan
          : { ...plan, basis: referral.basis, correction: undefined };
        await this.repo.upsertPenalty(
          tx,
          parent.id,
          plan.ruleCode,
          row(cited, { sourceUnitReferral }),
          codes,
        );
        parentCodes.push(plan.ruleCode);
        referred.push({
          ruleCode: plan.ruleCode,
          partyId: plan.partyId,
          divisionCode: referral.divisionCode,
          withinHunan: referral.withinHunan,
        });
        continue;
      }
      const reason = undetermined.get(plan.ruleCode);
      if (reason) {
        await this.repo.upsertPenalty(
          tx,
          parent.id,
          plan.ruleCode,
          row(plan, { awaitingRegistration: reason }),
          codes,
        );
        parentCodes.push(plan.ruleCode);
        awaitingRegistration.push({ ruleCode: plan.ruleCode, partyId: plan.partyId, reason });
        continue;
      }
      if (plan.outcome === 'record_only') {
        // 记录在案: the count is recorded on the vehicle case, no sub-case and no penalty follow.
        await this.repo.upsertPenalty(tx, parent.id, plan.ruleCode, row(plan), codes);
        parentCodes.push(plan.ruleCode);
        continue;
      }
      const order =
        carrier === 'source_unit'
          ? await this.standingCorrectionOrder(tx, plan, previousRows)
          : await this.repo.findStandingOrder(tx, carrier, plan.partyId, plan.ruleCode, parent.vehicleId);
      if (order) {
        // The party is already under this order from an earlier trip: this trip is recorded, not ordered twice.
        await this.repo.upsertPenalty(
          tx,
          parent.id,
          plan.ruleCode,
          row(plan, { standingSubCaseId: order.id }),
          codes,
        );
        parentCodes.push(plan.ruleCode);
        standing.push({ ruleCode: plan.ruleCode, subCaseId: order.id });
        if (carrier === 'source_unit') await this.recordOnOrder(tx, order.id, plan, parent, now, ctx);
        continue;
      }
      const id = randomUUID();
      const kind = casePenaltyKindOf(plan);
      const proposed: Penalty | undefined =
        kind === 'fine'
          ? plan.amountYuan
            ? { kind, amountYuan: plan.amountYuan }
            : undefined
          : kind
            ? { kind }
            : undefined;
      const snapshot: CaseSnapshot = newCaseDraft({
        id,
        caseType: carrier,
        createdAt: now,
        officers: parent.officers.map((o) => ({ userId: o.userId, enforcementCertificateNo: null })),
        ...(proposed ? { proposedPenalty: proposed } : {}),
        parentCaseId: parent.id,
      });
      // The officers' certificates as the parent's snapshot holds them (Art. 42 is checked on the sub-case too).
      const parentSnapshot = parent.workflow ? decodeSnapshot(parent.workflow) : null;
      if (parentSnapshot) snapshot.officers = parentSnapshot.officers.map((o) => ({ ...o }));
      await this.repo.createSubCase(tx, {
        id,
        parent,
        type: carrier,
        facts: await this.factsOf(tx, parent, plan),
        snapshot,
        party: { partyId: plan.partyId, role: partyRole },
        createdAt: now,
      });
      await this.repo.upsertPenalty(tx, id, plan.ruleCode, row(plan), codes);
      await recordAudit(
        tx,
        {
          actor: ctx.actor,
          action: 'case.created',
          entityType: 'case',
          entityId: id,
          requestId: ctx.requestId,
          changes: {
            type: carrier,
            parentCaseId: parent.id,
            party: { partyId: plan.partyId, role: partyRole },
            ruleCode: plan.ruleCode,
            outcome: plan.outcome,
            penaltyKind: kind,
            amountYuan: plan.amountYuan,
            counts: plan.counts
              ? { count: plan.counts.count, threshold: plan.counts.threshold, caseIds: plan.counts.caseIds }
              : null,
          },
        },
        now,
      );
      created.push({ id, type: carrier, role: plan.role, partyId: plan.partyId, ruleCode: plan.ruleCode });
    }
    // A trip recorded on a source unit's order and now carried otherwise (fined under Art. 68, referred, another
    // unit's, or no unit at all) is taken off that order: one act is not both evidence of non-correction and a
    // fine of its own (行政处罚法 Art. 29).
    const offOrders = await this.takeOffOrders(tx, parent, previousRows, standing, now, ctx);
    // Rows on the vehicle case whose role is now carried elsewhere (a driver's count that now orders) go.
    const stale = (await this.repo.penaltiesOf(parent.id, tx))
      .map((p) => p.ruleCode)
      .filter((code) => !parentCodes.includes(code));
    const removed = await this.repo.deletePenalties(tx, parent.id, stale);
    return {
      created,
      updated,
      frozen,
      standing,
      reported,
      referred,
      awaitingRegistration,
      parentRuleCodes: parentCodes,
      removedParentRows: removed ? stale : [],
      ...(offOrders.length ? { takenOffOrders: offOrders } : {}),
    };
  }

  /** The source unit's orders this trip was recorded on before and is no longer: each loses it, audited there. */
  private async takeOffOrders(
    tx: Tx,
    parent: ViolationRow,
    previousRows: (StoredPlan | null)[],
    standing: { ruleCode: string; subCaseId: string }[],
    now: Date,
    ctx: CommandContext,
  ): Promise<{ subCaseId: string; partyId: string }[]> {
    const taken: { subCaseId: string; partyId: string }[] = [];
    for (const before of previousRows) {
      const orderId = before?.standingSubCaseId;
      if (!orderId || before.plan.role !== 'source_unit') continue;
      const still = standing.some(
        (s) => s.subCaseId === orderId && s.ruleCode === FOUR_PENALTIES_RULES.sourceUnitLoading,
      );
      if (still || !(await this.repo.removeTripFromOrder(tx, orderId, parent.id))) continue;
      await recordAudit(
        tx,
        {
          actor: ctx.actor,
          action: 'four_penalties.trip_removed_from_order',
          entityType: 'case',
          entityId: orderId,
          requestId: ctx.requestId,
          changes: { tripCaseId: parent.id, partyId: before.plan.partyId, ruleCode: before.plan.ruleCode },
        },
        now,
      );
      taken.push({ subCaseId: orderId, partyId: before.plan.partyId });
    }
    return taken;
  }
  /** 违法事实 of a sub-case: the trips its plan rests on, as the register holds them (see `subCaseFacts`). */
  private async factsOf(tx: Tx, parent: ViolationRow, plan: SubCasePlan, circumstances?: string) {
    return subCaseFactsOf(tx, this.repo, parent, plan, circumstances);
  }

  /**
   * The order to correct that already stands against a source unit that only loaded the vehicle (湖南条例
   * Art. 30; 行政处罚法 Art. 29): the one this trip was recorded on before (it stays there, even once closed:
   * that order dealt with it), else the unit's open order (`standingCorrectionOrder`). A unit that instructed
   * the overload (条例 Art. 68) is fined for each act: no standing order.
   */
  private async standingCorrectionOrder(
    tx: Tx,
    plan: SubCasePlan,
    previousRows: (StoredPlan | null)[],
  ): Promise<{ id: string } | null> {
    if (plan.ruleCode !== FOUR_PENALTIES_RULES.sourceUnitLoading) return null;
    const before = previousRows.find(
      (s) => s?.plan.ruleCode === plan.ruleCode && s.plan.partyId === plan.partyId && s.standingSubCaseId,
    );
    // two trips of the unit planned at once: one chooses or opens the order, the other then records on it
    await this.repo.lockSourceUnitOrders(tx, plan.partyId);
    const orders = await this.repo.correctionOrdersOf(tx, plan.partyId, plan.ruleCode);
    const recordedOn = before?.standingSubCaseId;
    if (recordedOn && orders.some((o) => o.subCaseId === recordedOn)) return { id: recordedOn };
    const open = standingCorrectionOrder(orders);
    return open ? { id: open.subCaseId } : null;
  }

  /** The trip is recorded on the standing order as evidence of non-correction, audited on that sub-case. */
  private async recordOnOrder(
    tx: Tx,
    subCaseId: string,
    plan: SubCasePlan,
    parent: ViolationRow,
    now: Date,
    ctx: CommandContext,
  ): Promise<void> {
    if (!(await this.repo.recordTripOnOrder(tx, subCaseId, plan.ruleCode, parent.id))) return;
    await recordAudit(
      tx,
      {
        actor: ctx.actor,
        action: 'four_penalties.trip_recorded_on_order',
        entityType: 'case',
        entityId: subCaseId,
        requestId: ctx.requestId,
        changes: { ruleCode: plan.ruleCode, tripCaseId: parent.id, partyId: plan.partyId },
      },
      now,
    );
  }
}

/** A document version written by planning, to be printed once the transaction commits. */
export interface WrittenDocument {
  id: string;
  version: number;
}

interface Reporting {
  /** the reports stored on the vehicle case by the last planning, by rule code */
  previous: Map<string, NonNullable<StoredPlan['homeAuthorityReport']>>;
  /** the referrals of a source unit stored by the last planning, by rule code */
  previousReferrals: Map<string, NonNullable<StoredPlan['sourceUnitReferral']>>;
  written: WrittenDocument[];
  authorId: string | null;
}

/**
 * The home authority by name, as the registry records it for the registration the measure belongs to: the
 * enterprise's for its licence, the vehicle's (else its enterprise's) for the certificate, the issuer of the
 * driver's 从业资格证 for the driver. Where the registry has no name the report is addressed by its division code.
 */
function addresseeOf(v: ViolationRow, report: HomeAuthorityReport): string | null {
  if (report.role === 'enterprise') return v.enterprise?.homeAuthority ?? null;
  if (report.role === 'vehicle') return v.vehicle?.homeAuthority ?? v.enterprise?.homeAuthority ?? null;
  if (report.role === 'driver') return v.driver?.homeAuthority ?? null;
  return null;
}

/** The number prefix of the vehicle case's documents: its case number, as the case's own documents use it. */
const caseNumberOf = (v: ViolationRow): string => v.caseNumber ?? `（未立案 ${v.id.slice(0, 8)}）`;
