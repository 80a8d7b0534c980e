import { createHash } from 'node:crypto';
import { Client as Minio } from 'minio';
import { mixedDetection, prng, requiredEvidence, type DetectionBody } from '../support/detection-mix';
import { createStation, sign, signatureHeaders, type TestStation } from '../support/station-client';
import { ADMIN, call, startTestApi, tokenFor, type TestApi } from '../support/test-app';

/**
 * Thousands of malformed station requests to `POST /api/v1/detections`: every one must get a 4xx
 * problem+json (never a 5xx), and nothing may be stored. Reproducible: the seed is printed, and
 * `FUZZ_SEED=<n>` replays a run. Part of the cases are signed correctly so that validation, not only the
 * signature check, is fuzzed.
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? Date.now() % 1_000_000_007);
const CASES = 3000;
const PARALLEL = 8;
const BODY_LIMIT = 256 * 1024;

interface FuzzCase {
  /** What was done, for the failure message. */
  what: string;
  /** The kind of case: signed-but-invalid bodies must reach validation (400), not stop at the signature. */
  family: 'headers' | 'signed-invalid' | 'unsigned' | 'media-type' | 'size';
  headers: Record<string, string>;
  body: string | Buffer | undefined;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Paths every body must carry (the optional trailerPlate and evidence are not among them). The dimensions may
 * all be absent (a weigh-only station), but one of them alone missing is a partial measurement, refused too.
 */
const REQUIRED_PATHS = [
  ['detectionId'],
  ['deviceCode'],
  ['detectedAt'],
  ['lane'],
  ['plate'],
  ['plate', 'number'],
  ['plate', 'color'],
  ['vehicle'],
  ['vehicle', 'axleCount'],
  ['vehicle', 'combination'],
  ['vehicle', 'singleDriveAxle'],
  ['vehicle', 'singleTyreAxles'],
  ['vehicle', 'lengthMm'],
  ['vehicle', 'widthMm'],
  ['vehicle', 'heightMm'],
  ['weighing'],
  ['weighing', 'grossKg'],
  ['weighing', 'axleLoadsKg'],
  ['weighing', 'speedKmh'],
  ['evidence', 0, 'kind'],
  ['evidence', 0, 'contentType'],
  ['evidence', 0, 'sha256'],
  ['evidence', 0, 'data'],
] as const;

const NUMERIC_PATHS = [
  ['lane'],
  ['vehicle', 'axleCount'],
  ['vehicle', 'singleTyreAxles'],
  ['vehicle', 'lengthMm'],
  ['vehicle', 'widthMm'],
  ['vehicle', 'heightMm'],
  ['weighing', 'grossKg'],
  ['weighing', 'axleLoadsKg', 0],
  ['weighing', 'speedKmh'],
] as const;
/** Strings outside every pattern of their field: identifiers, dates, enums, media types, hex, base64. */
const BAD_IDENTIFIERS = [
  '',
  ' ',
  'a'.repeat(65),
  '🚛',
  'with space',
  '湘F12345',
  'a/b',
  '../x',
  'x\n',
  '\u0000',
  '%00',
];
const BAD_STRINGS: Record<string, Json[]> = {
  detectionId: BAD_IDENTIFIERS,
  deviceCode: BAD_IDENTIFIERS,
  detectedAt: [
    '',
    'yesterday',
    '2024-13-45T99:99:99+08:00',
    '2024-11-05T08:31:12',
    '2024-11-05',
    '🚛',
    '1730766672000',
  ],
  'plate.number': ['x'.repeat(300), '湘'.repeat(40)],
  'plate.color': ['', 'GREEN', 'red', 'yellow ', '黄', '\u202e\u200b', "'; DROP TABLE detections; --"],
  'evidence.0.kind': ['', 'plate', 'PLATE_FRONT', 'photo', '🚛', 'x'.repeat(5000)],
  'evidence.0.contentType': [
    '',
    'jpeg',
    'image/',
    '/jpeg',
    '../../etc/passwd',
    'image/jpeg\r\nx: y',
    'x'.repeat(200),
  ],
  'evidence.0.sha256': ['', 'abc', 'g'.repeat(64), '0'.repeat(63), '0'.repeat(65), '🚛'.repeat(32)],
  'evidence.0.data': ['', 'not base64!', '====', 'QU JD', '\u00ff\u00fe', '\ud83d'],
};
const STRING_PATHS = Object.keys(BAD_STRINGS).map((p) =>
  p.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k)),
);
const BOOLEAN_PATHS = [
  ['vehicle', 'combination'],
  ['vehicle', 'singleDriveAxle'],
] as const;
const OBJECT_PATHS = [[], ['plate'], ['vehicle'], ['weighing'], ['evidence', 0]] as const;

