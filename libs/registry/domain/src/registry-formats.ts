import { z } from 'zod';
import { DEFAULT_PLATE_PATTERN, normalisePlate, PLATE_COLOURS, type IsoDate } from '@ecc/shared-kernel';

/** Codes of stations and devices as stations send them (e.g. `S308-K12`, `WIM-01`): 1-32 of [A-Za-z0-9_-]. */
export const CODE_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
export const codeSchema = z.string().regex(CODE_PATTERN, '1-32 letters, digits, "_" or "-"');

const hasControlCharacters = (s: string): boolean =>
  [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/** Free text: runs of white space (line breaks included) become one space; other control characters are refused. */
export const text = (max: number) =>
  z
    .string()
    .transform((s) => s.replace(/\s+/g, ' ').trim())
    .pipe(
      z
        .string()
        .min(1, 'required')
        .max(max, `at most ${max} characters`)
        .refine((s) => !hasControlCharacters(s), 'must not contain control characters'),
    );

/** A calendar date (YYYY-MM-DD) that exists. Certificates, permits and reviews are dated by the day. */
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
  }, 'not a calendar date');

/** Plates as screening compares them: normalised, then checked against the plate format. */
const plateRegex = new RegExp(DEFAULT_PLATE_PATTERN, 'u');
export const plateSchema = z
  .string()
  .max(16, 'at most 16 characters')
  .transform(normalisePlate)
  .refine((p) => plateRegex.test(p), 'not a plate number (e.g. 湘F12345)');

const COLOUR_ALIASES: Record<string, (typeof PLATE_COLOURS)[number]> = {
  蓝: 'blue',
  蓝色: 'blue',
  黄: 'yellow',
  黄色: 'yellow',
  绿: 'green',
  绿色: 'green',
  黄绿: 'yellow_green',
  黄绿色: 'yellow_green',
  白: 'white',
  白色: 'white',
  黑: 'black',
  黑色: 'black',
};
/** 号牌颜色: the schema's values, or their Chinese names as registry exports write them. */
export const plateColourSchema = z.preprocess(
  (v) => (typeof v === 'string' ? (COLOUR_ALIASES[v.trim()] ?? v.trim()) : v),
  z.enum(PLATE_COLOURS, { message: `one of ${PLATE_COLOURS.join(', ')} (or 蓝, 黄, 绿, 黄绿, 白, 黑)` }),
);

/** A mainland mobile number or a landline with its area code. */
export const phoneSchema = z
  .string()
  .transform((p) => p.replace(/[\s()]/g, '').replace(/^\+86-?/, ''))
  .refine(
    (p) => /^1[3-9]\d{9}$/.test(p) || /^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/.test(p),
    'a mobile number (11 digits) or a landline with its area code',
  );

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** 居民身份证号码 (GB 11643): 17 digits, a check character (ISO 7064 MOD 11-2) and a real birth date. */
export function isResidentIdNumber(value: string): boolean {
  if (!/^\d{17}[\dX]$/.test(value)) return false;
  const birth = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  const t = Date.parse(`${birth}T00:00:00Z`);
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== birth) return false;
  const sum = ID_WEIGHTS.reduce((acc, w, i) => acc + w * Number(value[i]), 0);
  return ID_CHECK[sum % 11] === value[17];
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** 统一社会信用代码 (GB 32100): 18 characters of its alphabet, the last a MOD 31 check character. */
export function isUnifiedSocialCreditCode(value: string): boolean {
  if (value.length !== 18 || [...value].some((c) => !USCC_CHARS.includes(c))) return false;
  const sum = USCC_WEIGHTS.reduce((acc, w, i) => acc + w * USCC_CHARS.indexOf(value.charAt(i)), 0);
  return USCC_CHARS[(31 - (sum % 31)) % 31] === value[17];
}

export const residentIdSchema = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .refine(isResidentIdNumber, 'not a valid resident ID number (18 characters, check digit)');

export const socialCreditCodeSchema = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .refine(
    isUnifiedSocialCreditCode,
    'not a valid unified social credit code (18 characters, check character)',
  );

/** A party's identity number as typed: trimmed, upper-case (a check letter `x` is `X`); `partyIdNumberValid` checks it. */
/**
 * A party's kind: from its identity number when that tells (a unified social credit code is an organisation's,
 * a resident ID number a person's), otherwise from the name — registry exports name organisations by their
 * legal form. An 18-digit number can pass both checks (about one in 31 ID numbers is also a well-formed credit
 * code), and then the name decides.
 */
