import { createHash } from 'node:crypto';
import { digestOf } from '@ecc/shared-kernel';
import { SHA256_HEX, type DetectionBody, type DetectionForm, type EvidenceItem } from './detection.schema';

/**
 * The digest that decides whether a repeated detection id is the same detection (200 duplicate) or a
 * different one (409): sha256 of the canonical JSON of the validated body (key order and whitespace do not
 * matter). Inline evidence counts by its sha256 only — its bytes are checked against that digest anyway,
 * so hashing megabytes of base64 a second time would add nothing.
 */
export function canonicalBodyDigest(body: DetectionBody | DetectionForm): string {
  return digestOf(recordedBody(body));
}

/**
 * The body as it is kept on the detection (`raw`): everything but the evidence bytes, which go to storage —
 * the same for a JSON body and its `multipart/form-data` form, so a repeat in the other form is a repeat.
 */
export function recordedBody(body: DetectionBody | DetectionForm): DetectionForm {
  return {
    ...body,
    evidence: body.evidence.map(({ kind, contentType, sha256 }) => ({ kind, contentType, sha256 })),
  };
}

export interface DecodedEvidence {
  kind: EvidenceItem['kind'];
  contentType: string;
  sha256: string;
  bytes: Buffer;
}

export interface EvidenceMismatch {
  index: number;
  kind: string;
  declared: string;
  actual: string;
}

/** Decodes every inline item and checks its bytes against its declared sha256; all mismatches are listed. */
export function decodeEvidence(items: readonly EvidenceItem[]): {
  decoded: DecodedEvidence[];
  mismatches: EvidenceMismatch[];
} {
  const decoded: DecodedEvidence[] = [];
  const mismatches: EvidenceMismatch[] = [];
  items.forEach((item, index) => {
    const bytes = Buffer.from(item.data, 'base64');
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== item.sha256) mismatches.push({ index, kind: item.kind, declared: item.sha256, actual });
    decoded.push({ kind: item.kind, contentType: item.contentType, sha256: item.sha256, bytes });
  });
  return { decoded, mismatches };
}

/**
 * Immutable, content-addressed object key: the same bytes always land on the same key, so an object is
 * never overwritten with different content and a retried upload is harmless.
 */
export function evidenceKey(sha256: string): string {
  if (!SHA256_HEX.test(sha256)) throw new Error(`not a sha256 hex digest: ${sha256}`);
  return `evidence/${sha256.slice(0, 2)}/${sha256}`;
}