/** Numbers no field accepts (out of every range, or beyond exact integers); fractions only where integers are due. */
const BAD_NUMBERS: Json[] = [-1, 1e20, -1e20, 2 ** 53 + 2, 1e308, -0.000001, 123456789012];
const NOT_A_NUMBER: Json[] = ['12', '', null, true, [], {}, [1], 'NaN', '１２'];
const NOT_A_STRING: Json[] = [12, null, false, [], {}, ['a'], 1e308];
const NOT_A_BOOLEAN: Json[] = ['true', 1, 0, null, [], {}, 'yes'];

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function setAt(target: Json, path: readonly (string | number)[], value: Json | undefined): void {
  let node = target as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

describe('intake fuzz: malformed requests to POST /api/v1/detections', () => {
  let api: TestApi;
  let station: TestStation;
  let minio: Minio;
  const random = prng(SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

  const counts = async () => {
    const { rows } = await api.db.query<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM detections) AS detections,
              (SELECT count(*)::int FROM evidence_objects) AS evidence,
              (SELECT count(*)::int FROM intake_outbox) AS outbox`,
    );
    return { ...rows[0]!, objects: await objectCount() };
  };
  const objectCount = async (): Promise<number> => {
    const bucket = api.env['EVIDENCE_BUCKET']!;
    if (!(await minio.bucketExists(bucket))) return 0;
    let n = 0;
    for await (const _ of minio.listObjectsV2(bucket, '', true)) n++;
    return n;
  };

  beforeAll(async () => {
    console.log(`intake fuzz seed: ${SEED} (replay with FUZZ_SEED=${SEED})`);
    api = await startTestApi('fuzz', {
      BODY_LIMIT_BYTES: String(BODY_LIMIT),
      INTAKE_RATE_LIMIT_PER_SECOND: '100000',
      INTAKE_RATE_LIMIT_BURST: '100000',
      LOG_LEVEL: 'warn',
    });
    const endpoint = new URL(api.env['S3_ENDPOINT']!);
    minio = new Minio({
      endPoint: endpoint.hostname,
      port: Number(endpoint.port),
      useSSL: false,
      accessKey: 'S3RVER',
      secretKey: 'S3RVER',
    });
    const token = await tokenFor(api, ADMIN.username, ADMIN.password);
    station = await createStation(api, token, 'S308-K12');
    const device = await call(api, 'POST', `/api/v1/stations/${station.code}/devices`, {
      token,
      body: {
        code: 'WIM-01',
        kind: 'wim',
        accuracyClass: '5',
        legalReviewedAt: '2024-01-10',
        technicalReviewedAt: '2024-01-10',
        publishedAt: '2024-01-20',
        calibration: { certificateNo: 'JD-2026-001', validFrom: '2026-01-01', validTo: '2027-12-31' },
      },
    });
    expect(device.status).toBe(201);
  }, 90_000);
  afterAll(() => api?.close(), 30_000);

  const validBody = (n: number): DetectionBody =>
    mixedDetection(n, {
      seed: SEED,
      idPrefix: 'FZ',
      device: 'WIM-01',
      unapprovedDevice: 'WIM-01',
      permitPlates: [],
      plateCount: 1000,
      detectedAt: () => new Date(),
      evidence: () => requiredEvidence(48),
    }).body;

  const signedHeaders = (raw: string | Buffer): Record<string, string> => ({
    'content-type': 'application/json',
    ...signatureHeaders(station, raw),
  });

  /** A body that the schema refuses by construction, and what was done to it. */
  function invalidBody(n: number): { what: string; json: string } {
    const body = clone(validBody(n)) as unknown as Json;
    const mutation = Math.floor(random() * 14);
    switch (mutation) {
      case 0: {
        const path = pick(REQUIRED_PATHS);
        setAt(body, path, undefined);
        return { what: `without ${path.join('.')}`, json: JSON.stringify(body) };
      }
      case 1: {
        const path = pick(NUMERIC_PATHS);
        const integer = path.join('.') !== 'weighing.speedKmh';
        const value = pick([...BAD_NUMBERS, ...NOT_A_NUMBER, ...(integer ? [0.5, 7.25] : [])]);
        setAt(body, path, value);
        return { what: `${path.join('.')} = ${JSON.stringify(value)}`, json: JSON.stringify(body) };
      }
      case 2: {
        const path = pick(STRING_PATHS);
        const value = pick([...BAD_STRINGS[path.join('.')]!, ...NOT_A_STRING]);
        setAt(body, path, value);
        return {
          what: `${path.join('.')} = ${JSON.stringify(value).slice(0, 40)}`,
          json: JSON.stringify(body),
        };
      }
      case 3: {
        const path = pick(BOOLEAN_PATHS);
        const value = pick(NOT_A_BOOLEAN);
        setAt(body, path, value);
        return { what: `${path.join('.')} = ${JSON.stringify(value)}`, json: JSON.stringify(body) };
      }
      case 4: {
        // Strict objects: an unknown key anywhere is refused.
        const path = pick(OBJECT_PATHS);
        const key = pick(['extra', '__proto__x', 'constructor', '🚛', 'grossKG', '']);
        setAt(body, [...path, key], pick([1, 'x', null, {}]));
        return { what: `unknown key "${key}" at ${path.join('.') || 'body'}`, json: JSON.stringify(body) };
      }
      case 5: {
        // A number JSON can write but JavaScript cannot hold.
        const path = pick(NUMERIC_PATHS);
        const literal = pick(['1e999', '-1e999', '1' + '0'.repeat(400), '1.7976931348623157e309']);
        setAt(body, path, '__HUGE__');
        const json = JSON.stringify(body).replace('"__HUGE__"', literal);
        return { what: `${path.join('.')} = ${literal.slice(0, 20)}`, json };
      }
      case 6: {
        const b = body as { evidence: { data: string }[] };
        // Even where a decoder would accept them, these are not the bytes the sha256 names.
        const bad = pick(['not base64!', 'QUJDx', '====', 'QUJDRA', 'QU JD', '\u00ff\u00fe', '-_-_']);
        b.evidence[0]!.data = bad;
        return { what: `evidence.0.data = bad base64 ${JSON.stringify(bad)}`, json: JSON.stringify(body) };
      }
      case 7: {
        // Well-formed sha256 of other bytes: the bytes do not match, nothing of the request may be stored.
        const b = body as { evidence: { sha256: string }[] };
        const index = Math.floor(random() * b.evidence.length);
        b.evidence[index]!.sha256 = createHash('sha256').update(`other ${n}`).digest('hex');
        return { what: `evidence.${index}.sha256 of other bytes`, json: JSON.stringify(body) };
      }
      case 8: {
        const b = body as { weighing: { axleLoadsKg: number[] } };
        b.weighing.axleLoadsKg =
          random() < 0.5 ? b.weighing.axleLoadsKg.slice(1) : [...b.weighing.axleLoadsKg, 7000];
        return { what: 'axleLoadsKg length differs from axleCount', json: JSON.stringify(body) };
      }
      case 9: {
        const b = body as { evidence: { kind: string }[] };
        b.evidence[1]!.kind = b.evidence[0]!.kind;
        return { what: 'two evidence items of one kind', json: JSON.stringify(body) };
      }
      case 10: {
        const json = JSON.stringify(body);
        const cut = 1 + Math.floor(random() * (json.length - 2));
        return { what: `truncated at ${cut}/${json.length}`, json: json.slice(0, cut) };
      }
      case 11: {
        const value = pick<Json>([null, 0, 'body', [], [body], true, {}]);
        return { what: `body is ${JSON.stringify(value).slice(0, 30)}`, json: JSON.stringify(value) };
      }
      case 12: {
        const depth = pick([100, 1000, 20_000]);
        return { what: `nested ${depth} deep`, json: '['.repeat(depth) + ']'.repeat(depth) };
      }
      default: {
        // Random bytes that happen to be signed correctly.
        const bytes = Array.from({ length: 1 + Math.floor(random() * 200) }, () =>
          String.fromCharCode(Math.floor(random() * 0x3000)),
        ).join('');
        return { what: 'random characters', json: bytes };
      }
    }
  }

  function fuzzCase(n: number): FuzzCase {
    const roll = random();
    if (roll < 0.55) {
      const { what, json } = invalidBody(n);
      return { what: `signed, ${what}`, family: 'signed-invalid', headers: signedHeaders(json), body: json };
    }
    const raw = JSON.stringify(validBody(n));
    if (roll < 0.85) {
      // A valid body with something wrong in the station headers: never accepted.
      const headers: Record<string, string> = signedHeaders(raw);
      const now = Date.now();
      const variant = Math.floor(random() * 12);
      const edits: [string, (h: Record<string, string>) => void][] = [
        ['no X-Station-Code', (h) => delete h['x-station-code']],
        ['no X-Timestamp', (h) => delete h['x-timestamp']],
        ['no X-Signature', (h) => delete h['x-signature']],
        [
          'unknown station',
          (h) =>
            (h['x-station-code'] = pick([
              'S999-K00',
              's308-k12',
              '',
              'S308-K12\u00e9',
              'x'.repeat(300),
              '; DROP TABLE stations',
            ])),
        ],
        ['signature upper-case', (h) => (h['x-signature'] = h['x-signature']!.toUpperCase())],
        ['signature truncated', (h) => (h['x-signature'] = h['x-signature']!.slice(0, 63))],
        [
          'signature garbled',
          (h) => (h['x-signature'] = pick(['zz', 'sha256=abc', 'x'.repeat(64), '0'.repeat(64)])),
        ],
        [
          'signed with another secret',
          (h) => (h['x-signature'] = sign('another secret', h['x-timestamp']!, raw)),
        ],
        [
          'timestamp out of the window',
          (h) => {
            const ts = String(now + pick([-1, 1]) * (301_000 + Math.floor(random() * 1e9)));
            Object.assign(h, { 'x-timestamp': ts, 'x-signature': sign(station.secret, ts, raw) });
          },
        ],
        [
          'timestamp malformed',
          (h) => {
            const ts = pick(['', 'now', '1.7e12', '-1', String(now / 1000), '0x1', `${now}0000000000`]);
            Object.assign(h, { 'x-timestamp': ts, 'x-signature': sign(station.secret, ts, raw) });
          },
        ],
        [
          'signature of the timestamp only',
          (h) => (h['x-signature'] = sign(station.secret, h['x-timestamp']!, '')),
        ],
        [
          'signature over another body',
          (h) => (h['x-signature'] = sign(station.secret, h['x-timestamp']!, `${raw} `)),
        ],
      ];
      const [what, edit] = edits[variant]!;
      edit(headers);
      return { what, family: 'headers', headers, body: raw };
    }
    if (roll < 0.93) {
      const contentType = pick([
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/xml',
        'application/octet-stream',
      ]);
      return {
        what: `content-type ${contentType}`,
        family: 'media-type',
        headers: { ...signedHeaders(raw), 'content-type': contentType },
        body: raw,
      };
    }
    if (roll < 0.97) {
      const { what, json } = invalidBody(n);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (random() < 0.5) headers['x-station-code'] = station.code;
      return { what: `unsigned, ${what}`, family: 'unsigned', headers, body: json };
    }
    // Over the body limit: refused before anything is read into storage.
    const big = Buffer.alloc(BODY_LIMIT + 1 + Math.floor(random() * BODY_LIMIT), 0x20);
    Buffer.from(raw).copy(big);
    return { what: `body of ${big.length} bytes`, family: 'size', headers: signedHeaders(big), body: big };
  }

  it('answers a valid signed detection with 202 (the fuzzing below starts from bodies like it)', async () => {
    const raw = JSON.stringify(validBody(-1));
    const response = await call(api, 'POST', '/api/v1/detections', {
      rawBody: raw,
      headers: signedHeaders(raw),
    });
    expect(response.status).toBe(202);
  });

  it(`answers ${CASES} malformed requests with a 4xx problem, stores nothing (seed ${SEED})`, async () => {
    const before = await counts();
    const cases = Array.from({ length: CASES }, (_, n) => fuzzCase(n));
    const failures: string[] = [];
    const statuses = new Map<string, Map<number, number>>();
    let next = 0;
    const deadline = Date.now() + 90_000;
    const lane = async () => {
      while (next < cases.length && Date.now() < deadline) {
        const index = next++;
        const c = cases[index]!;
        let status = 0;
        let contentType = '';
        let problem: { status?: number; code?: string } | undefined;
        try {
          const response = await fetch(`${api.url}/api/v1/detections`, {
            method: 'POST',
            headers: c.headers,
            body: c.body,
          });
          status = response.status;
          contentType = response.headers.get('content-type') ?? '';
          const text = await response.text();
          try {
            problem = JSON.parse(text) as typeof problem;
          } catch {
            problem = undefined;
          }
        } catch (error) {
          failures.push(`#${index} ${c.what}: request failed: ${String(error)}`);
          continue;
        }
        const byFamily = statuses.get(c.family) ?? new Map<number, number>();
        byFamily.set(status, (byFamily.get(status) ?? 0) + 1);
        statuses.set(c.family, byFamily);
        const ok =
          status >= 400 &&
          status < 500 &&
          contentType.startsWith('application/problem+json') &&
          problem?.status === status &&
          typeof problem.code === 'string';
        // A validly signed body reaches validation: refused for what it is, not for its signature.
        const reachedValidation = c.family !== 'signed-invalid' || status === 400 || status === 422;
        // Stored or crashed first in the report: those are the worst.
        if (!ok || !reachedValidation)
          failures[status < 400 || status >= 500 ? 'unshift' : 'push'](
            `#${index} ${c.what}: ${status} ${contentType} ${JSON.stringify(problem)?.slice(0, 200)}`,
          );
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, lane));

    const summary = Object.fromEntries([...statuses].map(([family, m]) => [family, Object.fromEntries(m)]));
    console.log(`intake fuzz (seed ${SEED}): statuses by family ${JSON.stringify(summary)}`);
    expect(next).toBe(CASES);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(await counts()).toEqual(before);
    // Every family was exercised, and the signed ones were judged by validation.
    expect(Object.keys(summary).sort()).toEqual([
      'headers',
      'media-type',
      'signed-invalid',
      'size',
      'unsigned',
    ]);
    expect(summary['signed-invalid']?.[400]).toBeGreaterThan(CASES / 3);
  }, 120_000);
});