export function partyKindOf(name: string, idNumber?: string | null): 'person' | 'organisation' {
  const organisation = !!idNumber && isUnifiedSocialCreditCode(idNumber);
  const person = !!idNumber && isResidentIdNumber(idNumber);
  if (organisation !== person) return organisation ? 'organisation' : 'person';
  return /(公司|有限|集团|厂|站|中心|合作社|车队|经营部|商行|个体工商户)$/.test(name) || /公司/.test(name)
    ? 'organisation'
    : 'person';
}

/** An identity number as typed: trimmed and upper-cased (a lower-case `x`, a code typed in lower case). */
export const partyIdNumberSchema = z
  .string()
  .trim()
  .max(32)
  .transform((s) => s.toUpperCase());

/**
 * The number a party is known by in law, checked against its kind: a person by the resident identity number
 * (GB 11643), an organisation by the unified social credit code (GB 32100). Parties are matched on it (one legal
 * person, one party), so a number of the wrong kind or with a wrong check character would make a second party.
 * Null when it is right; else why not. The number is expected normalised (`partyIdNumberSchema`).
 */
export function partyIdentityIssue(kind: 'person' | 'organisation', idNumber: string): string | null {
  if (kind === 'person') {
    return isResidentIdNumber(idNumber)
      ? null
      : 'a person is identified by a valid resident ID number (18 characters, check digit)';
  }
  return isUnifiedSocialCreditCode(idNumber)
    ? null
    : 'an organisation is identified by a valid unified social credit code (18 characters, check character)';
}

/**
 * Refinement of a party's `{kind, idNumber}` wherever it is entered (`partyIdentityIssue` on `idNumber`): a
 * person's resident ID number (GB 11643), an organisation's unified social credit code (GB 32100).
 */
export function partyIdNumberValid(
  party: { kind: 'person' | 'organisation'; idNumber: string },
  ctx: z.RefinementCtx,
): void {
  const issue = partyIdentityIssue(party.kind, party.idNumber.trim().toUpperCase());
  if (issue) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: issue });
}

/**
 * A 6-digit administrative division code (GB/T 2260), e.g. 430681 for 汨罗市: where a party or vehicle is
 * registered, which decides who may take the measures of 《公路安全保护条例》 Art. 66 (超限规定 Art. 46).
 */
export const divisionCodeSchema = z
  .string()
  .trim()
  .regex(/^[1-8]\d{5}$/, 'a 6-digit administrative division code (e.g. 430681)');

/** GB 32100: characters 3-8 of a unified social credit code are the division of the registering authority. */
export function divisionCodeOfCreditCode(code: string): string {
  return code.slice(2, 8);
}

/**
 * The name of the authority that issued a certificate (发证机关), as a report is addressed to it: Chinese text
 * (with brackets for a name such as 某某市交通运输局（道路运输服务中心）), naming an organ — it ends with the
 * kind of body it is (局, 厅, 委员会, 中心, 所, 处, 站, 队, 机构, 办公室). A division code or a person's name is
 * not an addressee.
 */
export const authorityNameSchema = z
  .string()
  .transform((s) => s.replace(/\s+/g, '').replace(/\(/g, '（').replace(/\)/g, '）'))
  .pipe(
    z
      .string()
      .min(4, 'at least 4 characters')
      .max(100, 'at most 100 characters')
      .regex(
        /^[\u4e00-\u9fa5（）·]+(局|厅|委员会|中心|所|处|站|队|机构|办公室)(（[^（）]+）)?$/,
        'the name of an authority in Chinese, ending in 局, 厅, 委员会, 中心, 所, 处, 站, 队, 机构 or 办公室',
      ),
  );

/** Licence and certificate numbers as printed: 4-64 characters, no control characters. */
export const documentNumberSchema = z
  .string()
  .trim()
  .min(4, 'at least 4 characters')
  .max(64, 'at most 64 characters')
  .refine((s) => !hasControlCharacters(s), 'must not contain control characters');

/** Refinement of a `{validFrom, validTo}` pair: the end is not before the start (the path names validTo). */
export function validityInOrder(
  value: { validFrom: IsoDate; validTo: IsoDate },
  ctx: z.RefinementCtx,
  path: (string | number)[] = [],
): void {
  if (value.validTo < value.validFrom)
    ctx.addIssue({ code: 'custom', path: [...path, 'validTo'], message: 'must not be before validFrom' });
}
