import { DomainError } from '@ecc/shared-kernel';
import { formatCaseNumber, parseCaseNumberPattern } from './case-number';

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('case numbers (案号)', () => {
  it.each([
    ['汨交罚〔{year}〕第{seq:4}号', 2024, 1, '汨交罚〔2024〕第0001号'],
    ['汨交罚〔{year}〕第{seq:4}号', 2024, 37, '汨交罚〔2024〕第0037号'],
    ['汨交罚〔{year}〕第{seq:4}号', 2025, 10000, '汨交罚〔2025〕第10000号'],
    ['汨交罚〔{year}〕{seq}号', 2024, 12, '汨交罚〔2024〕12号'],
    ['CASE-{seq:6}', 2024, 5, 'CASE-000005'],
    ['{seq:2}/{year}', 2024, 3, '03/2024'],
  ])('formats %s for %i #%i as %s', (pattern, year, seq, expected) => {
    expect(formatCaseNumber(pattern, year, seq)).toBe(expected);
  });

  it('accepts a parsed pattern', () => {
    const parsed = parseCaseNumberPattern('汨交罚〔{year}〕第{seq:4}号');
    expect(parsed).toMatchObject({ seqWidth: 4, hasYear: true });
    expect(formatCaseNumber(parsed, 2024, 2)).toBe('汨交罚〔2024〕第0002号');
  });

  it.each([
    ['', 'empty'],
    ['汨交罚〔{year}〕', 'no {seq}'],
    ['{seq}-{seq}', '{seq} twice'],
    ['{year}{year}{seq}', '{year} twice'],
    ['{yr}{seq}', 'unknown placeholder'],
    ['{seq:0}', 'zero width'],
    ['{seq:11}', 'too wide'],
    ['{seq:x}', 'non-numeric width'],
    ['{month}{seq}', 'unknown placeholder'],
    ['{seq}}', 'stray }'],
    ['{{seq}', 'stray {'],
    ['{seq', 'unclosed'],
  ])('refuses the pattern %j (%s)', (pattern) => {
    const error = errorOf(() => parseCaseNumberPattern(pattern));
    expect(error.category).toBe('validation');
    expect(error.code).toBe('invalid_case_number_pattern');
  });

  it.each([
    [2024, 0],
    [2024, -1],
    [2024, 1.5],
    [24, 1],
    [Number.NaN, 1],
  ])('refuses year %p with seq %p', (year, seq) => {
    const error = errorOf(() => formatCaseNumber('{year}-{seq:4}', year, seq));
    expect(error.code).toBe('invalid_case_number_input');
  });
});
