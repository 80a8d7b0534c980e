import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { SecretBox } from '@ecc/shared-kernel';
import type { JsonResponse, TestApi } from './test-app';

/**
 * A station as the tests (and the benchmark and fuzz tests) see it: its code and signing secret, and
 * helpers that sign requests exactly as the station protocol says — X-Signature = hex HMAC-SHA256(secret,
 * message), where message is, in version 2 (X-Signature-Version: 2, required for evidence uploads),
 * `ECC-HMAC-SHA256-V2\n${METHOD}\n${path}\n${media type}\n${X-Timestamp}\n` + body bytes, and in version 1
 * (detections only) `${X-Timestamp}.${raw body}`.
 */
export interface TestStation {
  code: string;
  secret: string;
  id?: string;
}

export const sha256Hex = (data: string | Uint8Array): string =>
  createHash('sha256').update(data).digest('hex');

export function sign(secret: string, timestamp: string, body: string | Uint8Array): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** What a version 2 signature covers besides the bytes. */
export interface SignedTarget {
  method: string;
  /** The path as the station's identifiers spell it (not percent-encoded). */
  path: string;
  mediaType: string;
}

export function signV2(
  secret: string,
  timestamp: string,
  target: SignedTarget,
  body: string | Uint8Array,
): string {
  const prefix = ['ECC-HMAC-SHA256-V2', target.method, target.path, target.mediaType, timestamp, ''].join(
    '\n',
  );
  return createHmac('sha256', secret).update(prefix).update(body).digest('hex');
}

export interface SignOptions {
  /** Signing time in ms (default: now). */
  timestamp?: number;
  /** Sign with another secret than the station's (a wrong or rotated one). */
  secret?: string;
  /** Override or add headers (after signing: can break the signature on purpose). */
  headers?: Record<string, string>;
  /** Sign in version 2 for this method, path and media type (default: version 1). */
  v2?: SignedTarget;
}

/** The signature headers for a body. */
export function signatureHeaders(
  station: TestStation,
  body: string | Uint8Array,
  options: SignOptions = {},
): Record<string, string> {
  const timestamp = String(options.timestamp ?? Date.now());
  const secret = options.secret ?? station.secret;
  return {
    'x-station-code': station.code,
    'x-timestamp': timestamp,
    ...(options.v2
      ? { 'x-signature-version': '2', 'x-signature': signV2(secret, timestamp, options.v2, body) }
      : { 'x-signature': sign(secret, timestamp, body) }),
    ...options.headers,
  };
}

async function parse(response: Response): Promise<JsonResponse> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, body };
}

/** `POST /api/v1/detections` signed by the station; `body` is an object (serialised here) or the exact raw text. */
export async function signedPost(
  api: { url: string },
  station: TestStation,
  body: unknown,
  options: SignOptions = {},
): Promise<JsonResponse> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(`${api.url}/api/v1/detections`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signatureHeaders(station, raw, options) },
    body: raw,
  });
  return parse(response);
}

/**
 * The `multipart/form-data` form of a detection: a part `detection` (the JSON, each evidence item without
 * `data`) and one binary part per photo, named by its kind.
 */
export function detectionForm(
  body: Record<string, unknown>,
  photos: Record<string, { bytes: Uint8Array; contentType?: string }>,
  boundary = `----ecc${randomBytes(12).toString('hex')}`,
): { contentType: string; raw: Buffer } {
  const detection = {
    ...body,
    evidence: Object.entries(photos).map(([kind, p]) => ({
      kind,
      contentType: p.contentType ?? 'image/jpeg',
      sha256: sha256Hex(p.bytes),
    })),
  };
  const chunks: Buffer[] = [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="detection"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(detection)}\r\n`,
    ),
  ];
  for (const [kind, p] of Object.entries(photos)) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${kind}"; filename="${kind}.jpg"\r\nContent-Type: ${p.contentType ?? 'image/jpeg'}\r\n\r\n`,
      ),
      Buffer.from(p.bytes),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, raw: Buffer.concat(chunks) };
}

/** `POST /api/v1/detections` of a form, signed over its raw bytes. */
export async function signedPostForm(
  api: { url: string },
  station: TestStation,
  form: { contentType: string; raw: Buffer },
  options: SignOptions = {},
): Promise<JsonResponse> {
  const response = await fetch(`${api.url}/api/v1/detections`, {
    method: 'POST',
    headers: { 'content-type': form.contentType, ...signatureHeaders(station, form.raw, options) },
    body: form.raw,
  });
  return parse(response);
}

/** The path of an evidence upload, as signed (the identifiers as they are). */
export const evidencePath = (stationCode: string, detectionId: string, kind: string) =>
  `/api/v1/detections/${stationCode}/${detectionId}/evidence/${kind}`;

/**
 * `PUT /api/v1/detections/{station}/{detectionId}/evidence/{kind}`, signed in version 2 over the method, the
 * path, the media type, the timestamp and the bytes. `signedFor` signs another path than the one called (a
 * replay onto another detection).
 */
