import { randomBytes, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { bytesOf, storageOf } from '../support/evidence-storage';
import { ADMIN, startTestApi, tokenFor, type JsonResponse, type TestApi } from '../support/test-app';
import {
  addStationSecret,
  createStation,
  detectionBody,
  evidenceItem,
  sha256Hex,
  signatureHeaders,
  signedPost,
  signedPutEvidence,
  type TestStation,
} from '../support/station-client';

// Each file boots real API processes; on a busy machine that takes longer than jest's default 5 s (the
// project-level testTimeout of jest.config.cjs is a global option that jest ignores inside a project).
jest.setTimeout(90_000);

const expectProblem = (response: JsonResponse, status: number, code?: string) => {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (code) expect(response.body).toMatchObject({ status, code });
};

async function countRows(api: TestApi, detectionId: string) {
  const { rows } = await api.db.query<{
    detections: string;
    outbox: string;
    evidence: string;
    audits: string;
  }>(
    `SELECT (SELECT count(*) FROM detections WHERE station_detection_id = $1) AS detections,
            (SELECT count(*) FROM intake_outbox o JOIN detections d ON d.id = o.detection_id
              WHERE d.station_detection_id = $1) AS outbox,
            (SELECT count(*) FROM evidence_objects e JOIN detections d ON d.id = e.detection_id
              WHERE d.station_detection_id = $1) AS evidence,
            (SELECT count(*) FROM audit_events a JOIN detections d ON a.entity_id = d.id::text
              WHERE d.station_detection_id = $1) AS audits`,
    [detectionId],
  );
  const r = rows[0]!;
  return {
    detections: Number(r.detections),
    outbox: Number(r.outbox),
    evidence: Number(r.evidence),
    audits: Number(r.audits),
  };
}

describe('intake: the station protocol', () => {
  let api: TestApi;
  let adminToken: string;
  let station: TestStation;

  beforeAll(async () => {
    api = await startTestApi('intake', { SECRETS_KEY: randomBytes(32).toString('hex') });
    adminToken = await tokenFor(api, ADMIN.username, ADMIN.password);
    station = await createStation(api, adminToken);
  });
  afterAll(() => api?.close());

  describe('accepting a detection', () => {
    it('answers 202 once the detection, its outbox row and its audit event are in Postgres, and queues screening', async () => {
      const body = detectionBody();
      const response = await signedPost(api, station, body);
      expect(response.status).toBe(202);
      expect(response.body).toEqual({
        receiptId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        detectionId: body['detectionId'],
        status: 'accepted',
      });
      const { rows } = await api.db.query(
        `SELECT d.id, d.plate, d.plate_colour, d.axle_count, d.gross_mass_kg, d.axle_loads_kg, d.status, d.body_digest,
                o.processed_at, a.actor_kind, a.action
           FROM detections d JOIN intake_outbox o ON o.detection_id = d.id
           JOIN audit_events a ON a.entity_id = d.id::text
          WHERE d.station_detection_id = $1`,
        [body['detectionId']],
      );
      expect(rows).toEqual([
        {
          id: response.body.receiptId,
          plate: '湘F12345',
          plate_colour: 'yellow',
          axle_count: 6,
          gross_mass_kg: 58200,
          axle_loads_kg: [7100, 11000, 10000, 10000, 10000, 10100],
          status: 'accepted',
          body_digest: expect.stringMatching(/^[0-9a-f]{64}$/),
          processed_at: null,
          actor_kind: 'station',
          action: 'detection.received',
        },
      ]);
      const queue = new Queue('screening', {
        connection: { url: api.env['REDIS_URL'] },
        prefix: api.env['QUEUE_PREFIX'],
      });
      try {
        const job = await queue.getJob(`screen-${response.body.receiptId}`);
        expect(job?.data).toEqual({ detectionId: response.body.receiptId });
      } finally {
        await queue.close();
      }
    });

    it('shows staff where the detection stands', async () => {
      const body = detectionBody();
      const accepted = await signedPost(api, station, body);
      const response = await fetch(`${api.url}/api/v1/detections/${station.code}/${body['detectionId']}`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        receiptId: accepted.body.receiptId,
        status: expect.stringMatching(/^(accepted|screened)$/),
        reasons: expect.any(Array),
      });
      const anonymous = await fetch(`${api.url}/api/v1/detections/${station.code}/${body['detectionId']}`);
      expect(anonymous.status).toBe(401);
      const unknown = await fetch(`${api.url}/api/v1/detections/${station.code}/no-such-detection`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      expect(unknown.status).toBe(404);
    });
  });

  describe('signature', () => {
    it('refuses a wrong secret, a tampered body, a timestamp 6 minutes off and an unknown station with 401', async () => {
      const body = detectionBody();
      const raw = JSON.stringify(body);
      expectProblem(
        await signedPost(api, station, body, { secret: 'not-the-secret' }),
        401,
        'invalid_signature',
      );
      const signed = signatureHeaders(station, raw);
      const tampered = await fetch(`${api.url}/api/v1/detections`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signed },
        body: raw.replace('58200', '48200'),
      });
      expect(tampered.status).toBe(401);
      expectProblem(
        await signedPost(api, station, body, { timestamp: Date.now() - 6 * 60_000 }),
        401,
        'timestamp_out_of_window',
      );
      expectProblem(
        await signedPost(api, station, body, { timestamp: Date.now() + 6 * 60_000 }),
        401,
        'timestamp_out_of_window',
      );
      expectProblem(
        await signedPost(api, { code: 'NO-SUCH', secret: station.secret }, body),
        401,
        'invalid_signature',
      );
      const unsigned = await fetch(`${api.url}/api/v1/detections`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: raw,
      });
      expect(unsigned.status).toBe(401);
      expect((await countRows(api, body['detectionId'] as string)).detections).toBe(0);
    });

    it('accepts the new and the old secret during a rotation overlap, and not a retired one', async () => {
      const rotated = await createStation(api, adminToken);
      const { rows } = await api.db.query<{ id: string }>('SELECT id FROM stations WHERE code = $1', [
        rotated.code,
      ]);
      const ref = { id: rows[0]!.id, code: rotated.code };
      // Rotation through the registry API where it exists; otherwise the second secret is stored directly.
      const rotation = await fetch(`${api.url}/api/v1/stations/${rotated.code}/secret-rotations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}` },
      });
      let newSecret = 'the-new-secret-of-the-station';
      if (rotation.status === 404) {
        await addStationSecret(api, ref, newSecret, new Date(Date.now() - 1000));
      } else {
        expect(rotation.status).toBeLessThan(300);
        newSecret = ((await rotation.json()) as { secret: string }).secret;
      }
      await addStationSecret(
        api,
        ref,
        'a-retired-secret',
        new Date(Date.now() - 86_400_000),
        new Date(Date.now() - 60_000),
      );
      expect((await signedPost(api, rotated, detectionBody(), { secret: newSecret })).status).toBe(202);
      expect((await signedPost(api, rotated, detectionBody())).status).toBe(202);
      expectProblem(await signedPost(api, rotated, detectionBody(), { secret: 'a-retired-secret' }), 401);
    });
  });

  describe('idempotency', () => {
    it('answers a repeat with the same receipt (200), a different body under the same id with 409', async () => {
      const body = detectionBody();
      const first = await signedPost(api, station, body);
      expect(first.status).toBe(202);
      // Same content, other key order and whitespace: the same detection.
      const reordered = JSON.stringify(Object.fromEntries(Object.entries(body).reverse()), null, 2);
      const again = await signedPost(api, station, reordered);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({
        receiptId: first.body.receiptId,
        detectionId: body['detectionId'],
        status: 'duplicate',
      });
      const changed = await signedPost(api, station, { ...body, lane: 3 });
      expectProblem(changed, 409, 'detection_conflict');
      expect(await countRows(api, body['detectionId'] as string)).toMatchObject({
        detections: 1,
        outbox: 1,
        audits: 1,
      });
    });

    it('keeps each of many detections arriving at once with its own evidence, outbox row and audit event', async () => {
      const bodies = Array.from({ length: 12 }, (_, i) =>
        detectionBody({
          evidence: [evidenceItem('plate_front', Buffer.from(`front photo ${i} ${randomUUID()}`))],
        }),
      );
      const responses = await Promise.all(bodies.map((body) => signedPost(api, station, body)));
      expect(responses.map((r) => r.status)).toEqual(bodies.map(() => 202));
      for (const [i, body] of bodies.entries()) {
        const detectionId = body['detectionId'] as string;
        expect(await countRows(api, detectionId)).toEqual({
          detections: 1,
          outbox: 1,
          evidence: 1,
          audits: 1,
        });
        const { rows } = await api.db.query(
          `SELECT d.id::text AS id, e.sha256, a.payload->>'detectionId' AS audited
             FROM detections d JOIN evidence_objects e ON e.detection_id = d.id
             JOIN audit_events a ON a.entity_id = d.id::text AND a.action = 'detection.received'
            WHERE d.station_detection_id = $1`,
          [detectionId],
        );
        expect(rows).toEqual([
          {
            id: responses[i]!.body.receiptId,
            sha256: (body['evidence'] as { sha256: string }[])[0]!.sha256,
            audited: detectionId,
          },
        ]);
      }
    });

    it('stores one detection when the same one arrives many times at once', async () => {
      const body = detectionBody();
      const responses = await Promise.all(Array.from({ length: 8 }, () => signedPost(api, station, body)));
      expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 202]);
      expect(new Set(responses.map((r) => r.body.receiptId)).size).toBe(1);
      // Concurrent requests share insert statements: the copies in one statement insert nothing either.
      expect(await countRows(api, body['detectionId'] as string)).toMatchObject({
        detections: 1,
        outbox: 1,
        audits: 1,
      });
    });
  });

  describe('validation', () => {
    it.each([
      ['a detectionId with a space', { detectionId: 'a b' }, 'body.detectionId'],
      ['an unknown plate colour', { plate: { number: '湘F12345', color: 'red' } }, 'body.plate.color'],
      [
        'axle loads not matching the axle count',
        { weighing: { grossKg: 58200, axleLoadsKg: [7100, 11000], speedKmh: 58.2 } },
        'body.weighing.axleLoadsKg',
      ],
      ['a time without offset', { detectedAt: '2024-11-05T08:31:12' }, 'body.detectedAt'],
      ['a time in year 0', { detectedAt: '0000-01-01T00:00:00Z' }, 'body.detectedAt'],
      [
        'a time in the future',
        { detectedAt: new Date(Date.now() + 3_600_000).toISOString() },
        'body.detectedAt',
      ],
      ['a NUL in the plate', { plate: { number: '湘F\u000012345', color: 'yellow' } }, 'body.plate.number'],
      [
        'half a surrogate pair in the plate',
        { plate: { number: '湘F\ud800', color: 'yellow' } },
        'body.plate.number',
      ],
      ['an unknown field', { extra: true }, 'body'],
      [
        'an unknown evidence kind',
        { evidence: [{ ...evidenceItem('plate_front', Buffer.from('x')), kind: 'selfie' }] },
        'body.evidence.0.kind',
      ],
    ])('refuses %s with 400 and the path', async (_name, overrides, path) => {
      const body = detectionBody(overrides);
      const response = await signedPost(api, station, body);
      expectProblem(response, 400, 'validation_failed');
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    });

    it('refuses malformed JSON with 400', async () => {
      expectProblem(await signedPost(api, station, '{"detectionId":'), 400, 'malformed_json');
    });
  });

  describe('evidence', () => {
    it('stores inline evidence in the bucket under its sha256, with the exact bytes', async () => {
      const front = randomBytes(40_000);
      const rear = randomBytes(30_000);
      const side = randomBytes(50_000);
      const body = detectionBody({
        evidence: [
          evidenceItem('plate_front', front),
          evidenceItem('plate_rear', rear),
          evidenceItem('side', side),
        ],
      });
      const response = await signedPost(api, station, body);
      expect(response.status).toBe(202);
      const { rows } = await api.db.query(
        `SELECT e.kind, e.key, e.sha256, e.size_bytes, e.content_type, e.bucket FROM evidence_objects e
          WHERE e.detection_id = $1 ORDER BY e.kind`,
        [response.body.receiptId],
      );
      expect(rows).toEqual(
        [
          ['plate_front', front],
          ['plate_rear', rear],
          ['side', side],
        ].map(([kind, bytes]) => ({
          kind,
          key: `evidence/${sha256Hex(bytes as Buffer).slice(0, 2)}/${sha256Hex(bytes as Buffer)}`,
          sha256: sha256Hex(bytes as Buffer),
          size_bytes: String((bytes as Buffer).length),
          content_type: 'image/jpeg',
          bucket: api.env['EVIDENCE_BUCKET'],
        })),
      );
      for (const [bytes] of [[front], [rear], [side]]) {
        expect(
          (await bytesOf(api, `evidence/${sha256Hex(bytes!).slice(0, 2)}/${sha256Hex(bytes!)}`)).equals(
            bytes!,
          ),
        ).toBe(true);
      }
      // The same image as evidence of another detection: the object is shared, not rewritten.
      const other = await signedPost(
        api,
        station,
        detectionBody({ evidence: [evidenceItem('plate_front', front)] }),
      );
      expect(other.status).toBe(202);
    });

    it('rejects the whole detection when one item does not match its sha256: nothing in the DB nor in the bucket', async () => {
      const good = randomBytes(20_000);
      const bad = randomBytes(20_000);
      const body = detectionBody({
        evidence: [
          evidenceItem('plate_front', good),
          { ...evidenceItem('plate_rear', bad), sha256: sha256Hex(randomBytes(8)) },
        ],
      });
      const response = await signedPost(api, station, body);
      expectProblem(response, 400, 'evidence_digest_mismatch');
      expect(response.body.errors).toEqual([expect.objectContaining({ path: 'body.evidence.1.sha256' })]);
      expect(await countRows(api, body['detectionId'] as string)).toEqual({
        detections: 0,
        outbox: 0,
        evidence: 0,
        audits: 0,
      });
      const storage = storageOf(api);
      for (const bytes of [good, bad]) {
        expect(await storage.stat(`evidence/${sha256Hex(bytes).slice(0, 2)}/${sha256Hex(bytes)}`)).toBeNull();
      }
    });
  });

  /**
   * The API decodes inline images straight from the body's bytes (inline-evidence.ts) and parses the whole body
   * only when that does not apply: these bodies get exactly what the whole-body parse always gave them.
   */
  describe('inline evidence read from the bytes', () => {
    const objectOf = (bytes: Buffer) => `evidence/${sha256Hex(bytes).slice(0, 2)}/${sha256Hex(bytes)}`;
    const nothingStored = async (detectionId: string, images: Buffer[]) => {
      expect(await countRows(api, detectionId)).toEqual({ detections: 0, outbox: 0, evidence: 0, audits: 0 });
      for (const bytes of images) expect(await storageOf(api).stat(objectOf(bytes))).toBeNull();
    };
    const storedBytes = async (receiptId: string) =>
      (
        await api.db.query<{ kind: string; sha256: string; size_bytes: string }>(
          `SELECT kind, sha256, size_bytes FROM evidence_objects WHERE detection_id = $1 ORDER BY kind`,
          [receiptId],
        )
      ).rows;

    it.each([
      ['truncated base64', (data: string) => data.slice(0, -1)],
      ['base64 missing its padding', (data: string) => data.replace(/=+$/, '')],
      ['URL-alphabet base64', (data: string) => data.replace(/\//g, '_').replace(/\+/g, '-')],
      ['a line break in the base64', (data: string) => `${data.slice(0, 76)}\n${data.slice(76)}`],
    ])('refuses %s with the schema’s error, naming the item; nothing stored', async (_name, spoil) => {
      const good = randomBytes(30_000);
      const bad = Buffer.concat([Buffer.from([0xfb, 0xff]), randomBytes(20_000)]); // '+' and '/' in its base64
      const body = detectionBody({
        lane: 99,
        evidence: [evidenceItem('plate_front', good), evidenceItem('side', bad)],
      });
      const evidence = body['evidence'] as { data: string }[];
      evidence[1]!.data = spoil(evidence[1]!.data);
      const response = await signedPost(api, station, body);
      expectProblem(response, 400, 'validation_failed');
      expect(response.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: 'body.lane' }),
          expect.objectContaining({
            path: 'body.evidence.1.data',
            message: 'base64 (standard alphabet, padded)',
          }),
        ]),
      );
      await nothingStored(body['detectionId'] as string, [good, bad]);
    });

    it.each([
      ['a number', 12345678],
      ['null', null],
      ['an object', { data: 'AAAA' }],
      ['an array', ['AAAA']],
    ])('refuses %s as an image’s data with 400 and the path; nothing stored', async (_name, data) => {
      const good = randomBytes(30_000);
      const body = detectionBody({
        evidence: [evidenceItem('plate_front', good), { ...evidenceItem('side', randomBytes(10)), data }],
      });
      const response = await signedPost(api, station, body);
      expectProblem(response, 400, 'validation_failed');
      const errors = response.body.errors as { path: string }[];
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.map((e) => e.path)).toEqual(errors.map(() => 'body.evidence.1.data'));
      await nothingStored(body['detectionId'] as string, [good]);
    });

    it('reads escaped characters as JSON does: an escaped slash in the data, an escaped key, a plate in \\u escapes', async () => {
      const image = Buffer.concat([Buffer.from([0xff, 0xff, 0xff]), randomBytes(20_000)]); // '/' in its base64
      const body = detectionBody({ evidence: [evidenceItem('plate_front', image)] });
      const raw = JSON.stringify(body)
        .replace(/"data":"([^"]*)"/, (_m, data: string) => `"d\\u0061ta":"${data.replace(/\//g, '\\/')}"`)
        .replace('湘', '\\u6e58');
      expect(raw).toContain('\\/');
      const response = await signedPost(api, station, raw);
      expect(response.status).toBe(202);
      expect(await storedBytes(response.body.receiptId)).toEqual([
        { kind: 'plate_front', sha256: sha256Hex(image), size_bytes: String(image.length) },
      ]);
      expect((await bytesOf(api, objectOf(image))).equals(image)).toBe(true);
      const { rows } = await api.db.query<{ plate: string }>(`SELECT plate FROM detections WHERE id = $1`, [
        response.body.receiptId,
      ]);
      expect(rows[0]!.plate).toBe((body['plate'] as { number: string }).number);
    });

    it('takes the last of duplicate keys, as JSON.parse does: the other image is neither checked nor stored', async () => {
      const first = randomBytes(20_000);
      const last = randomBytes(25_000);
      const body = detectionBody({ evidence: [evidenceItem('plate_front', last)] });
      const lastData = (body['evidence'] as { data: string }[])[0]!.data;
      const raw = JSON.stringify(body).replace(
        `"data":"${lastData}"`,
        `"data":"${first.toString('base64')}","data":"${lastData}"`,
      );
      const response = await signedPost(api, station, raw);
      expect(response.status).toBe(202);
      expect(await storedBytes(response.body.receiptId)).toEqual([
        { kind: 'plate_front', sha256: sha256Hex(last), size_bytes: String(last.length) },
      ]);
      expect(await storageOf(api).stat(objectOf(first))).toBeNull();
      // A second evidence key: the last array is the evidence, the first one's image is not stored.
      const other = detectionBody({ evidence: [evidenceItem('side', last)] });
      const shadowed = randomBytes(15_000);
      const twice = JSON.stringify(other).replace(
        '"evidence":',
        `"evidence":[${JSON.stringify(evidenceItem('plate_rear', shadowed))}],"evidence":`,
      );
      const second = await signedPost(api, station, twice);
      expect(second.status).toBe(202);
      expect((await storedBytes(second.body.receiptId)).map((e) => e.kind)).toEqual(['side']);
      expect(await storageOf(api).stat(objectOf(shadowed))).toBeNull();
    });

    it('stores a huge image exactly, and refuses one whose digest does not match with nothing stored', async () => {
      const huge = randomBytes(3 * 1024 * 1024 + 1);
      const accepted = await signedPost(
        api,
        station,
        detectionBody({ evidence: [evidenceItem('side', huge)] }),
      );
      expect(accepted.status).toBe(202);
      expect((await bytesOf(api, objectOf(huge))).equals(huge)).toBe(true);

      const other = randomBytes(3 * 1024 * 1024 + 2);
      const body = detectionBody({
        evidence: [{ ...evidenceItem('side', other), sha256: sha256Hex(randomBytes(8)) }],
      });
      const refused = await signedPost(api, station, body);
      expectProblem(refused, 400, 'evidence_digest_mismatch');
      expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'body.evidence.0.sha256' })]);
      await nothingStored(body['detectionId'] as string, [other]);
    });

    it('refuses JSON broken outside the images as malformed, and a prototype key as before; nothing stored', async () => {
      const image = randomBytes(20_000);
      const body = detectionBody({ evidence: [evidenceItem('side', image)] });
      const raw = JSON.stringify(body);
      expectProblem(
        await signedPost(api, station, raw.replace('"lane":', '"lane":,')),
        400,
        'malformed_json',
      );
      const poisoned = await signedPost(api, station, raw.replace('"lane":', '"__proto__":{"x":1},"lane":'));
      const whole = await signedPost(
        api,
        station,
        JSON.stringify({ ...body, evidence: [] }).replace('"lane":', '"__proto__":{"x":1},"lane":'),
      );
      expect([poisoned.status, poisoned.body.code]).toEqual([whole.status, whole.body.code]);
      expect(poisoned.status).toBe(400);
      await nothingStored(body['detectionId'] as string, [image]);
    });
  });

  describe('streamed evidence upload', () => {
    it('streams a video to the bucket, idempotent for the same bytes, 409 for others, 400 on a wrong digest', async () => {
      const body = detectionBody();
      const accepted = await signedPost(api, station, body);
      expect(accepted.status).toBe(202);
      const id = body['detectionId'] as string;
      const video = randomBytes(3 * 1024 * 1024 + 17);

      const stored = await signedPutEvidence(api, station, id, 'video', video);
      expect(stored.status).toBe(201);
      expect(stored.body).toEqual({
        detectionId: id,
        kind: 'video',
        sha256: sha256Hex(video),
        sizeBytes: video.length,
        status: 'stored',
      });
      expect(
        (await bytesOf(api, `evidence/${sha256Hex(video).slice(0, 2)}/${sha256Hex(video)}`)).equals(video),
      ).toBe(true);

      const again = await signedPutEvidence(api, station, id, 'video', video);
      expect(again.status).toBe(200);
      expect(again.body.status).toBe('duplicate');

      const otherVideo = randomBytes(100_000);
      expectProblem(await signedPutEvidence(api, station, id, 'video', otherVideo), 409, 'evidence_conflict');

      const side = randomBytes(200_000);
      expectProblem(
        await signedPutEvidence(api, station, id, 'side', side, {
          sha256: sha256Hex(randomBytes(4)),
          contentType: 'image/jpeg',
        }),
        400,
        'evidence_digest_mismatch',
      );
      expect(
        await storageOf(api).stat(`evidence/${sha256Hex(side).slice(0, 2)}/${sha256Hex(side)}`),
      ).toBeNull();
      expectProblem(
        await signedPutEvidence(api, station, id, 'side', side, {
          secret: 'wrong',
          contentType: 'image/jpeg',
        }),
        401,
      );
      expect(
        await storageOf(api).stat(`evidence/${sha256Hex(side).slice(0, 2)}/${sha256Hex(side)}`),
      ).toBeNull();

      const { rows } = await api.db.query(
        `SELECT e.kind, e.sha256 FROM evidence_objects e JOIN detections d ON d.id = e.detection_id
          WHERE d.station_detection_id = $1`,
        [id],
      );
      expect(rows).toEqual([{ kind: 'video', sha256: sha256Hex(video) }]);
      const { rows: audits } = await api.db.query(
        `SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY id`,
        [accepted.body.receiptId],
      );
      expect(audits.map((a) => a.action)).toEqual(['detection.received', 'detection.evidence_received']);
    });

    it('refuses evidence of an unknown detection (404) and of another station (403)', async () => {
      expectProblem(
        await signedPutEvidence(api, station, `missing-${randomUUID()}`, 'video', randomBytes(10)),
        404,
      );
      const other = await createStation(api, adminToken);
      const body = detectionBody();
      expect((await signedPost(api, other, body)).status).toBe(202);
      expectProblem(
        await signedPutEvidence(api, station, body['detectionId'] as string, 'video', randomBytes(10), {
          stationCode: other.code,
        }),
        403,
        'station_mismatch',
      );
    });
  });
});

