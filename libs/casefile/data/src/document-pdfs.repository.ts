import type { Prisma, PrismaClient } from '@ecc/shared-data';

const versionSelect = {
  id: true,
  documentId: true,
  version: true,
  contentText: true,
  createdAt: true,
  printable: true,
  verificationCode: true,
  pdfSha256: true,
  pdfPages: true,
  document: {
    select: {
      caseId: true,
      kind: true,
      title: true,
      documentNumber: true,
      currentVersion: true,
      createdAt: true,
    },
  },
} satisfies Prisma.CaseDocumentVersionSelect;

/** A document version with what its PDF is printed from and what was recorded of its PDF. */
export type PrintableVersionRow = Prisma.CaseDocumentVersionGetPayload<{ select: typeof versionSelect }>;

/** What printing a version records with it: the model it was printed from, its code, its PDF's digest. */
export interface PrintedVersion {
  /** the printable model (@ecc/documents-domain), as JSON */
  printable: object;
  verificationCode: string;
  pdfSha256: string;
  pdfPages: number;
}

/** The printed side of the case documents (案卷文书): models, verification codes and PDF digests. */
export class DocumentPdfsRepository {
  constructor(private readonly db: PrismaClient) {}

  /** A version of a document (the current one without `version`); `caseId` scopes it to its case. */
  async version(documentId: string, version?: number, caseId?: string): Promise<PrintableVersionRow | null> {
    const document = await this.db.caseDocument.findFirst({
      where: { id: documentId, ...(caseId ? { caseId } : {}) },
      select: { currentVersion: true },
    });
    if (!document) return null;
    return this.db.caseDocumentVersion.findUnique({
      where: { documentId_version: { documentId, version: version ?? document.currentVersion } },
      select: versionSelect,
    });
  }

  /** The current version of every document of a case. */
  currentVersionsOfCase(caseId: string): Promise<PrintableVersionRow[]> {
    return this.db.caseDocumentVersion
      .findMany({ where: { document: { caseId } }, select: versionSelect })
      .then((rows) => rows.filter((r) => r.version === r.document.currentVersion));
  }

  /** Every version of every document of a case. */
  versionsOfCase(caseId: string): Promise<PrintableVersionRow[]> {
    return this.db.caseDocumentVersion.findMany({
      where: { document: { caseId } },
      select: versionSelect,
      orderBy: [{ documentId: 'asc' }, { version: 'asc' }],
    });
  }

  /** What the cover of a case file prints (案卷封面): number, dates, the vehicle, parties and officers. */
  coverFacts(caseId: string) {
    return this.db.case.findUnique({
      where: { id: caseId },
      select: {
        id: true,
        caseNumber: true,
        type: true,
        filedAt: true,
        closedAt: true,
        archivedAt: true,
        /** the case's snapshot: the remedies against its decision (行政复议、行政诉讼) are on the cover */
        workflow: true,
        lead: { select: { plate: true } },
        vehicle: { select: { plate: true } },
        parties: { select: { role: true, party: { select: { name: true } } } },
        officers: {
          select: { user: { select: { displayName: true } } },
          orderBy: [{ isLead: 'desc' }, { assignedAt: 'asc' }],
        },
      },
    });
  }

  /** Versions never printed that were written before `before`, oldest first (the worker's sweep). */
  unprinted(before: Date, limit: number): Promise<PrintableVersionRow[]> {
    return this.db.caseDocumentVersion.findMany({
      where: { pdfSha256: null, createdAt: { lt: before } },
      select: versionSelect,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: limit,
    });
  }

  byVerificationCode(code: string): Promise<PrintableVersionRow | null> {
    return this.db.caseDocumentVersion.findUnique({
      where: { verificationCode: code },
      select: versionSelect,
    });
  }

  /**
   * Records a version's print. The model is fixed by the first print: a version already printed keeps its
   * model and code (a concurrent print of the same model writes the same values).
   */
  async recordPrint(versionId: string, printed: PrintedVersion): Promise<void> {
    await this.db.caseDocumentVersion.update({
      where: { id: versionId },
      data: { ...printed, printable: printed.printable as Prisma.InputJsonObject },
    });
  }
}
