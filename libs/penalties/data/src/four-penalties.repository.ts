import { decodeSnapshot, encodeSnapshot } from '@ecc/cases-data';
import type { CaseSnapshot, CaseType, Penalty } from '@ecc/cases-domain';
import type { PenaltyKind } from '@ecc/legal-domain';
import { decisionAnnulled } from '@ecc/penalties-domain';
import type {
  CorrectionOrderOnFile,
  FourPenaltiesAssessment,
  HomeAuthorityReport,
  RecordedTrip,
  RemedyOutcomeFact,
  ReportedCase,
  SourceUnitReferral,
  SubCasePlan,
} from '@ecc/penalties-domain';
import { type IsoDate } from '@ecc/shared-kernel';
import { Prisma, type PrismaClient, type Tx } from '@ecc/shared-data';
import { recordedTripOf } from './counting-facts';

const violationInclude = {
  lead: true,
  officers: { orderBy: { assignedAt: 'asc' } },
  vehicle: { include: { owner: true } },
  enterprise: { include: { party: true } },
  driver: { include: { party: true } },
  sourceUnit: { include: { party: true } },
} satisfies Prisma.CaseInclude;

export type ViolationRow = Prisma.CaseGetPayload<{ include: typeof violationInclude }>;

const subCaseInclude = {
  penalties: { orderBy: { computedAt: 'asc' } },
  parties: { include: { party: true } },
} satisfies Prisma.CaseInclude;

export type SubCaseRow = Prisma.CaseGetPayload<{ include: typeof subCaseInclude }>;
export type PenaltyRow = Prisma.PenaltyGetPayload<object>;

/** A counted case as stored: its decision as the case recorded it (the report prints it). */
export interface ReportedCaseRow extends Omit<ReportedCase, 'decision'> {
  decision: { decidedAt: Date; documentNumber: string | null; penalty: Penalty | null } | null;
}

/** What a Penalty row keeps in `counts`: the whole plan, so that a reviewer sees what the rule saw. */
export interface StoredPlan {
  plan: SubCasePlan;
  /** 指使、强令超限 as the officer stated it at planning (条例 Art. 68). */
  instructedOrForced?: boolean;
  /** On the vehicle's own row: roles the investigation has not identified yet, and every count. */
  unidentifiedRoles?: FourPenaltiesAssessment['unidentifiedRoles'];
  assessmentCounts?: FourPenaltiesAssessment['counts'];
  /** The order already standing against the party from an earlier trip; this trip is only recorded. */
  standingSubCaseId?: string;
  /**
   * An Art. 66 measure of a party registered outside the divisions the bureau serves (超限规定 Art. 46): no
   * sub-case; the count is recorded on the vehicle case with the report (抄告) to the home authority.
   */
  homeAuthorityReport?: HomeAuthorityReport & {
    text: string;
    issuedOn: IsoDate;
    /** its case document on the vehicle case (违法超限运输情况抄告函): each changed report is a new version */
    document?: { id: string; documentNumber: string; version: number };
  };
  /** An Art. 66 measure whose registration is not known: recorded, neither a sub-case nor a report yet. */
  awaitingRegistration?: string;
  /** On a source unit's plan: where it loaded the vehicle, as the planning used it (行政处罚法 Art. 22). */
  sourceUnitSiteDivisionCode?: string;
  /**
   * The site as the officer's investigation found it (`sourceUnitSiteDivisionCode` of the plan route), kept for
   * later plannings; a site taken from the registry is not kept, the registry is read again at each planning.
   */
  sourceUnitSiteFoundByOfficer?: string;
  /**
   * A source unit whose site lies outside the divisions the bureau serves: no sub-case; the plan is recorded on
   * the vehicle case with the referral (抄告) to the authority there.
   */
  sourceUnitReferral?: SourceUnitReferral & {
    text: string;
    issuedOn: IsoDate;
    document?: { id: string; documentNumber: string; version: number };
  };
  /**
   * 逾期不改正: the fine chosen when a source unit's correction was checked and found wanting (湖南条例 Art. 30,
   * `check_correction`). It stands: a re-planning of the trip leaves the row as it is.
   */
  correctionFine?: { amountYuan: number; reasons: string; checkedOn: IsoDate };
  /**
   * On a source unit's order to correct: the other trips the unit loaded while the order stood, recorded on it
   * as evidence that it has not corrected (湖南条例 Art. 30) instead of a second order (行政处罚法 Art. 29).
   */
  recordedTripCaseIds?: string[];
}

