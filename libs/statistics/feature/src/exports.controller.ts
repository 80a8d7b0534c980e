import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppConfig } from '@ecc/shared-config';
import { addDays, startOfLocalDay } from '@ecc/shared-kernel';
import { APP_CONFIG, ApiProblems, PersonalData, Roles, ZodParam, ZodPipe } from '@ecc/platform-nest';
import { STAFF_ROLES } from '@ecc/identity-domain';
import { CONTENT_TYPES, EXPORT_FORMATS } from '@ecc/shared-export';
import { sendTables } from './export-response';
import { EXPORT_FILTERS, EXPORT_LISTS, ListExports, type ExportList } from './list-exports';
import { exportFormatSchema } from './statistics.schema';

const FILE_NAMES: Record<ExportList, string> = {
  leads: '线索清单',
  cases: '案件清单',
  notices: '告知推送清单',
  fences: '电子围栏清单',
  'answerable-parties': '一超四罚应处罚当事人',
  evaluations: '案卷评查清单',
};

/**
 * 导出: every list of the API as a spreadsheet, with the filters of its own route. The lists carry personal data
 * (plates, names, phone numbers), so an auditor's export is a recorded read of personal data (entity `export`,
 * id the list's name, the filters in the payload) — written before the first byte leaves.
 */
@ApiTags('exports')
@Controller('exports')
export class ExportsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly exports: ListExports,
  ) {}

  @Get(':list')
  @PersonalData('export', 'list')
  @Roles(...STAFF_ROLES)
  @ApiOperation({
    summary:
      'A whole list as XLSX (default) or CSV (UTF-8 with BOM): leads, cases and notices take the filters of their ' +
      'GET routes, fences those of GET /fences, answerable-parties those of GET /penalties/answerable, evaluations ' +
      '`from`, `to` (days) and `kind`; streamed page by page',
  })
  @ApiQuery({ name: 'format', required: false, enum: [...EXPORT_FORMATS] })
  @ApiProduces(CONTENT_TYPES.xlsx, CONTENT_TYPES.csv)
  @ApiResponse({
    status: 200,
    description: 'the list; Content-Disposition attachment',
    content: {
      [CONTENT_TYPES.xlsx]: { schema: { type: 'string', format: 'binary' } },
      [CONTENT_TYPES.csv]: { schema: { type: 'string', format: 'binary' } },
    },
  })
  @ApiProblems({ 400: '`validation_failed` (an unknown filter, a bad value)' })
  async export(
    @ZodParam('list', z.enum(EXPORT_LISTS)) list: ExportList,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { format: rawFormat, ...rawFilters } = query ?? {};
    const format = new ZodPipe(exportFormatSchema, 'query.format').transform(rawFormat);
    const filters = new ZodPipe(EXPORT_FILTERS[list], 'query').transform(rawFilters);
    const timeZone = this.config.bureau.timeZone;
    const table = await this.exports.table(list, filters, {
      start: (day) => startOfLocalDay(day, timeZone),
      end: (day) => startOfLocalDay(addDays(day, 1), timeZone),
    });
    return sendTables(reply, [table], format, FILE_NAMES[list], timeZone);
  }
}
