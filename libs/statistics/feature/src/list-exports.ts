import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { CASE_STATE_INFO, CASE_STATES, CASE_TYPES as CASE_TYPE_VALUES } from '@ecc/cases-domain';
import { CaseQueries } from '@ecc/cases-feature';
import { ListNoticesUseCase, NOTICE_CHANNELS, NOTICE_STATUSES } from '@ecc/notices-feature';
import { answerableQuerySchema, FourPenaltiesQueries } from '@ecc/penalties-feature';
import { LEAD_STATUSES } from '@ecc/leads-domain';
import { ListLeadsUseCase } from '@ecc/screening-feature';
import type { AnyTable, ExportTable } from '@ecc/shared-export';
import { timeFilterSchema } from '@ecc/platform-nest';
import { CASE_TYPES, ListExportsRepository, PENALTY_KINDS } from '@ecc/statistics-data';
import { onePage } from './statistics-tables';

/** The lists of the API that export as XLSX or CSV: `GET /exports/{list}` with the list's own filters. */
export const EXPORT_LISTS = [
  'leads',
  'cases',
  'notices',
  'fences',
  'answerable-parties',
  'evaluations',
] as const;
export type ExportList = (typeof EXPORT_LISTS)[number];

const isoDate = z.iso.date();
const uuid = z.string().uuid();

/** The filters of each list (those of its `GET` route, without the page: an export is the whole list). */
export const EXPORT_FILTERS = {
  leads: z.strictObject({
    status: z.enum(LEAD_STATUSES).optional(),
    station: z.string().min(1).max(64).optional(),
    plate: z.string().trim().min(1).max(16).optional(),
    from: timeFilterSchema.optional(),
    to: timeFilterSchema.optional(),
  }),
  cases: z.strictObject({
    state: z.enum(CASE_STATES).optional(),
    type: z.enum(CASE_TYPE_VALUES).optional(),
    leadId: uuid.optional(),
    officerId: uuid.optional(),
  }),
  notices: z.strictObject({
    status: z.enum(NOTICE_STATUSES).optional(),
    channel: z.enum(NOTICE_CHANNELS).optional(),
    leadId: uuid.optional(),
    caseId: uuid.optional(),
  }),
  fences: z.strictObject({
    status: z.enum(['active', 'lifted']).optional(),
    plate: z.string().trim().min(1).max(16).optional(),
    leadId: uuid.optional(),
    caseId: uuid.optional(),
  }),
  'answerable-parties': z.strictObject({
    enterprise: uuid.optional(),
    sourceUnit: uuid.optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
  }),
  evaluations: z.strictObject({
    from: isoDate,
    to: isoDate,
    kind: z.enum(['review', 'precheck']).optional(),
  }),
} as const;

const LEAD_STATUS_LABELS: Record<string, string> = {
  pending_review: '待审核',
  confirmed: '已确认',
  rejected: '不予采用',
  notified: '已告知',
  fenced: '已布控',
  filed: '已立案',
};
const NOTICE_STATUS_LABELS: Record<string, string> = {
  pending: '待发送',
  sent: '已发出',
  delivered: '已送达',
  failed: '失败',
};
const CHANNEL_LABELS: Record<string, string> = { sms: '短信告知', push: '信息推送' };
const ROLE_LABELS: Record<string, string> = {
  vehicle: '车辆',
  driver: '驾驶人',
  enterprise: '道路运输企业',
  source_unit: '货运源头单位',
};
const label = (labels: Record<string, string>, value: string | null | undefined) =>
  value ? (labels[value] ?? value) : null;

/** Pages of a cursor-paged list use case, followed to its end (the page size is the list's largest). */
async function* cursorPages<Item>(
  page: (cursor: string | undefined) => Promise<{ items: Item[]; nextCursor: string | null }>,
): AsyncGenerator<Item[]> {
  let cursor: string | undefined;
  do {
    const result = await page(cursor);
    if (result.items.length) yield result.items;
    cursor = result.nextCursor ?? undefined;
  } while (cursor);
}

/** Each list as a table: its rows read through the list's own query use case, or a keyset of its own. */
@Injectable()
export class ListExports {
  constructor(
    private readonly leads: ListLeadsUseCase,
    private readonly cases: CaseQueries,
    private readonly notices: ListNoticesUseCase,
    private readonly penalties: FourPenaltiesQueries,
    private readonly lists: ListExportsRepository,
  ) {}

