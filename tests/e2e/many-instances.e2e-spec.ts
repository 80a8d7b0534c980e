import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { JOBS } from '@ecc/shared-queues';
import {
  ADMIN,
  call,
  freePort,
  makeUser,
  spawnApp,
  stopProcess,
  testEnvironment,
  tokenFor,
  waitUntilReady,
  type TestApi,
} from '../support/test-app';
import {
  detectionBody,
  evidenceItem,
  registerStationWithDevice,
  signedPost,
  type TestStation,
} from '../support/station-client';
import { FakeSmsProvider } from '../support/fake-sms-provider';
import { openStream } from '../support/alert-stream';
import { usccOf } from '../support/identity-numbers';
import { waitFor } from '../support/wait-for';

/**
 * A province runs several API and worker instances behind a load balancer, on one Postgres and one Redis. Two
 * APIs and two workers, every request of a step spread over both APIs and sent at once: each detection is
 * screened once and each trip makes one lead; a review raced through both APIs succeeds once; each notice is
 * one SMS; each deadline is handled once; case numbers stay gapless and unique while cases are filed through
 * both; the audit trail stays one chain. A fence the worker creates reaches both APIs' interception check
 * within a second, and an alert reaches the SSE streams of both APIs.
 */

jest.setTimeout(180_000);

const API_KEY = 'sms-key-instances';
const CALLBACK_SECRET = 'sms-callback-instances';
const PLATES = Array.from({ length: 6 }, (_, i) => `湘M${String(31_000 + i)}`);
const TRIP_DETECTIONS = 3;
const WITHIN_LIMIT = 30;
const WITHOUT_EVIDENCE = 4;
/** The leads whose response window is made to end (fenced by a worker); the others stay notified. */
const FENCED = 3;

/** Runs the calls at once; their answers in the order given. */
const both = <T>(work: ((i: number) => Promise<T>)[]) => Promise.all(work.map((w, i) => w(i)));

