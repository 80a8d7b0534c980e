import { Inject, Injectable } from '@nestjs/common';
import { DocumentPdfsRepository } from '@ecc/casefile-data';
import { APP_CONFIG, CLOCK, PeriodicTask } from '@ecc/platform-nest';
import type { AppConfig } from '@ecc/shared-config';
import { DomainError, type Clock } from '@ecc/shared-kernel';
import { CaseDocumentPdfs } from './case-document-pdfs.service';

const BATCH = 100;

/**
 * The worker's safety net for the render jobs (DOCUMENT_PRINT_SWEEP_INTERVAL_MS): every document version not
 * printed within one interval of being written is printed here — its job was lost, or it was written where no
 * job is queued (the four-penalties batch acts inside its own transaction). A version that cannot be printed
 * (a character outside the font) is skipped until the process restarts, not retried at every run.
 */
@Injectable()
export class UnprintedDocumentsSweeper extends PeriodicTask {
  private readonly refused = new Set<string>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly versions: DocumentPdfsRepository,
    private readonly pdfs: CaseDocumentPdfs,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.documents.printSweepIntervalMs;
  }

  async sweep(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - this.intervalMs());
    const rows = await this.versions.unprinted(before, BATCH + this.refused.size);
    let printed = 0;
    for (const row of rows) {
      if (this.stopped || printed >= BATCH) break;
      if (this.refused.has(row.id)) continue;
      try {
        await this.pdfs.print(row);
        printed++;
      } catch (error) {
        if (!(error instanceof DomainError) || error.category !== 'rule_violation') throw error;
        this.refused.add(row.id);
        this.logger.warn(
          { err: error, documentId: row.documentId, version: row.version },
          'document cannot be printed',
        );
      }
    }
    if (printed > 0) this.logger.log({ count: printed }, 'printed document versions no job had printed');
    return printed;
  }
}
