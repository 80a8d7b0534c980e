import type { Prisma, PrismaClient, Tx, ViolationType } from '@ecc/shared-data';

const recordsInclude = {
  parties: { include: { party: true } },
  officers: { include: { user: true }, orderBy: { assignedAt: 'asc' } },
  lead: true,
  /** A sub-case's vehicle (the parent trip's, 一超四罚): the plate of a certificate's or source unit's case. */
  vehicle: { select: { plate: true } },
  parent: { select: { lead: { select: { plate: true } } } },
  decision: true,
  documents: { orderBy: { createdAt: 'asc' } },
  approvals: { include: { approver: true }, orderBy: { decidedAt: 'asc' } },
  legalReviews: { include: { reviewer: true }, orderBy: { submittedAt: 'asc' } },
  services: { orderBy: { servedAt: 'asc' } },
  payments: { orderBy: { paidAt: 'asc' } },
  investigations: { orderBy: { conductedAt: 'asc' } },
  statements: { orderBy: { createdAt: 'asc' } },
  /**
   * 一超四罚 rows: the rule a sub-case applies decides its violation type; its stored plan (`counts`) and code
   * are what its documents cite and the trips it counts.
   */
  penalties: {
    select: { ruleCode: true, counts: true, legalBasisCode: true },
    orderBy: { computedAt: 'asc' },
  },
} satisfies Prisma.CaseInclude;

/** A trip a sub-case rests on: the parent case, or a decided trip its count includes. */
export interface CountedTrip {
  caseId: string;
  caseNumber: string | null;
  violationDate: Date;
  /** Its decision, when decided: the day and the decision's document number. */
  decidedAt: Date | null;
  decisionNumber: string | null;
}

/** Every record of a case that its case file is made of: documents, dates, officers, reviewer, amounts. */
export type CaseFileRecords = Prisma.CaseGetPayload<{ include: typeof recordsInclude }> & {
  /** Evidence objects of the lead's detections (the evidence list). */
  evidenceCount: number;
  /** A sub-case's trips (一超四罚): its parent case and the trips its plan counted, by violation date. */
  trips: CountedTrip[];
  /**
   * The document each 送达回证 names as served (its 送达文书 line, e.g. 行政处罚决定书 or 催告书), by the proof's
   * document id; null when its text names none.
   */
  servedDocuments: Record<string, string | null>;
};

/** The trips a sub-case's stored plan counted (`plan.counts.caseIds`, see @ecc/penalties-data StoredPlan). */
function countedCaseIds(counts: unknown): string[] {
  const ids = (counts as { plan?: { counts?: { caseIds?: unknown } | null } } | null)?.plan?.counts?.caseIds;
  return Array.isArray(ids) ? ids.filter((i): i is string => typeof i === 'string') : [];
}

