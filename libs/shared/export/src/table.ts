/**
 * A table to export (统计表, 清单): columns with Chinese headers and a type that decides how a cell is written,
 * rows arriving page by page (an async iterable), so an export never holds more than a page.
 */
export type ColumnType =
  /** text; neutralised against formula injection */
  | 'text'
  /** a count */
  | 'integer'
  /** a number with decimals (days, scores) */
  | 'decimal'
  /** yuan, two decimals */
  | 'money'
  /** a calendar date, `YYYY-MM-DD` or a Date (its day in the export's time zone) */
  | 'date'
  /** an instant (Date or ISO 8601), shown in the export's time zone */
  | 'datetime';

export type CellValue = string | number | Date | null | undefined;

export interface Column<Row> {
  header: string;
  type: ColumnType;
  value: (row: Row) => CellValue;
  /** width in characters (XLSX); a default by type otherwise */
  width?: number;
  /** a type per row, where one column holds figures of several kinds (counts and yuan) */
  typeOf?: (row: Row) => ColumnType;
}

/** The type of a column's cell in a row. */
export const cellType = <Row>(column: Column<Row>, row: Row): ColumnType =>
  column.typeOf?.(row) ?? column.type;

export interface ExportTable<Row> {
  /** the sheet's name (XLSX) */
  title: string;
  columns: readonly Column<Row>[];
  /** pages of rows, in order */
  pages: AsyncIterable<readonly Row[]>;
}

export interface ExportOptions {
  /** the zone in which instants are shown (the bureau's) */
  timeZone: string;
}

export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/** `attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987), e.g. 统计-2025.xlsx. */
export function attachmentDisposition(name: string, extension: ExportFormat | 'pdf'): string {
  const file = `${name}.${extension}`;
  const ascii = file.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file)}`;
}

/** The parts of an instant in a time zone, for cells that show local time. */
export function localParts(instant: Date, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  return {
    date: `${parts['year']}-${parts['month']}-${parts['day']}`,
    time: `${parts['hour']}:${parts['minute']}:${parts['second']}`,
  };
}

/** A cell's value as an instant, or null when empty; throws on a value that is not one. */
export function asInstant(value: CellValue): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`not an instant: ${String(value)}`);
  return date;
}

/** A cell's value as a calendar date `YYYY-MM-DD`, or null. */
export function asIsoDate(value: CellValue, timeZone: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const instant = asInstant(value);
  return instant ? localParts(instant, timeZone).date : null;
}

/** A cell's value as a number, or null; a numeric string (a Postgres numeric) is read exactly as written. */
export function asNumber(value: CellValue): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) throw new Error(`not a number: ${String(value)}`);
  return n;
}
