import { Readable } from 'node:stream';
import { neutralise } from './neutralise';
import {
  asInstant,
  asIsoDate,
  asNumber,
  localParts,
  type CellValue,
  type ColumnType,
  cellType,
  type ExportOptions,
  type ExportTable,
} from './table';

/** Excel opens a CSV as UTF-8 (Chinese headers and names intact) only when it starts with the byte order mark. */
export const UTF8_BOM = '\ufeff';

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A cell as CSV text: numbers plain (money with two decimals), instants in the export's zone, text neutralised. */
export function csvCell(type: ColumnType, value: CellValue, options: ExportOptions): string {
  switch (type) {
    case 'integer':
    case 'decimal':
      return String(asNumber(value) ?? '');
    case 'money': {
      const n = asNumber(value);
      return n === null ? '' : n.toFixed(2);
    }
    case 'date':
      return asIsoDate(value, options.timeZone) ?? '';
    case 'datetime': {
      const instant = asInstant(value);
      if (!instant) return '';
      const { date, time } = localParts(instant, options.timeZone);
      return `${date} ${time}`;
    }
    case 'text':
      return value === null || value === undefined ? '' : neutralise(String(value));
  }
}

const line = (fields: string[]) => `${fields.map(csvField).join(',')}\r\n`;

/**
 * A table as a CSV stream (UTF-8 with BOM, CRLF lines, a header row): pulled page by page, so a slow reader
 * holds the database cursor back instead of the rows piling up in memory.
 */
export function csvStream<Row>(table: ExportTable<Row>, options: ExportOptions): Readable {
  async function* lines(): AsyncGenerator<string> {
    yield UTF8_BOM + line(table.columns.map((c) => c.header));
    for await (const page of table.pages) {
      yield page
        .map((row) => line(table.columns.map((c) => csvCell(cellType(c, row), c.value(row), options))))
        .join('');
    }
  }
  return Readable.from(lines(), { objectMode: false });
}
