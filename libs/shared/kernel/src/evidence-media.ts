/**
 * The media types evidence may have, on both paths (inline in the detection, streamed by PUT): photographs
 * and video that officers' browsers show with their own decoders. Nothing that a browser would run or render
 * as a document (text/html, image/svg+xml, application/pdf …) is stored as evidence, so a presigned URL can
 * never serve a page under the storage's origin.
 */
export const EVIDENCE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'video/mp4'] as const;
export type EvidenceMediaType = (typeof EVIDENCE_MEDIA_TYPES)[number];

export const isEvidenceMediaType = (type: string): type is EvidenceMediaType =>
  (EVIDENCE_MEDIA_TYPES as readonly string[]).includes(type);

const EXTENSIONS: Record<EvidenceMediaType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
};

/**
 * How a presigned URL answers for a stored object: its recorded type when allowed (shown inline, named by kind
 * and digest), anything else — evidence stored before the allow-list — as a download of opaque bytes.
 */
export function evidenceResponseHeaders(
  contentType: string,
  name: string,
): { contentType: string; contentDisposition: string } {
  const safeName = name.replace(/[^A-Za-z0-9._-]/g, '_');
  if (isEvidenceMediaType(contentType)) {
    return {
      contentType,
      contentDisposition: `inline; filename="${safeName}.${EXTENSIONS[contentType]}"`,
    };
  }
  return {
    contentType: 'application/octet-stream',
    contentDisposition: `attachment; filename="${safeName}.bin"`,
  };
}
