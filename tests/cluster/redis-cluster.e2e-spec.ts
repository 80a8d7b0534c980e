import { Queue } from 'bullmq';
import {
  ADMIN,
  call,
  freePort,
  makeUser,
  spawnApp,
  startTestStack,
  stopProcess,
  tokenFor,
  waitUntilReady,
  type TestApi,
  type TestStack,
} from '../support/test-app';
import {
  detectionBody,
  evidenceItem,
  registerStationWithDevice,
  signedPost,
  type TestStation,
} from '../support/station-client';
import { insertLead } from '../support/lead-fixture';
import { openStream } from '../support/alert-stream';
import { clusterKeys, startRedisCluster, type TestRedisCluster } from '../support/redis-servers';
import { waitFor } from '../support/wait-for';
import { JOBS, QUEUE_NAMES } from '@ecc/shared-queues';

/**
 * The system on a real Redis Cluster (three masters, a replica each), reached as `redis+cluster://` of two of
 * its nodes: two APIs and a worker. BullMQ's scripts take many keys of one queue and our own scripts (the
 * per-station rate limit, the sign-in throttle) many keys of one kind, so every key must be hash-tagged into
 * a shared slot; a key that is not would fail with CROSSSLOT — which this cluster does answer (first test),
 * so each path below passing means its keys share their slot. Paths: a detection through intake, the
 * screening queue and a lead; concurrent requests of two stations through the rate limiter's one script;
 * a notice through the notices queue; a delayed deadline job through the deadlines queue fencing the
 * vehicle; and the interception alert raised by one API reaching the SSE stream of the other over pub/sub.
 */

jest.setTimeout(120_000);

