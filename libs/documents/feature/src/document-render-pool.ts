import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PdfRenderPool } from '@ecc/documents-pdf';
import { APP_CONFIG } from '@ecc/platform-nest';
import type { AppConfig } from '@ecc/shared-config';

/**
 * The process's render threads (docs/documents.md, "Rendering off the event loop"): as many as the PDFs one
 * process renders at once (`DOCUMENT_RENDER_CONCURRENCY`), started at the first render, stopped with the app.
 * One pool per process, whichever feature modules render in it.
 */
@Injectable()
export class DocumentRenderPool extends PdfRenderPool implements OnModuleDestroy {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super({ threads: config.documents.renderConcurrency });
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }
}
