import { Inject, Injectable } from '@nestjs/common';
import { chineseDate, type CaseFileCover, type PrintableDocument } from '@ecc/documents-domain';
import { DocumentRenderPool } from '@ecc/documents-feature';
import type { RenderedCaseFile } from '@ecc/documents-pdf';
import { inCatalogueOrder, remediesOnFile, remedyLine, type RemedyOnFile } from '@ecc/casefile-domain';
import { decodeSnapshot } from '@ecc/cases-data';
import { DocumentPdfsRepository, type PrintableVersionRow } from '@ecc/casefile-data';
import { APP_CONFIG } from '@ecc/platform-nest';
import type { AppConfig } from '@ecc/shared-config';
import { DomainError, notFound } from '@ecc/shared-kernel';
import { CaseDocumentPdfs } from './case-document-pdfs.service';

/** The party a case file's cover names: the one its type penalises, else the vehicle's owner. */
const COVER_ROLE: Record<string, string> = {
  driver: 'driver',
  enterprise: 'enterprise',
  source_unit: 'source_unit',
};

export interface CaseFilePdf extends RenderedCaseFile {
  fileName: string;
}

/**
 * GET /cases/{id}/case-file.pdf: the case file as an evaluator reads it — 案卷封面, 卷内目录, then the current
 * version of every document in catalogue order, each page as its own PDF prints it (the models fixed at
 * their first print; a document never printed is printed first). Deterministic: the same documents give
 * the same bytes (the file's date is its latest version's).
 */
@Injectable()
export class CaseFilePdfUseCase {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly versions: DocumentPdfsRepository,
    private readonly pdfs: CaseDocumentPdfs,
    private readonly renderer: DocumentRenderPool,
  ) {}

  async execute(caseId: string): Promise<CaseFilePdf> {
    const facts = await this.versions.coverFacts(caseId);
    if (!facts) throw notFound('case', caseId);
    const rows = inCatalogueOrder(
      (await this.versions.currentVersionsOfCase(caseId)).map((row) => ({
        row,
        id: row.documentId,
        kind: row.document.kind,
        createdAt: row.document.createdAt,
        documentNumber: row.document.documentNumber,
      })),
    ).map((d) => d.row);
    if (rows.length === 0)
      throw new DomainError('rule_violation', 'case_file_empty', 'the case has no document to print yet');
    const documents: PrintableDocument[] = [];
    for (const row of rows) documents.push(await this.fixedModel(row));
    const latest = rows.reduce((a, r) => (r.createdAt > a ? r.createdAt : a), rows[0]!.createdAt);
    const rendered = await this.renderer.renderCaseFile(
      {
        cover: this.cover(facts),
        documents,
        createdAt: latest.toISOString(),
        timeZone: this.config.bureau.timeZone,
      },
      { verifyBaseUrl: this.config.documents.verifyBaseUrl },
    );
    const label = (facts.caseNumber ?? facts.id).replace(/[/\\:*?"<>|]/g, '_');
    return { ...rendered, fileName: `案卷-${label}.pdf` };
  }

  /** The model a version's own PDF prints: printed first when it never was, so that both agree. */
  private async fixedModel(row: PrintableVersionRow): Promise<PrintableDocument> {
    return row.printable ? this.pdfs.modelOf(row) : (await this.pdfs.print(row)).model;
  }

  private cover(
    facts: NonNullable<Awaited<ReturnType<DocumentPdfsRepository['coverFacts']>>>,
  ): CaseFileCover {
    const tz = this.config.bureau.timeZone;
    const role = COVER_ROLE[facts.type] ?? 'owner';
    const party =
      facts.parties.find((p) => p.role === role) ??
      facts.parties.find((p) => p.role === 'owner') ??
      facts.parties[0];
    const plate = facts.lead?.plate ?? facts.vehicle?.plate;
    const day = (d: Date | null) => (d ? chineseDate(d, tz) : undefined);
    const handlers = facts.officers.map((o) => o.user.displayName).join('、');
    const remedies = remediesOf(facts.workflow).map(remedyLine);
    return {
      authority: this.config.bureau.name,
      caseNumber: facts.caseNumber ?? `（未立案 ${facts.id.slice(0, 8)}）`,
      caseCause: plate ? `车辆${plate}违法超限运输` : '违法超限运输',
      party: party?.party.name ?? '（待查明）',
      filedOn: day(facts.filedAt) ?? '（未立案）',
      ...(facts.closedAt ? { closedOn: day(facts.closedAt) } : {}),
      ...(facts.archivedAt ? { archivedOn: day(facts.archivedAt) } : {}),
      ...(handlers ? { handlers } : {}),
      ...(remedies.length ? { remedies } : {}),
    };
  }
}

/** The reconsiderations and lawsuits a case's snapshot records (record_remedy, record_remedy_outcome). */
export function remediesOf(workflow: unknown): RemedyOnFile[] {
  return workflow ? remediesOnFile(decodeSnapshot(workflow).remedies ?? []) : [];
}
