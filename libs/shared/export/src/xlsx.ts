import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { neutralise } from './neutralise';
import {
  asInstant,
  asIsoDate,
  asNumber,
  localParts,
  type CellValue,
  cellType,
  type ColumnType,
  type ExportOptions,
  type ExportTable,
} from './table';

const NUMBER_FORMATS: Record<ColumnType, string | undefined> = {
  text: undefined,
  integer: '0',
  decimal: '0.0',
  money: '#,##0.00',
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm:ss',
};

const WIDTHS: Record<ColumnType, number> = {
  text: 18,
  integer: 10,
  decimal: 10,
  money: 14,
  date: 12,
  datetime: 20,
};

/** A calendar date or a local time as Excel stores it: a serial number without a zone (exceljs reads it as UTC). */
const excelDate = (isoDate: string, time = '00:00:00') => new Date(`${isoDate}T${time}Z`);

/** A cell as XLSX writes it: real numbers (money, counts), real dates (local time), neutralised text. */
export function xlsxCell(type: ColumnType, value: CellValue, options: ExportOptions): CellValue {
  switch (type) {
    case 'integer':
    case 'decimal':
    case 'money':
      return asNumber(value);
    case 'date': {
      const date = asIsoDate(value, options.timeZone);
      return date ? excelDate(date) : null;
    }
    case 'datetime': {
      const instant = asInstant(value);
      if (!instant) return null;
      const { date, time } = localParts(instant, options.timeZone);
      return excelDate(date, time);
    }
    case 'text':
      return value === null || value === undefined ? null : neutralise(String(value));
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each sheet has its own row type
export type AnyTable = ExportTable<any>;

/** Excel refuses sheet names longer than 31 characters or holding []:*?/\ . */
export const sheetName = (title: string) => title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet';

/**
 * Tables as one XLSX workbook (a sheet each), written by exceljs's streaming writer: each row is committed as
 * it is written and the next page is read only once the response has taken the bytes (backpressure).
 */
export function xlsxStream(tables: readonly AnyTable[], options: ExportOptions): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  void (async () => {
    for (const table of tables) {
      const sheet = workbook.addWorksheet(sheetName(table.title), {
        views: [{ state: 'frozen', ySplit: 1 }],
      });
      sheet.columns = table.columns.map((c, i) => ({
        header: c.header,
        key: `c${i}`,
        width: c.width ?? Math.max(WIDTHS[c.type], c.header.length * 2 + 2),
        ...(NUMBER_FORMATS[c.type] ? { style: { numFmt: NUMBER_FORMATS[c.type]! } } : {}),
      }));
      sheet.getRow(1).font = { bold: true };
      for await (const page of table.pages) {
        for (const row of page) {
          const types = table.columns.map((c) => cellType(c, row));
          const added = sheet.addRow(table.columns.map((c, i) => xlsxCell(types[i]!, c.value(row), options)));
          types.forEach((type, i) => {
            if (type !== table.columns[i]!.type && NUMBER_FORMATS[type])
              added.getCell(i + 1).numFmt = NUMBER_FORMATS[type]!;
          });
          added.commit();
        }
        if (out.writableNeedDrain) await once(out, 'drain');
      }
      sheet.commit();
    }
    await workbook.commit();
  })().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}
