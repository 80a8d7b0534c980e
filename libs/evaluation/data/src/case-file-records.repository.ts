import type { Prisma, PrismaClient, Tx, ViolationType } from '@ecc/shared-data';

const recordsInclude = {
  parties: { include: { party: true } },
  officers: { include: { user: true }, orderBy: { assignedAt: 'asc' } },
  lead: true,
  decision: true,
  documents: { orderBy: { createdAt: 'asc' } },
  approvals: { include: { approver: true }, orderBy: { decidedAt: 'asc' } },
  legalReviews: { include: { reviewer: true }, orderBy: { submittedAt: 'asc' } },
  services: { orderBy: { servedAt: 'asc' } },
  payments: { orderBy: { paidAt: 'asc' } },
  investigations: { orderBy: { conductedAt: 'asc' } },
  statements: { orderBy: { createdAt: 'asc' } },
  /** 一超四罚 rows: the rule a sub-case applies decides its violation type. */
  penalties: { select: { ruleCode: true } },
} satisfies Prisma.CaseInclude;

/** Every record of a case that its case file is made of: documents, dates, officers, reviewer, amounts. */
export type CaseFileRecords = Prisma.CaseGetPayload<{ include: typeof recordsInclude }> & {
  /** Evidence objects of the lead's detections (the evidence list). */
  evidenceCount: number;
};

/** Reads the records a case-file evaluation is built from; never writes. */
export class CaseFileRecordsRepository {
  constructor(private readonly db: PrismaClient) {}

  async load(caseId: string, db: Tx | PrismaClient = this.db): Promise<CaseFileRecords | null> {
    const row = await db.case.findUnique({ where: { id: caseId }, include: recordsInclude });
    if (!row) return null;
    const evidenceCount = row.leadId
      ? await db.evidenceObject.count({ where: { detection: { leadLink: { leadId: row.leadId } } } })
      : 0;
    return { ...row, evidenceCount };
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