export const readStoredPlan = (row: PenaltyRow): StoredPlan | null => {
  const value = row.counts as unknown;
  return value && typeof value === 'object' && 'plan' in value ? (value as StoredPlan) : null;
};

const CLOSED_WITHOUT_PENALTY = ['not_filed', 'terminated'] as const;

/** The reconsiderations and lawsuits recorded in a case's workflow (record_remedy, record_remedy_outcome). */
const remediesOf = (workflow: unknown): RemedyOutcomeFact[] =>
  workflow ? (decodeSnapshot(workflow).remedies ?? []) : [];

/**
 * Reads and writes of 一超四罚: the violation and its confirmed history, the enterprise's fleet on a date,
 * the linked sub-cases and their Penalty rows (rule code, counts, threshold, amount). Every write takes
 * the caller's transaction so that it commits with its audit event.
 */
export class FourPenaltiesRepository {
  constructor(private readonly db: PrismaClient) {}

  /** Serialises planning of one parent case (re-planning concurrently must not create a sub-case twice). */
  async lockCase(tx: Tx, caseId: string): Promise<boolean> {
    const rows = await tx.$queryRaw<
      { id: string }[]
    >`SELECT id FROM cases WHERE id = ${caseId}::uuid FOR UPDATE`;
    return rows.length > 0;
  }

  loadViolation(caseId: string, db: Tx | PrismaClient = this.db): Promise<ViolationRow | null> {
    return db.case.findUnique({ where: { id: caseId }, include: violationInclude });
  }

  /** Fleet size registered on the date (enterprise_fleet_sizes), else the current figure. */
  async fleetSizeOn(
    db: Tx | PrismaClient,
    enterpriseId: string,
    day: IsoDate,
    fallback: number,
  ): Promise<number> {
    const row = await db.enterpriseFleetSize.findFirst({
      where: { enterpriseId, effectiveFrom: { lte: new Date(`${day}T00:00:00Z`) } },
      orderBy: { effectiveFrom: 'desc' },
    });
    return row?.fleetSize ?? fallback;
  }

  /**
   * Earlier trips of the vehicle, driver or enterprise: vehicle cases (never sub-cases, never leads) with a
   * decision, not terminated, whose violation date lies in [from, to], each with its excess as enforced (for a
   * count over the provincial margin) and whether its decision was annulled since (行政复议法 Art. 64, 行政诉讼法
   * Art. 70: such a trip no longer counts; the case keeps its state, its workflow records the remedy's outcome).
   * Ids are those the rules compare:
   * vehicle id, the driver's and the enterprise's party ids (the enterprise recorded on the case at filing,
   * i.e. the one the vehicle belonged to at the trip).
   */
  async decidedTrips(
    db: Tx | PrismaClient,
    q: {
      vehicleId: string | null;
      driverId: string | null;
      enterpriseId: string | null;
      from: IsoDate;
      to: IsoDate;
    },
    timeZone: string,
  ): Promise<RecordedTrip[]> {
    const or: Prisma.CaseWhereInput[] = [];
    if (q.vehicleId) or.push({ vehicleId: q.vehicleId });
    if (q.driverId) or.push({ driverId: q.driverId });
    if (q.enterpriseId) or.push({ enterpriseId: q.enterpriseId });
    if (!or.length) return [];
    const rows = await db.case.findMany({
      where: {
        type: 'vehicle',
        parentCaseId: null,
        decidedAt: { not: null },
        state: { notIn: [...CLOSED_WITHOUT_PENALTY] },
        violationDate: { gte: new Date(`${q.from}T00:00:00Z`), lte: new Date(`${q.to}T00:00:00Z`) },
        OR: or,
      },
      include: {
        driver: { select: { partyId: true } },
        enterprise: { select: { partyId: true } },
        lead: { select: { excessKg: true, limitKg: true } },
      },
      orderBy: [{ violationDate: 'asc' }, { id: 'asc' }],
    });
    return rows.map((c) => recordedTripOf(c, timeZone, remediesOf(c.workflow)));
  }

