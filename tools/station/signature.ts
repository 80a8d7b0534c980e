import { createHash, createHmac } from 'node:crypto';

/**
 * The station protocol's signature, written out on its own (no import of the server's code) so that a vendor
 * can read it as the reference, and so that the test vectors check two independent implementations agree.
 * docs/station-integration.md spells it out.
 */
export const SIGNATURE_V2_TAG = 'ECC-HMAC-SHA256-V2';

export interface SignedTarget {
  method: string;
  /** The request path as the station's identifiers spell it (not percent-encoded), without the query. */
  path: string;
  /** The media type of Content-Type, lower case, without parameters. */
  mediaType: string;
}

/** Version 2's canonical string: the five lines that precede the body bytes in the HMAC. */
export function canonicalPrefixV2(target: SignedTarget, timestamp: string): string {
  return [
    SIGNATURE_V2_TAG,
    target.method.toUpperCase(),
    target.path,
    target.mediaType.toLowerCase(),
    timestamp,
    '',
  ].join('\n');
}

/** X-Signature, version 2: lower-case hex HMAC-SHA256(secret, canonical prefix + body bytes). */
export function signV2(
  secret: string,
  timestamp: string,
  target: SignedTarget,
  body: string | Uint8Array,
): string {
  return createHmac('sha256', secret)
    .update(canonicalPrefixV2(target, timestamp), 'utf8')
    .update(body)
    .digest('hex');
}

/** X-Signature, version 1 (detections only): lower-case hex HMAC-SHA256(secret, `${timestamp}.` + body). */
export function signV1(secret: string, timestamp: string, body: string | Uint8Array): string {
  return createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(body).digest('hex');
}

export const sha256Hex = (data: string | Uint8Array): string =>
  createHash('sha256').update(data).digest('hex');

export const DETECTIONS_PATH = '/api/v1/detections';

/** The path of an evidence upload, as signed: the identifiers as they are. */
export const evidencePath = (stationCode: string, detectionId: string, kind: string): string =>
  `${DETECTIONS_PATH}/${stationCode}/${detectionId}/evidence/${kind}`;

/** The headers of a signed `POST /api/v1/detections` (version 2). */
export function detectionHeaders(
  station: { code: string; secret: string },
  body: string,
  timestamp = String(Date.now()),
): Record<string, string> {
  const target = { method: 'POST', path: DETECTIONS_PATH, mediaType: 'application/json' };
  return {
    'content-type': 'application/json',
    'x-station-code': station.code,
    'x-timestamp': timestamp,
    'x-signature-version': '2',
    'x-signature': signV2(station.secret, timestamp, target, body),
  };
}

/** The headers of a signed evidence upload (version 2 only), with the bytes' SHA-256. */
export function evidenceHeaders(
  station: { code: string; secret: string },
  detectionId: string,
  kind: string,
  contentType: string,
  bytes: Uint8Array,
  timestamp = String(Date.now()),
): Record<string, string> {
  const target = {
    method: 'PUT',
    path: evidencePath(station.code, detectionId, kind),
    mediaType: contentType,
  };
  return {
    'content-type': contentType,
    'x-station-code': station.code,
    'x-timestamp': timestamp,
    'x-signature-version': '2',
    'x-signature': signV2(station.secret, timestamp, target, bytes),
    'x-content-sha256': sha256Hex(bytes),
  };
}

/** The URL of an evidence upload: the identifiers percent-encoded (the signature covers them decoded). */
export const evidenceUrl = (apiUrl: string, stationCode: string, detectionId: string, kind: string): string =>
  `${apiUrl}${DETECTIONS_PATH}/${encodeURIComponent(stationCode)}/${encodeURIComponent(detectionId)}/evidence/${kind}`;
