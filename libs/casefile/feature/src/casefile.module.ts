import { Global, Module, type Provider } from '@nestjs/common';
import { CaseScopeRepository, DocumentPdfsRepository, EvidenceIntegrityRepository } from '@ecc/casefile-data';
import { CASE_DOCUMENT_PRINTER } from '@ecc/cases-feature';
import { StaffAlertsRepository } from '@ecc/alerts-data';
import { DocumentsModule } from '@ecc/documents-feature';
import { PRISMA } from '@ecc/platform-nest';
import type { PrismaClient } from '@ecc/shared-data';
import { CaseFileExportUseCase } from './case-file-export.use-case';
import { CaseTraceUseCase } from './case-trace.use-case';
import { CasefileController, DocumentVerificationController } from './casefile.controller';
import { CaseDocumentPdfs } from './case-document-pdfs.service';
import { CaseFilePdfUseCase } from './case-file-pdf.use-case';
import { RenderCaseDocumentProcessor } from './render-case-document.processor';
import { UnprintedDocumentsSweeper } from './unprinted-documents.sweeper';
import { VerifyDocumentUseCase } from './verify-document.use-case';
import { EvidenceIntegrityService } from './evidence-integrity.service';
import { EvidenceIntegritySampler } from './evidence-integrity.sampler';

const repository = <T>(type: new (db: PrismaClient) => T): Provider => ({
  provide: type,
  useFactory: (db: PrismaClient) => new type(db),
  inject: [PRISMA],
});

const shared: Provider[] = [
  repository(CaseScopeRepository),
  repository(EvidenceIntegrityRepository),
  repository(StaffAlertsRepository),
  repository(DocumentPdfsRepository),
  EvidenceIntegrityService,
  CaseDocumentPdfs,
];

/**
 * 案卷: the trace of a case, the per-case evidence integrity check, the case-file export, the printed
 * documents (PDF) and their public verification (API). Global: it provides the cases' document printer
 * (CASE_DOCUMENT_PRINTER), so cases need no import of this module.
 */
@Global()
@Module({
  imports: [DocumentsModule],
  controllers: [CasefileController, DocumentVerificationController],
  providers: [
    ...shared,
    CaseTraceUseCase,
    CaseFileExportUseCase,
    CaseFilePdfUseCase,
    VerifyDocumentUseCase,
    { provide: CASE_DOCUMENT_PRINTER, useExisting: CaseDocumentPdfs },
  ],
  exports: [CASE_DOCUMENT_PRINTER],
})
export class CasefileModule {}

/**
 * The worker's scheduled re-hash of a sample of stored evidence, and the printing of case documents (the
 * render job and the sweep of versions no job printed).
 */
@Module({
  imports: [DocumentsModule],
  providers: [...shared, EvidenceIntegritySampler, RenderCaseDocumentProcessor, UnprintedDocumentsSweeper],
})
export class CasefileWorkerModule {}