export async function signedPutEvidence(
  api: { url: string },
  station: TestStation,
  detectionId: string,
  kind: string,
  bytes: Uint8Array,
  options: SignOptions & {
    contentType?: string;
    sha256?: string;
    stationCode?: string;
    signedFor?: { detectionId?: string; kind?: string };
  } = {},
): Promise<JsonResponse> {
  const stationCode = options.stationCode ?? station.code;
  const contentType = options.contentType ?? 'video/mp4';
  const headers = signatureHeaders(station, bytes, {
    v2: {
      method: 'PUT',
      path: evidencePath(
        stationCode,
        options.signedFor?.detectionId ?? detectionId,
        options.signedFor?.kind ?? kind,
      ),
      mediaType: contentType,
    },
    ...options,
    headers: {
      'content-type': contentType,
      'x-content-sha256': options.sha256 ?? sha256Hex(bytes),
      ...options.headers,
    },
  });
  const response = await fetch(
    `${api.url}/api/v1/detections/${encodeURIComponent(stationCode)}/${encodeURIComponent(detectionId)}/evidence/${kind}`,
    { method: 'PUT', headers, body: bytes },
  );
  return parse(response);
}

/** An inline evidence item of the given bytes. */
export function evidenceItem(kind: string, bytes: Uint8Array, contentType = 'image/jpeg') {
  return { kind, contentType, sha256: sha256Hex(bytes), data: Buffer.from(bytes).toString('base64') };
}

/** A valid detection body (6-axle combination, 58.2 t: over the 49 t limit); override any part. */
export function detectionBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    detectionId: `T-${randomUUID()}`,
    deviceCode: 'WIM-01',
    detectedAt: new Date(Date.now() - 60_000).toISOString().replace('Z', '+00:00'),
    lane: 2,
    plate: { number: '湘F12345', color: 'yellow' },
    trailerPlate: '湘F6789挂',
    vehicle: {
      axleCount: 6,
      combination: true,
      singleDriveAxle: false,
      singleTyreAxles: 0,
      lengthMm: 16500,
      widthMm: 2550,
      heightMm: 3950,
    },
    weighing: { grossKg: 58200, axleLoadsKg: [7100, 11000, 10000, 10000, 10000, 10100], speedKmh: 58.2 },
    evidence: [],
    ...overrides,
  };
}

/** The key the API seals station secrets with in a test process (every test environment sets SECRETS_KEY). */
export function secretsKeyOf(api: TestApi): string {
  const key = api.env['SECRETS_KEY'];
  if (!key) throw new Error('the test API has no SECRETS_KEY');
  return key;
}

/**
 * A station with a signing secret. Through the registry API when it exists (`POST /api/v1/stations` as
 * admin, which shows the secret once); otherwise written into the test database, sealed as the registry
 * seals it.
 */
export async function createStation(
  api: TestApi,
  adminToken: string,
  code = `T${randomBytes(4).toString('hex').toUpperCase()}`,
): Promise<TestStation> {
  const response = await fetch(`${api.url}/api/v1/stations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({
      code,
      name: `测试检测点 ${code}`,
      road: 'S308',
      stake: 'K12+300',
      direction: '往长沙方向',
      lat: 28.2,
      lng: 112.9,
    }),
  });
  if (response.status === 201) {
    const body = (await response.json()) as { code: string; secret: string; id?: string };
    return { code: body.code, secret: body.secret, id: body.id };
  }
  if (response.status !== 404)
    throw new Error(`creating station ${code} failed: ${response.status} ${await response.text()}`);
  const id = randomUUID();
  await api.db.query(`INSERT INTO stations (id, code, name, updated_at) VALUES ($1, $2, $3, now())`, [
    id,
    code,
    `测试检测点 ${code}`,
  ]);
  const secret = randomBytes(32).toString('base64url');
  await addStationSecret(api, { id, code }, secret, new Date(Date.now() - 60_000));
  return { id, code, secret };
}

/** Stores another secret for a station directly (a rotation: both are valid until one is retired). */
export async function addStationSecret(
  api: TestApi,
  station: { id: string; code: string },
  secret: string,
  activeFrom: Date,
  retiredAt: Date | null = null,
): Promise<void> {
  const sealed = new SecretBox(secretsKeyOf(api)).seal(secret, station.code);
  await api.db.query(
    `INSERT INTO station_secrets (id, station_id, key_id, algorithm, secret_hash, secret_ciphertext, active_from, retired_at)
     VALUES ($1, $2, $3, 'HMAC-SHA256', $4, $5, $6, $7)`,
    [
      randomUUID(),
      station.id,
      randomBytes(6).toString('hex'),
      sha256Hex(secret),
      sealed,
      activeFrom,
      retiredAt,
    ],
  );
}

/**
 * A station registered over the API with an approved, calibrated weigh-in-motion device `WIM-01` (Art. 41: only
 * such a device's records may be evidence), as an admin sets one up; its signing secret as shown once.
 */
export async function registerStationWithDevice(
  api: TestApi,
  adminToken: string,
  code: string,
  stake = 'K12+300',
): Promise<TestStation> {
  const request = async (path: string, body: unknown) => {
    const response = await fetch(`${api.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify(body),
    });
    const parsed = (await response.json()) as Record<string, unknown>;
    if (response.status !== 201) throw new Error(`${path}: ${response.status} ${JSON.stringify(parsed)}`);
    return parsed;
  };
  const created = await request('/api/v1/stations', {
    code,
    name: `S308线${stake}超限检测点`,
    road: 'S308',
    stake,
    direction: '往长沙方向',
    lat: 28.79,
    lng: 113.08,
  });
  await request(`/api/v1/stations/${code}/devices`, {
    code: 'WIM-01',
    kind: 'wim',
    accuracyClass: '5',
    legalReviewedAt: '2025-03-01',
    technicalReviewedAt: '2025-03-05',
    publishedAt: '2025-03-20',
    calibration: { certificateNo: `JD-${code}`, validFrom: '2025-03-10', validTo: '2099-03-09' },
  });
  return { code, secret: created['secret'] as string, id: created['id'] as string };
}
