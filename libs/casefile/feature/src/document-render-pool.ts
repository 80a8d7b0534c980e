import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PdfRenderPool } from '@ecc/documents-pdf';
import { APP_CONFIG } from '@ecc/platform-nest';
import type { AppConfig } from '@ecc/shared-config';

/**
 * The process's render threads (docs/documents.md, "Rendering off the event loop"): one per document job the
 * worker runs at once (`DOCUMENT_RENDER_CONCURRENCY`), started at the first print, stopped with the app.
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
