import { createHash, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Client as Minio } from 'minio';
import { JOBS } from '@ecc/shared-queues';
import { createStation, detectionBody, evidenceItem, signedPost } from '../support/station-client';
import {
  ADMIN,
  call,
  startTestStack,
  tokenFor,
  type JsonResponse,
  type TestStack,
} from '../support/test-app';

/**
 * Screening end to end: the real API and the real worker processes over one database, Redis prefix and
 * bucket. Detections are written the way intake writes them (detection, evidence, outbox row in Postgres,
 * then a job in the queue), so these tests hold whichever way a detection arrives.
 */

const officer = {
  username: 'zhang.wei',
  password: 'officer-password-1',
  displayName: '张伟',
  roles: ['officer'],
  enforcementCertificateNo: 'HN-0431-0101',
};

const JOB = JOBS.screenDetection;
const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

interface DetectionSpec {
  station?: 'main' | 'other';
  plate?: string;
  colour?: string;
  detectedAt?: string;
  axleCount?: number;
  combination?: boolean;
  grossKg: number;
  axleLoadsKg?: number[];
  /** Outbox row's enqueuedAt relative to now, in ms (negative: in the past). */
  enqueuedOffsetMs?: number;
  enqueue?: boolean;
}

describe('screening: outbox → queue → worker → lead', () => {
  let stack: TestStack;
  let adminToken: string;
  let officerToken: string;
  let queue: Queue;
  let redis: Redis;
  let minio: Minio;
  const stations: Record<'main' | 'other', { id: string; code: string; deviceId: string }> = {} as never;
  let seq = 0;

  const db = () => stack.api.db;
  const prefix = () => stack.api.env['QUEUE_PREFIX']!;

  async function insertStation(code: string): Promise<{ id: string; code: string; deviceId: string }> {
    const station = await db().query<{ id: string }>(
      `INSERT INTO stations (id, code, name, road, stake, updated_at)
       VALUES (gen_random_uuid(), $1, $2, 'S308', 'K12+300', now()) RETURNING id`,
      [code, `${code} 超限检测点`],
    );
    const id = station.rows[0]!.id;
    const device = await db().query<{ id: string }>(
      `INSERT INTO devices (id, station_id, code, kind, accuracy_class, legal_review_date, technical_review_date,
         published_date, updated_at)
       VALUES (gen_random_uuid(), $1, 'WIM-01', 'wim', '5', '2024-01-10', '2024-01-12', '2024-01-15', now())
       RETURNING id`,
      [id],
    );
    const deviceId = device.rows[0]!.id;
    await db().query(
      `INSERT INTO calibration_certificates (id, device_id, certificate_no, issuer, valid_from, valid_to)
       VALUES (gen_random_uuid(), $1, $2, '湖南省计量检测研究院', '2024-01-01', '2025-12-31')`,
      [deviceId, `JD-${code}`],
    );
    return { id, code, deviceId };
  }

  /** A detection as intake stores it, with its three required photos in the bucket and its outbox row. */
  async function insertDetection(spec: DetectionSpec): Promise<string> {
    const station = stations[spec.station ?? 'main'];
    const axleCount = spec.axleCount ?? 6;
    const loads =
      spec.axleLoadsKg ??
      Array.from({ length: axleCount }, (_, i) =>
        i === 0
          ? spec.grossKg - Math.floor(spec.grossKg / axleCount) * (axleCount - 1)
          : Math.floor(spec.grossKg / axleCount),
      );
    const stationDetectionId = `${station.code}-${Date.now()}-${++seq}`;
    const raw = {
      detectionId: stationDetectionId,
      deviceCode: 'WIM-01',
      detectedAt: spec.detectedAt ?? '2024-11-05T08:31:12+08:00',
      plate: { number: spec.plate ?? '湘F12345', color: spec.colour ?? 'yellow' },
      vehicle: {
        axleCount,
        combination: spec.combination ?? axleCount >= 5,
        singleDriveAxle: false,
        singleTyreAxles: 0,
      },
    };
    const { rows } = await db().query<{ id: string }>(
      `INSERT INTO detections (id, station_id, device_id, station_detection_id, body_digest, plate, plate_colour,
         detected_at, axle_count, gross_mass_kg, axle_loads_kg, length_mm, width_mm, height_mm, lane_no, raw)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 16500, 2550, 3950, 2, $11)
       RETURNING id`,
      [
        station.id,
        station.deviceId,
        stationDetectionId,
        sha(stationDetectionId),
        raw.plate.number,
        raw.plate.color,
        new Date(raw.detectedAt),
        axleCount,
        spec.grossKg,
        loads,
        JSON.stringify(raw),
      ],
    );
    const id = rows[0]!.id;
    for (const kind of ['plate_front', 'plate_rear', 'side']) {
      const bytes = Buffer.from(`JPEG ${kind} of ${stationDetectionId}`);
      const digest = sha(bytes);
      const key = `evidence/${digest.slice(0, 2)}/${digest}`;
      await minio.putObject(stack.api.env['EVIDENCE_BUCKET']!, key, bytes, bytes.length, {
        'Content-Type': 'image/jpeg',
      });
      await db().query(
        `INSERT INTO evidence_objects (id, bucket, key, sha256, size_bytes, content_type, kind, integrity_status, detection_id)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, 'image/jpeg', $5, 'intact', $6)`,
        [stack.api.env['EVIDENCE_BUCKET'], key, digest, bytes.length, kind, id],
      );
    }
    await db().query(
      `INSERT INTO intake_outbox (id, detection_id, enqueued_at) VALUES (gen_random_uuid(), $1, now() + $2 * interval '1 millisecond')`,
      [id, spec.enqueuedOffsetMs ?? 0],
    );
    if (spec.enqueue ?? true) await enqueue([id]);
    return id;
  }

  /** What the producer does: the declared job id, attempts and backoff. */
  async function enqueue(ids: string[], options: { delay?: number } = {}): Promise<void> {
    await queue.addBulk(
      ids.map((detectionId) => ({
        name: JOB.name,
        data: { detectionId },
        opts: { jobId: JOB.jobId({ detectionId }), attempts: JOB.attempts, backoff: JOB.backoff, ...options },
      })),
    );
  }

  async function eventually<T>(
    what: string,
    probe: () => Promise<T | undefined | null | false>,
    timeoutMs = 30_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) {
        throw new Error(
          `${what} did not happen within ${timeoutMs} ms\n${stack.worker.output().slice(-4000)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function detection(id: string) {
    const { rows } = await db().query(
      `SELECT d.status, d.outcome, d.reasons, d.rules, d.screened_at, d.duplicate_of_id, ld.lead_id, o.processed_at
       FROM detections d LEFT JOIN lead_detections ld ON ld.detection_id = d.id
       LEFT JOIN intake_outbox o ON o.detection_id = d.id WHERE d.id = $1`,
      [id],
    );
    return rows[0];
  }

  /** One after the other: the test's pg client runs one query at a time. */
  async function allScreened(ids: string[]) {
    const rows = [];
    for (const id of ids) rows.push(await screened(id));
    return rows;
  }

  const screened = (id: string) =>
    eventually(`screening of ${id}`, async () => {
      const row = await detection(id);
      return row?.status === 'screened' ? row : null;
    });

  async function count(sql: string, params: unknown[] = []): Promise<number> {
    const { rows } = await db().query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) AS q`, params);
    return rows[0]!.n;
  }

  beforeAll(async () => {
    stack = await startTestStack('screening', {
      OUTBOX_SWEEP_INTERVAL_MS: '250',
      OUTBOX_STALE_AFTER_MS: '1000',
      SCREENING_CONCURRENCY: '8',
      EVIDENCE_URL_TTL_SECONDS: '120',
    });
    const env = stack.api.env;
    redis = new Redis(env['REDIS_URL']!, { maxRetriesPerRequest: null });
    queue = new Queue(JOB.queue, { connection: redis, prefix: env['QUEUE_PREFIX'] });
    const endpoint = new URL(env['S3_ENDPOINT']!);
    minio = new Minio({
      endPoint: endpoint.hostname,
      port: Number(endpoint.port),
      useSSL: false,
      accessKey: 'S3RVER',
      secretKey: 'S3RVER',
      region: 'us-east-1',
    });
    adminToken = await tokenFor(stack.api, ADMIN.username, ADMIN.password);
    expect(
      (await call(stack.api, 'POST', '/api/v1/users', { token: adminToken, body: officer })).status,
    ).toBe(201);
    officerToken = await tokenFor(stack.api, officer.username, officer.password);
    stations.main = await insertStation('S308-K12');
    stations.other = await insertStation('G207-K88');
    // The registry knows 湘F12345 and its owner; other plates are unknown to it.
    const party = await db().query<{ id: string }>(
      `INSERT INTO parties (id, kind, name, phone, updated_at) VALUES (gen_random_uuid(), 'organisation', '汨罗市某砂石运输有限公司', '13800000000', now()) RETURNING id`,
    );
    await db().query(
      `INSERT INTO vehicles (id, plate, plate_colour, owner_party_id, axle_count, updated_at)
       VALUES (gen_random_uuid(), '湘F12345', 'yellow', $1, 6, now())`,
      [party.rows[0]!.id],
    );
    // A policy version of the past (10-20 November 2024): a part tonne counts for the fine.
    await db().query(
      `INSERT INTO policies (id, key, value, valid_from, valid_to)
       VALUES (gen_random_uuid(), 'screening', $1, '2024-11-10T00:00:00+08:00', '2024-11-20T00:00:00+08:00')`,
      [JSON.stringify({ fractionRule: 'ceil' })],
    );
    await db().query(
      `INSERT INTO oversize_permits (id, permit_no, plate, valid_from, valid_to, max_gross_mass_kg)
       VALUES (gen_random_uuid(), '湘大件〔2024〕0099', '湘A99999', '2024-11-01', '2024-11-30', 60000)`,
    );
  }, 120_000);

  afterAll(async () => {
    await queue?.close();
    redis?.disconnect();
    await stack?.close();
  });

  describe('the worker screens each detection once', () => {
    let leadDetectionId: string;
    let leadId: string;

    it('makes a lead of a 6-axle combination at 58,200 kg: limit 49,000, tolerance 2,910, excess 6,290, fine 3,000 yuan', async () => {
      leadDetectionId = await insertDetection({
        grossKg: 58_200,
        axleLoadsKg: [7100, 11000, 10000, 10000, 10000, 10100],
      });
      const row = await screened(leadDetectionId);
      expect(row.outcome).toBe('lead');
      expect(row.processed_at).not.toBeNull();
      expect(row.rules.map((r: { rule: string }) => r.rule)).toEqual(
        expect.arrayContaining(['device.calibration', 'gross.excess']),
      );
      leadId = row.lead_id;
      const { rows } = await db().query('SELECT * FROM leads WHERE id = $1', [leadId]);
      expect(rows[0]).toMatchObject({
        status: 'pending_review',
        plate: '湘F12345',
        axle_count: 6,
        gross_mass_kg: 58_200,
        limit_kg: 49_000,
        tolerance_kg: 2_910,
        excess_kg: 6_290,
        proposed_penalty_kind: 'fine',
        proposed_amount: '3000.00',
        owner_unknown: false,
      });
      expect(rows[0].vehicle_id).not.toBeNull();
      const audit = await db().query(
        `SELECT action, actor_kind FROM audit_events WHERE entity_id IN ($1, $2) ORDER BY id`,
        [leadDetectionId, leadId],
      );
      expect(audit.rows).toEqual([
        { action: 'lead.created', actor_kind: 'system' },
        { action: 'detection.screened', actor_kind: 'system' },
      ]);
    });

    it('finds no violation under the limit, and a permit excuses the weight (reason permit)', async () => {
      const under = await insertDetection({ plate: '湘F54321', axleCount: 5, grossKg: 40_000 });
      const permitted = await insertDetection({ plate: '湘A99999', grossKg: 55_000 });
      const [u, p] = await allScreened([under, permitted]);
      expect(u).toMatchObject({ outcome: 'no_violation', lead_id: null });
      expect(u.reasons.map((r: { code: string }) => r.code)).toEqual(['within_limit']);
      expect(p).toMatchObject({ outcome: 'no_violation', lead_id: null });
      expect(p.reasons.map((r: { code: string }) => r.code)).toEqual(['permit']);
      expect(await count(`SELECT 1 FROM leads WHERE plate IN ('湘F54321', '湘A99999')`)).toBe(0);
    });

    it('marks a record invalid when evidence is missing (Art. 41 / policy), with the reason', async () => {
      const id = await insertDetection({ plate: '湘F00001', grossKg: 60_000, enqueue: false });
      await db().query(`DELETE FROM evidence_objects WHERE detection_id = $1 AND kind = 'side'`, [id]);
      await enqueue([id]);
      const row = await screened(id);
      expect(row.outcome).toBe('invalid');
      expect(row.reasons.map((r: { code: string }) => r.code)).toEqual(['evidence_missing']);
    });

    it('joins a second detection of the same plate at the same station within 10 minutes to the lead', async () => {
      const second = await insertDetection({ grossKg: 57_000, detectedAt: '2024-11-05T08:36:40+08:00' });
      const row = await screened(second);
      expect(row).toMatchObject({ outcome: 'lead', lead_id: leadId, duplicate_of_id: leadDetectionId });
      expect(await count(`SELECT 1 FROM leads WHERE plate = '湘F12345'`)).toBe(1);
      // At another station, or outside the window, it is another trip.
      const later = await insertDetection({ grossKg: 57_000, detectedAt: '2024-11-05T08:52:00+08:00' });
      const elsewhere = await insertDetection({
        station: 'other',
        grossKg: 57_000,
        detectedAt: '2024-11-05T08:40:00+08:00',
      });
      expect((await screened(later)).lead_id).not.toBe(leadId);
      expect((await screened(elsewhere)).lead_id).not.toBe(leadId);
      expect(await count(`SELECT 1 FROM leads WHERE plate = '湘F12345'`)).toBe(3);
    });

    it('creates one lead when two detections of one trip are screened at the same time', async () => {
      const ids = [
        await insertDetection({
          plate: '湘F22222',
          grossKg: 60_000,
          detectedAt: '2024-11-06T10:00:00+08:00',
          enqueue: false,
        }),
        await insertDetection({
          plate: '湘F22222',
          grossKg: 61_000,
          detectedAt: '2024-11-06T10:02:00+08:00',
          enqueue: false,
        }),
        await insertDetection({
          plate: '湘F22222',
          grossKg: 59_000,
          detectedAt: '2024-11-06T10:04:00+08:00',
          enqueue: false,
        }),
      ];
      await enqueue(ids);
      const rows = await allScreened(ids);
      expect(new Set(rows.map((r) => r.lead_id)).size).toBe(1);
      const lead = await db().query(
        `SELECT id, owner_unknown, vehicle_id FROM leads WHERE plate = '湘F22222'`,
      );
      expect(lead.rows).toEqual([{ id: rows[0].lead_id, owner_unknown: true, vehicle_id: null }]);
      expect(await count(`SELECT 1 FROM lead_detections WHERE lead_id = $1`, [rows[0].lead_id])).toBe(3);
    });

    it('applies the screening policy in force when the vehicle passed (10-20 Nov 2024: a part tonne counted, 7 × 500)', async () => {
      const id = await insertDetection({
        plate: '湘F55555',
        grossKg: 58_200,
        axleLoadsKg: [7100, 11000, 10000, 10000, 10000, 10100],
        detectedAt: '2024-11-12T09:00:00+08:00',
      });
      const row = await screened(id);
      const { rows } = await db().query('SELECT excess_kg, proposed_amount FROM leads WHERE id = $1', [
        row.lead_id,
      ]);
      expect(rows[0]).toEqual({ excess_kg: 6_290, proposed_amount: '3500.00' });
    });

    it('does not double anything when the same detection is screened again', async () => {
      const before = {
        leads: await count('SELECT 1 FROM leads'),
        links: await count('SELECT 1 FROM lead_detections'),
        audits: await count('SELECT 1 FROM audit_events'),
      };
      // Two more runs at once, as a redelivery after a crash would: other job ids, same payload.
      const again = ['again-1', 'again-2'].map(
        (suffix) => `${JOB.jobId({ detectionId: leadDetectionId })}-${suffix}`,
      );
      await queue.addBulk(
        again.map((jobId) => ({ name: JOB.name, data: { detectionId: leadDetectionId }, opts: { jobId } })),
      );
      for (const jobId of again) {
        await eventually(`job ${jobId}`, async () => (await queue.getJobState(jobId)) === 'completed');
      }
      expect({
        leads: await count('SELECT 1 FROM leads'),
        links: await count('SELECT 1 FROM lead_detections'),
        audits: await count('SELECT 1 FROM audit_events'),
      }).toEqual(before);
    });
  });

  describe('crash safety: the outbox sweeper', () => {
    it('screens, exactly once, detections whose jobs were lost when Redis was flushed', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push(
          await insertDetection({
            plate: `湘F3333${i}`,
            grossKg: 58_000,
            detectedAt: '2024-11-07T09:00:00+08:00',
            enqueue: false,
            enqueuedOffsetMs: 3_600_000, // not stale yet: the sweeper leaves them alone until the flush
          }),
        );
      }
      // Accepted and queued (delayed, so the worker cannot take them first) ...
      await enqueue(ids, { delay: 600_000 });
      expect(await queue.getDelayedCount()).toBeGreaterThanOrEqual(5);
      // ... then Redis loses every key of the queue.
      const keys = await redis.keys(`${prefix()}:${JOB.queue}:*`);
      expect(keys.length).toBeGreaterThan(0);
      await redis.del(...keys);
      expect(await queue.getDelayedCount()).toBe(0);
      await db().query(
        `UPDATE intake_outbox SET enqueued_at = now() - interval '1 minute' WHERE detection_id = ANY($1)`,
        [ids],
      );

      const rows = await allScreened(ids);
      expect(rows.every((r) => r.outcome === 'lead' && r.processed_at)).toBe(true);
      expect(new Set(rows.map((r) => r.lead_id)).size).toBe(5);
      expect(await count(`SELECT 1 FROM leads WHERE plate LIKE '湘F3333%'`)).toBe(5);
      expect(
        await count(
          `SELECT 1 FROM audit_events WHERE action = 'detection.screened' AND entity_id = ANY($1)`,
          [ids],
        ),
      ).toBe(5);
      const { rows: outbox } = await db().query(
        `SELECT attempts FROM intake_outbox WHERE detection_id = ANY($1)`,
        [ids],
      );
      expect(outbox.every((o) => o.attempts >= 1)).toBe(true);
    });

    it("replaces a failed job kept under the detection's job id, which would otherwise block re-enqueueing", async () => {
      const id = await insertDetection({
        plate: '湘F44444',
        grossKg: 58_000,
        detectedAt: '2024-11-08T09:00:00+08:00',
        enqueue: false,
        enqueuedOffsetMs: 3_600_000,
      });
      const jobId = JOB.jobId({ detectionId: id });
      // A job under that id that fails for good (its payload never validates) and is kept as failed.
      await queue.add(JOB.name, { detectionId: 'not-a-uuid' }, { jobId, attempts: 1, removeOnFail: false });
      await eventually('the job to fail', async () => (await queue.getJobState(jobId)) === 'failed');
      // The same id added again is a no-op while the failed job is kept:
      await enqueue([id]);
      expect(await queue.getJobState(jobId)).toBe('failed');

      await db().query(
        `UPDATE intake_outbox SET enqueued_at = now() - interval '1 minute' WHERE detection_id = $1`,
        [id],
      );
      const row = await screened(id);
      expect(row.outcome).toBe('lead');
      await eventually(
        'the new job to complete',
        async () => (await queue.getJobState(jobId)) === 'completed',
      );
      expect(stack.worker.output()).toContain('blocks re-enqueueing an unscreened detection');
      expect(
        await count(`SELECT 1 FROM audit_events WHERE action = 'detection.screened' AND entity_id = $1`, [
          id,
        ]),
      ).toBe(1);
    });
  });

  describe('crash safety: a job left without state', () => {
    it('replaces a job whose data survived a partial flush without being in any state list', async () => {
      const id = await insertDetection({
        plate: '湘F77777',
        grossKg: 58_000,
        detectedAt: '2024-11-09T09:00:00+08:00',
        enqueue: false,
        enqueuedOffsetMs: 3_600_000,
      });
      const jobId = JOB.jobId({ detectionId: id });
      await enqueue([id], { delay: 600_000 });
      // The job's hash stays, its place in the delayed set is gone: it would never run.
      await redis.zrem(`${prefix()}:${JOB.queue}:delayed`, jobId);
      expect(await queue.getJobState(jobId)).toBe('unknown');
      expect(await queue.getJob(jobId)).toBeDefined();

      await db().query(
        `UPDATE intake_outbox SET enqueued_at = now() - interval '1 minute' WHERE detection_id = $1`,
        [id],
      );
      expect((await screened(id)).outcome).toBe('lead');
      expect(
        await count(`SELECT 1 FROM audit_events WHERE action = 'detection.screened' AND entity_id = $1`, [
          id,
        ]),
      ).toBe(1);
    });
  });

  describe('GET /leads/{id}', () => {
    it('shows the lead with its rules, penalty basis, detections and evidence behind presigned URLs', async () => {
      const { rows } = await db().query(
        `SELECT l.id FROM leads l WHERE plate = '湘F12345' ORDER BY violation_at LIMIT 1`,
      );
      const { status, body } = await call(stack.api, 'GET', `/api/v1/leads/${rows[0].id}`, {
        token: officerToken,
      });
      expect(status).toBe(200);
      expect(body).toMatchObject({
        id: rows[0].id,
        status: 'pending_review',
        plate: '湘F12345',
        stationCode: 'S308-K12',
        detectedAt: '2024-11-05T00:31:12.000Z',
        axleCount: 6,
        grossKg: 58_200,
        limitKg: 49_000,
        toleranceKg: 2_910,
        excessKg: 6_290,
        proposedPenalty: { kind: 'fine', amountYuan: 3000 },
        ownerUnknown: false,
      });
      expect(body.proposedPenalty.basis).toEqual(
        expect.arrayContaining([{ code: 'ORR-43-1-2', article: expect.stringContaining('第四十三条') }]),
      );
      expect(body.detections).toHaveLength(2);
      expect(body.evidence).toHaveLength(6);
      expect(new Set(body.evidence.map((e: { kind: string }) => e.kind))).toEqual(
        new Set(['plate_front', 'plate_rear', 'side']),
      );
      const item = body.evidence[0];
      const fetched = await fetch(item.url);
      expect(fetched.status).toBe(200);
      const bytes = Buffer.from(await fetched.arrayBuffer());
      expect(bytes.length).toBe(item.size);
      expect(sha(bytes)).toBe(item.sha256);
      expect(item.url).toContain('X-Amz-Expires=120');
    });

    it('answers 404 for an unknown lead, 400 for a malformed id, 401 without a token', async () => {
      expect(
        (await call(stack.api, 'GET', `/api/v1/leads/${randomUUID()}`, { token: officerToken })).body,
      ).toMatchObject({
        status: 404,
        code: 'lead_not_found',
      });
      expect((await call(stack.api, 'GET', '/api/v1/leads/42', { token: officerToken })).status).toBe(400);
      expect((await call(stack.api, 'GET', `/api/v1/leads/${randomUUID()}`)).status).toBe(401);
    });
  });

  describe('GET /leads', () => {
    it('filters by status, station, plate and violation time', async () => {
      const get = (q: string) => call(stack.api, 'GET', `/api/v1/leads?${q}`, { token: officerToken });
      const all = await count('SELECT 1 FROM leads');
      expect((await get('limit=100')).body.items).toHaveLength(all);
      const byPlate = await get(`plate=${encodeURIComponent('湘F12345')}`);
      expect(byPlate.body.items.map((l: { plate: string }) => l.plate)).toEqual([
        '湘F12345',
        '湘F12345',
        '湘F12345',
      ]);
      const byStation = await get('station=G207-K88');
      expect(byStation.body.items.map((l: { stationCode: string }) => l.stationCode)).toEqual(['G207-K88']);
      const window = await get(
        `from=${encodeURIComponent('2024-11-06T00:00:00+08:00')}&to=${encodeURIComponent('2024-11-07T00:00:00+08:00')}`,
      );
      expect(window.body.items.map((l: { plate: string }) => l.plate)).toEqual(['湘F22222']);
      expect((await get('status=pending_review&limit=100')).body.items).toHaveLength(all);
      expect((await get('status=filed')).body).toEqual({ items: [], nextCursor: null });
    });

    it('is documented in the OpenAPI document with its query parameters', async () => {
      const { body } = await call(stack.api, 'GET', '/api/docs-json');
      const names = body.paths['/api/v1/leads'].get.parameters.map((p: { name: string }) => p.name);
      expect(names).toEqual(
        expect.arrayContaining(['status', 'station', 'plate', 'from', 'to', 'limit', 'cursor']),
      );
      expect(body.paths['/api/v1/leads/{id}'].get).toBeDefined();
    });

    it('pages with an opaque cursor, newest first, each lead exactly once', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query = `limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        // Annotated: the loop's cursor would otherwise make the inferred types circular.
        const page: JsonResponse<{ items: { id: string }[]; nextCursor: string | null }> = await call(
          stack.api,
          'GET',
          `/api/v1/leads?${query}`,
          { token: officerToken },
        );
        const { status, body } = page;
        expect(status).toBe(200);
        expect(body.items.length).toBeLessThanOrEqual(2);
        seen.push(...body.items.map((l: { id: string }) => l.id));
        cursor = body.nextCursor;
        pages++;
      } while (cursor && pages < 50);
      const { rows } = await db().query('SELECT id FROM leads ORDER BY created_at DESC, id DESC');
      expect(seen).toEqual(rows.map((r) => r.id));
    });

    it.each([
      ['status=closed', 'query.status'],
      ['from=yesterday', 'query.from'],
      ['from=2024-11-07T00:00:00Z&to=2024-11-06T00:00:00Z', 'query.to'],
      ['limit=0', 'query.limit'],
      ['limit=1000', 'query.limit'],
      ['cursor=not-a-cursor', 'query.cursor'],
      ['colour=yellow', 'query'],
    ])('refuses %s with a 400 problem naming %s', async (query, path) => {
      const response = await call(stack.api, 'GET', `/api/v1/leads?${query}`, { token: officerToken });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    });
  });

  describe('queue dashboard (bull-board)', () => {
    const dashboard = '/api/v1/admin/queues';

    it('is for admins only: 401 without a token, 403 for an officer, 200 for an admin', async () => {
      const none = await call(stack.api, 'GET', dashboard);
      expect(none.status).toBe(401);
      expect(none.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(none.body.code).toBe('missing_token');
      const bad = await call(stack.api, 'GET', `${dashboard}/api/queues`, { token: 'not.a.token' });
      expect(bad.status).toBe(401);
      const asOfficer = await call(stack.api, 'GET', dashboard, { token: officerToken });
      expect(asOfficer.status).toBe(403);
      expect(asOfficer.body.code).toBe('role_not_allowed');

      const page = await fetch(`${stack.api.url}${dashboard}`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
      const queues = await call(stack.api, 'GET', `${dashboard}/api/queues`, { token: adminToken });
      expect(queues.status).toBe(200);
      expect(queues.body.queues.map((q: { name: string }) => q.name)).toContain('screening');
    });

    it('lets a browser in through its sign-in page: a session cookie for admins only, ended by signing out', async () => {
      const open = (
        path: string,
        init: { cookie?: string; accept?: string; method?: string; token?: string } = {},
      ) =>
        fetch(`${stack.api.url}${path}`, {
          method: init.method ?? 'GET',
          redirect: 'manual',
          headers: {
            accept: init.accept ?? 'text/html,application/xhtml+xml',
            ...(init.cookie ? { cookie: init.cookie } : {}),
            ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
          },
        });

      const login = await open(`${dashboard}/login`);
      expect(login.status).toBe(200);
      expect(login.headers.get('content-type')).toMatch(/^text\/html/);
      const loginPage = await login.text();
      expect(loginPage).toContain('/api/v1/auth/token');
      expect(loginPage).toContain(`${dashboard}/session`);
      // Its script at least parses (no browser here to run it).
      const script = /<script>([\s\S]*)<\/script>/.exec(loginPage)?.[1] ?? '';
      expect(script).toContain('fetch(');
      expect(() => new Function(script)).not.toThrow();

      // A browser without a session is sent to the sign-in page, with the way back.
      const away = await open(`${dashboard}/queue/screening`);
      expect(away.status).toBe(303);
      expect(away.headers.get('location')).toBe(
        `${dashboard}/login?next=${encodeURIComponent(`${dashboard}/queue/screening`)}`,
      );

      // A session only for an admin's token.
      expect((await open(`${dashboard}/session`, { method: 'POST' })).status).toBe(401);
      const officerSession = await open(`${dashboard}/session`, { method: 'POST', token: officerToken });
      expect(officerSession.status).toBe(403);
      expect(officerSession.headers.get('set-cookie')).toBeNull();
      const session = await open(`${dashboard}/session`, { method: 'POST', token: adminToken });
      expect(session.status).toBe(204);
      const setCookie = session.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/^ecc_queue_dashboard=[^;]+;/);
      expect(setCookie).toContain(`Path=${dashboard}`);
      expect(setCookie).toContain('HttpOnly');
      expect(setCookie).toContain('SameSite=Strict');
      const maxAge = Number(/Max-Age=(\d+)/.exec(setCookie)?.[1]);
      expect(maxAge).toBeGreaterThan(0);
      expect(maxAge).toBeLessThanOrEqual(3600);
      const cookie = setCookie.split(';')[0]!;

      // The cookie alone opens the page and the dashboard's own API.
      const page = await open(dashboard, { cookie });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
      const queues = await open(`${dashboard}/api/queues`, { cookie, accept: 'application/json' });
      expect(queues.status).toBe(200);
      expect(((await queues.json()) as { queues: { name: string }[] }).queues.map((q) => q.name)).toContain(
        'screening',
      );

      // Another role's token or a forged value in the cookie opens nothing.
      const officerCookie = `ecc_queue_dashboard=${officerToken}`;
      expect(
        (await open(`${dashboard}/api/queues`, { cookie: officerCookie, accept: 'application/json' })).status,
      ).toBe(403);
      expect(
        (
          await open(`${dashboard}/api/queues`, {
            cookie: 'ecc_queue_dashboard=forged',
            accept: 'application/json',
          })
        ).status,
      ).toBe(401);
      expect((await open(dashboard, { cookie: officerCookie })).status).toBe(303);

      const signOut = await open(`${dashboard}/session`, { method: 'DELETE' });
      expect(signOut.status).toBe(204);
      expect(signOut.headers.get('set-cookie')).toMatch(/^ecc_queue_dashboard=; .*Max-Age=0/);
    });
  });

  describe('through the station protocol', () => {
    it('screens a detection POSTed by a station into a lead whose evidence is the bytes the station sent', async () => {
      const station = await createStation(stack.api, adminToken);
      const { rows } = await db().query<{ id: string }>('SELECT id FROM stations WHERE code = $1', [
        station.code,
      ]);
      const device = await db().query<{ id: string }>(
        `INSERT INTO devices (id, station_id, code, kind, accuracy_class, legal_review_date, technical_review_date,
           published_date, updated_at)
         VALUES (gen_random_uuid(), $1, 'WIM-01', 'wim', '5', '2024-01-10', '2024-01-12', '2024-01-15', now())
         RETURNING id`,
        [rows[0]!.id],
      );
      await db().query(
        `INSERT INTO calibration_certificates (id, device_id, certificate_no, valid_from, valid_to)
         VALUES (gen_random_uuid(), $1, 'JD-PROTOCOL', '2024-01-01', '2099-12-31')`,
        [device.rows[0]!.id],
      );
      const photos = ['plate_front', 'plate_rear', 'side'].map((kind) => ({
        kind,
        bytes: Buffer.from(`JPEG ${kind} ${randomUUID()}`),
      }));
      const body = detectionBody({
        plate: { number: '湘F66666', color: 'yellow' },
        evidence: photos.map((p) => evidenceItem(p.kind, p.bytes)),
      });
      const accepted = await signedPost(stack.api, station, body);
      expect(accepted.status).toBe(202);

      const status = await eventually('the detection to be screened', async () => {
        const r = await call(stack.api, 'GET', `/api/v1/detections/${station.code}/${body.detectionId}`, {
          token: officerToken,
        });
        return r.status === 200 && r.body.status === 'screened' ? r.body : null;
      });
      expect(status).toMatchObject({ outcome: 'lead', leadId: expect.any(String) });

      const lead = await call(stack.api, 'GET', `/api/v1/leads/${status.leadId}`, { token: officerToken });
      expect(lead.body).toMatchObject({
        plate: '湘F66666',
        stationCode: station.code,
        limitKg: 49_000,
        toleranceKg: 2_910,
        excessKg: 6_290,
        proposedPenalty: { kind: 'fine', amountYuan: 3000 },
        ownerUnknown: true,
      });
      for (const photo of photos) {
        const item = lead.body.evidence.find((e: { kind: string }) => e.kind === photo.kind);
        const fetched = Buffer.from(await (await fetch(item.url)).arrayBuffer());
        expect(fetched.equals(photo.bytes)).toBe(true);
      }
    });
  });

  it('ran without an error in the worker log', () => {
    expect(stack.worker.output()).not.toMatch(/"level":(50|60)/);
  });
});
