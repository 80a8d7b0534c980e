import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppConfig } from '@ecc/shared-config';
import {
  APP_CONFIG,
  ApiProblems,
  ApiZodResponse,
  NoPersonalData,
  PersonalData,
  Roles,
  ZodQuery,
} from '@ecc/platform-nest';
import { STAFF_ROLES } from '@ecc/identity-domain';
import { attachmentDisposition, CONTENT_TYPES, xlsxStream } from '@ecc/shared-export';
import { AnnualReportUseCase } from './annual-report.use-case';
import { reportSheets } from './annual-report';
import { sendTables } from './export-response';
import { GetStatisticsUseCase } from './get-statistics.use-case';
import {
  statisticsExportQuerySchema,
  statisticsQuerySchema,
  statisticsSchema,
  type StatisticsQuery,
} from './statistics.schema';
import { statisticsTables } from './statistics-tables';

const annualReportQuerySchema = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2100),
  format: z.enum(['xlsx', 'pdf']).default('pdf'),
});

const file = (description: string, types: string[]) =>
  ApiResponse({
    status: 200,
    description,
    content: Object.fromEntries(types.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
  });

/**
 * 统计: how many, how much, how fast — for staff and auditors. The review reasons are officers' free text and
 * the officer grouping names staff, so an auditor's read is recorded like any read of personal data.
 */
@ApiTags('statistics')
@Controller('statistics')
export class StatisticsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly statistics: GetStatisticsUseCase,
    private readonly annual: AnnualReportUseCase,
  ) {}

  @Get()
  @PersonalData('statistics')
  @Roles(...STAFF_ROLES)
  @ApiOperation({
    summary:
      'Statistics of a period (from, to: days of the bureau, both included), in total and by month, station, case ' +
      'type or officer; every figure with its definition (docs/statistics.md)',
  })
  @ApiZodResponse(200, statisticsSchema)
  @ApiProblems({ 400: '`validation_failed`, `statistics_period_too_long`' })
  get(@ZodQuery(statisticsQuerySchema) query: StatisticsQuery) {
    return this.statistics.execute(query);
  }

  @Get('export')
  @PersonalData('statistics')
  @Roles(...STAFF_ROLES)
  @ApiOperation({
    summary:
      'The same statistics as a file: XLSX (figures, definitions, rejection reasons: a sheet each) or CSV (the figures)',
  })
  @ApiProduces(CONTENT_TYPES.xlsx, CONTENT_TYPES.csv)
  @file('the statistics; Content-Disposition attachment', [CONTENT_TYPES.xlsx, CONTENT_TYPES.csv])
  @ApiProblems({ 400: '`validation_failed`, `statistics_period_too_long`' })
  async export(
    @ZodQuery(statisticsExportQuerySchema) query: z.infer<typeof statisticsExportQuerySchema>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { format, ...period } = query;
    const statistics = await this.statistics.execute(period);
    const name = `统计_${period.from}_${period.to}${period.groupBy ? `_${period.groupBy}` : ''}`;
    return sendTables(reply, statisticsTables(statistics), format, name, this.config.bureau.timeZone);
  }

  @Get('annual-report')
  @NoPersonalData()
  @Roles(...STAFF_ROLES)
  @ApiOperation({
    summary:
      '年度法治政府建设统计: the tables of the annual rule-of-law report for a year, as PDF (default) or XLSX',
  })
  @ApiProduces('application/pdf', CONTENT_TYPES.xlsx)
  @file('the report; Content-Disposition attachment', ['application/pdf', CONTENT_TYPES.xlsx])
  @ApiProblems({ 400: '`validation_failed`' })
  async annualReport(
    @ZodQuery(annualReportQuerySchema) query: z.infer<typeof annualReportQuerySchema>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const name = `${query.year}年度行政执法统计`;
    reply.header('cache-control', 'no-store');
    if (query.format === 'pdf') {
      const pdf = await this.annual.pdf(query.year);
      reply.header('content-type', 'application/pdf');
      reply.header('content-disposition', attachmentDisposition(name, 'pdf'));
      return pdf;
    }
    reply.header('content-type', CONTENT_TYPES.xlsx);
    reply.header('content-disposition', attachmentDisposition(name, 'xlsx'));
    return xlsxStream(reportSheets(await this.annual.report(query.year)), {
      timeZone: this.config.bureau.timeZone,
    });
  }
}
