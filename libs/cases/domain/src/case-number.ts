import { DomainError } from '@ecc/shared-kernel';

/**
 * Case numbers (案号) from a configurable pattern, e.g. `汨交罚〔{year}〕第{seq:4}号` → `汨交罚〔2024〕第0001号`.
 * Only formatting lives here; the gapless allocation of `seq` per pattern and year is done by the database.
 */
export interface CaseNumberPattern {
  readonly pattern: string;
  readonly parts: readonly CaseNumberPart[];
  /** Minimum number of digits of the sequence (zero-padded); 0 = no padding. */
  readonly seqWidth: number;
  readonly hasYear: boolean;
}

export type CaseNumberPart =
  { kind: 'text'; text: string } | { kind: 'year' } | { kind: 'seq'; width: number };

const PLACEHOLDER = /\{([^{}]*)\}/g;
const MAX_SEQ_WIDTH = 10;

function invalid(pattern: string, reason: string): DomainError {
  return new DomainError('validation', 'invalid_case_number_pattern', `案号格式无效：${reason}`, {
    errors: [{ path: 'pattern', message: reason }],
    pattern,
  });
}

/**
 * Parses and validates a pattern: only `{year}` and `{seq}` / `{seq:N}` placeholders, `{seq}` exactly once
 * (without it numbers would repeat), `{year}` at most once, no stray braces.
 */
export function parseCaseNumberPattern(pattern: string): CaseNumberPattern {
  if (typeof pattern !== 'string' || pattern.trim() === '')
    throw invalid(String(pattern), 'pattern is empty');
  const parts: CaseNumberPart[] = [];
  let last = 0;
  let seqCount = 0;
  let yearCount = 0;
  let seqWidth = 0;
  for (const match of pattern.matchAll(PLACEHOLDER)) {
    const index = match.index ?? 0;
    if (index > last) parts.push({ kind: 'text', text: pattern.slice(last, index) });
    const body = match[1] ?? '';
    if (body === 'year') {
      yearCount += 1;
      parts.push({ kind: 'year' });
    } else if (/^seq(:\d+)?$/.test(body)) {
      seqCount += 1;
      const width = body.includes(':') ? Number(body.slice(4)) : 0;
      if (width < 1 && body.includes(':')) throw invalid(pattern, 'the width of {seq:N} must be at least 1');
      if (width > MAX_SEQ_WIDTH) throw invalid(pattern, `the width of {seq:N} is at most ${MAX_SEQ_WIDTH}`);
      seqWidth = width;
      parts.push({ kind: 'seq', width });
    } else {
      throw invalid(pattern, `unknown placeholder {${body}}: only {year} and {seq} or {seq:N} are allowed`);
    }
    last = index + match[0].length;
  }
  if (last < pattern.length) parts.push({ kind: 'text', text: pattern.slice(last) });
  for (const part of parts) {
    if (part.kind === 'text' && /[{}]/.test(part.text)) throw invalid(pattern, 'unbalanced { or }');
  }
  if (seqCount !== 1) throw invalid(pattern, '{seq} must appear exactly once');
  if (yearCount > 1) throw invalid(pattern, '{year} may appear at most once');
  return { pattern, parts, seqWidth, hasYear: yearCount === 1 };
}

/**
 * Formats a case number. The sequence is zero-padded to the pattern's width and never truncated
 * (number 10000 with `{seq:4}` stays `10000`), so a busy year cannot produce a duplicate number.
 */
export function formatCaseNumber(pattern: string | CaseNumberPattern, year: number, seq: number): string {
  const parsed = typeof pattern === 'string' ? parseCaseNumberPattern(pattern) : pattern;
  const errors = [];
  if (!Number.isInteger(year) || year < 1900 || year > 9999) {
    errors.push({ path: 'year', message: 'year must be an integer between 1900 and 9999' });
  }
  if (!Number.isSafeInteger(seq) || seq < 1) {
    errors.push({ path: 'seq', message: 'seq must be a positive integer (sequences start at 1)' });
  }
  if (errors.length > 0) {
    throw new DomainError('validation', 'invalid_case_number_input', '案号年份或序号无效', { errors });
  }
  return parsed.parts
    .map((part) => {
      if (part.kind === 'text') return part.text;
      if (part.kind === 'year') return String(year);
      return String(seq).padStart(part.width, '0');
    })
    .join('');
}