  subCasesOf(parentCaseId: string, db: Tx | PrismaClient = this.db): Promise<SubCaseRow[]> {
    return db.case.findMany({
      where: { parentCaseId },
      include: subCaseInclude,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  loadSubCase(
    id: string,
    db: Tx | PrismaClient = this.db,
  ): Promise<(SubCaseRow & { parent: ViolationRow | null }) | null> {
    return db.case.findUnique({
      where: { id },
      include: { ...subCaseInclude, parent: { include: violationInclude } },
    });
  }

  penaltiesOf(caseId: string, db: Tx | PrismaClient = this.db): Promise<PenaltyRow[]> {
    return db.penalty.findMany({ where: { caseId }, orderBy: { computedAt: 'asc' } });
  }

  /**
   * An order that already stands against the party in this role (a driver ordered to stop, an enterprise
   * suspended, a certificate revoked): the sub-case of the same type and party, open or decided, under any
   * parent — one order per party and role, not one per further trip. A certificate is the vehicle's: an
   * owner of several trucks has one per truck (`vehicleId`).
   */
  findStandingOrder(
    db: Tx | PrismaClient,
    type: CaseType,
    partyId: string,
    ruleCode: string,
    vehicleId: string | null,
  ) {
    return db.case.findFirst({
      where: {
        type,
        ...(type === 'vehicle_certificate' ? { vehicleId } : {}),
        parentCaseId: { not: null },
        state: { notIn: [...CLOSED_WITHOUT_PENALTY] },
        parties: { some: { partyId } },
        penalties: { some: { ruleCode } },
      },
      select: { id: true, parentCaseId: true },
      orderBy: { createdAt: 'asc' },
    });
  }

  /**
   * Serialises the choice of a source unit's standing order to correct across trips planned at once: two trips
   * of one unit planned concurrently must neither open an order each nor lose a recorded trip. Held to commit.
   */
  async lockSourceUnitOrders(tx: Tx, partyId: string): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`ecc.source-unit-order.${partyId}`}))`;
  }

  /** A sub-case's 违法事实 as stored now (read after its row is locked). */
  async factsOf(tx: Tx, caseId: string): Promise<string | null> {
    const row = await tx.case.findUnique({ where: { id: caseId }, select: { facts: true } });
    return row?.facts ?? null;
  }

  /**
   * The source unit's orders to correct on file (sub-cases of type source_unit whose row is the loading rule
   * `ruleCode`, under any parent), for `standingCorrectionOrder` to choose the one that stands.
   */
  async correctionOrdersOf(
    db: Tx | PrismaClient,
    partyId: string,
    ruleCode: string,
  ): Promise<CorrectionOrderOnFile[]> {
    const rows = await db.case.findMany({
      where: {
        type: 'source_unit',
        parentCaseId: { not: null },
        parties: { some: { partyId, role: 'source_unit' } },
        penalties: { some: { ruleCode } },
      },
      select: { id: true, state: true, createdAt: true, workflow: true },
    });
    return rows.map((r) => {
      const correction = r.workflow ? decodeSnapshot(r.workflow).correction : undefined;
      return {
        subCaseId: r.id,
        state: r.state,
        createdAt: r.createdAt,
        servedOn: correction?.servedOn ?? null,
        checked: !!correction?.check,
      };
    });
  }

  /** The order's service (送达) and check (复查) as its workflow records them (check_correction). */
  async correctionRecordOf(
    db: Tx | PrismaClient | undefined,
    subCaseId: string,
  ): Promise<{ servedOn: IsoDate | null; checkedOn: IsoDate | null; state: string } | null> {
    const row = await (db ?? this.db).case.findUnique({
      where: { id: subCaseId },
      select: { state: true, workflow: true },
    });
    if (!row) return null;
    const correction = row.workflow ? decodeSnapshot(row.workflow).correction : undefined;
    return {
      servedOn: correction?.servedOn ?? null,
      checkedOn: correction?.check ? correction.check.checkedAt.toISOString().slice(0, 10) : null,
      state: row.state,
    };
  }

  /**
   * Records a trip on the standing order's row (`recordedTripCaseIds`); false when it was recorded already.
   * The order's plan and penalty are not touched.
   */
  async recordTripOnOrder(tx: Tx, subCaseId: string, ruleCode: string, tripCaseId: string): Promise<boolean> {
    // the order's case row first: its JSON is read and written back whole (check_correction locks it too)
    await this.lockCase(tx, subCaseId);
    const row = await tx.penalty.findFirst({ where: { caseId: subCaseId, ruleCode } });
    const stored = row && readStoredPlan(row);
    if (!row || !stored) return false;
    const recorded = stored.recordedTripCaseIds ?? [];
    if (recorded.includes(tripCaseId) || stored.plan.parentCaseId === tripCaseId) return false;
    const next: StoredPlan = { ...stored, recordedTripCaseIds: [...recorded, tripCaseId] };
    await tx.penalty.update({
      where: { id: row.id },
      data: { counts: next as unknown as Prisma.InputJsonValue },
    });
    return true;
  }

  /**
   * Takes a trip off the order's `recordedTripCaseIds` (it is now carried elsewhere); false when it was not on it.
   */
  async removeTripFromOrder(tx: Tx, subCaseId: string, tripCaseId: string): Promise<boolean> {
    await this.lockCase(tx, subCaseId);
    for (const row of await tx.penalty.findMany({ where: { caseId: subCaseId } })) {
      const stored = readStoredPlan(row);
      if (!stored?.recordedTripCaseIds?.includes(tripCaseId)) continue;
      const next: StoredPlan = {
        ...stored,
        recordedTripCaseIds: stored.recordedTripCaseIds.filter((id) => id !== tripCaseId),
      };
      await tx.penalty.update({
        where: { id: row.id },
        data: { counts: next as unknown as Prisma.InputJsonValue },
      });
      return true;
    }
    return false;
  }

  async createSubCase(
    tx: Tx,
    data: {
      id: string;
      parent: ViolationRow;
      type: CaseType;
      facts: string;
      snapshot: CaseSnapshot;
      party: { partyId: string; role: 'owner' | 'driver' | 'enterprise' | 'source_unit' };
      createdAt: Date;
    },
  ): Promise<void> {
    const p = data.parent;
    await tx.case.create({
      data: {
        id: data.id,
        type: data.type,
        state: 'draft',
        parentCaseId: p.id,
        vehicleId: p.vehicleId,
        driverId: p.driverId,
        enterpriseId: p.enterpriseId,
        sourceUnitId: p.sourceUnitId,
        loadingSlipNo: p.loadingSlipNo,
        violationDate: p.violationDate,
        facts: data.facts,
        workflow: encodeSnapshot(data.snapshot),
        createdAt: data.createdAt,
        officers: {
          create: p.officers.map((o) => ({ userId: o.userId, isLead: o.isLead, assignedAt: data.createdAt })),
        },
        parties: { create: [data.party] },
      },
    });
  }

  /**
   * One Penalty row per case and role: the row with one of `sameRoleCodes` (e.g. the enterprise's ordinary
   * and 情节严重 codes) is brought up to date, else created.
   */
  async upsertPenalty(
    tx: Tx,
    caseId: string,
    ruleCode: string,
    data: {
      penaltyKind: PenaltyKind | null;
      stored: StoredPlan;
      threshold: number | null;
      amountYuan: number | null;
      legalBasisCode: string | null;
      at: Date;
    },
    sameRoleCodes: string[] = [ruleCode],
  ): Promise<{ id: string; created: boolean }> {
    const values = {
      ruleCode,
      penaltyKind: data.penaltyKind,
      counts: data.stored as unknown as Prisma.InputJsonValue,
      threshold: data.threshold === null ? null : new Prisma.Decimal(data.threshold),
      amount: data.amountYuan === null ? null : new Prisma.Decimal(data.amountYuan),
      legalBasisCode: data.legalBasisCode,
      computedAt: data.at,
    };
    const existing = await tx.penalty.findFirst({
      where: { caseId, ruleCode: { in: [ruleCode, ...sameRoleCodes] } },
      select: { id: true },
    });
    if (existing) {
      await tx.penalty.update({ where: { id: existing.id }, data: values });
      return { id: existing.id, created: false };
    }
    const row = await tx.penalty.create({ data: { caseId, ...values }, select: { id: true } });
    return { id: row.id, created: true };
  }

  async deletePenalties(tx: Tx, caseId: string, ruleCodes: string[]): Promise<number> {
    if (!ruleCodes.length) return 0;
    const { count } = await tx.penalty.deleteMany({ where: { caseId, ruleCode: { in: ruleCodes } } });
    return count;
  }

  /**
   * Parent vehicle cases for the synchronized-issuance screen: violation date in range, not closed without
   * penalty, where the party is the owner, the enterprise or the source unit (party ids), with their Penalty
   * rows and those of their sub-cases.
   */
  parentCases(q: { from?: IsoDate; to?: IsoDate; partyIds?: string[] }, db: Tx | PrismaClient = this.db) {
    const date: Prisma.DateTimeFilter = {};
    if (q.from) date.gte = new Date(`${q.from}T00:00:00Z`);
    if (q.to) date.lte = new Date(`${q.to}T00:00:00Z`);
    return db.case.findMany({
      where: {
        type: 'vehicle',
        parentCaseId: null,
        state: { notIn: [...CLOSED_WITHOUT_PENALTY] },
        ...(q.from || q.to ? { violationDate: date } : {}),
        ...(q.partyIds?.length
          ? {
              OR: [
                { vehicle: { ownerPartyId: { in: q.partyIds } } },
                { enterprise: { partyId: { in: q.partyIds } } },
                { sourceUnit: { partyId: { in: q.partyIds } } },
              ],
            }
          : {}),
      },
      include: {
        vehicle: true,
        penalties: { orderBy: { computedAt: 'asc' } },
        subCases: { include: subCaseInclude },
      },
      orderBy: [{ violationDate: 'asc' }, { id: 'asc' }],
      take: 2000,
    });
  }

  /**
   * The vehicle cases whose source unit waits for its site (`awaitingRegistration` on its row), among the
   * units of these registry ids: still plannable, oldest trip first.
   */
  async tripsAwaitingSourceUnitSite(unitIds: string[]): Promise<string[]> {
    if (!unitIds.length) return [];
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      SELECT c.id FROM cases c
      JOIN cargo_source_units u ON u.id = c.source_unit_id
      JOIN penalties p ON p.case_id = c.id
      WHERE u.id = ANY(${unitIds}::uuid[])
        AND c.parent_case_id IS NULL AND c.type = 'vehicle'
        AND c.state NOT IN ('not_filed', 'terminated', 'archived')
        AND p.counts->'plan'->>'role' = 'source_unit'
        AND p.counts->'plan'->>'partyId' = u.party_id::text
        AND p.counts->>'awaitingRegistration' IS NOT NULL
      ORDER BY c.violation_date, c.id`;
    return [...new Set(rows.map((r) => r.id))];
  }

  /** The party id of an enterprise or source unit given its registry id or its party id. */
  async partyIdOf(kind: 'enterprise' | 'source_unit', id: string): Promise<string | null> {
    const row =
      kind === 'enterprise'
        ? await this.db.enterprise.findFirst({
            where: { OR: [{ id }, { partyId: id }] },
            select: { partyId: true },
          })
        : await this.db.cargoSourceUnit.findFirst({
            where: { OR: [{ id }, { partyId: id }] },
            select: { partyId: true },
          });
    return row?.partyId ?? null;
  }

  /** The counted trips as a report lists them: case number, violation date and plate. */
  async reportedCases(db: Tx | PrismaClient, caseIds: string[]): Promise<ReportedCaseRow[]> {
    const rows = await db.case.findMany({
      where: { id: { in: caseIds } },
      select: {
        id: true,
        caseNumber: true,
        violationDate: true,
        decidedAt: true,
        workflow: true,
        vehicle: { select: { plate: true } },
        documents: {
          where: { kind: 'decision' },
          orderBy: { createdAt: 'desc' },
          take: 1,
          select: { documentNumber: true },
        },
      },
    });
    return rows.map((c) => ({
      caseId: c.id,
      caseNumber: c.caseNumber,
      violationDate: c.violationDate.toISOString().slice(0, 10),
      plate: c.vehicle?.plate ?? null,
      decision: c.decidedAt
        ? {
            decidedAt: c.decidedAt,
            documentNumber: c.documents[0]?.documentNumber ?? null,
            penalty: (c.workflow ? decodeSnapshot(c.workflow).decision?.penalty : undefined) ?? null,
          }
        : null,
    }));
  }

  /** The trips a sub-case's facts state: day, plate, the station that detected it, case number. */
  async tripFacts(
    db: Tx | PrismaClient | undefined,
    caseIds: string[],
  ): Promise<
    {
      caseId: string;
      caseNumber: string | null;
      violationDate: IsoDate;
      plate: string | null;
      station: string | null;
    }[]
  > {
    if (!caseIds.length) return [];
    const rows = await (db ?? this.db).case.findMany({
      where: { id: { in: caseIds } },
      select: {
        id: true,
        caseNumber: true,
        violationDate: true,
        vehicle: { select: { plate: true } },
        lead: { select: { plate: true, station: { select: { name: true } } } },
      },
    });
    return rows.map((c) => ({
      caseId: c.id,
      caseNumber: c.caseNumber,
      violationDate: c.violationDate.toISOString().slice(0, 10),
      plate: c.vehicle?.plate ?? c.lead?.plate ?? null,
      station: c.lead?.station.name ?? null,
    }));
  }

  /** A sub-case's facts (违法事实) as planning or an escalation restates them; false when unchanged. */
  async updateFacts(tx: Tx, caseId: string, facts: string): Promise<boolean> {
    const { count } = await tx.case.updateMany({ where: { id: caseId, NOT: { facts } }, data: { facts } });
    return count > 0;
  }

  /** The party a report names, by its id. */
  partyOf(db: Tx | PrismaClient, partyId: string) {
    return db.party.findUnique({
      where: { id: partyId },
      select: { name: true, idNumber: true, kind: true },
    });
  }

  /**
   * Of these cases, those decided (a decision recorded, not closed without penalty, not annulled since on
   * reconsideration or by a court).
   */
  async decidedAmong(caseIds: string[], db: Tx | PrismaClient = this.db): Promise<string[]> {
    if (!caseIds.length) return [];
    const rows = await db.case.findMany({
      where: {
        id: { in: caseIds },
        decidedAt: { not: null },
        state: { notIn: [...CLOSED_WITHOUT_PENALTY] },
      },
      select: { id: true, decidedAt: true, workflow: true },
    });
    return rows.filter((r) => !decisionAnnulled(remediesOf(r.workflow), r.decidedAt)).map((r) => r.id);
  }

  isOfficerOf(caseId: string, userId: string, db: Tx | PrismaClient = this.db): Promise<boolean> {
    return db.caseOfficer.count({ where: { caseId, userId } }).then((n) => n > 0);
  }
}
