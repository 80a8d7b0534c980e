import { createHash } from 'node:crypto';
import type { DecodedEvidence, EvidenceMismatch } from './body-digest';
import { MAX_INLINE_EVIDENCE, type DetectionForm } from './detection.schema';

/**
 * `multipart/form-data` (RFC 7578) form of a detection: a part named `detection` holding the JSON body whose
 * evidence items carry no `data`, and one binary part per evidence item named by its kind (`plate_front`, …).
 * The photos travel as bytes — no base64 to encode, send (a third larger) and decode — and the signature
 * still covers the raw body, parts and all.
 */
export interface FormPart {
  name: string;
  contentType: string | null;
  data: Buffer;
}

/** The parts a detection form may have: the JSON and one per evidence item. */
export const MAX_FORM_PARTS = MAX_INLINE_EVIDENCE + 1;

export class MalformedFormError extends Error {}

/** The boundary parameter of a `multipart/form-data` content type, or null. */
export function formBoundary(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return null;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  return match ? (match[1] ?? match[2]!) : null;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * Splits a multipart body held in memory into its parts (their bytes are views of `body`, not copies).
 * Refuses what is not a well-formed form: no closing delimiter, a part without a name, more than `maxParts`
 * parts, a name given twice.
 */
export function parseForm(body: Buffer, boundary: string, maxParts = MAX_FORM_PARTS): FormPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  // The body starts with the first delimiter (a preamble is allowed by RFC 2046 but no station sends one).
  let at = body.indexOf(delimiter);
  if (at < 0) throw new MalformedFormError('no part delimiter');
  const parts: FormPart[] = [];
  const names = new Set<string>();
  const next = Buffer.concat([CRLF, delimiter]);
  for (;;) {
    at += delimiter.length;
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return parts; // "--": the closing delimiter
    if (body[at] !== 0x0d || body[at + 1] !== 0x0a) throw new MalformedFormError('bad delimiter line');
    const headersEnd = body.indexOf(HEADER_END, at + 2);
    if (headersEnd < 0) throw new MalformedFormError('part headers not terminated');
    const end = body.indexOf(next, headersEnd + 4);
    if (end < 0) throw new MalformedFormError('no closing delimiter');
    if (parts.length >= maxParts) throw new MalformedFormError(`more than ${maxParts} parts`);
    const headers = body.toString('latin1', at + 2, headersEnd).split('\r\n');
    const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? '';
    const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
    if (!name) throw new MalformedFormError('a part without a name');
    if (names.has(name)) throw new MalformedFormError(`part ${name} appears twice`);
    names.add(name);
    const type = headers.find((h) => /^content-type:/i.test(h));
    parts.push({
      name,
      contentType: type ? type.slice(type.indexOf(':') + 1).trim() : null,
      data: body.subarray(headersEnd + 4, end),
    });
    at = end + CRLF.length;
  }
}

/**
 * The evidence of a form: each item's bytes from the part named by its kind, checked against the declared
 * sha256 (like decodeEvidence for inline base64). `missing`: items without their part; `unexpected`: parts
 * that no item declares (besides `detection`).
 */
export function formEvidence(
  items: DetectionForm['evidence'],
  parts: readonly FormPart[],
): { decoded: DecodedEvidence[]; mismatches: EvidenceMismatch[]; missing: string[]; unexpected: string[] } {
  const byName = new Map(parts.map((p) => [p.name, p]));
  const decoded: DecodedEvidence[] = [];
  const mismatches: EvidenceMismatch[] = [];
  const missing: string[] = [];
  items.forEach((item, index) => {
    const part = byName.get(item.kind);
    if (!part || part.data.length === 0) {
      missing.push(item.kind);
      return;
    }
    const actual = createHash('sha256').update(part.data).digest('hex');
    if (actual !== item.sha256) mismatches.push({ index, kind: item.kind, declared: item.sha256, actual });
    decoded.push({ kind: item.kind, contentType: item.contentType, sha256: item.sha256, bytes: part.data });
  });
  const declared = new Set<string>(items.map((i) => i.kind));
  const unexpected = parts.map((p) => p.name).filter((n) => n !== 'detection' && !declared.has(n));
  return { decoded, mismatches, missing, unexpected };
}
