import type { RemedyOnFile } from './remedies';

/**
 * The exported case file (案卷导出): what goes into the archive besides the documents and evidence, and
 * how it is named. A reader verifies the archive offline with `sha256sum -c SHA256SUMS` and compares the
 * manifest's audit hash with the audit trail.
 */

export const MANIFEST_FORMAT = 'ecc-case-file/1';

export type IntegrityStatus = 'unverified' | 'intact' | 'mismatch' | 'missing';
/** What a re-hash can observe. */
export type ObservedIntegrity = 'intact' | 'mismatch' | 'missing';

/** The outcome of reading an object back: absent, or its sha256 compared with the recorded one. */
export function classifyIntegrity(recordedSha256: string, observedSha256: string | null): ObservedIntegrity {
  if (observedSha256 === null) return 'missing';
  return observedSha256.toLowerCase() === recordedSha256.toLowerCase() ? 'intact' : 'mismatch';
}

export interface ManifestEntry {
  path: string;
  sha256: string;
  size: number;
}

export interface ManifestDocument extends ManifestEntry {
  /** 卷内目录 position, 1-based; earlier versions share the position of their document. */
  position: number;
  documentId: string;
  kind: string;
  title: string;
  documentNumber: string | null;
  version: number;
  current: boolean;
  /** pdf: the printed version (docs/documents.md), byte for byte the PDF the system serves */
  format: 'html' | 'text' | 'pdf';
}

export interface ManifestEvidence {
  id: string;
  kind: string;
  key: string;
  /** Absent when the object could not be read (status missing). */
  path: string | null;
  recordedSha256: string;
  /** sha256 of the bytes written into the archive. */
  sha256: string | null;
  size: number | null;
  status: ObservedIntegrity;
  detectionId: string | null;
}

export interface CaseFileManifest {
  format: typeof MANIFEST_FORMAT;
  caseId: string;
  caseNumber: string | null;
  exportedAt: string;
  /** The last audit event of the case that the hash chain has sealed: compare with the audit trail. */
  audit: { eventId: string; chainSeq: string; hash: string; occurredAt: string } | null;
  documents: ManifestDocument[];
  evidence: ManifestEvidence[];
  /** 行政复议、行政诉讼 against the decision, with their outcomes (whether the decision still stands). */
  remedies: RemedyOnFile[];
  /** Every file of the archive except manifest.json and SHA256SUMS, in archive order. */
  entries: ManifestEntry[];
}

/** `sha256sum` format: `<hex>  <path>` (two spaces: binary-agnostic text mode), one line each. */
export function sha256Sums(entries: readonly { path: string; sha256: string }[]): string {
  return entries.map((e) => `${e.sha256}  ${e.path}\n`).join('');
}

/** A file-name part from free text: no path separators, control or reserved characters, bounded length. */
export function fileNamePart(text: string, maxLength = 60): string {
  const cleaned = text
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, '_')
    .replace(/\s+/g, ' ')
    .trim();
  return Array.from(cleaned).slice(0, maxLength).join('') || '_';
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
};

export const extensionOf = (contentType: string): string =>
  EXTENSIONS[contentType.split(';')[0]!.trim().toLowerCase()] ?? 'bin';

/**
 * `Content-Disposition: attachment` for a UTF-8 file name (RFC 6266 with RFC 5987 `filename*`), with an
 * ASCII fallback for clients that ignore `filename*`.
 */
export function attachmentDisposition(fileName: string, asciiFallback: string): string {
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  const fallback = asciiFallback.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** The README.txt of an exported case file. */
export function readmeText(input: { caseNumber: string | null; caseId: string; exportedAt: string }): string {
  return [
    `案卷导出 / Case file export`,
    ``,
    `案号 Case number: ${input.caseNumber ?? '(未立案 not filed)'}`,
    `案件 Case id:     ${input.caseId}`,
    `导出 Exported at: ${input.exportedAt}`,
    ``,
    `Contents`,
    `  documents/   the case documents in the order of the case-file catalogue (卷内目录), each current`,
    `               version as stored (.html and .txt) and as printed (.pdf, with its verification`,
    `               code), earlier versions as .vN.html / .vN.txt / .vN.pdf`,
    `  case-file.pdf  the whole case file as one PDF: cover, table of contents (卷内目录), the current`,
    `               version of every document in catalogue order`,
    `  evidence/    the evidence objects (detection photos and videos, case attachments) as stored`,
    `  manifest.json  every file with its sha256 and size, the documents' catalogue positions, each`,
    `               evidence item's recorded sha256 and its status (intact, mismatch, missing), and the`,
    `               audit hash of the case's last sealed audit event, and the reconsiderations and`,
    `               lawsuits against the decision with their outcomes (remedies)`,
    `  SHA256SUMS   the sha256 of every other file, manifest.json included`,
    ``,
    `Verify offline`,
    `  1. unzip the archive into an empty folder and change into it;`,
    `  2. sha256sum -c SHA256SUMS          (macOS: shasum -a 256 -c SHA256SUMS)`,
    `     every line must say OK;`,
    `  3. in manifest.json, every evidence item should have status "intact": its sha256 (of the bytes in`,
    `     this archive) equals recordedSha256 (recorded when the evidence was received). "mismatch" means`,
    `     the stored object had changed when it was exported; "missing" that it could not be read;`,
    `  4. audit.hash is the hash-chain value of the case's last sealed audit event (audit.chainSeq): the`,
    `     audit trail of the system must hold that event with that hash.`,
    ``,
  ].join('\n');
}
