import { FakeSmsProvider } from '../support/fake-sms-provider';
import {
  ADMIN,
  call,
  passwordFor,
  startTestStack,
  tokenFor,
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
import { waitFor } from '../support/wait-for';
import { openStream } from '../support/alert-stream';
import { shiftCaseBack } from '../support/case-time';
import { usccOf } from '../support/identity-numbers';

/**
 * Issue 4, "Proven by tests", first bullet: one vehicle's case from its detection to an archived case file,
 * over HTTP against the real API and worker processes, Postgres, Redis and the S3 server, with the SMS vendor
 * faked over HTTP (tests/support/fake-sms-provider.ts, configured through env as the notices e2e does).
 * Everything is set up through the API as an admin would: users, stations and devices, the vehicle registry.
 *
 * Time: the product records every instant from the real clock (there is no test clock). Where a period must
 * have elapsed, the test moves recorded instants back in the database, as the cases and fences e2e do:
 * - the lead's response window (15 days): its `deadlines` row is made due a minute ago, and the worker's sweep
 *   (every 300 ms here) finds it and fences the vehicle;
 * - the statement window (3 working days) and the late payment: every `...At` instant of the case's
 *   state-machine snapshot (`cases.workflow`) and its deadline rows are moved back together, as if the earlier
 *   steps had happened that many days earlier. Audit events keep their real times, so the timeline's order is
 *   the order the steps really happened in. The shifts are whole weeks: a due instant already moved off a
 *   weekend (民法典 Art. 203) stays on the same weekday, so the moved deadline is the one the law gives for the
 *   moved start (a shift of 20 days moved a Sunday-extended Monday onto a Tuesday).
 */

jest.setTimeout(120_000);

const TZ_OFFSET_MS = 8 * 3_600_000; // Asia/Shanghai (the default BUREAU_TIMEZONE) has no daylight saving
const DAY = 86_400_000;
const API_KEY = 'lifecycle-vendor-api-key';
const CALLBACK_SECRET = 'lifecycle-vendor-callback-secret';
const ENTERPRISE = '岳阳通达运输有限公司';
const PLATE = '湘F5L321';
// A distinctive pattern, to prove the case number comes from configuration, not from a constant.
const CASE_NUMBER_PATTERN = '汨交超罚〔{year}〕第{seq:4}号';

/** The bureau's calendar day of an instant (YYYY-MM-DD). */
const localDay = (instant: Date | string) =>
  new Date(new Date(instant).getTime() + TZ_OFFSET_MS).toISOString().slice(0, 10);
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);