describe('two APIs and two workers on one Postgres and Redis', () => {
  const vendor = new FakeSmsProvider(API_KEY, CALLBACK_SECRET);
  let db: Client;
  let env: Record<string, string>;
  const children: ReturnType<typeof spawnApp>[] = [];
  let apis: TestApi[];
  let admin: string;
  let officers: { token: string; id: string }[];
  let approver: { token: string; id: string };
  let auditor: { token: string; id: string };
  let station: TestStation;
  let otherStation: TestStation;
  /** The lead of each plate, once screened. */
  const leads = new Map<string, string>();

  const count = async (sql: string, params: unknown[] = []) =>
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0]!.n;
  const output = () => children.map((c, i) => `--- process ${i}\n${c.output().slice(-3000)}`).join('\n');
  /** The i-th of several requests goes to API i mod 2. */
  const apiFor = (i: number) => apis[i % 2]!;

  async function startApi(env: Record<string, string>): Promise<TestApi> {
    const app = spawnApp('api', env);
    children.push(app);
    const url = `http://127.0.0.1:${env['PORT']}`;
    await waitUntilReady(url, app.child, app.output, 90_000);
    return { env, url, db, output: app.output, close: () => stopProcess(app.child) };
  }

  async function startWorker(env: Record<string, string>): Promise<void> {
    const app = spawnApp('worker', env);
    children.push(app);
    await waitUntilReady(`http://127.0.0.1:${env['WORKER_HEALTH_PORT']}`, app.child, app.output, 90_000);
  }

  /** The vehicles of PLATES with one owner and her enterprise, so that their leads can be notified and filed. */
  async function registerVehicles(): Promise<void> {
    const licenceNo = `4306${String(Date.now()).slice(-8)}`;
    const enterprise = await call(apis[0]!, 'POST', '/api/v1/registry/enterprises', {
      token: admin,
      body: {
        rows: [
          {
            name: '多实例运输有限公司',
            socialCreditCode: usccOf(licenceNo),
            licenceNo,
            fleetSize: 20,
            contactPhone: '0730-5221234',
          },
        ],
      },
    });
    expect(enterprise.status).toBeLessThan(300);
    const vehicles = await call(apis[1]!, 'POST', '/api/v1/registry/vehicles', {
      token: admin,
      rawBody: [
        'plate,plateColour,ownerName,ownerPhone,ownerIdNumber,enterpriseLicenceNo,transportCertificateNo,axleCount',
        ...PLATES.map(
          (plate, i) => `${plate},yellow,赵六,13900139001,430102198506123011,${licenceNo},43060012340${i},6`,
        ),
      ].join('\n'),
      headers: { 'content-type': 'text/csv' },
    });
    expect(vehicles.status).toBeLessThan(300);
  }

  const photos = () =>
    ['plate_front', 'plate_rear', 'side'].map((kind) => evidenceItem(kind, randomBytes(64)));

  beforeAll(async () => {
    await vendor.start();
    env = await testEnvironment('instances', {
      LOG_LEVEL: 'warn',
      SMS_PROVIDER: 'http',
      SMS_HTTP_URL: `${vendor.url}/sms/send`,
      SMS_HTTP_API_KEY: API_KEY,
      SMS_HTTP_TEMPLATE_ID: 'TPL-LEAD-001',
      SMS_HTTP_CALLBACK_SECRET: CALLBACK_SECRET,
      DEADLINE_SWEEP_INTERVAL_MS: '300',
      FENCE_SWEEP_INTERVAL_MS: '300',
      NOTICE_SWEEP_INTERVAL_MS: '300',
      NOTICE_STALE_AFTER_MS: '1000',
      OUTBOX_SWEEP_INTERVAL_MS: '300',
    });
    db = new Client({ connectionString: env['DATABASE_URL'] });
    await db.connect();
    // The first API bootstraps the admin; then the second and both workers start together.
    const first = await startApi(env);
    const [second] = await Promise.all([
      startApi({ ...env, PORT: String(await freePort()) }),
      startWorker({ ...env, WORKER_HEALTH_PORT: String(await freePort()) }),
      startWorker({ ...env, WORKER_HEALTH_PORT: String(await freePort()) }),
    ]);
    apis = [first, second];
    admin = await tokenFor(first, ADMIN.username, ADMIN.password);
    officers = [
      await makeUser(first, admin, 'multi.officer1', ['officer'], { enforcementCertificateNo: 'HN-M-0001' }),
      await makeUser(second, admin, 'multi.officer2', ['officer'], { enforcementCertificateNo: 'HN-M-0002' }),
    ];
    approver = await makeUser(first, admin, 'multi.approver', ['approver']);
    auditor = await makeUser(second, admin, 'multi.auditor', ['auditor']);
    station = await registerStationWithDevice(
      first,
      admin,
      `MI-${randomBytes(2).toString('hex').toUpperCase()}`,
    );
    otherStation = await registerStationWithDevice(
      second,
      admin,
      `MI-${randomBytes(2).toString('hex').toUpperCase()}`,
      'K30+100',
    );
    await registerVehicles();
  }, 240_000);

  afterAll(async () => {
    const logs = children.map((c) => c.output()).join('');
    await Promise.all(children.map((c) => stopProcess(c.child)));
    await db?.end().catch(() => undefined);
    await vendor.stop();
    // No process logged an error (50) or a fatal (60) along the way.
    expect(logs).not.toMatch(/"level":(50|60)/);
  });

  it('screens each detection of a stream through both APIs once, and makes one lead per trip', async () => {
    const start = Date.now() - 10 * 60_000;
    const at = (ms: number) => new Date(start + ms).toISOString().replace('Z', '+00:00');
    const bodies: Record<string, unknown>[] = [];
    // Each overloaded vehicle passes once; the station reports the passage three times (within a minute).
    PLATES.forEach((plate, p) => {
      for (let j = 0; j < TRIP_DETECTIONS; j++)
        bodies.push(
          detectionBody({
            detectedAt: at(p * 1_000 + j * 20_000),
            plate: { number: plate, color: 'yellow' },
            trailerPlate: undefined,
            evidence: photos(),
          }),
        );
    });
    for (let i = 0; i < WITHIN_LIMIT; i++)
      bodies.push(
        detectionBody({
          detectedAt: at(i * 500),
          plate: { number: `湘N${String(40_000 + i)}`, color: 'yellow' },
          trailerPlate: undefined,
          weighing: {
            grossKg: 30_000,
            axleLoadsKg: [5_000, 5_000, 5_000, 5_000, 5_000, 5_000],
            speedKmh: 60,
          },
          evidence: photos(),
        }),
      );
    // Required photos missing: invalid.
    for (let i = 0; i < WITHOUT_EVIDENCE; i++)
      bodies.push(
        detectionBody({
          detectedAt: at(i * 700),
          plate: { number: `湘P${String(50_000 + i)}`, color: 'yellow' },
          trailerPlate: undefined,
        }),
      );
    // All at once, spread over both APIs; the first ten again through the other API (a station's retry).
    const [sent, repeats] = await Promise.all([
      Promise.all(bodies.map((body, i) => signedPost(apiFor(i), station, body))),
      Promise.all(bodies.slice(0, 10).map((body, i) => signedPost(apiFor(i + 1), station, body))),
    ]);
    expect(sent.map((r) => r.status).filter((s) => s !== 202 && s !== 200)).toEqual([]);
    expect(repeats.map((r) => r.status).filter((s) => s !== 202 && s !== 200)).toEqual([]);
    // A repeat answers with the first receipt, whichever API had it.
    expect(repeats.map((r) => r.body.receiptId)).toEqual(sent.slice(0, 10).map((r) => r.body.receiptId));
    expect(await count('detections')).toBe(bodies.length);

    await waitFor(
      'every detection screened',
      async () => (await count(`detections WHERE status <> 'screened'`)) === 0,
      { timeoutMs: 60_000, output },
    );
    // Screened once: one screening audit event per detection, none missing, none twice.
    const screenings = await db.query<{ n: number }>(
      `SELECT count(a.id)::int AS n FROM detections d
         LEFT JOIN audit_events a ON a.entity_id = d.id::text AND a.action = 'detection.screened'
        GROUP BY d.id`,
    );
    expect(screenings.rows.every((r) => r.n === 1)).toBe(true);
    expect(screenings.rows).toHaveLength(bodies.length);

    const outcomes = await db.query<{ outcome: string; n: number }>(
      'SELECT outcome::text, count(*)::int AS n FROM detections GROUP BY 1 ORDER BY 1',
    );
    expect(Object.fromEntries(outcomes.rows.map((r) => [r.outcome, r.n]))).toEqual({
      invalid: WITHOUT_EVIDENCE,
      lead: PLATES.length * TRIP_DETECTIONS,
      no_violation: WITHIN_LIMIT,
    });
    // The later detections of a trip join its lead as duplicates of the first.
    expect(await count('detections WHERE duplicate_of_id IS NOT NULL')).toBe(
      PLATES.length * (TRIP_DETECTIONS - 1),
    );
    // One lead per trip, holding the trip's three detections.
    const byPlate = await db.query<{ plate: string; id: string; detections: number }>(
      `SELECT l.plate, l.id, count(ld.detection_id)::int AS detections
         FROM leads l LEFT JOIN lead_detections ld ON ld.lead_id = l.id GROUP BY l.id`,
    );
    expect(byPlate.rows.map((r) => r.plate).sort()).toEqual([...PLATES].sort());
    for (const row of byPlate.rows) {
      expect(row.detections).toBe(TRIP_DETECTIONS);
      leads.set(row.plate, row.id);
    }
    expect(await count(`audit_events WHERE action = 'lead.created'`)).toBe(PLATES.length);

    // The detections of concurrent requests reached the workers as one job per intake batch.
    const redis = new Redis(env['REDIS_URL']!, { maxRetriesPerRequest: null });
    const queue = new Queue(JOBS.screenDetections.queue, { connection: redis, prefix: env['QUEUE_PREFIX'] });
    try {
      const batches = (await queue.getJobs(['completed'])).filter(
        (j) => j.name === JOBS.screenDetections.name,
      );
      expect(batches.length).toBeGreaterThan(0);
      expect(batches.every((j) => j.data.detectionIds.length > 1)).toBe(true);
    } finally {
      await queue.close();
      redis.disconnect();
    }
  });

  it('a review raced through both APIs succeeds once; each notice is one SMS; receipts through either API', async () => {
    expect(leads.size).toBe(PLATES.length); // the leads of the first step
    const confirm = {
      decision: 'confirm',
      reason: '号牌、轴数与图像一致',
      checks: { plateMatches: true, axleCountMatches: true },
    };
    const answers = await Promise.all(
      [...leads.values()].map((leadId) =>
        both(
          apis.map(
            (api, i) => () =>
              call(api, 'POST', `/api/v1/leads/${leadId}/review`, {
                token: officers[i]!.token,
                body: confirm,
              }),
          ),
        ),
      ),
    );
    for (const pair of answers) expect(pair.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await count(`audit_events WHERE action = 'lead.confirmed'`)).toBe(leads.size);

    await waitFor(
      'every SMS sent',
      async () =>
        (await count(`notices WHERE channel = 'sms'`)) >= leads.size &&
        (await count(`notices WHERE channel = 'sms' AND status <> 'sent'`)) === 0,
      { timeoutMs: 30_000, output },
    );
    const notices = await db.query<{ id: string }>(`SELECT id FROM notices WHERE channel = 'sms'`);
    expect(notices.rows).toHaveLength(leads.size);
    // Both workers ran their notice sweeps meanwhile: still one request per notice, nothing sent twice.
    await new Promise((r) => setTimeout(r, 1_500));
    const requests = vendor.received('/sms');
    expect(requests.map((r) => r.headers['idempotency-key']).sort()).toEqual(
      notices.rows.map((n) => n.id).sort(),
    );
    expect(vendor.messages.size).toBe(leads.size);

    // The vendor's delivery receipts arrive at either API; each lead's response window then runs.
    const receipts = await Promise.all(
      [...vendor.messages.values()].map((m, i) =>
        vendor.sendReceipt(apiFor(i).url, { messageId: m.messageId, status: 'delivered' }),
      ),
    );
    expect(receipts.map((r) => r.status)).toEqual(receipts.map(() => 200));
    await waitFor(
      'every lead notified',
      async () => (await count(`leads WHERE status = 'notified'`)) === leads.size,
      { timeoutMs: 20_000, output },
    );
    expect(await count(`deadlines WHERE kind = 'response_window' AND status = 'open'`)).toBe(leads.size);
  });

  it('a fence made by a worker reaches both APIs within a second; its alert reaches the streams of both', async () => {
    const streams = await Promise.all(apis.map((api) => openStream(api, officers[0]!.token)));
    try {
      const fencedPlates = PLATES.slice(0, FENCED);
      const leadIds = fencedPlates.map((p) => leads.get(p)!);
      // The response windows end (as if 15 days had passed); both workers' sweeps find them.
      const moved = await db.query(
        `UPDATE deadlines SET due_at = now() - interval '1 minute', started_at = now() - interval '16 days'
          WHERE lead_id = ANY($1::uuid[]) AND kind = 'response_window'`,
        [leadIds],
      );
      expect(moved.rowCount).toBe(FENCED);

      for (const plate of fencedPlates) {
        // The moment the fence is seen committed, the vehicle passes a station through API B and through API
        // A: both must already know the plate (their full reload runs every 30 s; the worker's message is what
        // tells them at once).
        await waitFor(
          `the fence of ${plate}`,
          async () => (await count(`fences WHERE plate = $1 AND status = 'active'`, [plate])) === 1,
          { timeoutMs: 20_000, output },
        );
        const passes = await Promise.all(
          [1, 0].map(async (a) => {
            const body = detectionBody({
              plate: { number: plate, color: 'yellow' },
              trailerPlate: undefined,
              detectedAt: new Date().toISOString().replace('Z', '+00:00'),
              evidence: photos(),
            });
            const res = await signedPost(apis[a]!, otherStation, body);
            expect(res.status).toBe(202);
            return res.body.receiptId as string;
          }),
        );
        for (const receiptId of passes) {
          for (const stream of streams)
            await stream.next(
              (e) => e.event === 'interception' && JSON.parse(e.data).detectionId === receiptId,
            );
        }
        // Raised by the APIs' own check: the worker's safety-net sweep (which would also find the passes of an API
        // that had not yet learnt of the fence) leaves detections younger than 5 s to the APIs.
        const raised = await db.query<{ after_ms: number }>(
          `SELECT extract(epoch FROM a.raised_at - d.received_at)::float8 * 1000 AS after_ms
             FROM interception_alerts a JOIN detections d ON d.id = a.detection_id WHERE d.id = ANY($1::uuid[])`,
          [passes],
        );
        expect(raised.rows).toHaveLength(2);
        for (const r of raised.rows) expect(r.after_ms).toBeLessThan(5_000);
      }

      // Each deadline handled once, by one of the two workers: one fence, one alert to the reviewer, one audit.
      await waitFor(
        'the missed windows closed',
        async () =>
          (await count(`deadlines WHERE kind = 'response_window' AND status = 'missed'`)) === FENCED,
        { timeoutMs: 10_000, output },
      );
      await new Promise((r) => setTimeout(r, 1_000)); // both sweeps ran again meanwhile
      for (const leadId of leadIds) {
        expect(await count(`fences WHERE lead_id = $1`, [leadId])).toBe(1);
        expect(await count(`audit_events WHERE action = 'fence.created' AND entity_id = $1`, [leadId])).toBe(
          1,
        );
        expect(await count(`audit_events WHERE action = 'deadline.due' AND entity_id = $1`, [leadId])).toBe(
          1,
        );
        expect(
          await count(`staff_alerts WHERE kind = 'response_window_ended' AND lead_id = $1`, [leadId]),
        ).toBe(1);
      }

      // Lifted through API A: a pass through API B within the second raises nothing.
      const fence = (
        await db.query<{ id: string }>(`SELECT id FROM fences WHERE plate = $1`, [fencedPlates[0]])
      ).rows[0]!;
      const lifted = await call(apis[0]!, 'POST', `/api/v1/fences/${fence.id}/lift`, {
        token: officers[0]!.token,
        body: { reason: '当事人已到案接受处理' },
      });
      expect(lifted.status).toBe(200);
      const after = await signedPost(
        apis[1]!,
        otherStation,
        detectionBody({
          plate: { number: fencedPlates[0], color: 'yellow' },
          trailerPlate: undefined,
          detectedAt: new Date().toISOString().replace('Z', '+00:00'),
          evidence: photos(),
        }),
      );
      expect(after.status).toBe(202);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(
        await count(`interception_alerts a JOIN detections d ON d.id = a.detection_id WHERE d.id = $1`, [
          after.body.receiptId,
        ]),
      ).toBe(0);
    } finally {
      await Promise.all(streams.map((s) => s.close()));
    }
  });

  it('files cases through both APIs at once: one case per lead, case numbers gapless and unique', async () => {
    const leadIds = [...leads.values()];
    expect(leadIds).toHaveLength(PLATES.length);
    const officerIds = officers.map((o) => o.id);
    // The same lead filed through both APIs at once: one case.
    const created = await Promise.all(
      leadIds.map((leadId) =>
        both(
          apis.map(
            (api, i) => () =>
              call(api, 'POST', '/api/v1/cases', { token: officers[i]!.token, body: { leadId, officerIds } }),
          ),
        ),
      ),
    );
    const caseIds: string[] = [];
    for (const pair of created) {
      expect(pair.map((r) => r.status).sort()).toEqual([201, 409]);
      caseIds.push(pair.find((r) => r.status === 201)!.body.id as string);
    }
    const act = (caseId: string, i: number, action: string, token: string) =>
      call(apiFor(i), 'POST', `/api/v1/cases/${caseId}/actions/${action}`, { token, body: {} });
    const requested = await Promise.all(
      caseIds.map((id, i) => act(id, i, 'request_filing', officers[0]!.token)),
    );
    expect(requested.map((r) => r.status)).toEqual(caseIds.map(() => 200));
    // Every approval at once, alternating APIs, each also raced through the other API.
    const approved = await Promise.all(
      caseIds.map((id, i) =>
        Promise.all([
          act(id, i, 'approve_filing', approver.token),
          act(id, i + 1, 'approve_filing', approver.token),
        ]),
      ),
    );
    for (const pair of approved) expect(pair.map((r) => r.status).sort()).toEqual([200, 409]);

    const numbers = await db.query<{ case_number: string }>(
      'SELECT case_number FROM cases WHERE case_number IS NOT NULL',
    );
    expect(numbers.rows).toHaveLength(caseIds.length);
    const serials = numbers.rows
      .map((r) => Number(/(\d+)\D*$/.exec(r.case_number)![1]))
      .sort((a, b) => a - b);
    expect(serials).toEqual(caseIds.map((_, i) => i + 1));
    expect(new Set(numbers.rows.map((r) => r.case_number)).size).toBe(caseIds.length);
    // The filing lifted the remaining fences in the approval's transaction.
    expect(await count(`fences WHERE status = 'active'`)).toBe(0);
  });

  it('keeps one audit chain: both workers seal, neither forks it; both APIs verify it', async () => {
    const verified = await waitFor(
      'the chain sealed',
      async () => {
        const answers = await Promise.all(
          apis.map((api) => call(api, 'GET', '/api/v1/audit/verify', { token: auditor.token })),
        );
        return answers.every((a) => a.status === 200 && a.body.ok && a.body.unsealed === 0) ? answers : null;
      },
      { timeoutMs: 30_000, output },
    );
    expect(verified[0]!.body.head).toEqual(verified[1]!.body.head);
    const chain = await db.query<{ n: number; seqs: number; min: string; max: string }>(
      `SELECT count(*)::int AS n, count(DISTINCT chain_seq)::int AS seqs, min(chain_seq)::text AS min,
              max(chain_seq)::text AS max FROM audit_events`,
    );
    const { n, seqs, min, max } = chain.rows[0]!;
    // Every event sealed at its own place; the places are 1..n without a gap.
    expect(seqs).toBe(n);
    expect([Number(min), Number(max)]).toEqual([1, n]);
  });
});
