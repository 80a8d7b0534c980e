import { isResidentIdNumber, isUnifiedSocialCreditCode } from '@ecc/registry-domain';

/**
 * Redaction of a published penalty decision (行政处罚法 Art. 48; 个人信息保护法 Art. 6: no more personal data
 * than the purpose needs). Rules chosen by this project and documented in docs/publicity.md:
 * - a person is named by the surname and 某 (张某, 欧阳某); no identity number, phone or address is published;
 * - an organisation is named in full with its unified social credit code (统一社会信用代码): these identify a
 *   market actor, which is what the disclosure is for;
 * - a plate keeps the province, the issuing letter and the first and last character of the serial (湘A·1***5).
 */

/** Compound surnames (复姓) that are still in use: the whole compound is the surname. */
const COMPOUND_SURNAMES = new Set([
  '欧阳',
  '上官',
  '司马',
  '司徒',
  '司空',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '令狐',
  '长孙',
  '宇文',
  '夏侯',
  '轩辕',
  '端木',
  '澹台',
  '西门',
  '南宫',
  '独孤',
  '呼延',
  '百里',
  '东郭',
  '万俟',
  '钟离',
  '闻人',
  '赫连',
  '申屠',
  '濮阳',
  '单于',
  '第五',
]);

const HAN = /^[\u3400-\u9fff]+$/u;

/**
 * A person's name reduced to the surname and 某. A compound surname counts when the name is longer than it;
 * a name that is not all Han characters (a transliterated name with ·, a Latin name) keeps only its first
 * character, since it has no surname to keep that would not identify the person.
 */
export function redactPersonName(name: string): string {
  const trimmed = name.trim().replace(/\s+/g, '');
  if (!trimmed) return '某';
  const first = [...trimmed][0]!;
  if (!HAN.test(trimmed)) return `${first}某`;
  const two = trimmed.slice(0, 2);
  if (trimmed.length > 2 && COMPOUND_SURNAMES.has(two)) return `${two}某`;
  return `${first}某`;
}

/**
 * A plate with its serial masked: 湘A12345 → 湘A·1***5, 湘AD12345 (new energy) → 湘A·D****5, 湘A1234挂 →
 * 湘A·1***挂. The province and the issuing office are public facts of the violation's place; the serial,
 * which identifies the vehicle and so its owner, keeps only its first and last character. Anything that is not
 * a province character, a letter and a serial of 5–6 characters is masked whole.
 */
export function maskPlate(plate: string): string {
  const normalised = plate.replace(/[\s·•.-]/g, '').toUpperCase();
  const chars = [...normalised];
  const isPlate =
    chars.length >= 7 &&
    chars.length <= 8 &&
    /^[\u3400-\u9fff]$/u.test(chars[0]!) &&
    /^[A-Z]$/.test(chars[1]!);
  if (!isPlate) return '*'.repeat(Math.max(chars.length, 3));
  const serial = chars.slice(2);
  return `${chars[0]}${chars[1]}·${serial[0]}${'*'.repeat(serial.length - 2)}${serial[serial.length - 1]}`;
}

export interface PartyRecord {
  kind: 'person' | 'organisation';
  name: string;
  /**
   * ID card number of a person (or the number of the identity document a person questioned showed: passport,
   * permit), unified social credit code of an organisation.
   */
  idNumber: string | null;
  phone?: string | null;
  address?: string | null;
}

export type PublishedParty =
  { kind: 'person'; name: string } | { kind: 'organisation'; name: string; creditCode: string | null };

/**
 * Whether a party recorded as an organisation is one: unless it carries a valid resident ID number (GB 11643),
 * which makes it a person entered as an organisation (a sole trader filed under the owner's name) whose name is
 * a person's name.
 */
function isOrganisation(party: PartyRecord): boolean {
  if (party.kind !== 'organisation') return false;
  const id = party.idNumber?.trim().toUpperCase();
  // A number valid as both (about one in 31 ID numbers passes the credit code's check) counts as a person's.
  return !id || !isResidentIdNumber(id);
}

/**
 * The party as published: a person by surname only; an organisation by name and credit code — only a code
 * whose GB 32100 check character holds and that is no resident ID number, so a person's ID number filed on an
 * organisation by mistake is not published.
 */
export function redactParty(party: PartyRecord): PublishedParty {
  if (party.kind === 'person') return { kind: 'person', name: redactPersonName(party.name) };
  const code = party.idNumber?.trim().toUpperCase() ?? null;
  return {
    kind: 'organisation',
    name: party.name.trim(),
    creditCode: code && isUnifiedSocialCreditCode(code) && isOrganisation(party) ? code : null,
  };
}

/**
 * What looks like an identity document number or a phone number (mobile or landline): a mainland ID card number
 * (18 or 15 digits; the 2023 外国人永久居留身份证 has the same shape), a 港澳居民来往内地通行证 (H or M and 8 or 10
 * digits), a Chinese passport (E, G, or E and a letter, with 7-8 digits), the 2017 外国人永久居留身份证 (3 letters and
 * 12 digits). A 台湾居民来往大陆通行证 (8 digits) cannot be told from other numbers in free text.
 */
const IDENTITY_OR_PHONE = [
  /(?<!\d)\d{17}[\dXx](?![\dXx])/,
  /(?<!\d)\d{15}(?!\d)/,
  /(?<![A-Za-z0-9])[HhMm]\d{8}(\d{2})?(?!\d)/,
  /(?<![A-Za-z0-9])([EeGg]\d{8}|[Ee][A-Za-z]\d{7})(?!\d)/,
  /(?<![A-Za-z])[A-Za-z]{3}\d{12}(?!\d)/,
  /(?<!\d)1[3-9]\d{9}(?!\d)/,
  /(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)/,
];

/** True when free text (a public withdrawal reason) contains an identity number or a phone number. */
export function containsIdentityOrPhone(text: string): boolean {
  const compact = text.replace(/[\s\u00a0]/g, '');
  return IDENTITY_OR_PHONE.some((pattern) => pattern.test(compact));
}

/**
 * The last check before anything is published: which of the persons' own data (full names of two characters
 * or more, identity numbers, phone numbers, addresses) and every party's phone appear in the serialised
 * content. An organisation's registered name is public even where it contains a person's name (a sole
 * trader's 张三运输部), so the organisations' names are taken out before the search; a party recorded as an
 * organisation with a person's ID number counts as a person. Empty when none is found.
 */
export function personalDataIn(content: unknown, parties: readonly PartyRecord[]): string[] {
  let text = JSON.stringify(content);
  for (const org of parties.filter((p) => isOrganisation(p) && p.name.trim()))
    text = text.split(org.name.trim()).join('\u0000');
  const secrets = parties.flatMap((p) => [
    ...(isOrganisation(p) ? [] : [p.name.trim().length >= 2 ? p.name.trim() : '', p.idNumber, p.address]),
    p.phone,
  ]);
  return [...new Set(secrets.filter((s): s is string => !!s && s.length >= 2 && text.includes(s)))];
}
