import { parse, type CsvError } from 'csv-parse/sync';
import type { z } from 'zod';
import type { FieldIssue } from '@ecc/shared-kernel';
import { ROW_SPECS, type RegistryKind, type RegistryRowTypes } from './registry-rows.schema';

/** At most this many rows per file: one file is applied in one transaction. */
export const MAX_IMPORT_ROWS = 10_000;

/** Where a row came from, for messages: its index in a JSON body, or its line in a CSV file (header = line 1). */
export type RowLocator = { format: 'json'; index: number } | { format: 'csv'; line: number };

/** `rows.3.plate` in JSON, `line 4: plate` in CSV. */
export function rowPath(locator: RowLocator, field?: string): string {
  if (locator.format === 'json') return field ? `rows.${locator.index}.${field}` : `rows.${locator.index}`;
  return field ? `line ${locator.line}: ${field}` : `line ${locator.line}`;
}

export interface ParsedRow<T> {
  locator: RowLocator;
  value: T;
}

/** Every row that passed, and every problem found: an import with any problem applies nothing. */
export interface ParsedImport<T> {
  rows: ParsedRow<T>[];
  errors: FieldIssue[];
}

type Candidate = { locator: RowLocator; raw: unknown } | { locator: RowLocator; problem: string };

const isAbsent = (raw: unknown, path: readonly PropertyKey[]) =>
  path.length === 1 &&
  typeof raw === 'object' &&
  raw !== null &&
  (raw as Record<PropertyKey, unknown>)[path[0]!] === undefined;

/** Validates each candidate with the kind's schema; problems come out in the file's order. */
function validateRows<K extends RegistryKind>(
  kind: K,
  candidates: Candidate[],
): ParsedImport<RegistryRowTypes[K]> {
  const spec = ROW_SPECS[kind] as (typeof ROW_SPECS)[K];
  const schema = spec.schema as z.ZodType<RegistryRowTypes[K]>;
  const errors: FieldIssue[] = [];
  const rows: ParsedRow<RegistryRowTypes[K]>[] = [];
  const seen = new Map<string, RowLocator>();
  for (const candidate of candidates) {
    const { locator } = candidate;
    if ('problem' in candidate) {
      errors.push({ path: rowPath(locator), message: candidate.problem });
      continue;
    }
    const result = schema.safeParse(candidate.raw);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = issue.path.length ? issue.path.map(String).join('.') : undefined;
        const absent = issue.code === 'invalid_type' && isAbsent(candidate.raw, issue.path);
        errors.push({ path: rowPath(locator, field), message: absent ? 'required' : issue.message });
      }
      continue;
    }
    const key = spec.key(result.data);
    const first = seen.get(key);
    if (first) {
      errors.push({
        path: rowPath(locator, spec.keyField),
        message: `the same record as ${rowPath(first)}: a file lists each record once`,
      });
      continue;
    }
    seen.set(key, locator);
    rows.push({ locator, value: result.data });
  }
  return { rows, errors };
}

/** A JSON import: `{rows: [...]}`, each row an object of the kind's fields. */
export function readJsonImport<K extends RegistryKind>(
  kind: K,
  body: unknown,
): ParsedImport<RegistryRowTypes[K]> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { rows: [], errors: [{ path: 'body', message: 'expected an object {rows: [...]}' }] };
  const extra = Object.keys(body).filter((k) => k !== 'rows');
  const rows = (body as { rows?: unknown }).rows;
  const envelope: FieldIssue[] = extra.map((k) => ({
    path: k,
    message: 'unknown key: only "rows" is allowed',
  }));
  if (!Array.isArray(rows)) envelope.push({ path: 'rows', message: 'expected an array of rows' });
  else if (rows.length === 0) envelope.push({ path: 'rows', message: 'at least one row' });
  else if (rows.length > MAX_IMPORT_ROWS)
    envelope.push({ path: 'rows', message: `at most ${MAX_IMPORT_ROWS} rows per file` });
  if (envelope.length) return { rows: [], errors: envelope };
  return validateRows(
    kind,
    (rows as unknown[]).map((raw, index) => ({ locator: { format: 'json', index }, raw })),
  );
}

const CSV_PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is not closed',
  CSV_INVALID_CLOSING_QUOTE: 'characters follow a closing quote',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'characters follow a closing quote',
  CSV_INVALID_OPENING_QUOTE: 'a quote inside an unquoted field',
};

type CsvRecord = { record: string[]; info: { lines: number } };

/**
 * A CSV import: a header row naming the kind's fields (line 1), then one row per line. Empty cells are
 * absent fields; integer columns are read as numbers. Messages quote no cell (they may hold personal data).
 */
export function readCsvImport<K extends RegistryKind>(
  kind: K,
  text: string,
): ParsedImport<RegistryRowTypes[K]> {
  const spec = ROW_SPECS[kind];
  let records: CsvRecord[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as CsvRecord[];
  } catch (error) {
    const e = error as CsvError & { lines?: number };
    return {
      rows: [],
      errors: [
        {
          path: `line ${e.lines ?? 1}`,
          message: `malformed CSV: ${CSV_PROBLEMS[e.code] ?? e.code ?? 'unreadable'}`,
        },
      ],
    };
  }
  // A record's first line: its last line less the line breaks inside its quoted fields.
  const lineOf = (r: CsvRecord) =>
    r.info.lines - r.record.reduce((n, field) => n + (field.match(/\r\n|\r|\n/g)?.length ?? 0), 0);

  const [header, ...data] = records;
  if (!header)
    return { rows: [], errors: [{ path: 'line 1', message: 'the file is empty: a header row is needed' }] };
  const headerLine = lineOf(header);
  const columns = header.record;
  const errors: FieldIssue[] = [];
  const known = new Set<string>(spec.columns);
  columns.forEach((c, i) => {
    if (!known.has(c))
      errors.push({
        path: `line ${headerLine}`,
        message: `unknown column "${c}" (known: ${spec.columns.join(', ')})`,
      });
    else if (columns.indexOf(c) !== i)
      errors.push({ path: `line ${headerLine}`, message: `column "${c}" repeats` });
  });
  for (const c of spec.required)
    if (!columns.includes(c)) errors.push({ path: `line ${headerLine}`, message: `missing column "${c}"` });
  if (data.length === 0) errors.push({ path: `line ${headerLine + 1}`, message: 'at least one row' });
  if (data.length > MAX_IMPORT_ROWS)
    errors.push({ path: `line ${headerLine}`, message: `at most ${MAX_IMPORT_ROWS} rows per file` });
  if (errors.length) return { rows: [], errors };

  const integers = new Set(spec.integers);
  const candidates: Candidate[] = data.map((r) => {
    const locator: RowLocator = { format: 'csv', line: lineOf(r) };
    if (r.record.length !== columns.length)
      return { locator, problem: `${r.record.length} fields where the header has ${columns.length}` };
    const raw: Record<string, unknown> = {};
    columns.forEach((column, i) => {
      const cell = r.record[i]!;
      if (cell === '') return;
      raw[column] = integers.has(column) && /^[+-]?\d{1,15}$/.test(cell) ? Number(cell) : cell;
    });
    return { locator, raw };
  });
  return validateRows(kind, candidates);
}
