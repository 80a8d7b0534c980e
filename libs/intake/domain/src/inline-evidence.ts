/**
 * A JSON detection's inline evidence, taken from the body's bytes: each `evidence[i].data` (base64 of ~100 KB
 * photographs) is decoded straight from the raw body into one buffer, and the rest of the JSON — a kilobyte — is
 * left for `JSON.parse` with each such string replaced by a short placeholder. Parsing the whole body instead builds
 * a JS string of it and one per image (hundreds of KB each, which V8 puts in its large-object space) only for them
 * to be decoded and dropped.
 *
 * Only the plain case is taken: the root an object with one `evidence` key, an array of objects each with one
 * `data` key whose value is a string without escapes and valid for `evidenceItemSchema`'s `data` (standard
 * alphabet, padded, at least 4 characters). Anything else — a key or a data string with a backslash, a duplicate
 * `evidence` or `data` key, a `data` that is not a string or not valid base64, no inline evidence at all — gives
 * `null`, and the caller parses the whole body as before, so every refusal is the one the body always got.
 */

/** What replaces each taken `data` string in the JSON: valid for the schema, so it refuses nothing the data would not. */
export const INLINE_EVIDENCE_PLACEHOLDER = 'AAAA';
const PLACEHOLDER = Buffer.from(INLINE_EVIDENCE_PLACEHOLDER, 'latin1');

