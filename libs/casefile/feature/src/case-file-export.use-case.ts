import type { Readable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  attachmentDisposition,
  catalogueTitle,
  classifyIntegrity,
  extensionOf,
  fileNamePart,
  inCatalogueOrder,
  MANIFEST_FORMAT,
  readmeText,
  sha256Sums,
  type CaseFileManifest,
  type ManifestDocument,
  type ManifestEntry,
  type ManifestEvidence,
} from '@ecc/casefile-domain';
import { CaseScopeRepository, DocumentPdfsRepository } from '@ecc/casefile-data';
import { CLOCK, OBJECT_STORAGE } from '@ecc/platform-nest';
import { notFound, type Clock, type ObjectStorage } from '@ecc/shared-kernel';
import { EvidenceIntegrityService, openObject } from './evidence-integrity.service';
import { ZipWriter } from './zip-writer';
import { CaseDocumentPdfs } from './case-document-pdfs.service';
import { CaseFilePdfUseCase, remediesOf } from './case-file-pdf.use-case';

export interface CaseFileExport {
  fileName: string;
  contentDisposition: string;
  stream: Readable;
}

const pad = (n: number) => String(n).padStart(2, '0');
const EXTENSIONS = { html: 'html', text: 'txt', pdf: 'pdf' } as const;

/**
 * GET /cases/{id}/export: the case file as a ZIP streamed while it is written — the documents in catalogue
 * order (each version as stored and as printed, PDF), case-file.pdf (cover, 卷内目录 and the current
 * documents), the evidence objects read from storage, README.txt, manifest.json and
 * SHA256SUMS. The evidence hashes in the manifest are those of the bytes written into the archive; an
 * object that no longer matches its recorded sha256 is exported anyway, marked `mismatch` in the manifest
 * and on the evidence rows (with the alert of the integrity check).
 */
@Injectable()
export class CaseFileExportUseCase {
  private readonly logger = new Logger(CaseFileExportUseCase.name);

  constructor(
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly scopes: CaseScopeRepository,
    private readonly integrity: EvidenceIntegrityService,
    private readonly printed: DocumentPdfsRepository,
    private readonly pdfs: CaseDocumentPdfs,
    private readonly caseFilePdf: CaseFilePdfUseCase,
  ) {}

  /**
   * The PDF of every version (by `documentId:version`) and the case file's, printed before the first byte is
   * sent: a document that cannot be printed is a clean 422, not a cut archive.
   */
  private async printAll(caseId: string, hasDocuments: boolean) {
    const pdfs = new Map<string, Buffer>();
    for (const row of await this.printed.versionsOfCase(caseId))
      pdfs.set(`${row.documentId}:${row.version}`, await this.pdfs.pdfOf(row));
    const caseFile = hasDocuments ? (await this.caseFilePdf.execute(caseId)).pdf : null;
    return { pdfs, caseFile };
  }

  /** Everything that can fail with a clean 4xx happens here, before the first byte is sent. */
  async execute(caseId: string): Promise<CaseFileExport> {
    const scope = await this.scopes.load(caseId);
    if (!scope) throw notFound('case', caseId);
    const evidence = await this.scopes.evidence(scope, [scope.case.id]);
    const documents = inCatalogueOrder(await this.scopes.documentsWithContent(scope.case.id));
    const events = await this.scopes.auditEvents(
      scope,
      evidence.map((e) => e.id),
    );
    // Only the case's own events (and its lead's), not the sub-cases': the file is this case's.
    const sealed = await this.scopes.lastSealed(
      events.filter((e) => e.entityType !== 'case' || e.entityId === scope.case.id).map((e) => e.id),
    );
    const printed = await this.printAll(scope.case.id, documents.length > 0);
    const remedies = remediesOf(await this.scopes.workflowOf(scope.case.id));
    const exportedAt = this.clock.now();
    const zip = new ZipWriter(exportedAt);
    const label = scope.case.caseNumber ?? scope.case.id;
    const fileName = `案卷-${fileNamePart(label, 80)}.zip`;

    const write = async () => {
      const entries: ManifestEntry[] = [];
      const add = async (path: string, content: Parameters<ZipWriter['addFile']>[1]) => {
        const written = await zip.addFile(path, content);
        const entry = { path, sha256: written.sha256, size: written.size };
        entries.push(entry);
        return entry;
      };
      await add(
        'README.txt',
        readmeText({
          caseNumber: scope.case.caseNumber,
          caseId: scope.case.id,
          exportedAt: exportedAt.toISOString(),
        }),
      );

      const manifestDocuments: ManifestDocument[] = [];
      for (const [index, doc] of documents.entries()) {
        const position = index + 1;
        const base = `documents/${pad(position)}-${catalogueTitle(doc.kind)}${
          doc.documentNumber ? `-${fileNamePart(doc.documentNumber)}` : ''
        }`;
        for (const version of [...doc.versions].reverse()) {
          const current = version.version === doc.currentVersion;
          const suffix = current ? '' : `.v${version.version}`;
          for (const [format, content] of [
            ['html', version.contentHtml],
            ['text', version.contentText],
            ['pdf', printed.pdfs.get(`${doc.id}:${version.version}`) ?? null],
          ] as const) {
            if (content === null) continue;
            const entry = await add(`${base}${suffix}.${EXTENSIONS[format]}`, content);
            manifestDocuments.push({
              ...entry,
              position,
              documentId: doc.id,
              kind: doc.kind,
              title: doc.title,
              documentNumber: doc.documentNumber,
              version: version.version,
              current,
              format,
            });
          }
        }
      }

      if (printed.caseFile) await add('case-file.pdf', printed.caseFile);

      const manifestEvidence: ManifestEvidence[] = [];
      const observed = new Map<string, string | null>();
      for (const [index, item] of evidence.entries()) {
        const path = `evidence/${pad(index + 1)}-${item.kind}-${item.id}.${extensionOf(item.contentType)}`;
        const source = await openObject(this.storage, item.key);
        let written: ManifestEntry | null = null;
        if (source) written = await add(path, source);
        const status = classifyIntegrity(item.sha256, written?.sha256 ?? null);
        manifestEvidence.push({
          id: item.id,
          kind: item.kind,
          key: item.key,
          path: written ? path : null,
          recordedSha256: item.sha256,
          sha256: written?.sha256 ?? null,
          size: written?.size ?? null,
          status,
          detectionId: item.detectionId,
        });
        if (!observed.has(item.key)) {
          observed.set(item.key, written?.sha256 ?? null);
          await this.integrity.observe(item.key, written?.sha256 ?? null, 'export');
        }
      }

      const manifest: CaseFileManifest = {
        format: MANIFEST_FORMAT,
        caseId: scope.case.id,
        caseNumber: scope.case.caseNumber,
        exportedAt: exportedAt.toISOString(),
        audit: sealed
          ? {
              eventId: sealed.id.toString(),
              chainSeq: sealed.chainSeq!.toString(),
              hash: sealed.hash!,
              occurredAt: sealed.occurredAt.toISOString(),
            }
          : null,
        documents: manifestDocuments,
        evidence: manifestEvidence,
        remedies,
        entries: [...entries],
      };
      await add('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
      await zip.addFile('SHA256SUMS', sha256Sums(entries));
      await zip.finish();
    };
    write().catch((error: unknown) => {
      this.logger.warn({ err: error, caseId }, 'case-file export aborted');
      zip.abort(error instanceof Error ? error : new Error(String(error)));
    });
    return {
      fileName,
      contentDisposition: attachmentDisposition(fileName, `case-file-${scope.case.id}.zip`),
      stream: zip.output,
    };
  }
}
