import { Injectable } from '@nestjs/common';
import { JOBS, type PayloadOf } from '@ecc/shared-queues';
import { JobHandler } from '@ecc/platform-nest';
import { CaseDocumentPdfs } from './case-document-pdfs.service';

/** The worker's handler of `documents/render-case-document`: prints the version unless it is printed. */
@Injectable()
export class RenderCaseDocumentProcessor {
  constructor(private readonly pdfs: CaseDocumentPdfs) {}

  @JobHandler(JOBS.renderCaseDocument)
  run(payload: PayloadOf<typeof JOBS.renderCaseDocument>): Promise<string> {
    return this.pdfs.render(payload.documentId, payload.version);
  }
}