describe('intake: size and rate limits', () => {
  let api: TestApi;
  let adminToken: string;

  beforeAll(async () => {
    api = await startTestApi('intakelimits', {
      BODY_LIMIT_BYTES: String(64 * 1024),
      INTAKE_RATE_LIMIT_PER_SECOND: '1',
      INTAKE_RATE_LIMIT_BURST: '3',
    });
    adminToken = await tokenFor(api, ADMIN.username, ADMIN.password);
  });
  afterAll(() => api?.close());

  it('refuses a body over the limit with 413 and stores nothing', async () => {
    const station = await createStation(api, adminToken);
    const body = detectionBody({ evidence: [evidenceItem('plate_front', randomBytes(80 * 1024))] });
    expectProblem(await signedPost(api, station, body), 413, 'payload_too_large');
    expect((await countRows(api, body['detectionId'] as string)).detections).toBe(0);
  });

  it('answers 429 with Retry-After once a station exceeds its rate, without affecting other stations', async () => {
    const busy = await createStation(api, adminToken);
    const calm = await createStation(api, adminToken);
    const statuses: number[] = [];
    let limited: JsonResponse | undefined;
    for (let i = 0; i < 8; i++) {
      const response = await signedPost(api, busy, detectionBody());
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(statuses.filter((s) => s === 202).length).toBeGreaterThanOrEqual(3);
    expect(limited).toBeDefined();
    expectProblem(limited!, 429, 'rate_limited');
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await signedPost(api, calm, detectionBody())).status).toBe(202);
  });

  it('counts requests arriving at once exactly (their takes share a round trip), per station', async () => {
    const busy = await createStation(api, adminToken);
    const calm = await createStation(api, adminToken);
    const responses = await Promise.all([
      ...Array.from({ length: 12 }, () => signedPost(api, busy, detectionBody())),
      ...Array.from({ length: 3 }, () => signedPost(api, calm, detectionBody())),
    ]);
    const busyStatuses = responses.slice(0, 12).map((r) => r.status);
    // A burst of 3 (plus at most one token refilled at 1/s while the requests are answered), the rest 429.
    const accepted = busyStatuses.filter((s) => s === 202).length;
    expect(accepted).toBeGreaterThanOrEqual(3);
    expect(accepted).toBeLessThanOrEqual(4);
    expect(busyStatuses.filter((s) => s === 429).length).toBe(12 - accepted);
    expect(responses.slice(12).map((r) => r.status)).toEqual([202, 202, 202]);
  });
});
