import { Module } from '@nestjs/common';
import { DocumentRenderPool } from './document-render-pool';

/**
 * The documents' Nest edge: the render pool every context that prints renders in (the case file's documents
 * and case-file PDF, the statistics' annual report). It sits on the documents' row of the context order, below
 * both, so importing it makes no context depend on another; Nest builds the module once per application, so the
 * modules that import it share one pool.
 */
@Module({
  providers: [DocumentRenderPool],
  exports: [DocumentRenderPool],
})
export class DocumentsModule {}