export interface InlineEvidenceSplit {
  /** The body with each taken `data` string replaced by the placeholder. */
  json: Buffer;
  /** The decoded bytes of `evidence[i].data`, by index: views of one buffer from `allocate`. */
  evidence: Buffer[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const EQUALS = 0x3d;

const MINUS = 0x2d;
const UNDERSCORE = 0x5f;

/** Base64 decoded a slice at a time: each slice's string stays small (V8's young generation), never one of 100s of KB. */
const DECODE_SLICE = 32 * 1024;

/**
 * Decodes `body[start, end)` into `target` at `offset` when it is what `z.base64().min(4)` accepts — padded
 * standard base64: a length divisible by 4 and at least 4, the 64 characters, `=` only as the last one or two —
 * and returns the bytes written; -1 when it is not. Node's decoder (the one `Buffer.from(…, 'base64')` uses) also
 * reads `-` and `_` as the URL alphabet's 62 and 63 — refused beforehand — and skips any other character (and stops
 * at a `=`), so a string with one writes fewer bytes than its length promises: the check costs no loop over the
 * bytes in JavaScript. (inline-evidence.spec.ts holds this against zod for every byte value at every position.)
 */
function decodeBase64Into(body: Buffer, start: number, end: number, target: Buffer, offset: number): number {
  const length = end - start;
  if (length < 4 || length % 4 !== 0) return -1;
  const data = body.subarray(start, end);
  if (data.includes(MINUS) || data.includes(UNDERSCORE)) return -1;
  const padding = data[length - 1] === EQUALS ? (data[length - 2] === EQUALS ? 2 : 1) : 0;
  const firstEquals = data.indexOf(EQUALS);
  if (firstEquals >= 0 && firstEquals !== length - padding) return -1;
  const expected = (length / 4) * 3 - padding;
  if (target.length - offset < expected) return -1;
  let written = 0;
  for (let at = start; at < end; at += DECODE_SLICE) {
    written += target.write(
      body.toString('latin1', at, Math.min(end, at + DECODE_SLICE)),
      offset + written,
      'base64',
    );
  }
  return written === expected ? written : -1;
}

/** The bytes of `body[start, end)` decoded, if it is valid padded base64 (checked when it is decoded); else -1. */
function decodedLength(body: Buffer, start: number, end: number): number {
  const length = end - start;
  if (length < 4 || length % 4 !== 0) return -1;
  return (length / 4) * 3 - (body[end - 1] === EQUALS ? (body[end - 2] === EQUALS ? 2 : 1) : 0);
}

/** Frames of the scan: which containers it is inside, and the key being read in the two it looks into. */
const enum Role {
  Root,
  EvidenceArray,
  EvidenceItem,
  Other,
}
interface Frame {
  role: Role;
  isObject: boolean;
  /** In an object: the next string is a key. */
  expectKey: boolean;
  /** In the root or an evidence item: the last key read (raw bytes, no escapes). */
  key: string;
  /** An evidence item: the bounds of its `data` string's content. */
  data?: [number, number];
}

/** The index after the closing quote of the string whose opening quote is at `open`, or -1. */
function stringEnd(body: Buffer, open: number): number {
  let at = open + 1;
  for (;;) {
    const quote = body.indexOf(QUOTE, at);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (body[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    at = quote + 1;
  }
}

const isWhitespace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * The inline evidence of a JSON detection body, decoded into a buffer from `allocate(total bytes)`, and the body
 * without it; `null` when the body is not the plain case (see above) — parse it whole then.
 */
export function splitInlineEvidence(
  body: Buffer,
  allocate: (length: number) => Buffer,
): InlineEvidenceSplit | null {
  const stack: Frame[] = [];
  const items: [number, number][] = [];
  let evidenceSeen = false;
  let rootClosed = false;
  for (let i = 0; i < body.length;) {
    const c = body[i]!;
    const top = stack[stack.length - 1];
    if (isWhitespace(c) || c === 0x3a /* : */) {
      i++;
      continue;
    }
    if (c === 0x2c /* , */) {
      if (top?.isObject) top.expectKey = true;
      i++;
      continue;
    }
    if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      const frame = stack.pop();
      if (!frame) return null;
      if (frame.role === Role.EvidenceItem) {
        if (!frame.data) return null;
        items.push(frame.data);
      }
      if (stack.length === 0) rootClosed = true;
      i++;
      continue;
    }
    if (!top) {
      // The root: an object (a byte-order mark or anything else before it is left to JSON.parse to judge).
      if (c !== 0x7b /* { */ || rootClosed) return null;
      stack.push({ role: Role.Root, isObject: true, expectKey: true, key: '' });
      i++;
      continue;
    }
    if (c === QUOTE) {
      const end = stringEnd(body, i);
      if (end < 0) return null;
      const escaped = body.subarray(i + 1, end - 1).includes(BACKSLASH);
      const looks = top.role === Role.Root || top.role === Role.EvidenceItem;
      if (top.isObject && top.expectKey) {
        if (looks) {
          if (escaped) return null;
          top.key = body.toString('latin1', i + 1, end - 1);
        }
        top.expectKey = false;
      } else if (top.role === Role.EvidenceItem && top.key === 'data') {
        if (escaped || top.data) return null;
        top.data = [i + 1, end - 1];
      } else if (!valueMayStart(top, c)) return null;
      i = end;
      continue;
    }
    if (!valueMayStart(top, c)) return null;
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      let role = Role.Other;
      if (top.role === Role.Root && top.key === 'evidence') {
        if (evidenceSeen) return null;
        evidenceSeen = true;
        role = Role.EvidenceArray;
      } else if (top.role === Role.EvidenceArray) role = Role.EvidenceItem;
      stack.push({ role, isObject: c === 0x7b, expectKey: c === 0x7b, key: '' });
    }
    // A number, true, false or null: their bytes are skipped one at a time (a few per body).
    i++;
  }
  if (!evidenceSeen || items.length === 0 || stack.length > 0) return null;

  let total = 0;
  for (const [start, end] of items) {
    const length = decodedLength(body, start, end);
    if (length < 0) return null;
    total += length;
  }
  const target = allocate(total);
  const evidence: Buffer[] = [];
  const pieces: Buffer[] = [];
  let offset = 0;
  let copied = 0;
  for (const [start, end] of items) {
    const written = decodeBase64Into(body, start, end, target, offset);
    if (written < 0) return null;
    evidence.push(target.subarray(offset, offset + written));
    offset += written;
    pieces.push(body.subarray(copied, start), PLACEHOLDER);
    copied = end;
  }
  pieces.push(body.subarray(copied));
  return { json: Buffer.concat(pieces), evidence };
}

/**
 * Whether a value starting with `c` may stand here in the plain case: `evidence` is an array, its elements are
 * objects, an item's `data` is a string (the caller has checked that one).
 */
function valueMayStart(top: Frame, c: number): boolean {
  if (top.role === Role.Root && top.key === 'evidence') return c === 0x5b;
  if (top.role === Role.EvidenceArray) return c === 0x7b;
  if (top.role === Role.EvidenceItem && top.key === 'data') return false;
  return true;
}
