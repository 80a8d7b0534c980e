import { createHash } from 'node:crypto';
import type { DocumentKind, PrismaClient, Tx } from '@ecc/shared-data';

export interface DocumentContent {
  title: string;
  text: string;
  html: string;
}

/** Short codes of the document numbers (文书编号 = case number + code + sequence). */
export const DOCUMENT_CODES: Record<DocumentKind, string> = {
  filing_approval: 'LA',
  inquiry_record: 'XW',
  evidence_list: 'ZJ',
  pre_penalty_notice: 'GZ',
  hearing_notice: 'TZ',
  hearing_record: 'TB',
  statement_record: 'CS',
  legal_review_opinion: 'FS',
  decision: 'JD',
  proof_of_service: 'SD',
  payment_record: 'JK',
  closing_report: 'JA',
  home_authority_report: 'CG',
  home_authority_measure_report: 'CJ',
  other: 'QT',
  correction_order: 'ZG',
  correction_review: 'FC',
  execution_demand: 'CH',
  court_application: 'QZ',
  collective_discussion: 'JT',
  no_penalty_decision: 'BY',
};

/** 案卷文书: a document keeps its number; every change is a new version, none is overwritten. */
export class CaseDocumentsRepository {
  constructor(private readonly db: PrismaClient) {}

  /** A new document with its first version. */
  async create(
    tx: Tx,
    input: {
      id: string;
      caseId: string;
      kind: DocumentKind;
      numberPrefix: string;
      content: DocumentContent;
      authorId: string | null;
      at: Date;
    },
  ): Promise<{ id: string; documentNumber: string; version: number }> {
    const sequence = (await tx.caseDocument.count({ where: { caseId: input.caseId, kind: input.kind } })) + 1;
    const documentNumber = `${input.numberPrefix}-${DOCUMENT_CODES[input.kind]}-${String(sequence).padStart(2, '0')}`;
    await tx.caseDocument.create({
      data: {
        id: input.id,
        caseId: input.caseId,
        kind: input.kind,
        documentNumber,
        title: input.content.title,
        status: 'final',
        currentVersion: 1,
        issuedAt: input.at,
        createdAt: input.at,
        versions: { create: this.version(1, input.content, input.authorId, input.at) },
      },
    });
    return { id: input.id, documentNumber, version: 1 };
  }

  /** The next version of an existing document (its number stays). */
  async addVersion(
    tx: Tx,
    documentId: string,
    content: DocumentContent,
    authorId: string | null,
    at: Date,
  ): Promise<{ id: string; version: number }> {
    const doc = await tx.caseDocument.update({
      where: { id: documentId },
      data: { currentVersion: { increment: 1 }, title: content.title },
      select: { currentVersion: true },
    });
    await tx.caseDocumentVersion.create({
      data: { documentId, ...this.version(doc.currentVersion, content, authorId, at) },
    });
    return { id: documentId, version: doc.currentVersion };
  }

  async latestOfKind(tx: Tx, caseId: string, kind: DocumentKind) {
    return tx.caseDocument.findFirst({ where: { caseId, kind }, orderBy: { createdAt: 'desc' } });
  }

  async findWithVersions(caseId: string, documentId: string) {
    return this.db.caseDocument.findFirst({
      where: { id: documentId, caseId },
      include: { versions: { orderBy: { version: 'asc' } } },
    });
  }

  private version(version: number, content: DocumentContent, authorId: string | null, at: Date) {
    return {
      version,
      contentText: content.text,
      contentHtml: content.html,
      contentSha256: createHash('sha256').update(content.text).digest('hex'),
      authorId,
      createdAt: at,
    };
  }
}