  /** Validated filters (400 names the field) → the table to write. */
  async table(
    list: ExportList,
    filters: unknown,
    zone: { start: (d: string) => Date; end: (d: string) => Date },
  ): Promise<AnyTable> {
    switch (list) {
      case 'leads':
        return this.leadsTable(EXPORT_FILTERS.leads.parse(filters));
      case 'cases':
        return this.casesTable(EXPORT_FILTERS.cases.parse(filters));
      case 'notices':
        return this.noticesTable(EXPORT_FILTERS.notices.parse(filters));
      case 'fences':
        return this.fencesTable(EXPORT_FILTERS.fences.parse(filters));
      case 'answerable-parties':
        return this.answerableTable(EXPORT_FILTERS['answerable-parties'].parse(filters));
      case 'evaluations': {
        const q = EXPORT_FILTERS.evaluations.parse(filters);
        return this.evaluationsTable(zone.start(q.from), zone.end(q.to), q.kind);
      }
    }
  }

  private leadsTable(q: z.infer<(typeof EXPORT_FILTERS)['leads']>) {
    type Item = Awaited<ReturnType<ListLeadsUseCase['execute']>>['items'][number];
    const table: ExportTable<Item> = {
      title: '线索清单',
      columns: [
        { header: '检测时间', type: 'datetime', value: (l) => l.detectedAt },
        { header: '检测点', type: 'text', value: (l) => l.stationCode },
        { header: '号牌', type: 'text', value: (l) => l.plate, width: 12 },
        { header: '号牌颜色', type: 'text', value: (l) => l.plateColour },
        { header: '状态', type: 'text', value: (l) => label(LEAD_STATUS_LABELS, l.status) },
        { header: '轴数', type: 'integer', value: (l) => l.axleCount },
        { header: '车货总质量(kg)', type: 'integer', value: (l) => l.grossKg },
        { header: '限值(kg)', type: 'integer', value: (l) => l.limitKg },
        { header: '扣除误差(kg)', type: 'integer', value: (l) => l.toleranceKg },
        { header: '超限(kg)', type: 'integer', value: (l) => l.excessKg },
        { header: '拟处罚', type: 'text', value: (l) => label(PENALTY_KINDS, l.proposedPenalty.kind) },
        { header: '拟罚款(元)', type: 'money', value: (l) => l.proposedPenalty.amountYuan },
        { header: '车主不明', type: 'text', value: (l) => (l.ownerUnknown ? '是' : '否') },
        { header: '线索编号', type: 'text', value: (l) => l.id, width: 38 },
      ],
      pages: cursorPages((cursor) => this.leads.execute({ ...q, limit: 100, cursor })),
    };
    return table;
  }

  private casesTable(q: z.infer<(typeof EXPORT_FILTERS)['cases']>) {
    type Item = Awaited<ReturnType<CaseQueries['list']>>['items'][number];
    const table: ExportTable<Item> = {
      title: '案件清单',
      columns: [
        { header: '案号', type: 'text', value: (c) => c.caseNumber, width: 26 },
        { header: '案件类型', type: 'text', value: (c) => label(CASE_TYPES, c.type) },
        {
          header: '状态',
          type: 'text',
          value: (c) => CASE_STATE_INFO[c.state as keyof typeof CASE_STATE_INFO]?.title ?? c.state,
        },
        { header: '号牌', type: 'text', value: (c) => c.plate, width: 12 },
        { header: '违法日期', type: 'date', value: (c) => c.violationDate },
        { header: '立案时间', type: 'datetime', value: (c) => c.filedAt },
        { header: '创建时间', type: 'datetime', value: (c) => c.createdAt },
        { header: '案件编号', type: 'text', value: (c) => c.id, width: 38 },
      ],
      pages: cursorPages((cursor) => this.cases.list({ ...q, limit: 100, cursor })),
    };
    return table;
  }

