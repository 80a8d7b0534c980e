import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { fenceChannels, type FenceChangedMessage } from '@ecc/fences-domain';
import {
  ADMIN,
  call,
  freePort,
  spawnApp,
  startTestStack,
  stopProcess,
  tokenFor,
  type TestApi,
  type TestStack,
  makeUser,
} from '../support/test-app';
import { createStation, detectionBody, signedPost, type TestStation } from '../support/station-client';
import { waitFor } from '../support/wait-for';
import { insertLead } from '../support/lead-fixture';
import { openStream } from '../support/alert-stream';

/**
 * The electronic fence (issue 4, lifecycle step 5) over the real API and worker processes: a confirmed lead
 * whose response window ends without a response is fenced by the worker's deadline sweep; a later signed
 * detection of the plate at another station raises an interception alert that reaches the SSE stream and
 * `GET /alerts`; the duty team acknowledges and resolves it. A response stops the window (no fence); a fence
 * is lifted by hand or by the case's filing. Bad input and the auditor change nothing.
 *
 * Time: the response window is 15 days; the test moves the lead's `response_window` deadline row into the
 * past and lets the worker's sweep (every 300 ms here) find it, as the cases e2e does.
 */

jest.setTimeout(120_000);

/** A screened lead as screening would have written it, with a registered vehicle and owner (so notices go out). */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An open SSE connection read with fetch: its parsed events and comments, and a bounded wait for one. */
describe('fences: response window → fence → interception alert on the stream → handled; responses, lifting', () => {
  let stack: TestStack;
  let api: TestApi;
  let admin: string;
  let o1: { token: string; id: string };
  let o2: { token: string; id: string };
  let approver: { token: string; id: string };
  let auditor: { token: string; id: string };
  let stationA: TestStation & { id: string };
  let stationB: TestStation & { id: string };

  const confirm = {
    decision: 'confirm',
    reason: '号牌、轴数与图像一致',
    checks: { plateMatches: true, axleCountMatches: true },
  };
  const count = async (sql: string, params: unknown[] = []) =>
    (await api.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0]!.n;
  // The worker sends the notices of earlier reviews in the background and audits each sending: those
  // events are not writes of the request under test.
  const REQUEST_AUDITS = "audit_events WHERE entity_type <> 'notice'";

  /**
   * A lead of station A, reviewed and confirmed by o1, whose owner's SMS the worker has delivered (the local
   * provider delivers at once): notified, its response window running from the delivery.
   */
  async function confirmedLead(): Promise<{ leadId: string; plate: string }> {
    const lead = await insertLead(api, stationA.id, { platePrefix: '湘K' });
    const res = await call(api, 'POST', `/api/v1/leads/${lead.leadId}/review`, {
      token: o1.token,
      body: confirm,
    });
    expect(res.status).toBe(200);
    expect(res.body.respondBy).toEqual(expect.any(String));
    await waitFor('the owner notified', async () => (await leadStatus(lead.leadId)) === 'notified');
    return lead;
  }
  const leadStatus = async (leadId: string) =>
    (await api.db.query<{ status: string }>('SELECT status FROM leads WHERE id = $1', [leadId])).rows[0]
      ?.status;

  /** Makes the lead's response window end now (as if 15 days had passed) and waits for the sweep's fence. */
  async function endWindowAndAwaitFence(
    leadId: string,
  ): Promise<{ id: string; plate: string; status: string }> {
    const moved = await api.db.query(
      `UPDATE deadlines SET due_at = now() - interval '1 minute', started_at = now() - interval '16 days'
        WHERE lead_id = $1 AND kind = 'response_window' AND status = 'open'`,
      [leadId],
    );
    expect(moved.rowCount).toBe(1);
    return waitFor('the fence', async () => {
      const res = await call(api, 'GET', `/api/v1/fences?status=active&leadId=${leadId}`, {
        token: o1.token,
      });
      expect(res.status).toBe(200);
      return res.body.items[0];
    });
  }

  async function stationWithId(code?: string): Promise<TestStation & { id: string }> {
    const s = await createStation(api, admin, code);
    const { rows } = await api.db.query<{ id: string }>('SELECT id FROM stations WHERE code = $1', [s.code]);
    return { ...s, id: rows[0]!.id };
  }

  beforeAll(async () => {
    stack = await startTestStack('fences', {
      DEADLINE_SWEEP_INTERVAL_MS: '300',
      FENCE_SWEEP_INTERVAL_MS: '300',
    });
    api = stack.api;
    admin = await tokenFor(api, ADMIN.username, ADMIN.password);
    o1 = await makeUser(api, admin, 'fence.officer1', ['officer'], { enforcementCertificateNo: 'HN-F-0001' });
    o2 = await makeUser(api, admin, 'fence.officer2', ['officer'], { enforcementCertificateNo: 'HN-F-0002' });
    approver = await makeUser(api, admin, 'fence.approver', ['approver']);
    auditor = await makeUser(api, admin, 'fence.auditor', ['auditor']);
    stationA = await stationWithId();
    stationB = await stationWithId();
  }, 120_000);

  afterAll(async () => {
    // Neither process logged an error (level 50) or a fatal (60) along the way.
    const logs = `${stack?.worker.output() ?? ''}${stack?.api.output() ?? ''}`;
    await stack?.close();
    expect(logs).not.toMatch(/"level":(50|60)/);
  });

  it('fences a lead whose response window ended, alerts the stream when the plate passes another station, and the alert is handled', async () => {
    const stream = await openStream(api, o1.token);
    try {
      expect(stream.response.status).toBe(200);
      expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);

      const { leadId, plate } = await confirmedLead();
      const fence = await endWindowAndAwaitFence(leadId);
      expect(fence).toMatchObject({ plate, plateColour: 'yellow', leadId, status: 'active', caseId: null });
      const lead = await api.db.query('SELECT status FROM leads WHERE id = $1', [leadId]);
      expect(lead.rows[0].status).toBe('fenced');
      expect(
        await count(`deadlines WHERE lead_id = $1 AND kind = 'response_window' AND status = 'missed'`, [
          leadId,
        ]),
      ).toBe(1);
      expect(await count(`audit_events WHERE action = 'fence.created' AND entity_id = $1`, [leadId])).toBe(1);
      // the reviewing officer is told (GET /me/alerts)
      const mine = await call(api, 'GET', '/api/v1/me/alerts', { token: o1.token });
      expect(mine.body.items ?? mine.body).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: 'response_window_ended', leadId })]),
      );

      // an unfenced vehicle passes: nothing is raised for it
      const other = detectionBody({ plate: { number: '湘K99999', color: 'yellow' } });
      expect((await signedPost(api, stationB, other)).status).toBe(202);
      // the fenced vehicle passes station B
      const body = detectionBody({ plate: { number: plate, color: 'yellow' } });
      const accepted = await signedPost(api, stationB, body);
      expect(accepted.status).toBe(202);
      const receiptId = accepted.body.receiptId as string;

      const frame = await stream.next(
        (e) => e.event === 'interception' && JSON.parse(e.data).detectionId === receiptId,
      );
      const alert = JSON.parse(frame.data);
      expect(alert).toMatchObject({
        status: 'open',
        plate,
        station: { id: stationB.id, code: stationB.code },
        detectionId: receiptId,
        detectedAt: new Date(body['detectedAt'] as string).toISOString(),
        fenceId: fence.id,
        leadId,
        caseId: null,
      });
      expect(await count(`interception_alerts`)).toBe(1);

      const open = await call(api, 'GET', '/api/v1/alerts?status=open', { token: auditor.token });
      expect(open.status).toBe(200);
      expect(open.body.items.map((a: { id: string }) => a.id)).toEqual([alert.id]);

      // the auditor reads but cannot handle the alert
      const audits = await count(REQUEST_AUDITS);
      expect(
        (await call(api, 'POST', `/api/v1/alerts/${alert.id}/acknowledge`, { token: auditor.token })).status,
      ).toBe(403);
      expect(
        (
          await call(api, 'POST', `/api/v1/alerts/${alert.id}/resolve`, {
            token: auditor.token,
            body: { resolution: 'x' },
          })
        ).status,
      ).toBe(403);
      expect(await count(REQUEST_AUDITS)).toBe(audits);

      const ack = await call(api, 'POST', `/api/v1/alerts/${alert.id}/acknowledge`, { token: o2.token });
      expect(ack.status).toBe(200);
      expect(ack.body).toMatchObject({ status: 'acknowledged', acknowledgedById: o2.id });
      const again = await call(api, 'POST', `/api/v1/alerts/${alert.id}/acknowledge`, { token: o2.token });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('alert_not_open');

      for (const bad of [{}, { resolution: '' }, { resolution: 'ok', extra: 1 }]) {
        const res = await call(api, 'POST', `/api/v1/alerts/${alert.id}/resolve`, {
          token: o2.token,
          body: bad,
        });
        expect(res.status).toBe(400);
        expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      }
      expect(
        (
          await call(api, 'POST', `/api/v1/alerts/${randomUUID()}/resolve`, {
            token: o2.token,
            body: { resolution: 'x' },
          })
        ).status,
      ).toBe(404);
      const resolved = await call(api, 'POST', `/api/v1/alerts/${alert.id}/resolve`, {
        token: o2.token,
        body: { resolution: '已在S308线K20处拦截，车辆带至超限检测站卸载' },
      });
      expect(resolved.status).toBe(200);
      expect(resolved.body).toMatchObject({
        status: 'resolved',
        resolution: expect.stringContaining('拦截'),
      });
      expect((await call(api, 'GET', '/api/v1/alerts?status=open', { token: o1.token })).body.items).toEqual(
        [],
      );
      expect(
        (await call(api, 'GET', '/api/v1/alerts?status=resolved', { token: o1.token })).body.items[0],
      ).toMatchObject({ id: alert.id, status: 'resolved' });
      expect(
        (
          await api.db.query(
            `SELECT action FROM audit_events WHERE entity_type = 'interception_alert' AND entity_id = $1 ORDER BY id`,
            [alert.id],
          )
        ).rows.map((r) => r.action),
      ).toEqual([
        'interception_alert.raised',
        'interception_alert.acknowledged',
        'interception_alert.resolved',
      ]);
      expect(await count(`interception_alerts`)).toBe(1); // still none for the unfenced plate
    } finally {
      await stream.close();
    }
  });

  it('the stream needs a bearer token; bad queries are 400', async () => {
    const res = await fetch(`${api.url}/api/v1/alerts/stream`);
    expect(res.status).toBe(401);
    await res.body?.cancel();
    expect((await call(api, 'GET', '/api/v1/alerts?status=closed', { token: o1.token })).status).toBe(400);
    expect((await call(api, 'GET', '/api/v1/fences?status=gone', { token: o1.token })).status).toBe(400);
    expect((await call(api, 'GET', '/api/v1/fences', {})).status).toBe(401);
  });

  it('a lead whose party came forward is not fenced; bad responses and the auditor write nothing', async () => {
    const { leadId } = await confirmedLead();
    const path = `/api/v1/leads/${leadId}/responses`;
    const before = { audits: await count(REQUEST_AUDITS), responses: await count('lead_responses') };
    const bad: unknown[] = [
      {},
      { respondedAt: 'yesterday', channel: 'in_person' },
      { respondedAt: new Date().toISOString(), channel: 'fax' },
      { respondedAt: new Date().toISOString(), channel: 'phone', extra: true },
      { respondedAt: new Date(Date.now() + 86_400_000).toISOString(), channel: 'phone' },
      { respondedAt: new Date(Date.now() - 86_400_000).toISOString(), channel: 'phone' }, // before the review
    ];
    for (const body of bad) {
      const res = await call(api, 'POST', path, { token: o1.token, body });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
    const valid = {
      respondedAt: new Date().toISOString(),
      channel: 'in_person',
      note: '车主到汨罗超限站接受调查',
    };
    expect((await call(api, 'POST', path, { token: auditor.token, body: valid })).status).toBe(403);
    expect(
      (await call(api, 'POST', `/api/v1/leads/${randomUUID()}/responses`, { token: o1.token, body: valid }))
        .status,
    ).toBe(404);
    const unreviewed = await insertLead(api, stationA.id, { platePrefix: '湘K' });
    const early = await call(api, 'POST', `/api/v1/leads/${unreviewed.leadId}/responses`, {
      token: o1.token,
      body: valid,
    });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('lead_not_awaiting_response');
    expect(await count(REQUEST_AUDITS)).toBe(before.audits);
    expect(await count('lead_responses')).toBe(before.responses);

    const res = await call(api, 'POST', path, { token: o1.token, body: valid });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      leadId,
      channel: 'in_person',
      responseWindowStopped: true,
      liftedFenceIds: [],
    });
    expect((await call(api, 'POST', path, { token: o1.token, body: valid })).body.code).toBe(
      'lead_already_responded',
    );
    expect(await count(`audit_events WHERE action = 'lead.responded' AND entity_id = $1`, [leadId])).toBe(1);
    const deadline = await api.db.query(
      `SELECT status, stopped_by FROM deadlines WHERE lead_id = $1 AND kind = 'response_window'`,
      [leadId],
    );
    expect(deadline.rows).toEqual([{ status: 'met', stopped_by: 'party_responded' }]);

    // even with its instant in the past, a met window fences nothing (several sweeps later)
    await api.db.query(`UPDATE deadlines SET due_at = now() - interval '1 minute' WHERE lead_id = $1`, [
      leadId,
    ]);
    await sleep(1_500);
    expect(await count('fences WHERE lead_id = $1', [leadId])).toBe(0);
  });

  it('a fence is lifted by an officer with a reason: later passes raise nothing; a response after the window lifts it too', async () => {
    const { leadId, plate } = await confirmedLead();
    const fence = await endWindowAndAwaitFence(leadId);
    const path = `/api/v1/fences/${fence.id}/lift`;
    const audits = await count(REQUEST_AUDITS);
    expect((await call(api, 'POST', path, { token: o1.token, body: {} })).status).toBe(400);
    expect((await call(api, 'POST', path, { token: o1.token, body: { reason: '  ' } })).status).toBe(400);
    expect((await call(api, 'POST', path, { token: auditor.token, body: { reason: '核实' } })).status).toBe(
      403,
    );
    expect(
      (
        await call(api, 'POST', `/api/v1/fences/${randomUUID()}/lift`, {
          token: o1.token,
          body: { reason: 'x' },
        })
      ).status,
    ).toBe(404);
    expect(await count(REQUEST_AUDITS)).toBe(audits);

    const lifted = await call(api, 'POST', path, {
      token: approver.token,
      body: { reason: '车主已缴纳罚款，经负责人批准撤销布控' },
    });
    expect(lifted.status).toBe(200);
    expect(lifted.body).toMatchObject({
      id: fence.id,
      status: 'lifted',
      liftReason: expect.stringContaining('撤销布控'),
    });
    expect((await call(api, 'POST', path, { token: o1.token, body: { reason: '再次' } })).body.code).toBe(
      'fence_not_active',
    );
    // the fence lifted, the lead is back to notified (its owner was told; the window is over)
    expect(await leadStatus(leadId)).toBe('notified');
    const active = await call(api, 'GET', '/api/v1/fences?status=active', { token: o1.token });
    expect(active.body.items.map((f: { id: string }) => f.id)).not.toContain(fence.id);

    const alertsBefore = await count('interception_alerts');
    const pass = await signedPost(
      api,
      stationB,
      detectionBody({ plate: { number: plate, color: 'yellow' } }),
    );
    expect(pass.status).toBe(202);
    await sleep(1_500);
    expect(await count('interception_alerts')).toBe(alertsBefore);

    // another lead: the party comes forward only after the window ended → its fence is lifted
    const late = await confirmedLead();
    const lateFence = await endWindowAndAwaitFence(late.leadId);
    const res = await call(api, 'POST', `/api/v1/leads/${late.leadId}/responses`, {
      token: o1.token,
      body: { respondedAt: new Date().toISOString(), channel: 'phone' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ responseWindowStopped: false, liftedFenceIds: [lateFence.id] });
    expect(
      (await api.db.query('SELECT status FROM fences WHERE id = $1', [lateFence.id])).rows[0].status,
    ).toBe('lifted');
  });

  it('filing the case lifts the fence and links it to the case; the history stays', async () => {
    const { leadId } = await confirmedLead();
    const fence = await endWindowAndAwaitFence(leadId);
    const created = await call(api, 'POST', '/api/v1/cases', {
      token: o1.token,
      body: { leadId, officerIds: [o1.id, o2.id] },
    });
    expect(created.status).toBe(201);
    const caseId = created.body.id as string;
    expect(
      (
        await call(api, 'POST', `/api/v1/cases/${caseId}/actions/request_filing`, {
          token: o1.token,
          body: {},
        })
      ).status,
    ).toBe(200);
    // What the other APIs' watch lists hear: the lift, announced once the approval has committed (each
    // message's fence is read as it arrives — a message sent before the commit would find it still active).
    const listener = new Redis(api.env['REDIS_URL']!, { lazyConnect: true });
    listener.on('error', () => undefined);
    const heard: { message: FenceChangedMessage; statusOnArrival: string }[] = [];
    const channel = fenceChannels(api.env['QUEUE_PREFIX']!).changed;
    listener.on('message', (_channel: string, raw: string) => {
      const message = JSON.parse(raw) as FenceChangedMessage;
      void api.db
        .query<{ status: string }>('SELECT status FROM fences WHERE id = $1', [message.fenceId])
        .then(({ rows }) => heard.push({ message, statusOnArrival: rows[0]!.status }));
    });
    await listener.connect();
    await listener.subscribe(channel);
    try {
      expect(
        (
          await call(api, 'POST', `/api/v1/cases/${caseId}/actions/approve_filing`, {
            token: approver.token,
            body: {},
          })
        ).status,
      ).toBe(200);
      await waitFor('the lift announced', async () => heard.length > 0 || undefined, 5_000);
      await sleep(300);
      expect(heard).toEqual([
        { message: { kind: 'lifted', fenceId: fence.id, plate: fence.plate }, statusOnArrival: 'lifted' },
      ]);
    } finally {
      await listener.quit().catch(() => undefined);
    }
    const row = await api.db.query('SELECT status, case_id, lift_reason FROM fences WHERE id = $1', [
      fence.id,
    ]);
    expect(row.rows[0]).toEqual({ status: 'lifted', case_id: caseId, lift_reason: '案件已立案' });
    expect(await count(`audit_events WHERE action = 'fence.lifted' AND entity_id = $1`, [caseId])).toBe(1);
    // the case's fence history (and nothing active left for its lead)
    const history = await call(api, 'GET', `/api/v1/fences?caseId=${caseId}`, { token: auditor.token });
    expect(history.body.items).toEqual([expect.objectContaining({ id: fence.id, leadId, status: 'lifted' })]);
    const active = await call(api, 'GET', `/api/v1/fences?status=active&leadId=${leadId}`, {
      token: auditor.token,
    });
    expect(active.body.items).toEqual([]);
  });

  it("the worker's sweep raises an alert the API missed, once; detections from before the fence raise none", async () => {
    const stream = await openStream(api, o1.token);
    try {
      // A fence the API has not learnt of (written behind its back: no announcement; its reload is every 30 s).
      const plate = '湘F70707';
      const before = await signedPost(
        api,
        stationA,
        detectionBody({ plate: { number: plate, color: 'yellow' } }),
      );
      expect(before.status).toBe(202);
      const fenceId = randomUUID();
      await api.db.query(
        `INSERT INTO fences (id, plate, plate_colour, status, reason, created_at)
         VALUES ($1, $2, 'yellow', 'active', '逾期未接受处理（测试）', now())`,
        [fenceId, plate],
      );
      const missed = await signedPost(
        api,
        stationB,
        detectionBody({ plate: { number: plate, color: 'yellow' } }),
      );
      expect(missed.status).toBe(202);
      // The API raised nothing: its watch list does not hold the plate.
      expect(await count('interception_alerts WHERE fence_id = $1', [fenceId])).toBe(0);

      const frame = await stream.next(
        (e) => e.event === 'interception' && JSON.parse(e.data).detectionId === missed.body.receiptId,
        20_000,
      );
      expect(JSON.parse(frame.data)).toMatchObject({ fenceId, plate, station: { code: stationB.code } });
      // A few more sweeps: still exactly one alert, and none for the pass before the fence existed.
      await new Promise((r) => setTimeout(r, 1000));
      const { rows } = await api.db.query(
        `SELECT a.detection_id, e.payload->>'via' AS via FROM interception_alerts a
           JOIN audit_events e ON e.entity_id = a.id::text AND e.action = 'interception_alert.raised'
          WHERE a.fence_id = $1`,
        [fenceId],
      );
      expect(rows).toEqual([{ detection_id: missed.body.receiptId, via: 'sweep' }]);
    } finally {
      await stream.close();
    }
  });

  it('an alert raised by one API instance reaches the streams of another, whose watch list learnt the fence over pub/sub', async () => {
    const env = { ...api.env, PORT: String(await freePort()) };
    const second = spawnApp('api', env);
    const api2 = { ...api, url: `http://127.0.0.1:${env['PORT']}` };
    try {
      await waitFor(
        'the second API',
        async () => {
          if (second.child.exitCode !== null) throw new Error(second.output());
          return (await fetch(`${api2.url}/health/ready`).catch(() => undefined))?.ok || undefined;
        },
        45_000,
      );
      const stream1 = await openStream(api, o1.token);
      const stream2 = await openStream(api2, o2.token);
      try {
        // fenced after both APIs started: each learns the plate from the worker's announcement
        const { leadId, plate } = await confirmedLead();
        const fence = await endWindowAndAwaitFence(leadId);
        const viaFirst = await signedPost(
          api,
          stationB,
          detectionBody({ plate: { number: plate, color: 'yellow' } }),
        );
        expect(viaFirst.status).toBe(202);
        const onSecond = await stream2.next(
          (e) => JSON.parse(e.data).detectionId === viaFirst.body.receiptId,
        );
        expect(JSON.parse(onSecond.data)).toMatchObject({ fenceId: fence.id, plate, leadId });

        const viaSecond = await signedPost(
          api2,
          stationA,
          detectionBody({ plate: { number: plate, color: 'yellow' } }),
        );
        expect(viaSecond.status).toBe(202);
        const onFirst = await stream1.next(
          (e) => JSON.parse(e.data).detectionId === viaSecond.body.receiptId,
        );
        expect(JSON.parse(onFirst.data)).toMatchObject({
          fenceId: fence.id,
          station: { code: stationA.code },
        });
        expect(await count('interception_alerts WHERE fence_id = $1', [fence.id])).toBe(2);
        const ofLead = await call(api2, 'GET', `/api/v1/alerts?leadId=${leadId}`, { token: o1.token });
        expect(ofLead.body.items).toHaveLength(2);
        // an API stopping ends its open streams (its HTTP server does not wait for them)
        let timer: NodeJS.Timeout | undefined;
        const hung = new Promise<string>((r) => (timer = setTimeout(() => r('still running'), 20_000)));
        const stopped = await Promise.race([stopProcess(second.child).then(() => 'stopped'), hung]);
        clearTimeout(timer);
        expect(stopped).toBe('stopped');
        await waitFor('the end of the stream', async () => stream2.ended() || undefined);
        expect(second.output()).not.toMatch(/"level":(50|60)/);
      } finally {
        await stream1.close();
        await stream2.close();
      }
    } finally {
      await stopProcess(second.child);
    }
  });
});
