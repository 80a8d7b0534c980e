import { createHash } from 'node:crypto';
import { DomainError, digestOf } from '@ecc/shared-kernel';
import { formatDocumentNumber } from './document-number';
import type { PrintableDocument } from './printable-document';

/**
 * The verification code printed in every page's footer (and, with the document number, version and
 * content sha256, in its QR code). It is a lookup key, not a secret: whoever holds the paper can ask the
 * bureau whether that version exists and is the latest. It carries no personal data: a digest of the
 * document number, the version and the content's sha256.
 *
 * Shape: `7KQ2-M9XD-3FHW-2` — 11 Crockford base32 characters of
 * sha256("ecc-doc-v1\n" + number + "\n" + version + "\n" + contentSha256) (55 bits: a clash is
 * vanishingly unlikely among a bureau's few million versions, and the lookup checks the full digest
 * anyway), one check character (Luhn mod 32: catches every single mistyped character and most swaps of
 * two neighbours), then the version in decimal. Crockford's alphabet has no I, L, O, U: when typed,
 * O reads as 0 and I/L as 1, case and hyphens do not matter.
 */
export interface DocumentVerification {
  documentNumber: string;
  version: number;
  contentSha256: string;
  code: string;
}

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const DIGEST_CHARS = 11;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** sha256 of the document's canonical JSON: what the code binds, recorded with the version. */
export function documentContentSha256(doc: PrintableDocument): string {
  return digestOf(doc);
}

export function verificationFor(doc: PrintableDocument): DocumentVerification {
  return verification(formatDocumentNumber(doc.number), doc.version, documentContentSha256(doc));
}

export function verification(
  documentNumber: string,
  version: number,
  contentSha256: string,
): DocumentVerification {
  if (!Number.isInteger(version) || version < 1) throw malformed('version must be a whole number from 1');
  if (!SHA256_HEX.test(contentSha256)) throw malformed('contentSha256 must be 64 lower-case hex digits');
  const digest = digestChars(documentNumber, version, contentSha256);
  const body = digest + checkChar(digest + String(version));
  const code = `${body.slice(0, 4)}-${body.slice(4, 8)}-${body.slice(8, 12)}-${version}`;
  return { documentNumber, version, contentSha256, code };
}

export interface ParsedVerificationCode {
  /** the 11 digest characters: the lookup key of the version, with `version` */
  digest: string;
  version: number;
  /** the code in its printed form */
  code: string;
}

/** Reads a code as typed (any case, hyphens and spaces optional, O for 0, I/L for 1). */
export function parseVerificationCode(input: string): ParsedVerificationCode {
  const normalised = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  const m = /^([0-9A-HJKMNP-TV-Z]{12})([1-9]\d{0,5})$/.exec(normalised);
  if (!m) throw malformed('expected a code like 7KQ2-M9XD-3FHW-2');
  const [, body, versionText] = m as unknown as [string, string, string];
  const digest = body.slice(0, DIGEST_CHARS);
  if (checkChar(digest + versionText) !== body[DIGEST_CHARS])
    throw new DomainError(
      'validation',
      'verification_code_mistyped',
      'the verification code has a typing mistake',
      {
        errors: [
          { path: 'code', message: 'the check character does not match: please compare with the paper' },
        ],
      },
    );
  const version = Number(versionText);
  return { digest, version, code: `${body.slice(0, 4)}-${body.slice(4, 8)}-${body.slice(8, 12)}-${version}` };
}

/** Whether a parsed code belongs to a stored version (its number, version and content digest). */
export function codeMatches(
  parsed: ParsedVerificationCode,
  stored: { documentNumber: string; version: number; contentSha256: string },
): boolean {
  return (
    stored.version === parsed.version &&
    SHA256_HEX.test(stored.contentSha256) &&
    digestChars(stored.documentNumber, stored.version, stored.contentSha256) === parsed.digest
  );
}

/**
 * The QR code's text: a verification address with the code, document number, version and content
 * sha256 as query parameters. `baseUrl` is the public verification endpoint when the bureau has one;
 * without it the payload uses the `ecc-doc:verify` form, which a verifying client reads the same way.
 */
export function formatVerificationPayload(v: DocumentVerification, baseUrl = 'ecc-doc:verify'): string {
  // Chinese characters of the number stay UTF-8 (3 bytes each) rather than percent-encoded (9 bytes):
  // a shorter payload gives a QR code with fewer, larger modules; only the query's delimiters are escaped
  const value = (s: string) => s.replace(/[%&=#+?\s]/g, (c) => encodeURIComponent(c));
  const q = [
    ['code', v.code],
    ['no', v.documentNumber],
    ['v', String(v.version)],
    ['sha256', v.contentSha256],
  ];
  return `${baseUrl}?${q.map(([k, val]) => `${k}=${value(val as string)}`).join('&')}`;
}

/** Reads a QR payload and checks that its code agrees with its number, version and digest. */
export function parseVerificationPayload(payload: string): DocumentVerification {
  const at = payload.indexOf('?');
  if (at < 0) throw malformed('the QR payload has no query');
  const q = new URLSearchParams(payload.slice(at + 1));
  const [code, no, v, sha] = [q.get('code'), q.get('no'), q.get('v'), q.get('sha256')];
  if (!code || !no || !v || !sha) throw malformed('the QR payload lacks code, no, v or sha256');
  const parsed = parseVerificationCode(code);
  const stored = { documentNumber: no, version: Number(v), contentSha256: sha };
  if (!codeMatches(parsed, stored))
    throw new DomainError(
      'validation',
      'verification_payload_inconsistent',
      'the QR payload does not agree with its code',
    );
  return { ...stored, code: parsed.code };
}

function digestChars(documentNumber: string, version: number, contentSha256: string): string {
  const bytes = createHash('sha256')
    .update(`ecc-doc-v1\n${documentNumber}\n${version}\n${contentSha256}`)
    .digest();
  let bits = 0n;
  for (let i = 0; i < 8; i++) bits = (bits << 8n) | BigInt(bytes[i] as number);
  let out = '';
  for (let i = 0; i < DIGEST_CHARS; i++) out += ALPHABET[Number((bits >> BigInt(64 - 5 * (i + 1))) & 31n)];
  return out;
}

/** Luhn mod N over Crockford base32 (digits of the version are their own values). */
function checkChar(text: string): string {
  let factor = 2;
  let sum = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    let addend = factor * ALPHABET.indexOf(text[i] as string);
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / 32) + (addend % 32);
    sum += addend;
  }
  return ALPHABET[(32 - (sum % 32)) % 32] as string;
}

const malformed = (message: string) =>
  new DomainError('validation', 'verification_code_malformed', message, {
    errors: [{ path: 'code', message }],
  });