/** An SSE connection read with fetch: its parsed events, and a bounded wait for one. */
describe('a case from detection to archive (issue 4, end to end)', () => {
  const vendor = new FakeSmsProvider(API_KEY, CALLBACK_SECRET);
  let stack: TestStack;
  let api: TestApi;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let stationA: TestStation;
  let stationB: TestStation;

  const logs = () => `${stack.worker.output()}${stack.api.output()}`;
  const act = (caseId: string, action: string, token: string, body: Record<string, unknown> = {}) =>
    call(api, 'POST', `/api/v1/cases/${caseId}/actions/${action}`, { token, body });
  const getCase = async (caseId: string, token = tokens['o1']!) => {
    const res = await call(api, 'GET', `/api/v1/cases/${caseId}`, { token });
    expect(res.status).toBe(200);
    return res.body;
  };
  const leadStatus = async (leadId: string) =>
    (await call(api, 'GET', `/api/v1/leads/${leadId}`, { token: tokens['auditor'] })).body.status;
  const kinds = (items: { kind: string }[]) => items.map((i) => i.kind).sort();
  const auditActions = async (entityId: string) =>
    (
      await api.db.query<{ action: string }>(
        'SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY occurred_at, id',
        [entityId],
      )
    ).rows.map((r) => r.action);

  async function makeUser(name: string, roles: string[], extra: Record<string, string> = {}) {
    const password = passwordFor(name);
    const res = await call(api, 'POST', '/api/v1/users', {
      token: tokens['admin'],
      body: { username: name, password, displayName: name, roles, ...extra },
    });
    expect(res.status).toBe(201);
    ids[name] = res.body.id;
    return tokenFor(api, name, password);
  }

  const stationWithDevice = (code: string, stake: string): Promise<TestStation> =>
    registerStationWithDevice(api, tokens['admin']!, code, stake);

  beforeAll(async () => {
    await vendor.start();
    stack = await startTestStack('lifecycle', {
      SMS_PROVIDER: 'http',
      SMS_HTTP_URL: `${vendor.url}/sms/send`,
      SMS_HTTP_API_KEY: API_KEY,
      SMS_HTTP_CALLBACK_SECRET: CALLBACK_SECRET,
      PUSH_ENDPOINTS: JSON.stringify([
        {
          name: ENTERPRISE,
          kind: 'enterprise',
          url: `${vendor.url}/push/enterprise`,
          secret: 'enterprise-push-secret-lc01',
        },
        {
          name: '*',
          kind: 'jurisdiction',
          url: `${vendor.url}/push/jurisdiction`,
          secret: 'jurisdiction-push-secret-lc1',
        },
      ]),
      NOTICE_SWEEP_INTERVAL_MS: '250',
      NOTICE_STALE_AFTER_MS: '1000',
      NOTICE_HTTP_TIMEOUT_MS: '2000',
      // a failed attempt is retried after 200 ms here (10 s by default)
      NOTICE_RETRY_INITIAL_DELAY_MS: '200',
      DEADLINE_SWEEP_INTERVAL_MS: '300',
      CASE_NUMBER_PATTERN,
    });
    api = stack.api;
    tokens['admin'] = await tokenFor(api, ADMIN.username, ADMIN.password);
  }, 90_000);

  afterAll(async () => {
    // Neither process logged an error (level 50) or a fatal (60) along the way.
    const output = stack ? logs() : '';
    await stack?.close();
    await vendor.stop();
    expect(output).not.toMatch(/"level":(50|60)/);
  });

  it('detection → lead → review → SMS → fence → interception → filing … → archive → 409', async () => {
    // ── The admin sets up the staff, two stations with approved devices, and the vehicle registry ──
    tokens['o1'] = await makeUser('lc.officer1', ['officer'], { enforcementCertificateNo: 'HN-LC-0001' });
    tokens['o2'] = await makeUser('lc.officer2', ['officer'], { enforcementCertificateNo: 'HN-LC-0002' });
    tokens['reviewer'] = await makeUser('lc.reviewer', ['legal_reviewer'], {
      legalQualificationNo: 'A20200001',
    });
    tokens['approver'] = await makeUser('lc.approver', ['approver']);
    tokens['auditor'] = await makeUser('lc.auditor', ['auditor']);
    const o1 = tokens['o1']!;
    const o2 = tokens['o2']!;
    const reviewer = tokens['reviewer']!;
    const approver = tokens['approver']!;
    const auditor = tokens['auditor']!;

    stationA = await stationWithDevice('LC-S308-K12', 'K12+300');
    stationB = await stationWithDevice('LC-S308-K40', 'K40+100');

    const enterprises = await call(api, 'POST', '/api/v1/registry/enterprises', {
      token: tokens['admin'],
      body: {
        rows: [
          {
            name: ENTERPRISE,
            socialCreditCode: usccOf(9876),
            licenceNo: '430600009876',
            fleetSize: 20,
            contactPhone: '0730-5221234',
          },
        ],
      },
    });
    expect(enterprises.body).toEqual({ created: 1, updated: 0, unchanged: 0 });
    const vehicles = await call(api, 'POST', '/api/v1/registry/vehicles', {
      token: tokens['admin'],
      rawBody: [
        'plate,plateColour,ownerName,ownerPhone,ownerIdNumber,enterpriseLicenceNo,transportCertificateNo,axleCount',
        `${PLATE},yellow,王五,13900139000,430102198506123011,430600009876,430600112233,6`,
      ].join('\n'),
      headers: { 'content-type': 'text/csv' },
    });
    expect(vehicles.body).toEqual({ created: 1, updated: 0, unchanged: 0 });

    // ── Detection: a 6-axle combination at 58,200 kg passes station A, signed by the station ──
    vendor.failNext(1); // the vendor's first SMS request will fail (503)
    const photos = ['plate_front', 'plate_rear', 'side'].map((kind) =>
      evidenceItem(kind, Buffer.from(`JPEG ${kind} of ${PLATE}`)),
    );
    const detection = detectionBody({ plate: { number: PLATE, color: 'yellow' }, evidence: photos });
    const accepted = await signedPost(api, stationA, detection);
    expect(accepted.status).toBe(202);

    // ── Screening makes a lead ──
    const screened = await waitFor(
      'the detection to be screened',
      async () => {
        const r = await call(api, 'GET', `/api/v1/detections/${stationA.code}/${detection['detectionId']}`, {
          token: o1,
        });
        return r.status === 200 && r.body.status === 'screened' ? r.body : null;
      },
      { output: logs },
    );
    expect(screened).toMatchObject({ outcome: 'lead', leadId: expect.any(String) });
    const leadId = screened.leadId as string;
    const lead = await call(api, 'GET', `/api/v1/leads/${leadId}`, { token: o1 });
    expect(lead.status).toBe(200);
    // 49,000 kg limit (Art. 3), 5% tolerance of the measured gross, 6,290 kg over → 6 × 500 yuan (Art. 43)
    expect(lead.body).toMatchObject({
      plate: PLATE,
      stationCode: stationA.code,
      status: 'pending_review',
      limitKg: 49_000,
      toleranceKg: 2_910,
      excessKg: 6_290,
      proposedPenalty: { kind: 'fine', amountYuan: 3000 },
      ownerUnknown: false,
    });
    expect(kinds(lead.body.evidence)).toEqual(['plate_front', 'plate_rear', 'side']);

    // ── An officer reviews the lead and confirms it: notices, response window ──
    let fenceId: string;
    const stream = await openStream(api, o2);
    try {
      expect(stream.response.status).toBe(200);
      const reviewed = await call(api, 'POST', `/api/v1/leads/${leadId}/review`, {
        token: o1,
        body: {
          decision: 'confirm',
          reason: '号牌、轴数与图像一致，称重数据合理',
          checks: { plateMatches: true, axleCountMatches: true },
        },
      });
      expect(reviewed.status).toBe(200);
      expect(reviewed.body).toMatchObject({ status: 'confirmed', ownerUnknown: false });
      const respondBy = new Date(reviewed.body.respondBy);
      expect(respondBy.getTime() - Date.now()).toBeGreaterThan(14 * DAY); // policy: 15 days

      // ── SMS: the vendor fails the first request, the retry succeeds; one message, two attempts ──
      const sms = await waitFor(
        'the owner SMS to be sent',
        async () => {
          const list = await call(api, 'GET', `/api/v1/notices?leadId=${leadId}&channel=sms`, { token: o1 });
          const item = list.body.items?.[0];
          if (!item || item.status !== 'sent') return null;
          return (await call(api, 'GET', `/api/v1/notices/${item.id}`, { token: o1 })).body;
        },
        { output: logs },
      );
      expect(sms.recipient).toBe('13900139000');
      expect(vendor.received('/sms')).toHaveLength(2);
      expect(vendor.messages.size).toBe(1);
      const message = [...vendor.messages.values()][0]!;
      expect(message.to).toBe('13900139000');
      expect(message.text).toContain(PLATE);
      expect(sms.attempts).toEqual([
        expect.objectContaining({ attemptNo: 1, status: 'failed', error: expect.stringContaining('503') }),
        expect.objectContaining({ attemptNo: 2, status: 'sent', providerMessageId: message.messageId }),
      ]);
      // information push to the enterprise and the home jurisdiction, each with the plate
      const pushes = await waitFor('both pushes to be delivered', async () => {
        const enterprise = vendor.received('/push/enterprise');
        const jurisdiction = vendor.received('/push/jurisdiction');
        return enterprise.length > 0 && jurisdiction.length > 0 ? [enterprise, jurisdiction] : null;
      });
      for (const [first] of pushes) expect(first!.body).toContain(PLATE);
      // accepted by the vendor, not yet delivered: the response window has not started
      expect(await leadStatus(leadId)).toBe('confirmed');
      const before = await api.db.query(`SELECT 1 FROM deadlines WHERE lead_id = $1`, [leadId]);
      expect(before.rowCount).toBe(0);
      // ── The vendor's delivery receipt: the owner has it, the response window starts now ──
      const receipt = await vendor.sendReceipt(api.url, {
        messageId: message.messageId,
        status: 'delivered',
      });
      expect(receipt).toEqual({
        status: 200,
        body: { noticeId: sms.id, status: 'delivered', changed: true },
      });
      expect(await leadStatus(leadId)).toBe('notified');
      const window = await api.db.query(
        `SELECT due_at FROM deadlines WHERE lead_id = $1 AND kind = 'response_window' AND status = 'open'`,
        [leadId],
      );
      expect(new Date(window.rows[0].due_at).getTime()).toBeGreaterThanOrEqual(respondBy.getTime());

      // ── No response: the response window is made to have ended; the sweep fences the vehicle ──
      const moved = await api.db.query(
        `UPDATE deadlines SET due_at = now() - interval '1 minute', started_at = now() - interval '16 days'
          WHERE lead_id = $1 AND kind = 'response_window' AND status = 'open'`,
        [leadId],
      );
      expect(moved.rowCount).toBe(1);
      const fence = await waitFor(
        'the fence',
        async () =>
          (await call(api, 'GET', `/api/v1/fences?status=active&leadId=${leadId}`, { token: o1 })).body
            .items?.[0],
        { output: logs },
      );
      expect(fence).toMatchObject({ plate: PLATE, leadId, status: 'active', caseId: null });
      fenceId = fence.id;
      expect(await leadStatus(leadId)).toBe('fenced');
      const officerAlerts = await call(api, 'GET', '/api/v1/me/alerts', { token: o1 });
      expect(officerAlerts.body.items).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: 'response_window_ended', leadId })]),
      );

      // ── The fenced vehicle passes station B: an interception alert reaches the duty team's stream ──
      const again = detectionBody({ plate: { number: PLATE, color: 'yellow' }, evidence: photos });
      const seen = await signedPost(api, stationB, again);
      expect(seen.status).toBe(202);
      const frame = await stream.next(
        (e) => e.event === 'interception' && JSON.parse(e.data).detectionId === seen.body.receiptId,
      );
      const alert = JSON.parse(frame.data);
      expect(alert).toMatchObject({
        status: 'open',
        plate: PLATE,
        station: { code: stationB.code },
        fenceId,
        leadId,
      });
      const open = await call(api, 'GET', '/api/v1/alerts?status=open', { token: auditor });
      expect(open.body.items.map((a: { id: string }) => a.id)).toEqual([alert.id]);
      expect(
        (await call(api, 'POST', `/api/v1/alerts/${alert.id}/acknowledge`, { token: o2 })).body.status,
      ).toBe('acknowledged');
    } finally {
      await stream.close();
    }

    // ── Filing: a case of the fenced lead, approved: number from the pattern, fence lifted ──
    const created = await call(api, 'POST', '/api/v1/cases', {
      token: o1,
      body: { leadId, officerIds: [ids['lc.officer1'], ids['lc.officer2']] },
    });
    expect(created.status).toBe(201);
    const caseId = created.body.id as string;
    const draft = await getCase(caseId);
    expect(draft).toMatchObject({
      state: 'draft',
      caseNumber: null,
      proposedPenalty: { kind: 'fine', amountYuan: 3000 },
    });
    // the parties come from the registry: the owner and the operating enterprise
    expect(draft.parties).toEqual([
      expect.objectContaining({ role: 'owner', name: '王五' }),
      expect.objectContaining({ role: 'enterprise', name: ENTERPRISE }),
    ]);
    expect(draft.allowedActions).toContain('request_filing');
    // the auditor reads everything and changes nothing
    expect((await getCase(caseId, auditor)).allowedActions).toEqual([]);
    expect((await act(caseId, 'request_filing', auditor)).status).toBe(403);
    expect((await act(caseId, 'request_filing', o1)).body.state).toBe('filing_requested');
    // separation of duties: an officer does not approve the filing
    expect((await act(caseId, 'approve_filing', o2)).status).toBe(403);
    const filed = await act(caseId, 'approve_filing', approver);
    expect(filed.status).toBe(200);
    const year = localDay(new Date()).slice(0, 4);
    expect(filed.body).toMatchObject({ state: 'filed', caseNumber: `汨交超罚〔${year}〕第0001号` });
    const fences = await call(api, 'GET', `/api/v1/fences?caseId=${caseId}`, { token: auditor });
    expect(fences.body.items).toEqual([expect.objectContaining({ id: fenceId, status: 'lifted', caseId })]);
    expect(await leadStatus(leadId)).toBe('filed');
    let view = await getCase(caseId);
    expect(kinds(view.runningDeadlines)).toEqual(['decision_due']);
    expect(kinds(view.documents)).toEqual(['filing_approval']);
    expect(view.allowedActions).toEqual(expect.arrayContaining(['record_investigation']));
    // 90 days from filing (Art. 60)
    const decisionDue = view.runningDeadlines[0].dueAt as string;
    expect(daysBetween(localDay(new Date()), localDay(decisionDue))).toBeGreaterThanOrEqual(90);

    // ── Investigation ──
    // 行政处罚法 Art. 55: an inquiry without the person questioned is refused, writing nothing.
    const unnamed = await act(caseId, 'record_investigation', o1, { kind: 'inquiry', summary: '询问' });
    expect([unnamed.status, unnamed.body.code]).toEqual([400, 'interviewee_required']);
    const inquiry = await act(caseId, 'record_investigation', o1, {
      kind: 'inquiry',
      // 行政处罚法 Art. 55: the driver questioned, not the owner who is the party.
      interviewee: { name: '龚昇', idNumber: '430681198001011236', relation: 'driver' },
      summary: '驾驶员承认车辆装载砂石超限',
      location: '汨罗S308检测点',
    });
    expect(inquiry.status).toBe(200);
    expect(inquiry.body.state).toBe('investigating');
    // The record names whose statement it is: stored on the record, printed in the 询问笔录 beside the party.
    const record = await api.db.query<{ interviewee: unknown }>(
      `SELECT interviewee FROM investigation_records WHERE case_id = $1 AND kind = 'inquiry'`,
      [caseId],
    );
    expect(record.rows).toEqual([
      { interviewee: { name: '龚昇', idNumber: '430681198001011236', relation: 'driver' } },
    ]);
    const inquiryDoc = inquiry.body.documents.find((d: { kind: string }) => d.kind === 'inquiry_record');
    const inquiryText = await call(api, 'GET', `/api/v1/cases/${caseId}/documents/${inquiryDoc.id}`, {
      token: auditor,
    });
    expect(inquiryText.body.versions.at(-1).text).toContain(
      '被询问人：龚昇（居民身份证号码：430681198001011236；与本案关系：驾驶人）',
    );
    const checked = await act(caseId, 'record_investigation', o2, {
      kind: 'document_check',
      summary: '核查驾驶证、行驶证、道路运输证、从业资格证',
      documentsChecked: [
        'driving_licence',
        'vehicle_licence',
        'transport_certificate',
        'qualification_certificate',
      ],
      parties: [
        {
          role: 'driver',
          kind: 'person',
          name: '赵六',
          idNumber: '430521199003071235',
          qualificationCertificateNo: 'QC-4306-0001',
          employer: '汨罗市顺通运输有限公司',
        },
      ],
    });
    expect(checked.status).toBe(200);
    view = await getCase(caseId);
    expect(view.parties.map((p: { role: string }) => p.role).sort()).toEqual([
      'driver',
      'enterprise',
      'owner',
    ]);
    expect(kinds(view.documents)).toEqual(['evidence_list', 'filing_approval', 'inquiry_record']);

    // ── Pre-penalty notice (Art. 44): the statement window and, since 3,000 yuan to a person is at or above a
    // person's hearing threshold (policy 1,000 yuan, Art. 63), the hearing window run. (Under the superseded single
    // threshold of 10,000 yuan only the statement window ran: the party's hearing right was withheld.) ──
    const notice = await act(caseId, 'issue_pre_penalty_notice', o1);
    expect(notice.status).toBe(200);
    expect(notice.body.state).toBe('pre_penalty_notified');
    expect(kinds(notice.body.outcome.deadlinesStarted)).toEqual([
      'hearing_request_window',
      'statement_window',
    ]);
    view = await getCase(caseId);
    expect(kinds(view.runningDeadlines)).toEqual([
      'decision_due',
      'hearing_request_window',
      'statement_window',
    ]);
    expect(view.allowedActions).not.toContain('submit_legal_review');

    // ── Statement recorded; no legal review before the statement window ends ──
    const statement = await act(caseId, 'record_statement', o1, {
      kind: 'statement',
      content: '当事人称货物系按托运单装载，不知超限',
    });
    expect(statement.status).toBe(200);
    const early = await act(caseId, 'submit_legal_review', o1);
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('statement_window_open');
    // The party did not waive: the window is made to have ended by moving the case 14 days back (see header).
    await shiftCaseBack(api, caseId, 14 * DAY);

    // ── Legal review: returned with opinions, changed, resubmitted, passed ──
    expect((await act(caseId, 'submit_legal_review', o1)).body.state).toBe('legal_review');
    const returned = await act(caseId, 'return_legal_review', reviewer, {
      opinions: '证据清单缺少车辆营运证复印件',
    });
    expect(returned.status).toBe(200);
    expect(returned.body.state).toBe('returned');
    expect(kinds(returned.body.documents)).toEqual(['legal_review_opinion']);
    const unchanged = await act(caseId, 'submit_legal_review', o1);
    expect(unchanged.status).toBe(422);
    expect(unchanged.body.code).toBe('no_change_since_return');
    const fixed = await act(caseId, 'record_investigation', o2, {
      kind: 'document_check',
      summary: '补充车辆营运证复印件',
      documentsChecked: ['transport_certificate'],
    });
    expect(fixed.body.state).toBe('returned');
    expect((await act(caseId, 'submit_legal_review', o1)).body.state).toBe('legal_review');
    const passed = await act(caseId, 'pass_legal_review', reviewer, {
      opinions: '事实清楚，证据确凿，程序合法',
    });
    expect(passed.body.state).toBe('awaiting_decision');

    // ── Decision (Art. 59) by the approver ──
    const decided = await act(caseId, 'approve_decision', approver);
    expect(decided.status).toBe(200);
    expect(decided.body.state).toBe('decided');
    const decisionDoc = decided.body.documents.find((d: { kind: string }) => d.kind === 'decision');
    const decisionText = await call(
      api,
      'GET',
      `/api/v1/cases/${caseId}/documents/${decisionDoc.id}?format=text`,
      { token: auditor },
    );
    for (const part of [
      '行政处罚决定书',
      PLATE,
      '王五',
      '第四十三条',
      '罚款人民币3000元',
      '六十日内',
      '六个月内',
    ]) {
      expect(decisionText.body).toContain(part);
    }
    view = await getCase(caseId);
    expect(kinds(view.runningDeadlines)).toEqual(expect.arrayContaining(['service_due']));

    // ── Service (Art. 61) ──
    const served = await act(caseId, 'record_service', o1, { method: 'direct', recipient: '当事人本人' });
    expect(served.body.state).toBe('served');
    expect(kinds(served.body.outcome.deadlinesStarted)).toEqual(['payment_due']);

    // ── Late payment: the party pays 21 days after service (the case moved back 21 days, see header) ──
    await shiftCaseBack(api, caseId, 21 * DAY);
    view = await getCase(caseId);
    const servedAt = (
      await api.db.query<{ workflow: { service?: { servedAt: string } } }>(
        'SELECT workflow FROM cases WHERE id = $1',
        [caseId],
      )
    ).rows[0]!.workflow.service?.servedAt;
    expect(servedAt).toEqual(expect.any(String));
    // Independently: 15 days after service (Art. 67), a last day on a weekend moves to the Monday (民法典
    // Art. 203; a public holiday in the period would move it further — none near the dates this test uses).
    let dueDay = addDays(localDay(servedAt!), 15);
    while ([0, 6].includes(new Date(`${dueDay}T00:00:00Z`).getUTCDay())) dueDay = addDays(dueDay, 1);
    const paymentDue = view.runningDeadlines.find((d: { kind: string }) => d.kind === 'payment_due');
    expect(localDay(paymentDue.dueAt)).toBe(dueDay);
    const daysLate = daysBetween(dueDay, localDay(new Date()));
    expect(daysLate).toBeGreaterThan(0);
    const expectedLateFee = Math.min(3000, (3000 * 3 * daysLate) / 100); // 3% a day, capped (Art. 72)

    const paid = await act(caseId, 'record_payment', o1, {
      amountYuan: 3000 + expectedLateFee,
      receiptNo: 'LC-R-0001',
      lateFeeDueYuan: expectedLateFee,
    });
    expect(paid.status).toBe(200);
    expect(paid.body.state).toBe('executed');
    const { rows: payments } = await api.db.query(
      'SELECT amount::float AS amount, late_fee::float AS late_fee, receipt_no FROM payments WHERE case_id = $1',
      [caseId],
    );
    expect(payments).toEqual([
      { amount: 3000 + expectedLateFee, late_fee: expectedLateFee, receipt_no: 'LC-R-0001' },
    ]);
    view = await getCase(caseId);
    expect(view.flags.map((f: { code: string }) => f.code)).toContain('payment_late');

    // ── Closing (approver), the report to the home authority, publicity, archive ──
    const closed = await act(caseId, 'close_case', approver);
    expect(closed.status).toBe(200);
    expect(closed.body.state).toBe('closed');
    expect(kinds(closed.body.documents)).toEqual(['closing_report', 'home_authority_report']);
    // 抄告 (超限规定 Art. 44): plate, enterprise, transport certificate, driver and qualification, the decision
    const reportDoc = closed.body.documents.find((d: { kind: string }) => d.kind === 'home_authority_report');
    const report = await call(api, 'GET', `/api/v1/cases/${caseId}/documents/${reportDoc.id}?format=text`, {
      token: auditor,
    });
    expect(report.status).toBe(200);
    for (const part of [
      PLATE,
      ENTERPRISE,
      '430600112233',
      // Art. 44(二): the driver's name, qualification number and enterprise
      '赵六（从业资格证号 QC-4306-0001；所属企业：汨罗市顺通运输有限公司）',
      filed.body.caseNumber,
    ]) {
      expect(report.body).toContain(part);
    }
    expect((await act(caseId, 'record_home_authority_report', o1)).status).toBe(200);
    expect((await act(caseId, 'record_publicity', o2)).status).toBe(200);
    const archived = await act(caseId, 'archive', o1);
    expect(archived.status).toBe(200);
    expect(archived.body.state).toBe('archived');
    view = await getCase(caseId, auditor);
    expect(view.allowedActions).toEqual([]);
    // the case file, in order, each document numbered after the case
    expect(view.documents.map((d: { kind: string }) => d.kind)).toEqual([
      'filing_approval',
      'inquiry_record',
      'evidence_list',
      'pre_penalty_notice',
      'statement_record',
      'legal_review_opinion', // returned
      'legal_review_opinion', // passed
      'decision',
      'proof_of_service',
      'payment_record',
      'closing_report',
      'home_authority_report',
    ]);
    for (const d of view.documents)
      expect(d.documentNumber).toMatch(/^汨交超罚〔\d{4}〕第0001号-[A-Z]{2}-\d{2}$/);
    expect(view.documents.find((d: { kind: string }) => d.kind === 'evidence_list').currentVersion).toBe(3);

    // ── Archived: read-only; every write is refused with 409 case_archived and writes nothing ──
    const auditsBefore = (await api.db.query('SELECT count(*)::int AS n FROM audit_events')).rows[0].n;
    for (const [action, body] of [
      ['record_investigation', { kind: 'inquiry', summary: '补充询问' }],
      ['record_publicity', {}],
      ['close_case', {}],
    ] as const) {
      const res = await act(caseId, action, o1, body);
      expect([action, res.status, res.body.code]).toEqual([action, 409, 'case_archived']);
    }
    expect((await api.db.query('SELECT count(*)::int AS n FROM audit_events')).rows[0].n).toBe(auditsBefore);

    // ── The timeline lists the steps in the order they happened ──
    expect((await call(api, 'GET', `/api/v1/cases/${caseId}`, { token: auditor })).status).toBe(200);
    const timeline = await call(api, 'GET', `/api/v1/cases/${caseId}/timeline`, { token: auditor });
    expect(timeline.status).toBe(200);
    // The auditor's reads are audited (accesses), but a case's timeline is the history of its changes.
    const reads = await api.db.query(
      `SELECT 1 FROM audit_events WHERE action = 'personal_data.read' AND entity_type = 'case' AND entity_id = $1`,
      [caseId],
    );
    expect(reads.rowCount).toBeGreaterThan(0);
    expect(timeline.body.entries.map((e: { action?: string }) => e.action)).not.toContain(
      'personal_data.read',
    );
    const steps = timeline.body.entries
      .filter((e: { kind: string }) => e.kind === 'step')
      .map((e: { action: string }) => e.action)
      .filter((a: string) => !a.startsWith('deadline.'));
    expect(steps).toEqual([
      'lead.created',
      'lead.confirmed',
      // the SMS's delivery receipt: the response window starts
      'lead.notified',
      'fence.created',
      'lead.fenced',
      'case.created',
      'case.request_filing',
      // written in the filing's own transaction at the same instant, after the filing's event: the fence
      // lifted, the lead filed, 一超四罚 planned (issue 5)
      'case.approve_filing',
      'fence.lifted',
      'lead.filed',
      'four_penalties.planned',
      'case.record_investigation',
      'four_penalties.planned',
      'case.record_investigation',
      'four_penalties.planned',
      'case.issue_pre_penalty_notice',
      'case.record_statement',
      'case.submit_legal_review',
      'case.return_legal_review',
      'case.record_investigation',
      'four_penalties.planned',
      'case.submit_legal_review',
      'case.pass_legal_review',
      'case.approve_decision',
      // published in the decision's own transaction (公示, docs/publicity.md)
      'publication.published',
      'case.record_service',
      'case.record_payment',
      'case.close_case',
      'case.record_home_authority_report',
      'case.record_publicity',
      'case.archive',
    ]);
    expect(new Set(timeline.body.entries.map((e: { kind: string }) => e.kind))).toEqual(
      new Set(['step', 'document', 'notice']),
    );
    // the owner's SMS and the two pushes, right after the confirmation that wrote them
    const actions = timeline.body.entries.map((e: { action: string }) => e.action);
    expect(actions.filter((a: string) => a.startsWith('notice.')).sort()).toEqual([
      'notice.push',
      'notice.push',
      'notice.sms',
    ]);
    expect(actions.indexOf('notice.sms')).toBeGreaterThan(actions.indexOf('lead.confirmed'));
    expect(actions.indexOf('notice.sms')).toBeLessThan(actions.indexOf('fence.created'));
    expect(actions.indexOf('document.decision')).toBeGreaterThan(actions.indexOf('case.pass_legal_review'));
    expect(
      timeline.body.entries.find((e: { action: string }) => e.action === 'case.approve_filing').actorName,
    ).toBe('lc.approver');
    // Each case action and document carries its title: the action's declaration, the document's template.
    const entry = (action: string) =>
      timeline.body.entries.find((e: { action: string }) => e.action === action);
    expect(entry('case.approve_filing').title).toBe('批准立案');
    expect(entry('case.close_case').title).toBe('结案');
    expect(entry('document.decision').title).toBe('行政处罚决定书');
    expect(entry('document.decision').detail.title).toBe('行政处罚决定书');
    expect(entry('lead.confirmed').title).toBeNull();
    expect(await auditActions(leadId)).toEqual(expect.arrayContaining(['lead.confirmed', 'fence.created']));
  });

  // Defect, not fixed here (needs the official 2027 holiday schedule, which is data the bureau must supply):
  // the default working calendar (CN_WORKING_CALENDAR_2024_2026 in libs/legal/domain/src/working-calendar.ts,
  // the fallback of the `working_calendar` policy) covers dates up to 2026-12-31 only and refuses to count
  // beyond them. From about 2026-12-17 a lead confirmation (15-day response window, moved off holidays) and a
  // decision's service (15-day payment period) fail with `working_calendar_not_covered`, and so does this
  // spec, unless an admin sets a `working_calendar` policy covering 2027 (PUT /policies/working_calendar).
  // The test databases now carry such a policy (tests/support/seed-test-calendar.ts: weekends only beyond the
  // published holidays), so the suite keeps running; a deployment still needs the official 2027 schedule.
  it.todo(
    'the working calendar in force covers the periods of a case started today (default ends 2026-12-31)',
  );
});
