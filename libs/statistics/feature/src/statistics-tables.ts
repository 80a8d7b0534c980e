import type { AnyTable, Column, ColumnType, ExportTable } from '@ecc/shared-export';
import { SECTIONS, type FigureDefinition, type FigureUnit } from '@ecc/statistics-data';
import type { Statistics } from './statistics.schema';

const UNIT_LABELS: Record<FigureUnit, string> = { count: '件', yuan: '元', days: '日', score: '分' };
const UNIT_TYPES: Record<FigureUnit, ColumnType> = {
  count: 'integer',
  yuan: 'money',
  days: 'decimal',
  score: 'decimal',
};

export async function* onePage<T>(rows: readonly T[]): AsyncGenerator<readonly T[]> {
  yield rows;
}

type FigureRow = Statistics['figures'][number];

/** The statistics as tables: the figures (total, then a column per group), their definitions, the reasons. */
export function statisticsTables(s: Statistics): AnyTable[] {
  const value = (row: FigureRow, values: Record<string, number | null>) => values[row.key] ?? null;
  const figures: ExportTable<FigureRow> = {
    title: `统计 ${s.period.from} 至 ${s.period.to}`,
    columns: [
      { header: '类别', type: 'text', value: (f) => SECTIONS[f.section] ?? f.section, width: 16 },
      { header: '指标', type: 'text', value: (f) => f.label, width: 40 },
      { header: '单位', type: 'text', value: (f) => UNIT_LABELS[f.unit], width: 6 },
      { header: '合计', type: 'decimal', typeOf: (f) => UNIT_TYPES[f.unit], value: (f) => value(f, s.total) },
      ...s.groups.map((g): Column<FigureRow> => ({
        header: g.label,
        type: 'decimal',
        typeOf: (f) => UNIT_TYPES[f.unit],
        // a figure not broken down by this grouping is left empty, not zero
        value: (f) => (s.groupBy && f.groups.includes(s.groupBy) ? (g.values[f.key] ?? 0) : null),
      })),
    ],
    pages: onePage(s.figures),
  };
  const definitions: ExportTable<FigureDefinition> = {
    title: '指标定义',
    columns: [
      { header: '指标', type: 'text', value: (f) => f.label, width: 40 },
      { header: '代码', type: 'text', value: (f) => f.key, width: 36 },
      { header: '定义', type: 'text', value: (f) => f.definition, width: 100 },
    ],
    pages: onePage(s.figures as FigureDefinition[]),
  };
  const reasons: ExportTable<Statistics['rejectionReasons'][number]> = {
    title: '线索不予采用原因',
    columns: [
      { header: '原因', type: 'text', value: (r) => r.reason, width: 60 },
      { header: '件数', type: 'integer', value: (r) => r.count },
    ],
    pages: onePage(s.rejectionReasons),
  };
  return [figures, definitions, reasons];
}