  private noticesTable(q: z.infer<(typeof EXPORT_FILTERS)['notices']>) {
    type Item = Awaited<ReturnType<ListNoticesUseCase['execute']>>['items'][number];
    const table: ExportTable<Item> = {
      title: '告知推送清单',
      columns: [
        { header: '生成时间', type: 'datetime', value: (n) => n.createdAt },
        { header: '方式', type: 'text', value: (n) => label(CHANNEL_LABELS, n.channel) },
        { header: '接收方', type: 'text', value: (n) => n.recipient, width: 20 },
        { header: '状态', type: 'text', value: (n) => label(NOTICE_STATUS_LABELS, n.status) },
        { header: '发出时间', type: 'datetime', value: (n) => n.sentAt },
        { header: '送达时间', type: 'datetime', value: (n) => n.deliveredAt },
        { header: '回应期限', type: 'datetime', value: (n) => n.respondBy },
        { header: '发送次数', type: 'integer', value: (n) => n.attempts.length },
        { header: '内容', type: 'text', value: (n) => n.body, width: 80 },
        { header: '模板', type: 'text', value: (n) => n.template },
        { header: '线索编号', type: 'text', value: (n) => n.leadId, width: 38 },
        { header: '案件编号', type: 'text', value: (n) => n.caseId, width: 38 },
      ],
      pages: cursorPages((cursor) => this.notices.execute({ ...q, limit: 200, cursor })),
    };
    return table;
  }

  private fencesTable(q: z.infer<(typeof EXPORT_FILTERS)['fences']>) {
    type Item =
      Awaited<ReturnType<ListExportsRepository['fences']>> extends AsyncGenerator<(infer R)[]> ? R : never;
    const table: ExportTable<Item> = {
      title: '电子围栏清单',
      columns: [
        { header: '布控时间', type: 'datetime', value: (f) => f.created_at },
        { header: '号牌', type: 'text', value: (f) => f.plate, width: 12 },
        { header: '号牌颜色', type: 'text', value: (f) => f.plate_colour },
        { header: '状态', type: 'text', value: (f) => (f.status === 'active' ? '布控中' : '已撤销') },
        { header: '布控原因', type: 'text', value: (f) => f.reason, width: 30 },
        { header: '检测点', type: 'text', value: (f) => f.station },
        { header: '拦截预警次数', type: 'integer', value: (f) => f.interceptions },
        { header: '撤销时间', type: 'datetime', value: (f) => f.lifted_at },
        { header: '撤销原因', type: 'text', value: (f) => f.lift_reason, width: 30 },
        { header: '案号', type: 'text', value: (f) => f.case_number, width: 26 },
      ],
      pages: this.lists.fences(q),
    };
    return table;
  }

  private async answerableTable(q: z.infer<(typeof EXPORT_FILTERS)['answerable-parties']>) {
    // The answer is computed whole by the penalties context (its batch screen): one row per party and role.
    const answer = await this.penalties.answerable(answerableQuerySchema.parse(q));
    const rows = answer.parties.flatMap((p) => p.roles.map((r) => ({ party: p.partyName, ...r })));
    type Row = (typeof rows)[number];
    const table: ExportTable<Row> = {
      title: '一超四罚应处罚当事人',
      columns: [
        { header: '当事人', type: 'text', value: (r) => r.party, width: 30 },
        { header: '身份', type: 'text', value: (r) => label(ROLE_LABELS, r.role) },
        { header: '违法趟次', type: 'integer', value: (r) => r.tripCount },
        { header: '涉及案件', type: 'integer', value: (r) => r.caseIds.length },
        {
          header: '处理结果',
          type: 'text',
          value: (r) =>
            Object.entries(r.outcomes)
              .map(([k, n]) => `${k}×${n}`)
              .join('、'),
          width: 30,
        },
        { header: '罚款合计(元)', type: 'money', value: (r) => r.totalFineYuan },
        { header: '待定罚款', type: 'integer', value: (r) => r.finesPending },
        { header: '待发文书案件', type: 'integer', value: (r) => r.caseIdsToIssue.length },
      ],
      pages: onePage(rows),
    };
    return table;
  }

  private evaluationsTable(start: Date, end: Date, kind?: 'review' | 'precheck') {
    type Item =
      Awaited<ReturnType<ListExportsRepository['evaluations']>> extends AsyncGenerator<(infer R)[]>
        ? R
        : never;
    const table: ExportTable<Item> = {
      title: '案卷评查清单',
      columns: [
        { header: '评查时间', type: 'datetime', value: (e) => e.evaluated_at },
        { header: '方式', type: 'text', value: (e) => (e.kind === 'review' ? '案卷评查' : '结案前自动评查') },
        { header: '案号', type: 'text', value: (e) => e.case_number, width: 26 },
        { header: '案件类型', type: 'text', value: (e) => label(CASE_TYPES, e.case_type) },
        { header: '得分', type: 'integer', value: (e) => e.score },
        { header: '问题数', type: 'integer', value: (e) => e.findings },
        { header: '评查人', type: 'text', value: (e) => e.evaluator },
      ],
      pages: this.lists.evaluations(start, end, kind),
    };
    return table;
  }
}
