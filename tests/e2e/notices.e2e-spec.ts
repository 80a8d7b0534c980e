import { createHmac, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { JOBS } from '@ecc/shared-queues';
import { FakeSmsProvider } from '../support/fake-sms-provider';
import {
  ADMIN,
  call,
  startTestStack,
  tokenFor,
  type JsonResponse,
  type TestStack,
} from '../support/test-app';

/**
 * Notices end to end: the real API and worker processes, a fake SMS vendor and push receivers over HTTP.
 * Notices are inserted as the lead review inserts them (pending rows after its commit); the worker's sweeper
 * finds them, so these tests also prove that a lost enqueue loses no notice.
 */

const API_KEY = 'fake-vendor-api-key';
const CALLBACK_SECRET = 'fake-vendor-callback-secret';
const ENTERPRISE_SECRET = 'enterprise-push-secret-0001';
const JURISDICTION_SECRET = 'jurisdiction-push-secret-01';
const ENTERPRISE = '岳阳市通达运输有限公司';
const SMS_TEXT =
  '【汨罗市交通运输综合行政执法大队】湘F12345车辆所有人/经营人：该车于2026年11月27日22时05分在S308线K12+300经超限检测，' +
  '车货总质量52,340千克，限值49,000千克，超限722千克。本短信仅为告知，不是行政处罚决定书的送达。';

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  output: () => string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`${what} did not happen within ${timeoutMs} ms\n${output().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A station and a confirmed lead, as screening and the lead review leave them. */
async function insertLead(stack: TestStack): Promise<string> {
  const db = stack.api.db;
  const station = await db.query<{ id: string }>(
    `INSERT INTO stations (id, code, name, road, stake, direction, updated_at)
     VALUES (gen_random_uuid(), $1, '汨罗S308超限检测点', 'S308', 'K12+300', '往长沙方向', now()) RETURNING id`,
    [`ST-${randomUUID().slice(0, 8)}`],
  );
  const lead = await db.query<{ id: string }>(
    `INSERT INTO leads (id, status, station_id, plate, violation_at, axle_count, gross_mass_kg, limit_kg,
       tolerance_kg, excess_kg, proposed_penalty_kind, proposed_basis, rules, updated_at)
     VALUES (gen_random_uuid(), 'confirmed', $1, '湘F12345', '2026-11-27T14:05:00Z', 6, 52340, 49000, 2618, 722,
       'warning', '{}', '[]', now()) RETURNING id`,
    [station.rows[0]!.id],
  );
  return lead.rows[0]!.id;
}

/** A pending notice as `createLeadNotices` writes it, created `ageMs` ago (the sweeper takes it from there). */
async function insertNotice(
  stack: TestStack,
  leadId: string,
  notice: { channel: 'sms' | 'push'; template: string; recipient: string; body: string },
  ageMs = 2_000,
): Promise<string> {
  const { rows } = await stack.api.db.query<{ id: string }>(
    `INSERT INTO notices (id, lead_id, channel, recipient, template, body, status, respond_by, created_at, updated_at)
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, 'pending', '2026-12-12T15:59:59.999Z',
       now() - make_interval(secs => $6::double precision / 1000), now()) RETURNING id`,
    [leadId, notice.channel, notice.recipient, notice.template, notice.body, ageMs],
  );
  return rows[0]!.id;
}

describe('notices with the HTTP SMS vendor and push endpoints', () => {
  const vendor = new FakeSmsProvider(API_KEY, CALLBACK_SECRET);
  let stack: TestStack;
  let token: string;
  let leadId: string;

  const notice = async (id: string) =>
    (await call(stack.api, 'GET', `/api/v1/notices/${id}`, { token })).body;
  const waitForStatus = (id: string, status: string) =>
    eventually(
      `notice ${id} ${status}`,
      async () => {
        const n = await notice(id);
        return n.status === status ? n : null;
      },
      () => stack.worker.output(),
    );

  beforeAll(async () => {
    await vendor.start();
    stack = await startTestStack('notices', {
      SMS_PROVIDER: 'http',
      SMS_HTTP_URL: `${vendor.url}/sms/send`,
      SMS_HTTP_API_KEY: API_KEY,
      SMS_HTTP_TEMPLATE_ID: 'TPL-LEAD-001',
      SMS_HTTP_CALLBACK_SECRET: CALLBACK_SECRET,
      PUSH_ENDPOINTS: JSON.stringify([
        {
          name: ENTERPRISE,
          kind: 'enterprise',
          url: `${vendor.url}/push/enterprise`,
          secret: ENTERPRISE_SECRET,
        },
        {
          name: '*',
          kind: 'jurisdiction',
          url: `${vendor.url}/push/jurisdiction`,
          secret: JURISDICTION_SECRET,
        },
      ]),
      NOTICE_SWEEP_INTERVAL_MS: '250',
      NOTICE_STALE_AFTER_MS: '1000',
      NOTICE_HTTP_TIMEOUT_MS: '1000',
      // a failed attempt is retried after 200 ms here (10 s by default)
      NOTICE_RETRY_INITIAL_DELAY_MS: '200',
    });
    token = await tokenFor(stack.api, ADMIN.username, ADMIN.password);
    leadId = await insertLead(stack);
  }, 90_000);

  afterAll(async () => {
    await stack?.close();
    await vendor.stop();
  });

  let smsId: string;
  let messageId: string;

  it('retries a failed SMS: one message reaches the vendor, two attempts are recorded', async () => {
    vendor.failNext(1);
    smsId = await insertNotice(stack, leadId, {
      channel: 'sms',
      template: 'lead_sms',
      recipient: '13800138000',
      body: SMS_TEXT,
    });
    const sent = await waitForStatus(smsId, 'sent');

    const requests = vendor.received('/sms');
    expect(requests).toHaveLength(2);
    for (const r of requests) {
      expect(r.headers['idempotency-key']).toBe(smsId);
      expect(JSON.parse(r.body)).toEqual({
        templateId: 'TPL-LEAD-001',
        to: '13800138000',
        text: SMS_TEXT,
        reference: smsId,
      });
    }
    expect(vendor.messages.size).toBe(1);
    messageId = vendor.messages.get(smsId)!.messageId;

    expect(sent.attempts).toEqual([
      expect.objectContaining({
        attemptNo: 1,
        status: 'failed',
        provider: 'sms-http',
        error: expect.stringContaining('503'),
      }),
      expect.objectContaining({
        attemptNo: 2,
        status: 'sent',
        provider: 'sms-http',
        providerMessageId: messageId,
      }),
    ]);
    expect(sent.sentAt).toEqual(expect.any(String));
    // accepted by the vendor is not delivered: the lead waits for the receipt, no response window runs yet
    const lead = await stack.api.db.query('SELECT status FROM leads WHERE id = $1', [leadId]);
    expect(lead.rows[0].status).toBe('confirmed');
    expect((await stack.api.db.query('SELECT 1 FROM deadlines WHERE lead_id = $1', [leadId])).rowCount).toBe(
      0,
    );
  });

  it('never sends a sent notice again, even when its job runs once more', async () => {
    const redis = new Redis(stack.api.env['REDIS_URL']!, { maxRetriesPerRequest: null });
    const queue = new Queue(JOBS.sendNotice.queue, {
      connection: redis,
      prefix: stack.api.env['QUEUE_PREFIX'],
    });
    try {
      const jobId = JOBS.sendNotice.jobId({ noticeId: smsId });
      await (await queue.getJob(jobId))?.remove();
      await queue.add(JOBS.sendNotice.name, { noticeId: smsId }, { jobId });
      const job = await eventually(
        'the repeated job',
        async () => {
          const j = await queue.getJob(jobId);
          return j && (await j.getState()) === 'completed' ? j : null;
        },
        () => stack.worker.output(),
      );
      expect(job.returnvalue).toEqual({ outcome: 'skipped', status: 'sent' });
    } finally {
      await queue.close();
      redis.disconnect();
    }
    expect(vendor.received('/sms')).toHaveLength(2);
    expect((await notice(smsId)).attempts).toHaveLength(2);
  });

  it('a vendor answering after the timeout is a failed attempt; the retry sends nothing new', async () => {
    vendor.answerLate(1, 2_500);
    const id = await insertNotice(stack, leadId, {
      channel: 'sms',
      template: 'lead_sms',
      recipient: '13800138001',
      body: SMS_TEXT,
    });
    const sent = await waitForStatus(id, 'sent');
    expect(sent.attempts).toEqual([
      expect.objectContaining({
        attemptNo: 1,
        status: 'failed',
        error: expect.stringContaining('no answer within'),
      }),
      expect.objectContaining({
        attemptNo: 2,
        status: 'sent',
        providerMessageId: vendor.messages.get(id)?.messageId,
      }),
    ]);
    // two calls with the same idempotency key, one message to the handset
    expect(vendor.received('/sms').filter((r) => r.headers['idempotency-key'] === id)).toHaveLength(2);
    expect([...vendor.messages.values()].filter((m) => m.to === '13800138001')).toHaveLength(1);
  });

  it('refuses receipts with a bad signature, an unknown message or an unknown provider', async () => {
    const bad = await vendor.sendReceipt(
      stack.api.url,
      { messageId, status: 'delivered' },
      { secret: 'not-the-secret' },
    );
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ code: 'receipt_signature_invalid' });
    expect((await notice(smsId)).status).toBe('sent');

    const unknown = await vendor.sendReceipt(stack.api.url, {
      messageId: 'no-such-message',
      status: 'delivered',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'provider_message_not_found' });

    const provider = await vendor.sendReceipt(
      stack.api.url,
      { messageId, status: 'delivered' },
      { provider: 'acme' },
    );
    expect(provider.status).toBe(404);

    // signed but malformed: a clear 400, nothing changed
    const raw = JSON.stringify({ messageId, status: 'read' });
    const malformed = await fetch(`${stack.api.url}/api/v1/notices/receipts/http`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-signature': createHmac('sha256', CALLBACK_SECRET).update(raw).digest('hex'),
      },
      body: raw,
    });
    expect(malformed.status).toBe(400);
    expect((await notice(smsId)).status).toBe('sent');
  });

  it('a signed receipt marks the notice delivered; its replay changes nothing', async () => {
    const first = await vendor.sendReceipt(stack.api.url, { messageId, status: 'delivered' });
    expect(first).toEqual({ status: 200, body: { noticeId: smsId, status: 'delivered', changed: true } });
    const replay = await vendor.sendReceipt(stack.api.url, { messageId, status: 'delivered' });
    expect(replay).toEqual({ status: 200, body: { noticeId: smsId, status: 'delivered', changed: false } });
    const late = await vendor.sendReceipt(stack.api.url, { messageId, status: 'failed', error: 'expired' });
    expect(late.body).toMatchObject({ status: 'delivered', changed: false });

    const delivered = await notice(smsId);
    expect(delivered).toMatchObject({ status: 'delivered', deliveredAt: expect.any(String) });
    expect(delivered.attempts[1]).toMatchObject({ status: 'delivered', providerMessageId: messageId });
    const audit = await stack.api.db.query(
      `SELECT action FROM audit_events WHERE entity_type = 'notice' AND entity_id = $1 ORDER BY id`,
      [smsId],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['notice.sent', 'notice.delivered']);
    // 已告知: the owner's SMS delivered, the lead is notified and its response window runs from the delivery
    const lead = await stack.api.db.query('SELECT status FROM leads WHERE id = $1', [leadId]);
    expect(lead.rows[0].status).toBe('notified');
    const window = await stack.api.db.query(
      `SELECT started_at, due_at FROM deadlines WHERE lead_id = $1 AND kind = 'response_window' AND status = 'open'`,
      [leadId],
    );
    expect(window.rows).toHaveLength(1);
    expect(new Date(window.rows[0].started_at).toISOString()).toBe(delivered.deliveredAt);
    // 15 days from the delivery, later than the day the SMS states (written long before)
    expect(new Date(window.rows[0].due_at).getTime() - Date.parse(delivered.deliveredAt)).toBeGreaterThan(
      14 * 86_400_000,
    );
    const events = await stack.api.db.query(
      `SELECT action FROM audit_events WHERE entity_type = 'lead' AND entity_id = $1 ORDER BY id`,
      [leadId],
    );
    expect(events.rows.map((r) => r.action)).toEqual(['lead.notified']);
  });

  it('pushes to the enterprise and the home jurisdiction as signed webhooks', async () => {
    const enterpriseId = await insertNotice(stack, leadId, {
      channel: 'push',
      template: 'lead_push_enterprise',
      recipient: ENTERPRISE,
      body: '贵单位车辆湘F12345涉嫌违法超限运输。',
    });
    const jurisdictionId = await insertNotice(stack, leadId, {
      channel: 'push',
      template: 'lead_push_jurisdiction',
      recipient: '湖南省岳阳市',
      body: '贵辖区登记车辆湘F12345涉嫌违法超限运输。',
    });
    for (const [id, path, secret] of [
      [enterpriseId, '/push/enterprise', ENTERPRISE_SECRET],
      [jurisdictionId, '/push/jurisdiction', JURISDICTION_SECRET],
    ] as const) {
      const delivered = await waitForStatus(id, 'delivered');
      expect(delivered.attempts).toEqual([
        expect.objectContaining({
          attemptNo: 1,
          status: 'delivered',
          provider: expect.stringMatching(/^push:/),
        }),
      ]);
      const [request, ...more] = vendor.received(path);
      expect(more).toHaveLength(0);
      const timestamp = String(request!.headers['x-timestamp']);
      const expected = createHmac('sha256', secret).update(`${timestamp}.${request!.body}`).digest('hex');
      expect(request!.headers['x-signature']).toBe(expected);
      expect(request!.headers['idempotency-key']).toBe(id);
      expect(JSON.parse(request!.body)).toMatchObject({
        noticeId: id,
        leadId,
        plate: '湘F12345',
        respondBy: '2026-12-12T15:59:59.999Z',
      });
    }
  });

  it('a push without a configured endpoint fails at once, with the reason recorded', async () => {
    const id = await insertNotice(stack, leadId, {
      channel: 'push',
      template: 'lead_push_enterprise',
      recipient: '某未登记企业',
      body: '推送',
    });
    const failed = await waitForStatus(id, 'failed');
    expect(failed.attempts).toEqual([
      expect.objectContaining({ status: 'failed', error: expect.stringContaining('PUSH_ENDPOINTS') }),
    ]);
  });

  it('a lead confirmed at POST /leads/{id}/review notifies its owner, enterprise and home jurisdiction', async () => {
    const db = stack.api.db;
    const officer = await call(stack.api, 'POST', '/api/v1/users', {
      token,
      body: {
        username: 'li.na',
        password: 'officer-password-1',
        displayName: '李娜',
        roles: ['officer'],
        enforcementCertificateNo: 'HN-0431-0202',
      },
    });
    expect(officer.status).toBe(201);
    const officerToken = await tokenFor(stack.api, 'li.na', 'officer-password-1');
    const owner = await db.query<{ id: string }>(
      `INSERT INTO parties (id, kind, name, phone, updated_at)
       VALUES (gen_random_uuid(), 'person', '王强', '13700137000', now()) RETURNING id`,
    );
    const enterprise = await db.query<{ id: string }>(
      `WITH p AS (INSERT INTO parties (id, kind, name, updated_at)
                  VALUES (gen_random_uuid(), 'organisation', $1, now()) RETURNING id)
       INSERT INTO road_transport_enterprises (id, party_id, licence_no, fleet_size, updated_at)
       SELECT gen_random_uuid(), p.id, '湘交运管许可岳字430600001号', 40, now() FROM p RETURNING id`,
      [ENTERPRISE],
    );
    const vehicle = await db.query<{ id: string }>(
      `INSERT INTO vehicles (id, plate, plate_colour, owner_party_id, enterprise_id, axle_count, updated_at)
       VALUES (gen_random_uuid(), '湘F67890', 'yellow', $1, $2, 6, now()) RETURNING id`,
      [owner.rows[0]!.id, enterprise.rows[0]!.id],
    );
    const station = await db.query<{ id: string }>('SELECT station_id AS id FROM leads WHERE id = $1', [
      leadId,
    ]);
    const lead = await db.query<{ id: string }>(
      `INSERT INTO leads (id, status, station_id, vehicle_id, plate, plate_colour, violation_at, axle_count,
         gross_mass_kg, limit_kg, tolerance_kg, excess_kg, proposed_penalty_kind, proposed_amount, proposed_basis,
         rules, updated_at)
       VALUES (gen_random_uuid(), 'pending_review', $1, $2, '湘F67890', 'yellow', now() - interval '2 hours', 6,
         56000, 49000, 2800, 4200, 'fine', 2000, '{}', '[]', now()) RETURNING id`,
      [station.rows[0]!.id, vehicle.rows[0]!.id],
    );
    const reviewed = await call(stack.api, 'POST', `/api/v1/leads/${lead.rows[0]!.id}/review`, {
      token: officerToken,
      body: {
        decision: 'confirm',
        reason: '号牌、轴数与图像一致',
        checks: { plateMatches: true, axleCountMatches: true },
      },
    });
    expect(reviewed.status).toBe(200);
    const noticeIds: string[] = reviewed.body.noticeIds;
    expect(noticeIds).toHaveLength(3);

    const [sms, enterprisePush, jurisdictionPush] = [
      await waitForStatus(noticeIds[0]!, 'sent'),
      await waitForStatus(noticeIds[1]!, 'delivered'),
      await waitForStatus(noticeIds[2]!, 'delivered'),
    ];
    expect(sms).toMatchObject({
      channel: 'sms',
      recipient: '13700137000',
      respondBy: reviewed.body.respondBy,
    });
    expect(enterprisePush).toMatchObject({ channel: 'push', recipient: ENTERPRISE });
    expect(jurisdictionPush).toMatchObject({ channel: 'push', recipient: '湖南省岳阳市' });
    const text = vendor.messages.get(noticeIds[0]!)?.text ?? '';
    for (const fact of [
      '湘F67890',
      '车货总质量56,000千克',
      '限值49,000千克',
      '超限4,200千克',
      'S308线K12+300',
      '本短信仅为告知',
    ]) {
      expect(text).toContain(fact);
    }
    expect(
      vendor.received('/push/enterprise').some((r) => r.headers['idempotency-key'] === noticeIds[1]),
    ).toBe(true);
    expect(
      vendor.received('/push/jurisdiction').some((r) => r.headers['idempotency-key'] === noticeIds[2]),
    ).toBe(true);
  });
});

describe('notices with the local SMS provider (development)', () => {
  let stack: TestStack;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack('notices_local', {
      NOTICE_SWEEP_INTERVAL_MS: '250',
      NOTICE_STALE_AFTER_MS: '500',
    });
    token = await tokenFor(stack.api, ADMIN.username, ADMIN.password);
  }, 90_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('keeps the message in the database and lists it at GET /notices', async () => {
    const leadId = await insertLead(stack);
    const id = await insertNotice(stack, leadId, {
      channel: 'sms',
      template: 'lead_sms',
      recipient: '13900139000',
      body: SMS_TEXT,
    });
    const listed = await eventually(
      'the local message',
      async () => {
        const r = await call(stack.api, 'GET', `/api/v1/notices?channel=sms&leadId=${leadId}`, { token });
        return r.body.items?.[0]?.status === 'delivered' ? r.body.items : null;
      },
      () => stack.worker.output(),
    );
    expect(listed).toEqual([
      expect.objectContaining({
        id,
        recipient: '13900139000',
        body: SMS_TEXT,
        status: 'delivered',
        attempts: [expect.objectContaining({ attemptNo: 1, status: 'delivered', provider: 'sms-local' })],
      }),
    ]);
  });

  it('sends a notice whose queued job Redis lost half of (a job hash in no state list)', async () => {
    const leadId = await insertLead(stack);
    const id = randomUUID();
    const redis = new Redis(stack.api.env['REDIS_URL']!, { maxRetriesPerRequest: null });
    try {
      // what a partial flush leaves: the job's hash without its place in the waiting list
      const key = `${stack.api.env['QUEUE_PREFIX']}:${JOBS.sendNotice.queue}:${JOBS.sendNotice.jobId({ noticeId: id })}`;
      await redis.hset(key, {
        name: JOBS.sendNotice.name,
        data: JSON.stringify({ noticeId: id }),
        opts: '{}',
      });
      await stack.api.db.query(
        `INSERT INTO notices (id, lead_id, channel, recipient, template, body, status, updated_at)
         VALUES ($1, $2, 'sms', '13900139001', 'lead_sms', $3, 'pending', now())`,
        [id, leadId, SMS_TEXT],
      );
      await eventually(
        'the notice behind the orphaned job',
        async () =>
          (await call(stack.api, 'GET', `/api/v1/notices/${id}`, { token })).body.status === 'delivered',
        () => stack.worker.output(),
      );
    } finally {
      redis.disconnect();
    }
  });

  it('pages notices of one transaction (same createdAt) without losing or repeating any', async () => {
    const leadId = await insertLead(stack);
    // one statement: one now(), as in the review's transaction; 'failed' so the worker leaves them alone
    const { rows } = await stack.api.db.query<{ id: string }>(
      `INSERT INTO notices (id, lead_id, channel, recipient, template, body, status, updated_at)
       SELECT gen_random_uuid(), $1, 'push', '湖南省岳阳市', 'lead_push_jurisdiction', 'x', 'failed', now()
         FROM generate_series(1, 5) RETURNING id`,
      [leadId],
    );
    type Page = { items: { id: string }[]; nextCursor: string | null };
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query = `/api/v1/notices?leadId=${leadId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      // Annotated: the loop's cursor would otherwise make the inferred types circular.
      const page: JsonResponse<Page> = await call(stack.api, 'GET', query, { token });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((n: { id: string }) => n.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(rows.map((r) => r.id).sort());
  });

  it('refuses bad queries, unknown notices and callers without a token', async () => {
    expect((await call(stack.api, 'GET', '/api/v1/notices?limit=0', { token })).status).toBe(400);
    expect((await call(stack.api, 'GET', '/api/v1/notices?colour=red', { token })).status).toBe(400);
    const cursor = await call(stack.api, 'GET', '/api/v1/notices?cursor=bm90LWEtY3Vyc29y', { token });
    expect(cursor.status).toBe(400);
    expect(cursor.body).toMatchObject({ code: 'invalid_cursor' });
    expect((await call(stack.api, 'GET', '/api/v1/notices/not-a-uuid', { token })).status).toBe(400);
    const missing = await call(stack.api, 'GET', `/api/v1/notices/${randomUUID()}`, { token });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'notice_not_found' });
    expect((await call(stack.api, 'GET', '/api/v1/notices')).status).toBe(401);
    // the local provider sends no receipts
    const receipt = await fetch(`${stack.api.url}/api/v1/notices/receipts/http`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': 'x' },
      body: '{}',
    });
    expect(receipt.status).toBe(404);
  });
});
