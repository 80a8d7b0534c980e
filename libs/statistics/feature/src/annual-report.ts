import { chineseDate, type DocumentBlock, type PrintableDocument } from '@ecc/documents-domain';
import type { AnyTable, ColumnType, ExportTable } from '@ecc/shared-export';
import { CASE_TYPES, PARTY_KINDS, PENALTY_KINDS, STAGES } from '@ecc/statistics-data';
import type { Statistics } from './statistics.schema';
import { onePage } from './statistics-tables';

/** One table of the annual report: column titles and types, rows of label + values. */
export interface ReportTable {
  title: string;
  columns: { title: string; type: ColumnType }[];
  rows: (string | number | null)[][];
  note?: string;
}

export interface AnnualReport {
  year: number;
  title: string;
  authority: string;
  timeZone: string;
  generatedAt: string;
  tables: ReportTable[];
  /** what the report cannot say yet, printed as notes */
  notes: string[];
}

const v = (values: Record<string, number | null>, key: string) => values[key] ?? 0;

/**
 * 法治政府建设年度报告 figures: the tables a bureau's annual rule-of-law report quotes (cases and fines by type,
 * the four penalties, case-file evaluation, legal review, hearings, reconsiderations and lawsuits, non-site
 * enforcement), built from the year's statistics grouped by case type (which carry the totals too).
 */
export function annualReport(year: number, authority: string, byType: Statistics): AnnualReport {
  const total = byType;
  const t = total.total;
  const typeRows = Object.entries(CASE_TYPES).map(([type, label]) => {
    const values = byType.groups.find((g) => g.key === type)?.values ?? {};
    return { label, values };
  });
  const withTotal = [...typeRows, { label: '合计', values: t }];
  const tables: ReportTable[] = [
    {
      title: '一、行政处罚案件办理情况（按案件类型）',
      columns: [
        { title: '案件类型', type: 'text' },
        { title: '立案', type: 'integer' },
        { title: '不予立案', type: 'integer' },
        { title: '作出处罚决定', type: 'integer' },
        { title: '结案', type: 'integer' },
        { title: '撤销案件', type: 'integer' },
        { title: '年末在办', type: 'integer' },
      ],
      rows: withTotal.map(({ label, values }) => [
        label,
        v(values, 'cases.filed'),
        v(values, 'cases.notFiled'),
        v(values, 'cases.decided'),
        v(values, 'cases.closed'),
        v(values, 'cases.terminated'),
        v(values, 'cases.openAtEnd'),
      ]),
    },
    {
      title: '二、罚款情况（按案件类型，元）',
      columns: [
        { title: '案件类型', type: 'text' },
        { title: '罚款决定（件）', type: 'integer' },
        { title: '罚款金额', type: 'money' },
        { title: '已缴罚款', type: 'money' },
        { title: '加处罚款', type: 'money' },
        { title: '年末未缴', type: 'money' },
      ],
      rows: withTotal.map(({ label, values }) => [
        label,
        v(values, 'fines.imposedCount'),
        v(values, 'fines.imposed'),
        v(values, 'fines.collected'),
        v(values, 'fines.lateFees'),
        v(values, 'fines.outstanding'),
      ]),
    },
    {
      title: '三、一超四罚（处罚种类与当事人）',
      columns: [
        { title: '处罚种类', type: 'text' },
        { title: '合计', type: 'integer' },
        ...Object.values(PARTY_KINDS).map((title) => ({ title, type: 'integer' as const })),
      ],
      rows: Object.entries(PENALTY_KINDS).map(([kind, label]) => [
        label,
        v(t, `penalties.${kind}`),
        ...Object.keys(PARTY_KINDS).map((party) => v(t, `penalties.${kind}.${party}`)),
      ]),
      note: `抄告车籍地道路运输管理机构 ${v(t, 'reports.homeAuthority')} 件。`,
    },
    {
      title: '四、案卷评查结果',
      columns: [
        { title: '评查方式', type: 'text' },
        { title: '案卷数', type: 'integer' },
        { title: '平均分', type: 'decimal' },
        { title: '优秀（90分以上）', type: 'integer' },
        { title: '良好', type: 'integer' },
        { title: '合格', type: 'integer' },
        { title: '不合格', type: 'integer' },
      ],
      rows: (
        [
          ['review', '案卷评查（抽查）'],
          ['precheck', '结案前自动评查'],
        ] as const
      ).map(([kind, label]) => [
        label,
        v(t, `evaluations.${kind}.count`),
        t[`evaluations.${kind}.average`] ?? null,
        v(t, `evaluations.${kind}.excellent`),
        v(t, `evaluations.${kind}.good`),
        v(t, `evaluations.${kind}.qualified`),
        v(t, `evaluations.${kind}.unqualified`),
      ]),
    },
    {
      title: '五、法制审核、听证、行政复议与行政诉讼',
      columns: [
        { title: '事项', type: 'text' },
        { title: '件数', type: 'integer' },
      ],
      rows: [
        ['法制审核', v(t, 'legalReviews.performed')],
        ['其中：审核通过', v(t, 'legalReviews.passed')],
        ['其中：退回补正', v(t, 'legalReviews.returned')],
        ['申请听证', v(t, 'hearings.requested')],
        ['举行听证', v(t, 'hearings.held')],
        ['行政复议', null],
        ['行政诉讼', null],
      ],
      note: '行政复议、行政诉讼尚未在系统中登记，本表暂不统计（留空）。',
    },
    {
      title: '六、非现场执法',
      columns: [
        { title: '事项', type: 'text' },
        { title: '数量', type: 'integer' },
      ],
      rows: [
        ['检测记录', v(t, 'detections.total')],
        ['形成线索', v(t, 'leads.formed')],
        ['线索审核确认', v(t, 'leads.confirmed')],
        ['线索审核不予采用', v(t, 'leads.rejected')],
        ['短信告知发出', v(t, 'notices.sms.sent')],
        ['短信告知送达', v(t, 'notices.sms.delivered')],
        ['信息推送发出', v(t, 'notices.push.sent')],
        ['电子围栏布控', v(t, 'fences.deployed')],
        ['拦截预警', v(t, 'fences.interceptions')],
      ],
    },
    {
      title: '七、办案时长（自然日）',
      columns: [
        { title: '环节', type: 'text' },
        { title: '件数', type: 'integer' },
        { title: '中位数', type: 'decimal' },
        { title: '90%分位', type: 'decimal' },
      ],
      rows: Object.entries(STAGES).map(([stage, s]) => [
        s.label,
        v(t, `durations.${stage}.count`),
        t[`durations.${stage}.median`] ?? null,
        t[`durations.${stage}.p90`] ?? null,
      ]),
    },
  ];
  return {
    year,
    title: `${year}年度行政执法统计`,
    authority,
    timeZone: total.period.timeZone,
    generatedAt: total.generatedAt,
    tables,
    notes: [
      `统计期间：${total.period.from}至${total.period.to}（${total.period.timeZone}）；各项按其发生之日计入，定义见“指标定义”。`,
    ],
  };
}

