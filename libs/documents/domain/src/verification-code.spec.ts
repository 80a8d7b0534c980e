import { DomainError } from '@ecc/shared-kernel';
import {
  codeMatches,
  formatVerificationPayload,
  parseVerificationCode,
  parseVerificationPayload,
  verification,
} from './verification-code';

const sha = 'a3f1'.repeat(16);
const number = '汨交罚〔2024〕第0001号-JD-01';

describe('verification code', () => {
  const v = verification(number, 2, sha);

  it('is short, grouped, ends with the version and round-trips', () => {
    expect(v.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-2$/);
    const parsed = parseVerificationCode(v.code);
    expect(parsed.code).toBe(v.code);
    expect(parsed.version).toBe(2);
    expect(codeMatches(parsed, { documentNumber: number, version: 2, contentSha256: sha })).toBe(true);
  });

  it('reads a code typed loosely: lower case, no hyphens, O for 0 and I or L for 1', () => {
    const typed = v.code.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
    expect(parseVerificationCode(typed).code).toBe(v.code);
  });

  it('depends on the number, the version and the content digest', () => {
    const codes = new Set([
      v.code,
      verification('汨交罚〔2024〕第0002号-JD-01', 2, sha).code,
      verification(number, 3, sha).code,
      verification(number, 2, 'b'.repeat(64)).code,
    ]);
    expect(codes.size).toBe(4);
    const parsed = parseVerificationCode(v.code);
    expect(codeMatches(parsed, { documentNumber: number, version: 2, contentSha256: 'b'.repeat(64) })).toBe(
      false,
    );
    expect(codeMatches(parsed, { documentNumber: number, version: 3, contentSha256: sha })).toBe(false);
  });

  it('catches every single mistyped character by its check character', () => {
    const chars = v.code.replace(/-/g, '').slice(0, 12);
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    let caught = 0;
    let tried = 0;
    for (let i = 0; i < chars.length; i++)
      for (const c of alphabet) {
        if (c === chars[i]) continue;
        tried++;
        const typo = `${chars.slice(0, i)}${c}${chars.slice(i + 1)}-2`;
        try {
          parseVerificationCode(typo);
        } catch (e) {
          if ((e as DomainError).code === 'verification_code_mistyped') caught++;
        }
      }
    expect(caught).toBe(tried);
  });

  it.each(['', 'ABCD', 'ABCD-EFGH-JKMN', 'ABCD-EFGH-JKMN-0', 'ABCU-EFGH-JKMN-1', '7KQ2-M9XD-3FHW-2x'])(
    'refuses the malformed code %p with a clear error',
    (code) => {
      expect(() => parseVerificationCode(code)).toThrow(DomainError);
      try {
        parseVerificationCode(code);
      } catch (e) {
        expect((e as DomainError).category).toBe('validation');
      }
    },
  );

  it('refuses to compute a code from a bad version or digest', () => {
    expect(() => verification(number, 0, sha)).toThrow(/version/);
    expect(() => verification(number, 1, 'XYZ')).toThrow(/contentSha256/);
  });

  it('puts number, version, digest and code in the QR payload and reads them back', () => {
    const payload = formatVerificationPayload(v, 'https://bureau.example/api/v1/documents/verify');
    expect(payload.startsWith('https://bureau.example/api/v1/documents/verify?code=')).toBe(true);
    expect(payload).toContain(number); // kept as UTF-8, not percent-encoded
    expect(parseVerificationPayload(payload)).toEqual(v);
    expect(parseVerificationPayload(formatVerificationPayload(v))).toEqual(v);
  });

  it('refuses a QR payload whose parts disagree with its code', () => {
    const forged = formatVerificationPayload({ ...v, contentSha256: 'c'.repeat(64) });
    expect(() => parseVerificationPayload(forged)).toThrow(/does not agree/);
    expect(() => parseVerificationPayload('ecc-doc:verify')).toThrow(DomainError);
    expect(() => parseVerificationPayload('ecc-doc:verify?code=x')).toThrow(/lacks/);
  });

  it('carries a + or & of a document number through the payload', () => {
    const odd = verification('A&B+C=D-JD-01', 1, sha);
    expect(parseVerificationPayload(formatVerificationPayload(odd))).toEqual(odd);
  });
});
