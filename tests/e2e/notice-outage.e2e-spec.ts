import { randomUUID } from 'node:crypto';
import { FakeSmsProvider } from '../support/fake-sms-provider';
import { insertLead } from '../support/lead-fixture';
import {
  ADMIN,
  call,
  makeUser,
  startTestStack,
  tokenFor,
  type TestApi,
  type TestStack,
} from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * Notices outlive a vendor outage (issue 15, item 4), over the real API and worker processes and a fake SMS
 * vendor on HTTP: a notice is retried with capped doubling delays for a configured period — far beyond the old
 * budget of 8 attempts — and goes out when the vendor is back; the response window starts at the SMS's
 * delivery, so no vehicle is fenced before its owner could have known. A notice that fails for good alerts
 * the lead's officers and leaves the lead waiting for their decision: resend it, or go on after telling the
 * owner otherwise.
 *
 * Time: the retries are configured short here (100 ms doubling to 400 ms, for an hour). The end of the retry
 * period and a receipt that never comes are reached by moving the recorded instants back in the database
 * (the first attempt, the moment the vendor accepted), as the case specs move a case's instants.
 */

jest.setTimeout(180_000);

const API_KEY = 'outage-vendor-api-key';
const CALLBACK_SECRET = 'outage-vendor-callback-secret';
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

