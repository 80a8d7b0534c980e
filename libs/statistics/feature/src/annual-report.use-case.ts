import { Inject, Injectable } from '@nestjs/common';
import { renderDocument } from '@ecc/documents-pdf';
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
  ) {}

  async report(year: number): Promise<AnnualReport> {
    const period = { from: `${year}-01-01`, to: `${year}-12-31` };
    const byType = await this.statistics.execute({ ...period, groupBy: 'caseType' });
    return annualReport(year, this.config.bureau.name, byType);
  }

  /** The report as a PDF through the document renderer (tables under headings, the authority's seal). */
  async pdf(year: number): Promise<Buffer> {
    const rendered = await renderDocument(reportDocument(await this.report(year)));
    return rendered.pdf;
  }
}