describe('on a Redis Cluster', () => {
  let cluster: TestRedisCluster;
  let stack: TestStack;
  let api: TestApi;
  let api2: { child: ReturnType<typeof spawnApp>['child']; output: () => string; url: string };
  let admin: string;
  let officer: { token: string; id: string };
  let prefix: string;
  /** What the processes had logged when the failover test killed a node (errors are expected after). */
  let untilFailover: string | undefined;

  const logs = () => `${stack?.worker.output() ?? ''}${stack?.api.output() ?? ''}${api2?.output() ?? ''}`;

  async function station(code: string): Promise<TestStation & { id: string }> {
    const s = await registerStationWithDevice(api, admin, `${code}${Date.now().toString(36).toUpperCase()}`);
    const { rows } = await api.db.query<{ id: string }>('SELECT id FROM stations WHERE code = $1', [s.code]);
    return { ...s, id: rows[0]!.id };
  }

  async function screened(s: TestStation, detectionId: string) {
    return waitFor(
      `screening of ${detectionId}`,
      async () => {
        const r = await call(api, 'GET', `/api/v1/detections/${s.code}/${detectionId}`, {
          token: officer.token,
        });
        return r.status === 200 && r.body.status === 'screened' ? r.body : null;
      },
      { timeoutMs: 30_000, output: logs },
    );
  }

  beforeAll(async () => {
    cluster = await startRedisCluster();
    stack = await startTestStack('cluster', {
      REDIS_URL: cluster.url,
      INTAKE_RATE_LIMIT_PER_SECOND: '1',
      INTAKE_RATE_LIMIT_BURST: '5',
      // Only the queue's delayed job handles the deadline, only an API raises an interception alert.
      DEADLINE_SWEEP_INTERVAL_MS: '3600000',
      FENCE_SWEEP_INTERVAL_MS: '3600000',
    });
    api = stack.api;
    prefix = api.env['QUEUE_PREFIX']!;
    const env = { ...api.env, PORT: String(await freePort()) };
    const second = spawnApp('api', env);
    api2 = { ...second, url: `http://127.0.0.1:${env['PORT']}` };
    await waitUntilReady(api2.url, second.child, second.output);
    admin = await tokenFor(api, ADMIN.username, ADMIN.password);
    officer = await makeUser(api, admin, 'cluster.officer', ['officer'], {
      enforcementCertificateNo: 'HN-C-0001',
    });
  }, 120_000);

  afterAll(async () => {
    if (api2) await stopProcess(api2.child);
    const output = untilFailover ?? logs();
    await stack?.close();
    await cluster?.close();
    // No process logged an error (level 50) or a fatal (60) before a node was killed: a CROSSSLOT in a
    // background job would.
    expect(output).not.toMatch(/"level":(50|60)/);
  });

  it('is a real cluster: a script over keys of two slots is refused', async () => {
    await expect(cluster.client.eval('return 1', 2, 'a', 'b')).rejects.toThrow(/CROSSSLOT/);
    expect(cluster.client.nodes('master')).toHaveLength(3);
  });

  it('takes detections in and screens them through the queue into a lead and a no-violation', async () => {
    const s = await station('CL');
    const photos = ['plate_front', 'plate_rear', 'side'].map((kind) =>
      evidenceItem(kind, Buffer.from(`JPEG ${kind} ${Math.random()}`)),
    );
    const over = detectionBody({ plate: { number: '湘F1C001', color: 'yellow' }, evidence: photos });
    const under = detectionBody({
      plate: { number: '湘F1C002', color: 'yellow' },
      evidence: photos,
      weighing: { grossKg: 40_000, axleLoadsKg: [6000, 7000, 7000, 6600, 6700, 6700], speedKmh: 60 },
    });
    for (const body of [over, under]) expect((await signedPost(api, s, body)).status).toBe(202);

    expect(await screened(s, over['detectionId'] as string)).toMatchObject({
      outcome: 'lead',
      leadId: expect.any(String),
    });
    expect(await screened(s, under['detectionId'] as string)).toMatchObject({ outcome: 'no_violation' });
    const { rows } = await api.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events a JOIN detections d ON d.id::text = a.entity_id
        WHERE a.action = 'detection.screened' AND d.station_id = $1`,
      [s.id],
    );
    expect(rows[0]!.n).toBe(2); // each screened once
    // The screening queue's keys are in the cluster, under the queue's own hash tag.
    const keys = await clusterKeys(cluster.client);
    expect(keys.filter((k) => k.startsWith(`{${prefix}:screening}:screening:`)).length).toBeGreaterThan(0);
  });

  it('limits each station on its own while the takes of concurrent requests share one script', async () => {
    const [busy, other] = [await station('RA'), await station('RB')];
    // Requests of both stations at once: the API takes their tokens in one script over both stations' keys.
    const responses = await Promise.all(
      [busy, other].flatMap((s) => Array.from({ length: 10 }, () => signedPost(api, s, detectionBody()))),
    );
    for (const part of [responses.slice(0, 10), responses.slice(10)]) {
      const statuses = part.map((r) => r.status);
      const accepted = statuses.filter((st) => st === 202).length;
      // A burst of 5, plus at most a token or two refilled at 1/s while the requests are answered.
      expect(accepted).toBeGreaterThanOrEqual(5);
      expect(accepted).toBeLessThanOrEqual(7);
      expect(statuses.filter((st) => st === 429)).toHaveLength(10 - accepted);
    }
    // A limiter that failed (CROSSSLOT) would have admitted everything and said so.
    expect(logs()).not.toMatch(/rate limiter unavailable/);
    const keys = await clusterKeys(cluster.client);
    for (const s of [busy, other]) expect(keys).toContain(`{${prefix}}:intake:rate:${s.id}`);
  });

  it('sends the notice, fences the vehicle by a delayed deadline job, and fans the alert out to both APIs', async () => {
    const stationA = await station('FA');
    const stationB = await station('FB');
    const lead = await insertLead(api, stationA.id, { platePrefix: '湘K' });
    const reviewed = await call(api, 'POST', `/api/v1/leads/${lead.leadId}/review`, {
      token: officer.token,
      body: {
        decision: 'confirm',
        reason: '号牌、轴数与图像一致',
        checks: { plateMatches: true, axleCountMatches: true },
      },
    });
    expect(reviewed.status).toBe(200);
    // The SMS goes out through the notices queue; its delivery starts the response window.
    await waitFor(
      'the owner notified',
      async () =>
        (await api.db.query('SELECT status FROM leads WHERE id = $1', [lead.leadId])).rows[0]?.status ===
        'notified',
      { timeoutMs: 30_000, output: logs },
    );
    const { rows: windows } = await api.db.query<{ id: string }>(
      `UPDATE deadlines SET due_at = now() - interval '1 minute', started_at = now() - interval '16 days'
        WHERE lead_id = $1 AND kind = 'response_window' AND status = 'open' RETURNING id`,
      [lead.leadId],
    );
    expect(windows).toHaveLength(1);

    // The deadline's job, delayed half a second, in the deadlines queue under that queue's hash tag (the
    // response window has no job of its own: the sweep finds it, and the sweep is off here).
    const deadlines = new Queue(JOBS.deadlineDue.queue, {
      connection: cluster.client,
      prefix: `{${prefix}:deadlines}`,
    });
    const streams = [
      await openStream(api, officer.token),
      await openStream({ ...api, url: api2.url }, officer.token),
    ];
    try {
      const payload = { deadlineId: windows[0]!.id, phase: 'due' as const };
      const job = await deadlines.add(JOBS.deadlineDue.name, payload, {
        jobId: JOBS.deadlineDue.jobId(payload),
        delay: 500,
      });
      expect(await job.getState()).toBe('delayed');
      await waitFor('the deadline job to complete', async () => (await job.getState()) === 'completed', {
        output: logs,
      });
      expect((await deadlines.getJob(job.id!))?.returnvalue).toBe('done');
      const fence = await waitFor('the fence', async () => {
        const r = await call(api, 'GET', `/api/v1/fences?status=active&leadId=${lead.leadId}`, {
          token: officer.token,
        });
        return r.body.items?.[0] as { id: string } | undefined;
      });

      // The fenced vehicle passes station B, reported to the first API: both APIs' streams carry the alert.
      const accepted = await signedPost(
        api,
        stationB,
        detectionBody({ plate: { number: lead.plate, color: 'yellow' } }),
      );
      expect(accepted.status).toBe(202);
      for (const stream of streams) {
        const frame = await stream.next(
          (e) => e.event === 'interception' && JSON.parse(e.data).detectionId === accepted.body.receiptId,
        );
        expect(JSON.parse(frame.data)).toMatchObject({
          plate: lead.plate,
          fenceId: fence.id,
          leadId: lead.leadId,
        });
      }
    } finally {
      await Promise.all(streams.map((s) => s.close()));
      await deadlines.close();
    }
  });

  it('keeps every key of the system under a hash tag of its prefix', async () => {
    const keys = await clusterKeys(cluster.client);
    // every declared queue under its own tag, everything else under the prefix's
    const tagged = new RegExp(`^\\{${prefix}(:(${QUEUE_NAMES.join('|')}))?\\}:`);
    expect(keys.filter((k) => !tagged.test(k))).toEqual([]);
    for (const queue of ['screening', 'notices', 'deadlines'])
      expect(keys.some((k) => k.startsWith(`{${prefix}:${queue}}:${queue}:`))).toBe(true);
  });

  it("goes on when the screening queue's master dies: its replica takes over", async () => {
    const s = await station('FO');
    const tag = `{${prefix}:screening}`;
    const victim = await cluster.masterOf(tag);
    untilFailover = logs();
    await cluster.kill(victim);
    await waitFor(
      'the replica promoted',
      async () => (await cluster.masterOf(tag).catch(() => victim)) !== victim,
      30_000,
    );
    const photos = ['plate_front', 'plate_rear', 'side'].map((kind) =>
      evidenceItem(kind, Buffer.from(`JPEG ${kind} ${Math.random()}`)),
    );
    const body = detectionBody({ plate: { number: '湘F1C009', color: 'yellow' }, evidence: photos });
    const accepted = await waitFor('a detection accepted', async () => {
      const r = await signedPost(api, s, body);
      return r.status === 202 ? r : null;
    });
    expect(accepted.status).toBe(202);
    expect(await screened(s, body['detectionId'] as string)).toMatchObject({ outcome: 'lead' });
  });
});