describe('notices through a vendor outage', () => {
  const vendor = new FakeSmsProvider(API_KEY, CALLBACK_SECRET);
  let stack: TestStack;
  let api: TestApi;
  let officer: { token: string; id: string };
  let auditor: { token: string; id: string };
  let stationId: string;

  const logs = () => `${stack.worker.output()}${stack.api.output()}`;
  const notice = async (id: string) =>
    (await call(api, 'GET', `/api/v1/notices/${id}`, { token: officer.token })).body;
  const noticeIn = (id: string, status: string, timeoutMs = 30_000) =>
    waitFor(
      `notice ${id} ${status}`,
      async () => ((await notice(id)).status === status ? notice(id) : null),
      {
        timeoutMs,
        output: logs,
      },
    );
  const leadStatus = async (leadId: string) =>
    (await api.db.query<{ status: string }>('SELECT status FROM leads WHERE id = $1', [leadId])).rows[0]
      ?.status;
  const count = async (sql: string, params: unknown[] = []) =>
    (await api.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0]!.n;
  const leadEvents = async (leadId: string) =>
    (
      await api.db.query<{ action: string }>(
        `SELECT action FROM audit_events WHERE entity_type = 'lead' AND entity_id = $1 ORDER BY id`,
        [leadId],
      )
    ).rows.map((r) => r.action);
  const failure = async (noticeId: string) =>
    (
      await api.db.query<{ payload: { reason: string } }>(
        `SELECT payload FROM audit_events WHERE action = 'notice.failed' AND entity_id = $1`,
        [noticeId],
      )
    ).rows.map((r) => r.payload.reason);
  const window = async (leadId: string) =>
    (
      await api.db.query<{ started_at: Date; due_at: Date; status: string }>(
        `SELECT started_at, due_at, status FROM deadlines WHERE lead_id = $1 AND kind = 'response_window'`,
        [leadId],
      )
    ).rows;

  /** A screened lead with a registered owner, confirmed by the officer: its SMS (and push) are on their way. */
  async function confirmedLead(): Promise<{ leadId: string; smsId: string; respondBy: string }> {
    const { leadId } = await insertLead(api, stationId, { platePrefix: '湘A' });
    const res = await call(api, 'POST', `/api/v1/leads/${leadId}/review`, {
      token: officer.token,
      body: {
        decision: 'confirm',
        reason: '号牌、轴数与图像一致',
        checks: { plateMatches: true, axleCountMatches: true },
      },
    });
    expect(res.status).toBe(200);
    const [smsId] = res.body.noticeIds as string[];
    expect((await notice(smsId!)).channel).toBe('sms');
    return { leadId, smsId: smsId!, respondBy: res.body.respondBy };
  }

  beforeAll(async () => {
    await vendor.start();
    stack = await startTestStack('noticeoutage', {
      SMS_PROVIDER: 'http',
      SMS_HTTP_URL: `${vendor.url}/sms/send`,
      SMS_HTTP_API_KEY: API_KEY,
      SMS_HTTP_CALLBACK_SECRET: CALLBACK_SECRET,
      PUSH_ENDPOINTS: JSON.stringify([
        {
          name: '*',
          kind: 'jurisdiction',
          url: `${vendor.url}/push/jurisdiction`,
          secret: 'outage-push-secret-01',
        },
      ]),
      NOTICE_SWEEP_INTERVAL_MS: '200',
      NOTICE_STALE_AFTER_MS: '500',
      NOTICE_HTTP_TIMEOUT_MS: '1000',
      NOTICE_RETRY_INITIAL_DELAY_MS: '100',
      NOTICE_RETRY_MAX_DELAY_MS: '400',
      NOTICE_RETRY_PERIOD_MS: String(HOUR_MS),
      NOTICE_RECEIPT_TIMEOUT_MS: String(HOUR_MS),
      DEADLINE_SWEEP_INTERVAL_MS: '300',
      FENCE_SWEEP_INTERVAL_MS: '300',
    });
    api = stack.api;
    const admin = await tokenFor(api, ADMIN.username, ADMIN.password);
    officer = await makeUser(api, admin, 'outage.officer', ['officer'], {
      enforcementCertificateNo: 'HN-O-0001',
    });
    auditor = await makeUser(api, admin, 'outage.auditor', ['auditor']);
    stationId = randomUUID();
    await api.db.query(
      `INSERT INTO stations (id, code, name, road, stake, updated_at)
       VALUES ($1, 'ST-OUTAGE', '汨罗S308检测点', 'S308', 'K12+300', now())`,
      [stationId],
    );
  }, 120_000);

  afterAll(async () => {
    const output = stack ? logs() : '';
    await stack?.close();
    await vendor.stop();
    // Neither process logged an error (level 50) or a fatal (60): an outage is expected, not an error.
    expect(output).not.toMatch(/"level":(50|60)/);
  });

  it('retries through an outage longer than the old 8-attempt budget; back, the SMS goes out and the window starts at its delivery', async () => {
    vendor.down();
    const { leadId, smsId, respondBy } = await confirmedLead();
    const during = await waitFor(
      'ten failed attempts',
      async () => {
        const n = await notice(smsId);
        return n.attempts.filter((a: { status: string }) => a.status === 'failed').length >= 10 ? n : null;
      },
      { timeoutMs: 90_000, output: logs },
    );
    expect(during.status).toBe('pending');
    expect(during.nextAttemptAt).toEqual(expect.any(String));
    // The owner has not been told: no window runs, nothing can be fenced, nobody is alerted yet.
    expect(await leadStatus(leadId)).toBe('confirmed');
    expect(await window(leadId)).toEqual([]);
    expect(await count('fences WHERE lead_id = $1', [leadId])).toBe(0);
    expect(await count('staff_alerts WHERE lead_id = $1', [leadId])).toBe(0);

    vendor.up();
    const sent = await noticeIn(smsId, 'sent');
    const attempts = sent.attempts as { status: string; error: string | null; providerMessageId: string }[];
    expect(attempts.length).toBeGreaterThan(10);
    expect(attempts.slice(0, -1).every((a) => a.status === 'failed' && a.error?.includes('503'))).toBe(true);
    expect(attempts.at(-1)).toMatchObject({
      status: 'sent',
      providerMessageId: vendor.messages.get(smsId)?.messageId,
    });
    expect(sent.nextAttemptAt).toBeNull();
    // every call carried the notice's id as idempotency key; one message reached the handset
    const calls = vendor.received('/sms').filter((r) => r.headers['idempotency-key'] === smsId);
    expect(calls).toHaveLength(attempts.length);
    expect(await leadStatus(leadId)).toBe('confirmed');

    const receipt = await vendor.sendReceipt(api.url, {
      messageId: attempts.at(-1)!.providerMessageId,
      status: 'delivered',
    });
    expect(receipt.body).toMatchObject({ noticeId: smsId, status: 'delivered', changed: true });
    const delivered = await notice(smsId);
    expect(await leadStatus(leadId)).toBe('notified');
    const [running] = await window(leadId);
    expect(running!.status).toBe('open');
    expect(running!.started_at.toISOString()).toBe(delivered.deliveredAt);
    expect(running!.due_at.getTime()).toBeGreaterThanOrEqual(Date.parse(respondBy));
    expect(running!.due_at.getTime() - Date.parse(delivered.deliveredAt)).toBeGreaterThan(14 * DAY_MS);
    expect(await leadEvents(leadId)).toEqual(['lead.confirmed', 'lead.notified']);
    expect(await count('fences WHERE lead_id = $1', [leadId])).toBe(0);
  });

  it('fails an SMS for good at the end of the retry period: the officer is alerted, the lead waits for a decision and is never fenced; a resend goes out', async () => {
    vendor.down();
    const { leadId, smsId } = await confirmedLead();
    await waitFor(
      'two failed attempts',
      async () =>
        (await notice(smsId)).attempts.filter((a: { status: string }) => a.status === 'failed').length >= 2,
      { timeoutMs: 60_000, output: logs },
    );
    // As if the vendor had been down since two hours ago, longer than the retry period (an hour here).
    await api.db.query(
      `UPDATE notice_delivery_attempts SET attempted_at = attempted_at - interval '2 hours'
        WHERE notice_id = $1 AND attempt_no = 1`,
      [smsId],
    );
    const failed = await noticeIn(smsId, 'failed');
    expect(failed.nextAttemptAt).toBeNull();
    expect(await failure(smsId)).toEqual(['retry_period_over']);
    expect(await leadStatus(leadId)).toBe('notice_failed');
    expect(await leadEvents(leadId)).toEqual(['lead.confirmed', 'lead.notice_failed']);
    const alerts = await call(api, 'GET', '/api/v1/me/alerts', { token: officer.token });
    expect(alerts.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'notice_failed', leadId, noticeId: smsId })]),
    );
    // No window started, so the deadline sweep has nothing to fence, however often it runs.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await window(leadId)).toEqual([]);
    expect(await count('fences WHERE lead_id = $1', [leadId])).toBe(0);

    // Bad resends write nothing.
    const delivered = (
      await api.db.query<{ id: string }>(`SELECT id FROM notices WHERE lead_id = $1 AND channel = 'push'`, [
        leadId,
      ])
    ).rows[0]!.id;
    await noticeIn(delivered, 'delivered');
    const audits = await count('audit_events WHERE request_id IS NOT NULL');
    const notices = await count('notices');
    const resend = (id: string, token: string, body: unknown = {}) =>
      call(api, 'POST', `/api/v1/notices/${id}/resend`, { token, body });
    expect((await resend(smsId, auditor.token)).status).toBe(403);
    expect((await resend(randomUUID(), officer.token)).body.code).toBe('notice_not_found');
    expect((await resend(delivered, officer.token)).body).toMatchObject({
      status: 409,
      code: 'notice_not_failed',
    });
    expect((await resend(smsId, officer.token, { note: '' })).status).toBe(400);
    expect((await resend(smsId, officer.token, { extra: 1 })).status).toBe(400);
    expect(await count('audit_events WHERE request_id IS NOT NULL')).toBe(audits);
    expect(await count('notices')).toBe(notices);

    vendor.up();
    const first = await resend(smsId, officer.token, { note: '车主电话已核实' });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ noticeId: smsId, resentAs: expect.any(String), created: true });
    const again = await resend(smsId, officer.token, { note: '车主电话已核实' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, created: false });
    expect(await count(`audit_events WHERE action = 'notice.resent' AND entity_id = $1`, [smsId])).toBe(1);
    expect(await leadStatus(leadId)).toBe('confirmed');

    const resentId = first.body.resentAs as string;
    const resent = await noticeIn(resentId, 'sent');
    expect(resent).toMatchObject({
      channel: 'sms',
      template: 'lead_sms',
      resendOfId: smsId,
      recipient: failed.recipient,
    });
    expect((await notice(smsId)).resentAsId).toBe(resentId);
    // a new notice for the vendor: its own idempotency key, so it is really sent again
    expect(vendor.messages.get(resentId)).toMatchObject({ to: failed.recipient });
    await vendor.sendReceipt(api.url, {
      messageId: vendor.messages.get(resentId)!.messageId,
      status: 'delivered',
    });
    expect(await leadStatus(leadId)).toBe('notified');
    expect(await window(leadId)).toEqual([expect.objectContaining({ status: 'open' })]);
    expect(await leadEvents(leadId)).toEqual([
      'lead.confirmed',
      'lead.notice_failed',
      'lead.notice_resent',
      'lead.notified',
    ]);
  });

  it('lets an officer go on after telling the owner another way: the window starts at that decision', async () => {
    const { leadId, smsId } = await confirmedLead();
    const sent = await noticeIn(smsId, 'sent');
    // the vendor accepted it, the carrier could not deliver it
    const receipt = await vendor.sendReceipt(api.url, {
      messageId: sent.attempts.at(-1).providerMessageId,
      status: 'failed',
      error: 'handset unreachable',
    });
    expect(receipt.body).toMatchObject({ noticeId: smsId, status: 'failed', changed: true });
    expect(await failure(smsId)).toEqual(['delivery_failed']);
    expect(await leadStatus(leadId)).toBe('notice_failed');

    const path = `/api/v1/leads/${leadId}/proceed-without-notice`;
    const decide = (token: string, body: unknown, to = path) => call(api, 'POST', to, { token, body });
    const audits = await count('audit_events WHERE request_id IS NOT NULL');
    expect((await decide(officer.token, {})).status).toBe(400);
    expect((await decide(officer.token, { reason: '  ' })).status).toBe(400);
    expect((await decide(auditor.token, { reason: '已电话告知' })).status).toBe(403);
    const unknown = await decide(
      officer.token,
      { reason: '已电话告知' },
      `/api/v1/leads/${randomUUID()}/proceed-without-notice`,
    );
    expect(unknown.body).toMatchObject({ status: 404, code: 'lead_not_found' });
    expect(await count('audit_events WHERE request_id IS NOT NULL')).toBe(audits);
    expect(await window(leadId)).toEqual([]);

    const ok = await decide(officer.token, { reason: '已电话告知车主，车主表示将到案接受处理' });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      leadId,
      status: 'notified',
      responseWindow: { startedAt: expect.any(String), dueAt: expect.any(String) },
    });
    const [running] = await window(leadId);
    expect(running!.started_at.toISOString()).toBe(ok.body.responseWindow.startedAt);
    expect(running!.due_at.toISOString()).toBe(ok.body.responseWindow.dueAt);
    expect(await leadEvents(leadId)).toEqual([
      'lead.confirmed',
      'lead.notice_failed',
      'lead.notified_otherwise',
    ]);

    // decided: a second decision, or resending the SMS now, is refused and writes nothing
    const twice = await decide(officer.token, { reason: '再次' });
    expect(twice.body).toMatchObject({ status: 409, code: 'lead_not_awaiting_notice_decision' });
    const late = await call(api, 'POST', `/api/v1/notices/${smsId}/resend`, {
      token: officer.token,
      body: {},
    });
    expect(late.body).toMatchObject({ status: 409, code: 'lead_not_awaiting_notice_decision' });
    expect(await count('notices WHERE resend_of_id = $1', [smsId])).toBe(0);
  });

  it('fails an SMS the vendor accepted but never reported delivered, once the receipt is overdue', async () => {
    const { leadId, smsId } = await confirmedLead();
    await noticeIn(smsId, 'sent');
    // as if the vendor had accepted it two hours ago (the receipt timeout is an hour here)
    await api.db.query(`UPDATE notices SET sent_at = sent_at - interval '2 hours' WHERE id = $1`, [smsId]);
    await noticeIn(smsId, 'failed');
    expect(await failure(smsId)).toEqual(['no_delivery_receipt']);
    expect(await leadStatus(leadId)).toBe('notice_failed');
    expect(await window(leadId)).toEqual([]);
  });
});