/** The report as spreadsheet tables: one sheet per table. */
export function reportSheets(report: AnnualReport): AnyTable[] {
  return report.tables.map((table): ExportTable<(string | number | null)[]> => ({
    title: table.title.replace(/^[一二三四五六七八九十]+、/, '').replace(/（.*?）/g, ''),
    columns: table.columns.map((c, i) => ({
      header: c.title,
      type: c.type,
      value: (row) => row[i],
      width: i === 0 ? 24 : 14,
    })),
    pages: onePage(table.rows),
  }));
}

const cellText = (value: string | number | null, type: ColumnType): string => {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  if (type === 'money')
    return value.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  if (type === 'decimal') return value.toFixed(1);
  return String(value);
};

/** The report as a printable document (tables under headings) for the PDF renderer. */
export function reportDocument(report: AnnualReport): PrintableDocument {
  const blocks: DocumentBlock[] = [{ type: 'paragraph', text: report.notes.join(''), indent: true }];
  for (const table of report.tables) {
    blocks.push({ type: 'heading', text: table.title });
    blocks.push({
      type: 'table',
      columns: table.columns.map((c, i) => ({ title: c.title, width: i === 0 ? 3 : 2 })),
      rows: table.rows.map((row) => row.map((cell, i) => cellText(cell, table.columns[i]!.type))),
    });
    if (table.note) blocks.push({ type: 'remarks', text: table.note });
  }
  blocks.push({
    type: 'seal',
    authority: report.authority,
    date: chineseDate(new Date(report.generatedAt), report.timeZone),
  });
  return {
    kind: 'other',
    authority: report.authority,
    name: report.title,
    number: { caseNumber: `${report.year}年度统计`, code: 'TJ', sequence: 1 },
    partyLayout: 'none',
    blocks,
    version: 1,
    createdAt: report.generatedAt,
  };
}
