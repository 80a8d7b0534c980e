import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  parsePrintableDocument,
  printableFromCaseDocument,
  type PrintableDocument,
} from '@ecc/documents-domain';
import { DocumentRenderPool } from '@ecc/documents-feature';
import { DocumentPdfsRepository, type PrintableVersionRow } from '@ecc/casefile-data';
import type { CaseDocumentPrinter } from '@ecc/cases-feature';
import { APP_CONFIG, OBJECT_STORAGE, QueueProducer } from '@ecc/platform-nest';
import type { AppConfig } from '@ecc/shared-config';
import { DomainError, notFound, type ObjectStorage } from '@ecc/shared-kernel';
import { JOBS } from '@ecc/shared-queues';
import { openObject } from './evidence-integrity.service';

/** Where a version's PDF is kept in the object store. */
export const pdfKey = (documentId: string, version: number) => `documents/${documentId}/v${version}.pdf`;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A printed version: its PDF, the model it was printed from and what is recorded of it. */
export interface PrintedPdf {
  pdf: Buffer;
  sha256: string;
  pageCount: number;
  model: PrintableDocument;
  verificationCode: string;
}

/**
 * 案卷文书 as PDF (docs/documents.md): a version's printable model is built from its stored text once, at
 * its first print, and kept with it; every later print renders that model again to the same bytes. The
 * PDF goes to the object store (documents/<id>/v<version>.pdf) and its sha256 to the version. Printing is
 * queued when an action writes versions (`versionsWritten`, after its commit); a PDF missing from the store
 * or never printed is printed when asked for.
 */
@Injectable()
export class CaseDocumentPdfs implements CaseDocumentPrinter {
  private readonly logger = new Logger(CaseDocumentPdfs.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    private readonly versions: DocumentPdfsRepository,
    private readonly producer: QueueProducer,
    private readonly renderer: DocumentRenderPool,
  ) {}

  async versionsWritten(
    caseId: string,
    documents: readonly { id: string; version: number }[],
  ): Promise<void> {
    try {
      await this.producer.enqueueMany(
        JOBS.renderCaseDocument,
        documents.map((d) => ({ documentId: d.id, version: d.version })),
      );
    } catch (error) {
      this.logger.warn(
        { err: error, caseId },
        'could not queue the printing of documents; they are printed when first asked for',
      );
    }
  }

  async pdf(
    caseId: string,
    documentId: string,
    version?: number,
  ): Promise<{ pdf: Buffer; fileName: string }> {
    const row = await this.versions.version(documentId, version, caseId);
    if (!row) throw notFound(version === undefined ? 'case_document' : 'document_version', documentId);
    return { pdf: await this.pdfOf(row), fileName: fileNameOf(row) };
  }

  /** The PDF of a version: the stored bytes when they are those recorded, else printed now (same bytes). */
  async pdfOf(row: PrintableVersionRow): Promise<Buffer> {
    if (row.pdfSha256) {
      const stream = await openObject(this.storage, pdfKey(row.documentId, row.version));
      const stored = stream ? await readAll(stream) : null;
      if (stored && sha256(stored) === row.pdfSha256) return stored;
    }
    return (await this.print(row)).pdf;
  }

  /** The job: prints a version unless its recorded PDF is in the store. */
  async render(documentId: string, version: number): Promise<'printed' | 'present' | 'missing'> {
    const row = await this.versions.version(documentId, version);
    if (!row) return 'missing';
    if (row.pdfSha256 && (await this.storage.stat(pdfKey(documentId, version)))) return 'present';
    await this.print(row);
    return 'printed';
  }

  /** The printable model of a version: the one fixed at its first print, else built from its stored text. */
  modelOf(row: PrintableVersionRow): PrintableDocument {
    if (row.printable) return parsePrintableDocument(row.printable);
    return printableFromCaseDocument({
      kind: row.document.kind,
      title: row.document.title,
      text: row.contentText ?? row.document.title,
      documentNumber: row.document.documentNumber ?? '',
      version: row.version,
      createdAt: row.createdAt.toISOString(),
      authority: this.config.bureau.name,
    });
  }

  /** Renders a version, stores its PDF and records the model, code and digest with the version. */
  async print(row: PrintableVersionRow): Promise<PrintedPdf> {
    const model = this.modelOf(row);
    let rendered;
    try {
      rendered = await this.renderer.renderDocument(model, {
        verifyBaseUrl: this.config.documents.verifyBaseUrl,
      });
    } catch (error) {
      // a stored document that cannot be printed is a rule the document breaks, not a bad request
      if (error instanceof DomainError && error.category === 'validation')
        throw new DomainError('rule_violation', error.code, error.message, error.details);
      throw error;
    }
    await this.storage.put(
      pdfKey(row.documentId, row.version),
      rendered.pdf,
      'application/pdf',
      rendered.pdf.length,
    );
    const code = rendered.verification.code;
    if (row.pdfSha256 && row.pdfSha256 !== rendered.sha256)
      this.logger.warn(
        { documentId: row.documentId, version: row.version, recorded: row.pdfSha256, now: rendered.sha256 },
        'a document printed again gave other bytes than recorded',
      );
    if (!row.printable || row.pdfSha256 !== rendered.sha256 || row.verificationCode !== code)
      await this.versions.recordPrint(row.id, {
        printable: model,
        verificationCode: code,
        pdfSha256: rendered.sha256,
        pdfPages: rendered.pageCount,
      });
    return {
      pdf: rendered.pdf,
      sha256: rendered.sha256,
      pageCount: rendered.pageCount,
      model,
      verificationCode: code,
    };
  }
}

/** `行政处罚决定书-汨交罚〔2024〕第0001号-JD-01-v1.pdf` */
export function fileNameOf(row: PrintableVersionRow): string {
  const number = (row.document.documentNumber ?? row.documentId).replace(/[/\\:*?"<>|]/g, '_');
  return `${row.document.title}-${number}-v${row.version}.pdf`;
}
