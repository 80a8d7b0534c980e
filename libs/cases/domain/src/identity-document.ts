import { isResidentIdNumber } from '@ecc/registry-domain';
import { z } from 'zod';

/**
 * The identity document a natural person shows when questioned (询问笔录, 行政处罚法 Art. 55): a mainland resident
 * shows the 居民身份证; a resident of Hong Kong, Macao or Taiwan the permit to travel to the mainland; a foreigner
 * a passport or the 外国人永久居留身份证. Each kind is checked by the format its issuer uses; the record prints the
 * kind with the number.
 */
export const IDENTITY_DOCUMENT_KINDS = {
  resident_id: '居民身份证',
  passport: '护照',
  hk_macao_permit: '港澳居民来往内地通行证',
  taiwan_permit: '台湾居民来往大陆通行证',
  foreign_permanent_residence: '外国人永久居留身份证',
} as const;
export type IdentityDocumentKind = keyof typeof IDENTITY_DOCUMENT_KINDS;

/**
 * The format of each kind's number, normalised (trimmed, without spaces, upper case):
 * - 居民身份证: GB 11643 — 17 digits, a real birth date and the ISO 7064 MOD 11-2 check character;
 * - 护照: a machine-readable passport number (ICAO 9303: up to 9 letters and digits; China issues E + 8
 *   characters), taken as 5-9 letters and digits with at least one digit;
 * - 港澳居民来往内地通行证: H (Hong Kong) or M (Macao) and 8 digits (10 on the older booklets);
 * - 台湾居民来往大陆通行证: 8 digits (the card issued since 2015);
 * - 外国人永久居留身份证: the 2017 card's 3 letters of the nationality and 12 digits, or the 2023 card's 18
 *   characters starting with 9, checked like a resident ID number (same structure and check character).
 */
const FORMAT: Record<IdentityDocumentKind, { test: (n: string) => boolean; expected: string }> = {
  resident_id: { test: isResidentIdNumber, expected: '18 characters with a valid check digit' },
  passport: {
    test: (n) => /^[A-Z0-9]{5,9}$/.test(n) && /\d/.test(n),
    expected: '5-9 letters and digits (the number printed on the passport)',
  },
  hk_macao_permit: {
    test: (n) => /^[HM]\d{8}(\d{2})?$/.test(n),
    expected: 'H or M followed by 8 (or 10) digits',
  },
  taiwan_permit: { test: (n) => /^\d{8}$/.test(n), expected: '8 digits' },
  foreign_permanent_residence: {
    test: (n) => /^[A-Z]{3}\d{12}$/.test(n) || (n.startsWith('9') && isResidentIdNumber(n)),
    expected: '3 letters and 12 digits, or 18 characters starting with 9 with a valid check digit',
  },
};

export const normaliseDocumentNumber = (n: string) => n.replace(/\s+/g, '').toUpperCase();

/** Null when `number` has the format of `kind`, else what is expected. */
export function identityDocumentIssue(kind: IdentityDocumentKind, number: string): string | null {
  const format = FORMAT[kind];
  return format.test(normaliseDocumentNumber(number))
    ? null
    : `not a valid ${IDENTITY_DOCUMENT_KINDS[kind]} number: ${format.expected}`;
}

export const identityDocumentKindSchema = z
  .enum(Object.keys(IDENTITY_DOCUMENT_KINDS) as [IdentityDocumentKind, ...IdentityDocumentKind[]])
  .describe(
    `the identity document shown: ${Object.entries(IDENTITY_DOCUMENT_KINDS)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );

/** The kind and number as a record prints them: 护照号码：E12345678. */
export const identityDocumentLine = (kind: IdentityDocumentKind | undefined, number: string) =>
  `${IDENTITY_DOCUMENT_KINDS[kind ?? 'resident_id']}号码：${number}`;