/** The 送达文书 line of a 送达回证's text: `送达文书：行政处罚决定书（汨交罚〔2026〕第0001号）`. */
export function servedDocumentTitle(text: string | null | undefined): string | null {
  const line = /^送达文书[：:]\s*([^（(\n]+)/mu.exec(text ?? '');
  return line?.[1]?.trim() || null;
}

/** Reads the records a case-file evaluation is built from; never writes. */
export class CaseFileRecordsRepository {
  constructor(private readonly db: PrismaClient) {}

  async load(caseId: string, db: Tx | PrismaClient = this.db): Promise<CaseFileRecords | null> {
    const row = await db.case.findUnique({ where: { id: caseId }, include: recordsInclude });
    if (!row) return null;
    const evidenceCount = row.leadId
      ? await db.evidenceObject.count({ where: { detection: { leadLink: { leadId: row.leadId } } } })
      : 0;
    return {
      ...row,
      evidenceCount,
      trips: await this.trips(row, db),
      servedDocuments: await this.servedDocuments(row.documents, db),
    };
  }

  private async trips(
    row: { parentCaseId: string | null; penalties: { counts: unknown }[] },
    db: Tx | PrismaClient,
  ): Promise<CountedTrip[]> {
    const ids = [
      ...new Set([
        ...(row.parentCaseId ? [row.parentCaseId] : []),
        ...row.penalties.flatMap((p) => countedCaseIds(p.counts)),
      ]),
    ];
    if (ids.length === 0) return [];
    const rows = await db.case.findMany({
      where: { id: { in: ids } },
      select: {
        id: true,
        caseNumber: true,
        violationDate: true,
        decidedAt: true,
        decision: { select: { decidedAt: true, document: { select: { documentNumber: true } } } },
      },
      orderBy: [{ violationDate: 'asc' }, { id: 'asc' }],
    });
    return rows.map((r) => ({
      caseId: r.id,
      caseNumber: r.caseNumber,
      violationDate: r.violationDate,
      decidedAt: r.decision?.decidedAt ?? r.decidedAt,
      decisionNumber: r.decision?.document?.documentNumber ?? null,
    }));
  }

  /** What each 送达回证 of the case names as served, read from its current version. */
  private async servedDocuments(
    documents: { id: string; kind: string; currentVersion: number }[],
    db: Tx | PrismaClient,
  ): Promise<Record<string, string | null>> {
    const proofs = documents.filter((d) => d.kind === 'proof_of_service');
    if (proofs.length === 0) return {};
    const versions = await db.caseDocumentVersion.findMany({
      where: { OR: proofs.map((d) => ({ documentId: d.id, version: d.currentVersion })) },
      select: { documentId: true, contentText: true },
    });
    return Object.fromEntries(
      proofs.map((d) => [
        d.id,
        servedDocumentTitle(versions.find((v) => v.documentId === d.id)?.contentText),
      ]),
    );
  }

  /** Every version of every article of the legal-basis catalogue (legal_bases), with its validity. */
  async catalogue(db: Tx | PrismaClient = this.db): Promise<CatalogueRow[]> {
    const rows = await db.legalBasis.findMany({ orderBy: [{ code: 'asc' }, { validFrom: 'asc' }] });
    const day = (d: Date) => d.toISOString().slice(0, 10);
    return rows.map((r) => ({
      code: r.code,
      validFrom: day(r.validFrom),
      validTo: r.validTo ? day(r.validTo) : null,
      violationTypes: [...r.violationTypes],
      minYuan: r.minAmount === null ? null : Number(r.minAmount),
      maxYuan: r.maxAmount === null ? null : Number(r.maxAmount),
    }));
  }
}

/** One catalogue version as the evaluation reads it (dates as yyyy-mm-dd, amounts in yuan). */
export interface CatalogueRow {
  code: string;
  validFrom: string;
  validTo: string | null;
  violationTypes: ViolationType[];
  minYuan: number | null;
  maxYuan: number | null;
}

export interface CaseEvaluationRow {
  id: string;
  caseId: string;
  kind: 'precheck' | 'review';
  evaluatorId: string | null;
  score: number | null;
  findings: unknown;
  evaluatedAt: Date;
}

/** Evaluation runs (case_evaluations): the closing precheck and the auditors' spot checks. */
export class CaseEvaluationsRepository {
  constructor(private readonly db: PrismaClient) {}

  async record(
    tx: Tx,
    row: {
      caseId: string;
      kind: 'precheck' | 'review';
      evaluatorId: string | null;
      score: number;
      findings: unknown;
      at: Date;
    },
  ): Promise<CaseEvaluationRow> {
    return tx.caseEvaluation.create({
      data: {
        caseId: row.caseId,
        kind: row.kind,
        evaluatorId: row.evaluatorId,
        score: row.score,
        findings: JSON.parse(JSON.stringify(row.findings ?? null)) as Prisma.InputJsonValue,
        evaluatedAt: row.at,
      },
    });
  }

  /** A uniformly random sample of the cases closed in [from, to) (closed or archived since). */
  async sampleClosed(n: number, from: Date, to: Date): Promise<string[]> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id::text AS id FROM cases
      WHERE closed_at >= ${from} AND closed_at < ${to} AND state IN ('closed', 'archived')
      ORDER BY random() LIMIT ${n}`;
    return rows.map((r) => r.id);
  }
}
