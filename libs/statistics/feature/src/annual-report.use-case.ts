import { Inject, Injectable } from '@nestjs/common';
import { DocumentRenderPool } from '@ecc/documents-feature';
import type { AppConfig } from '@ecc/shared-config';
import { APP_CONFIG } from '@ecc/platform-nest';
import { annualReport, reportDocument, type AnnualReport } from './annual-report';
import { GetStatisticsUseCase } from './get-statistics.use-case';

/** The annual rule-of-law figures of a year (1 January to 31 December of the bureau). */
@Injectable()
export class AnnualReportUseCase {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly statistics: GetStatisticsUseCase,
    private readonly renderer: DocumentRenderPool,
  ) {}

  async report(year: number): Promise<AnnualReport> {
    const period = { from: `${year}-01-01`, to: `${year}-12-31` };
    const byType = await this.statistics.execute({ ...period, groupBy: 'caseType' });
    return annualReport(year, this.config.bureau.name, byType);
  }

  /**
   * The report as a PDF (tables under headings, the authority's seal), laid out in the process's render threads
   * like the case documents, not on the API's event loop; the bytes are those of the calling thread's renderer.
   */
  async pdf(year: number): Promise<Buffer> {
    const rendered = await this.renderer.renderDocument(reportDocument(await this.report(year)));
    return rendered.pdf;
  }
}
