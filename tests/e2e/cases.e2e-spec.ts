import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { lateFee } from '@ecc/legal-domain';
import { localDate } from '@ecc/shared-kernel';
import {
  ADMIN,
  call,
  startTestStack,
  tokenFor,
  type TestApi,
  type TestStack,
  makeUser,
} from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { insertLead } from '../support/lead-fixture';
import { shiftCaseBack } from '../support/case-time';

/**
 * The case workflow over HTTP against the real API and worker (issue 4, "the case"): lead review, filing with
 * gapless numbers, the state machine's actions with their records, documents and deadlines, archive.
 *
 * Time: the API records every instant from the real clock (no test clock in the product). Where a period
 * must have elapsed (a late payment), the test moves the case's recorded instants back in the database —
 * the snapshot's times in `cases.workflow` and the case's deadline rows — by the same amount, as if the
 * earlier steps had happened that much earlier. Deadline alerts are tested the same way: a deadline row is
 * made due in the past and the worker's sweep (every 300 ms here) finds it.
 */

const TZ = 'Asia/Shanghai';
const DAY = 86_400_000;

interface Staff {
  o1: string;
  o2: string;
  dual: string;
  approver: string;
  reviewer: string;
  auditor: string;
  ids: Record<string, string>;
}

/** A screened lead written into the database (what screening would have produced), its vehicle and owner. */
jest.setTimeout(120_000);

describe('cases: lead review, filing, the state machine over HTTP, documents, deadlines', () => {
  let stack: TestStack;
  let api: TestApi;
  let admin: string;
  let staff: Staff;
  let stationId: string;

  const act = (caseId: string, action: string, token: string, body: Record<string, unknown> = {}) =>
    call(api, 'POST', `/api/v1/cases/${caseId}/actions/${action}`, { token, body });
  /**
   * The review; a confirmation whose owner is known returns once the worker has delivered the owner's SMS
   * (the local provider delivers at once), so the lead is `notified` and its response window runs — as it
   * would be long before anyone files a case — and no test races the worker.
   */
  const review = async (leadId: string, token: string, body: unknown) => {
    const res = await call(api, 'POST', `/api/v1/leads/${leadId}/review`, { token, body });
    if (res.status === 200 && res.body.status === 'confirmed' && !res.body.ownerUnknown) {
      await waitFor('the owner notified', async () => (await leadStatus(leadId)) === 'notified', {
        output: () => stack.worker.output(),
      });
    }
    return res;
  };
  const leadStatus = async (leadId: string) =>
    (await api.db.query<{ status: string }>('SELECT status FROM leads WHERE id = $1', [leadId])).rows[0]
      ?.status;
  const confirm = {
    decision: 'confirm',
    reason: '号牌、轴数与图像一致',
    checks: { plateMatches: true, axleCountMatches: true },
  };
  // The events written by requests (they carry a request id): the worker's background work of earlier tests
  // (sending notices, the deadline sweep after a case was moved back in time) is not a write of the request
  // under test.
  const auditCount = async () =>
    (
      await api.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_events WHERE request_id IS NOT NULL AND entity_type <> 'notice' AND action NOT LIKE 'notice.%'",
      )
    ).rows[0]!.n;

  /** A confirmed lead's case, filed (approved and numbered). */
  async function filedCase(officers: string[] = [staff.ids['o1']!, staff.ids['o2']!]): Promise<string> {
    const { leadId } = await insertLead(api, stationId);
    expect((await review(leadId, staff.o1, confirm)).status).toBe(200);
    const created = await call(api, 'POST', '/api/v1/cases', {
      token: staff.o1,
      body: { leadId, officerIds: officers },
    });
    expect(created.status).toBe(201);
    expect((await act(created.body.id, 'request_filing', staff.o1)).status).toBe(200);
    const approved = await act(created.body.id, 'approve_filing', staff.approver);
    expect(approved.status).toBe(200);
    return created.body.id as string;
  }

  beforeAll(async () => {
    stack = await startTestStack('cases', { DEADLINE_SWEEP_INTERVAL_MS: '300' });
    api = stack.api;
    admin = await tokenFor(api, ADMIN.username, ADMIN.password);
    const o1 = await makeUser(api, admin, 'officer.one', ['officer'], {
      enforcementCertificateNo: 'HN-C-0001',
    });
    const o2 = await makeUser(api, admin, 'officer.two', ['officer'], {
      enforcementCertificateNo: 'HN-C-0002',
    });
    const dual = await makeUser(api, admin, 'officer.dual', ['officer', 'approver', 'legal_reviewer'], {
      enforcementCertificateNo: 'HN-C-0003',
      legalQualificationNo: 'A20190001',
    });
    const approver = await makeUser(api, admin, 'approver.one', ['approver']);
    const reviewer = await makeUser(api, admin, 'reviewer.one', ['legal_reviewer'], {
      legalQualificationNo: 'A20190002',
    });
    const auditor = await makeUser(api, admin, 'auditor.one', ['auditor']);
    staff = {
      o1: o1.token,
      o2: o2.token,
      dual: dual.token,
      approver: approver.token,
      reviewer: reviewer.token,
      auditor: auditor.token,
      ids: { o1: o1.id, o2: o2.id, dual: dual.id, approver: approver.id, reviewer: reviewer.id },
    };
    stationId = randomUUID();
    await api.db.query(
      `INSERT INTO stations (id, code, name, road, stake, updated_at) VALUES ($1, 'ST-CASES', '汨罗S308检测点', 'S308', 'K12+300', now())`,
      [stationId],
    );
  }, 120_000);
  afterAll(async () => {
    // Neither process logged an error (level 50) or a fatal (60) along the way.
    const worker = stack?.worker.output() ?? '';
    await stack?.close();
    expect(worker).not.toMatch(/"level":(50|60)/);
  });

  describe('lead review', () => {
    it('rejects with a reason: the lead is closed and can never become a case', async () => {
      const { leadId } = await insertLead(api, stationId);
      const res = await review(leadId, staff.o1, {
        decision: 'reject',
        reason: '号牌识别错误',
        checks: { plateMatches: false, axleCountMatches: true },
      });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('rejected');
      const { rows } = await api.db.query('SELECT status, reject_reason FROM leads WHERE id = $1', [leadId]);
      expect(rows[0]).toEqual({ status: 'rejected', reject_reason: '号牌识别错误' });
      const filing = await call(api, 'POST', '/api/v1/cases', {
        token: staff.o1,
        body: { leadId, officerIds: [staff.ids['o1'], staff.ids['o2']] },
      });
      expect(filing.status).toBe(422);
      expect(filing.body.code).toBe('lead_rejected');
      expect((await review(leadId, staff.o1, confirm)).body.code).toBe('lead_already_reviewed');
    });

    it('refuses to confirm unless plate and axle count both match (422), and an unreviewed lead cannot be filed', async () => {
      const { leadId } = await insertLead(api, stationId);
      const before = await auditCount();
      const res = await review(leadId, staff.o1, {
        ...confirm,
        checks: { plateMatches: true, axleCountMatches: false },
      });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('review_checks_failed');
      for (const body of [
        {},
        { ...confirm, decision: 'maybe' },
        { ...confirm, reason: '' },
        { ...confirm, checks: { plateMatches: true } },
        { ...confirm, extra: 1 },
      ]) {
        expect((await review(leadId, staff.o1, body)).status).toBe(400);
      }
      expect((await review('not-a-uuid', staff.o1, confirm)).status).toBe(400);
      expect((await review(randomUUID(), staff.o1, confirm)).status).toBe(404);
      const filing = await call(api, 'POST', '/api/v1/cases', {
        token: staff.o1,
        body: { leadId, officerIds: [staff.ids['o1'], staff.ids['o2']] },
      });
      expect(filing.status).toBe(422);
      expect(filing.body.code).toBe('lead_not_reviewed');
      expect(await auditCount()).toBe(before);
      const { rows } = await api.db.query('SELECT status FROM leads WHERE id = $1', [leadId]);
      expect(rows[0].status).toBe('pending_review');
    });

    it('confirms: notices for the owner state the window; the window starts when the SMS is delivered (policy 15 days)', async () => {
      const { leadId } = await insertLead(api, stationId);
      const res = await review(leadId, staff.o1, confirm);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'confirmed', ownerUnknown: false });
      expect(res.body.noticeIds.length).toBeGreaterThanOrEqual(1);
      const days = (new Date(res.body.respondBy).getTime() - Date.now()) / DAY;
      expect(days).toBeGreaterThan(14);
      expect(days).toBeLessThan(25); // 15 days, moved off a holiday at most
      const sms = await api.db.query(
        `SELECT respond_by, delivered_at FROM notices WHERE lead_id = $1 AND channel = 'sms'`,
        [leadId],
      );
      expect(sms.rows).toHaveLength(1);
      expect(new Date(sms.rows[0].respond_by).toISOString()).toBe(res.body.respondBy);
      // delivered (the local provider): the window runs from the delivery, not from the confirmation
      const { rows } = await api.db.query(
        `SELECT kind, status, started_at, due_at FROM deadlines WHERE lead_id = $1`,
        [leadId],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ kind: 'response_window', status: 'open' });
      expect(new Date(rows[0].started_at).toISOString()).toBe(
        new Date(sms.rows[0].delivered_at).toISOString(),
      );
      expect(new Date(rows[0].due_at).getTime()).toBeGreaterThanOrEqual(
        new Date(res.body.respondBy).getTime(),
      );
    });

    it('puts a lead of an unknown owner on the owner-unknown list until an officer completes it', async () => {
      const { leadId, plate } = await insertLead(api, stationId, { owner: false });
      const res = await review(leadId, staff.o1, confirm);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'confirmed', ownerUnknown: true, noticeIds: [] });
      const list = await call(api, 'GET', '/api/v1/leads/owner-unknown', { token: staff.auditor });
      expect(list.status).toBe(200);
      expect(list.body.items.map((l: { id: string }) => l.id)).toContain(leadId);

      const before = await auditCount();
      for (const body of [
        {},
        { owner: { kind: 'person', name: '张三', idNumber: '430681199001011230' } },
        { owner: { kind: 'x' } },
        // One legal person, one party: the owner is matched on a number valid for its kind (check digit).
        { owner: { kind: 'person', name: '张三', idNumber: '430681199001011234', phone: '13900000000' } },
        {
          owner: { kind: 'organisation', name: '张三', idNumber: '430681199001011230', phone: '13900000000' },
        },
      ]) {
        expect(
          (await call(api, 'POST', `/api/v1/leads/${leadId}/owner`, { token: staff.o1, body })).status,
        ).toBe(400);
      }
      expect(await auditCount()).toBe(before);

      const owner = { kind: 'person', name: '张三', idNumber: '430681199001011230', phone: '13900000000' };
      const done = await call(api, 'POST', `/api/v1/leads/${leadId}/owner`, {
        token: staff.o1,
        body: { owner, homeAuthority: '岳阳市道路运输事务中心' },
      });
      expect(done.status).toBe(200);
      expect(done.body.ownerUnknown).toBe(false);
      expect(done.body.noticeIds.length).toBeGreaterThanOrEqual(1);
      const { rows } = await api.db.query(
        `SELECT v.plate, p.name FROM leads l JOIN vehicles v ON v.id = l.vehicle_id JOIN parties p ON p.id = v.owner_party_id WHERE l.id = $1`,
        [leadId],
      );
      expect(rows[0]).toEqual({ plate, name: '张三' });
      const again = await call(api, 'POST', `/api/v1/leads/${leadId}/owner`, {
        token: staff.o1,
        body: { owner },
      });
      expect(again.body.code).toBe('owner_already_known');
    });
  });

  describe('filing', () => {
    it('needs at least two certified officers (Art. 42): one officer → 422, nothing written', async () => {
      const { leadId } = await insertLead(api, stationId);
      await review(leadId, staff.o1, confirm);
      const before = await auditCount();
      const res = await call(api, 'POST', '/api/v1/cases', {
        token: staff.o1,
        body: { leadId, officerIds: [staff.ids['o1']] },
      });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('fewer_than_two_officers');
      const notOfficer = await call(api, 'POST', '/api/v1/cases', {
        token: staff.o1,
        body: { leadId, officerIds: [staff.ids['o1'], staff.ids['approver']] },
      });
      expect(notOfficer.status).toBe(422);
      expect(notOfficer.body.code).toBe('not_an_officer');
      for (const body of [
        {},
        { leadId },
        { leadId, officerIds: [] },
        { leadId: 'x', officerIds: [staff.ids['o1']] },
        { leadId, officerIds: [staff.ids['o1']], x: 1 },
      ]) {
        expect((await call(api, 'POST', '/api/v1/cases', { token: staff.o1, body })).status).toBe(400);
      }
      expect(await auditCount()).toBe(before);
      const { rows } = await api.db.query('SELECT count(*)::int AS n FROM cases WHERE lead_id = $1', [
        leadId,
      ]);
      expect(rows[0].n).toBe(0);
    });

    it('numbers 20 concurrent filings 1..20 of the year with no gap and no duplicate', async () => {
      const drafts: string[] = [];
      for (let i = 0; i < 20; i++) {
        const { leadId } = await insertLead(api, stationId);
        await review(leadId, staff.o1, confirm);
        const created = await call(api, 'POST', '/api/v1/cases', {
          token: staff.o2,
          body: { leadId, officerIds: [staff.ids['o1'], staff.ids['o2']] },
        });
        expect(created.status).toBe(201);
        expect((await act(created.body.id, 'request_filing', staff.o1)).status).toBe(200);
        drafts.push(created.body.id);
      }
      const before = (
        await api.db.query('SELECT count(*)::int AS n FROM cases WHERE case_number IS NOT NULL')
      ).rows[0].n;
      const results = await Promise.all(drafts.map((id) => act(id, 'approve_filing', staff.approver)));
      expect(results.map((r) => r.status)).toEqual(drafts.map(() => 200));
      const year = localDate(new Date(), TZ).slice(0, 4);
      const numbers = results.map((r) => r.body.caseNumber as string);
      for (const n of numbers) expect(n).toMatch(new RegExp(`^汨交罚〔${year}〕第\\d{4}号$`));
      const seqs = numbers.map((n) => Number(/第(\d+)号/.exec(n)![1])).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => before + i + 1));
      const { rows } = await api.db.query(`SELECT case_number FROM cases WHERE case_number IS NOT NULL`);
      const all = rows
        .map((r) => Number(/第(\d+)号/.exec(r.case_number as string)![1]))
        .sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    });
  });

  describe('a case from filing to archive', () => {
    it('goes through investigation, notice, statement, a returned legal review, decision, service, late payment, closing and archive', async () => {
      const { leadId } = await insertLead(api, stationId);
      await review(leadId, staff.o1, confirm);
      const created = await call(api, 'POST', '/api/v1/cases', {
        token: staff.o1,
        body: { leadId, officerIds: [staff.ids['o1'], staff.ids['o2'], staff.ids['dual']] },
      });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const duplicate = await call(api, 'POST', '/api/v1/cases', {
        token: staff.o1,
        body: { leadId, officerIds: [staff.ids['o1'], staff.ids['o2']] },
      });
      expect(duplicate.status).toBe(409);

      const draft = await call(api, 'GET', `/api/v1/cases/${id}`, { token: staff.o1 });
      expect(draft.body).toMatchObject({
        state: 'draft',
        type: 'vehicle',
        caseNumber: null,
        proposedPenalty: { kind: 'fine', amountYuan: 2000 },
      });
      expect(draft.body.allowedActions).toContain('request_filing');
      expect(draft.body.parties.map((p: { role: string }) => p.role)).toEqual(['owner']);
      expect(draft.body.officers).toHaveLength(3);

      expect((await act(id, 'request_filing', staff.o1)).body.state).toBe('filing_requested');
      // Separation of duties: an approver who is an officer of the case does not approve it.
      const own = await act(id, 'approve_filing', staff.dual);
      expect(own.status).toBe(403);
      expect(own.body.code).toBe('approver_is_case_officer');
      expect((await act(id, 'approve_filing', staff.o1)).status).toBe(403);
      const filed = await act(id, 'approve_filing', staff.approver);
      expect(filed.status).toBe(200);
      expect(filed.body.state).toBe('filed');
      expect(filed.body.outcome.deadlinesStarted.map((d: { kind: string }) => d.kind)).toEqual([
        'decision_due',
      ]);

      const view = await call(api, 'GET', `/api/v1/cases/${id}`, { token: staff.o1 });
      expect(view.body.caseNumber).toBe(filed.body.caseNumber);
      expect(view.body.allowedActions).toEqual(
        expect.arrayContaining(['record_investigation', 'propose_penalty']),
      );
      expect(view.body.runningDeadlines.map((d: { kind: string }) => d.kind)).toEqual(['decision_due']);
      expect(
        (await call(api, 'GET', `/api/v1/cases/${id}`, { token: staff.approver })).body.allowedActions,
      ).not.toContain('record_investigation');
      expect(view.body.documents.map((d: { kind: string }) => d.kind)).toEqual(['filing_approval']);

      // Optimistic locking: a stale version is refused and changes nothing.
      const stale = await act(id, 'record_investigation', staff.o1, {
        kind: 'inquiry',
        interviewee: { name: '龚昇', idNumber: '430681198001011236', relation: 'driver' },
        summary: '询问驾驶员',
        expectedVersion: 0,
      });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('case_modified');
      const staleHeader = await call(api, 'POST', `/api/v1/cases/${id}/actions/record_investigation`, {
        token: staff.o1,
        body: {
          kind: 'inquiry',
          interviewee: { name: '龚昇', idNumber: '430681198001011236', relation: 'driver' },
          summary: '询问驾驶员',
        },
        headers: { 'if-match': '"0"' },
      });
      expect(staleHeader.body.code).toBe('case_modified');
      // Wrong state → 409; unmet precondition → 422; malformed → 400.
      expect((await act(id, 'approve_decision', staff.approver)).status).toBe(409);
      expect((await act(id, 'issue_pre_penalty_notice', staff.o1)).status).toBe(409);
      expect((await act(id, 'record_investigation', staff.o1, { kind: 'guess', summary: 'x' })).status).toBe(
        400,
      );
      expect((await act(id, 'record_investigation', staff.o1, { kind: 'inquiry' })).status).toBe(400);
      expect((await act(id, 'no_such_action', staff.o1)).status).toBe(400);

      const inquiry = await act(id, 'record_investigation', staff.o1, {
        kind: 'inquiry',
        interviewee: { name: '龚昇', idNumber: '430681198001011236', relation: 'driver' },
        summary: '驾驶员承认车辆装载钢材超限',
        location: '汨罗S308检测点',
        expectedVersion: view.body.version,
      });
      expect(inquiry.status).toBe(200);
      expect(inquiry.body.state).toBe('investigating');
      expect(inquiry.body.documents.map((d: { kind: string }) => d.kind)).toEqual([
        'inquiry_record',
        'evidence_list',
      ]);
      expect(
        (
          await act(id, 'record_investigation', staff.o2, {
            kind: 'document_check',
            summary: '核查行驶证、道路运输证',
            documentsChecked: ['driving_licence', 'transport_certificate', 'qualification_certificate'],
            parties: [
              {
                role: 'driver',
                kind: 'person',
                name: '周五',
                idNumber: '430681199202021232',
                qualificationCertificateNo: 'QC-7788',
              },
              {
                role: 'source_unit',
                kind: 'organisation',
                name: '汨罗某混凝土有限公司',
                idNumber: '91430681MA4L00001N',
                loadingSlipNo: 'ZD-0099',
              },
            ],
          })
        ).status,
      ).toBe(200);
      const withParties = await call(api, 'GET', `/api/v1/cases/${id}`, { token: staff.o1 });
      expect(withParties.body.parties.map((p: { role: string }) => p.role).sort()).toEqual([
        'driver',
        'owner',
        'source_unit',
      ]);

      const notice = await act(id, 'issue_pre_penalty_notice', staff.o1);
      expect(notice.status).toBe(200);
      expect(notice.body.state).toBe('pre_penalty_notified');
      // 2,000 yuan to the owner, a person: at or above a person's hearing threshold (policy 1,000 yuan, 行政处罚法
      // Art. 63), so the hearing window runs too. Under the superseded single threshold of 10,000 yuan only the
      // statement window ran, which withheld the hearing right the party has.
      expect(notice.body.outcome.deadlinesStarted.map((d: { kind: string }) => d.kind)).toEqual([
        'statement_window',
        'hearing_request_window',
      ]);
      const early = await act(id, 'submit_legal_review', staff.o1);
      expect(early.status).toBe(422);
      expect(early.body.code).toBe('statement_window_open');

      expect(
        (await act(id, 'record_statement', staff.o1, { kind: 'defence', content: '当事人称不知超载' }))
          .status,
      ).toBe(200);
      const waiver = await act(id, 'record_waiver', staff.o1, {
        right: 'statement',
        content: '当事人书面表示不再陈述申辩',
      });
      expect(waiver.status).toBe(200);
      expect(waiver.body.documents).toHaveLength(1);
      // The hearing right is given up in writing too (it runs since the threshold is by the party's kind).
      const hearingOpen = await act(id, 'submit_legal_review', staff.o1);
      expect(hearingOpen.status).toBe(422);
      expect(hearingOpen.body.code).toBe('hearing_window_open');
      const hearingWaiver = await act(id, 'record_waiver', staff.o1, {
        right: 'hearing',
        content: '当事人书面表示放弃听证',
      });
      expect(hearingWaiver.status).toBe(200);
      expect((await act(id, 'submit_legal_review', staff.o1)).body.state).toBe('legal_review');

      const selfReview = await act(id, 'pass_legal_review', staff.dual);
      expect(selfReview.status).toBe(403);
      expect(selfReview.body.code).toBe('reviewer_is_case_officer');
      const returned = await act(id, 'return_legal_review', staff.reviewer, {
        opinions: '证据清单缺少车辆行驶证复印件',
      });
      expect(returned.status).toBe(200);
      expect(returned.body.state).toBe('returned');
      expect(returned.body.documents.map((d: { kind: string }) => d.kind)).toEqual(['legal_review_opinion']);
      const unchanged = await act(id, 'submit_legal_review', staff.o1);
      expect(unchanged.status).toBe(422);
      expect(unchanged.body.code).toBe('no_change_since_return');
      expect(
        (
          await act(id, 'record_investigation', staff.o1, {
            kind: 'document_check',
            summary: '补充车辆行驶证复印件',
            documentsChecked: ['vehicle_licence'],
          })
        ).body.state,
      ).toBe('returned');
      expect((await act(id, 'submit_legal_review', staff.o1)).body.state).toBe('legal_review');
      expect(
        (await act(id, 'pass_legal_review', staff.reviewer, { opinions: '事实清楚，证据充分' })).body.state,
      ).toBe('awaiting_decision');

      // Every version is kept: the evidence list was regenerated by each of the three investigation records.
      const beforeDecision = await call(api, 'GET', `/api/v1/cases/${id}`, { token: staff.o1 });
      const list = beforeDecision.body.documents.find((d: { kind: string }) => d.kind === 'evidence_list');
      expect(list.currentVersion).toBe(3);
      const listDoc = await call(api, 'GET', `/api/v1/cases/${id}/documents/${list.id}`, { token: staff.o1 });
      expect(listDoc.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2, 3]);
      expect(listDoc.body.versions[2].text).toContain('补充车辆行驶证复印件');
      expect(listDoc.body.versions[0].text).not.toContain('补充车辆行驶证复印件');
      const decided = await act(id, 'approve_decision', staff.approver);
      expect(decided.status).toBe(200);
      expect(decided.body.state).toBe('decided');
      const decisionDoc = decided.body.documents[0];
      expect(decisionDoc.kind).toBe('decision');
      const doc = await call(api, 'GET', `/api/v1/cases/${id}/documents/${decisionDoc.id}`, {
        token: staff.auditor,
      });
      expect(doc.status).toBe(200);
      const text: string = doc.body.versions[0].text;
      expect(doc.body.documentNumber).toBe(`${filed.body.caseNumber}-JD-01`);
      for (const part of [
        '行政处罚决定书',
        '当事人：车主',
        '违法事实',
        '证据',
        '询问笔录',
        '第四十三条',
        '罚款人民币2000元',
        '十五日内',
        '六十日内',
        '六个月内',
        '汨罗市交通运输局',
      ]) {
        expect(text).toContain(part);
      }
      const html = await fetch(`${api.url}/api/v1/cases/${id}/documents/${decisionDoc.id}?format=html`, {
        headers: { authorization: `Bearer ${staff.o1}` },
      });
      expect(html.headers.get('content-type')).toContain('text/html');
      expect(await html.text()).toContain('<h1>行政处罚决定书</h1>');

      const served = await act(id, 'record_service', staff.o1, { method: 'direct', recipient: '当事人本人' });
      expect(served.body.state).toBe('served');
      expect(served.body.outcome.deadlinesStarted.map((d: { kind: string }) => d.kind)).toEqual([
        'payment_due',
      ]);

      // The party pays 20 days after service: the steps so far are moved 20 days back (see the header).
      await shiftCaseBack(api, id, 20 * DAY);
      const afterShift = await call(api, 'GET', `/api/v1/cases/${id}`, { token: staff.o1 });
      const due = afterShift.body.runningDeadlines.find((d: { kind: string }) => d.kind === 'payment_due');
      const expected = lateFee(2000, localDate(new Date(due.dueAt), TZ), new Date(), { timeZone: TZ });
      expect(expected.daysLate).toBeGreaterThan(0);
      expect(expected.amountYuan).toBe(Math.min(2000, 60 * expected.daysLate)); // 3% of 2,000 a day, capped

      const wrongFee = await act(id, 'record_payment', staff.o1, {
        amountYuan: 2000,
        receiptNo: 'R-0001',
        lateFeeDueYuan: 1,
      });
      expect(wrongFee.status).toBe(422);
      expect(wrongFee.body.code).toBe('late_fee_mismatch');
      const short = await act(id, 'record_payment', staff.o1, { amountYuan: 2000, receiptNo: 'R-0001' });
      expect(short.status).toBe(200);
      expect(short.body.state).toBe('served'); // the late fee is still owed
      const reused = await act(id, 'record_payment', staff.o1, {
        amountYuan: expected.amountYuan,
        receiptNo: 'R-0001',
      });
      expect(reused.status).toBe(409);
      expect(reused.body.code).toBe('receipt_no_taken');
      const paid = await act(id, 'record_payment', staff.o1, {
        amountYuan: expected.amountYuan,
        receiptNo: 'R-0002',
      });
      expect(paid.status).toBe(200);
      expect(paid.body.state).toBe('executed');
      const { rows: payments } = await api.db.query(
        'SELECT amount::float AS amount, late_fee::float AS late_fee FROM payments WHERE case_id = $1 ORDER BY paid_at',
        [id],
      );
      expect(payments).toEqual([
        { amount: 2000, late_fee: expected.amountYuan },
        { amount: expected.amountYuan, late_fee: expected.amountYuan },
      ]);
      const executed = await call(api, 'GET', `/api/v1/cases/${id}`, { token: staff.o1 });
      expect(executed.body.flags.map((f: { code: string }) => f.code)).toContain('payment_late');

      expect((await act(id, 'close_case', staff.o1)).status).toBe(403);
      const closed = await act(id, 'close_case', staff.approver);
      expect(closed.body.state).toBe('closed');
      expect(closed.body.documents.map((d: { kind: string }) => d.kind)).toEqual([
        'closing_report',
        'home_authority_report',
      ]);
      // 抄告函 (超限规定 Art. 44): plate, enterprise, driver and qualification, source unit and loading slip, decision.
      const report = await call(
        api,
        'GET',
        `/api/v1/cases/${id}/documents/${closed.body.documents[1].id}?format=text`,
        {
          token: staff.o1,
        },
      );
      expect(report.status).toBe(200);
      for (const part of [
        '岳阳市道路运输事务中心',
        '周五（从业资格证号 QC-7788）',
        '装载单号 ZD-0099',
        filed.body.caseNumber,
      ]) {
        expect(report.body).toContain(part);
      }
      const early2 = await act(id, 'archive', staff.approver);
      expect(early2.status).toBe(422);
      expect((await act(id, 'record_home_authority_report', staff.o1)).status).toBe(200);
      expect((await act(id, 'record_publicity', staff.o2)).status).toBe(200);
      const archived = await act(id, 'archive', staff.o1);
      expect(archived.body.state).toBe('archived');

      const before = await auditCount();
      for (const [action, body] of [
        ['record_publicity', {}],
        ['record_investigation', { kind: 'inquiry', summary: 'x' }],
        ['archive', { bogus: true }],
      ] as const) {
        const res = await act(id, action, staff.o1, body);
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('case_archived');
      }
      expect(await auditCount()).toBe(before);

      const timeline = await call(api, 'GET', `/api/v1/cases/${id}/timeline`, { token: staff.auditor });
      expect(timeline.status).toBe(200);
      const steps = timeline.body.entries
        .filter((e: { kind: string }) => e.kind === 'step')
        .map((e: { action: string }) => e.action);
      expect(steps.filter((s: string) => !s.startsWith('deadline.'))).toEqual([
        'lead.confirmed',
        // the owner's SMS delivered (the local provider): the response window starts
        'lead.notified',
        'case.created',
        'case.request_filing',
        // the lead filed and 一超四罚 planned in the filing's own transaction (issue 5), after its event
        'case.approve_filing',
        'lead.filed',
        'four_penalties.planned',
        'case.record_investigation',
        'four_penalties.planned',
        'case.record_investigation',
        'four_penalties.planned',
        'case.issue_pre_penalty_notice',
        'case.record_statement',
        'case.record_waiver',
        // the hearing waived in writing too: 2,000 yuan to a person carries the hearing right (Art. 63)
        'case.record_waiver',
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
        'case.record_payment',
        'case.close_case',
        'case.record_home_authority_report',
        'case.record_publicity',
        'case.archive',
      ]);
      const kinds = new Set(timeline.body.entries.map((e: { kind: string }) => e.kind));
      expect(kinds).toEqual(new Set(['step', 'document', 'notice']));
      const approve = timeline.body.entries.find(
        (e: { action: string }) => e.action === 'case.approve_filing',
      );
      expect(approve.actorName).toBe('approver.one');
    });
  });

  // 超限规定 Art. 43(1)(二), 43(2): a gross excess up to 1,000 kg is warned, a size fine beside it does not
  // replace the warning. Filing keeps the warning; the notice, the decision and its row impose both.
  it('a weight warning with a size fine is decided as 警告，并处罚款, stored as both kinds', async () => {
    const orr = (code: string, article: string) => ({
      code,
      article: `《超限运输车辆行驶公路管理规定》${article}`,
    });
    const { leadId } = await insertLead(api, stationId, {
      grossKg: 51000,
      fineYuan: 500,
      basis: [
        { code: 'HSR-64', article: '《公路安全保护条例》第六十四条' },
        orr('ORR-43-1-2', '第四十三条第一款第（二）项'),
        orr('ORR-43-1-1B', '第四十三条第一款第（一）项'),
      ],
      parts: [
        {
          violation: 'overload_gross',
          kind: 'warning',
          amountYuan: 0,
          basis: [orr('ORR-43-1-2', '第四十三条第一款第（二）项')],
        },
        {
          violation: 'overload_dimension',
          kind: 'fine',
          amountYuan: 500,
          basis: [orr('ORR-43-1-1B', '第四十三条第一款第（一）项')],
        },
      ],
    });
    expect((await review(leadId, staff.o1, confirm)).status).toBe(200);
    const created = await call(api, 'POST', '/api/v1/cases', {
      token: staff.o1,
      body: { leadId, officerIds: [staff.ids['o1'], staff.ids['o2']] },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const view = await call(api, 'GET', `/api/v1/cases/${id}`, { token: staff.o1 });
    expect(view.body.proposedPenalty).toEqual({ kind: 'fine', amountYuan: 500, warning: true });
    expect((await act(id, 'request_filing', staff.o1)).status).toBe(200);
    expect((await act(id, 'approve_filing', staff.approver)).status).toBe(200);
    await act(id, 'record_investigation', staff.o1, { kind: 'document_check', summary: '核查行驶证' });
    // the warning is the law's: a proposal that drops it is refused, and nothing changes
    const dropped = await act(id, 'propose_penalty', staff.o1, {
      penalty: { kind: 'fine', amountYuan: 500 },
    });
    expect(dropped.status).toBe(422);
    expect(dropped.body.code).toBe('warning_required_by_law');
    const unchanged = await call(api, 'GET', `/api/v1/cases/${id}`, { token: staff.o1 });
    expect(unchanged.body.proposedPenalty).toEqual({ kind: 'fine', amountYuan: 500, warning: true });
    const notice = await act(id, 'issue_pre_penalty_notice', staff.o1);
    expect(notice.status).toBe(200);
    await act(id, 'record_waiver', staff.o1, { right: 'statement' });
    expect((await act(id, 'submit_legal_review', staff.o1)).body.state).toBe('legal_review');
    expect((await act(id, 'pass_legal_review', staff.reviewer)).body.state).toBe('awaiting_decision');
    expect((await act(id, 'approve_decision', staff.approver)).body.state).toBe('decided');
    const { rows } = await api.db.query<{ penalty_kinds: string[]; fine_amount: string }>(
      `SELECT penalty_kinds::text[] AS penalty_kinds, fine_amount FROM decisions WHERE case_id = $1`,
      [id],
    );
    expect(rows[0]).toMatchObject({ penalty_kinds: ['warning', 'fine'] });
    expect(Number(rows[0]!.fine_amount)).toBe(500);
    const decided = await call(api, 'GET', `/api/v1/cases/${id}`, { token: staff.auditor });
    for (const kind of ['pre_penalty_notice', 'decision']) {
      const doc = decided.body.documents.find((d: { kind: string }) => d.kind === kind);
      const res = await call(api, 'GET', `/api/v1/cases/${id}/documents/${doc.id}`, { token: staff.auditor });
      expect(res.body.versions.at(-1).text).toContain('警告，并处罚款人民币500元');
    }
  });

  describe('the hearing window (Art. 64)', () => {
    it('refuses legal review and decision while the 5-day hearing window runs, unless the party waived in writing', async () => {
      // 75,000 kg on a 49,000 kg limit: 11,000 yuan, above the 10,000-yuan hearing threshold (policy).
      const { leadId } = await insertLead(api, stationId, { grossKg: 75000, fineYuan: 11000 });
      await review(leadId, staff.o1, confirm);
      const created = await call(api, 'POST', '/api/v1/cases', {
        token: staff.o1,
        body: { leadId, officerIds: [staff.ids['o1'], staff.ids['o2']] },
      });
      const id = created.body.id as string;
      // No body at all: an action without fields needs none.
      const noBody = await call(api, 'POST', `/api/v1/cases/${id}/actions/request_filing`, {
        token: staff.o1,
      });
      expect(noBody.status).toBe(200);
      expect((await act(id, 'approve_filing', staff.approver)).status).toBe(200);
      await act(id, 'record_investigation', staff.o1, {
        kind: 'inquiry',
        interviewee: { name: '龚昇', idNumber: '430681198001011236', relation: 'driver' },
        summary: '询问驾驶员',
      });
      const notice = await act(id, 'issue_pre_penalty_notice', staff.o1);
      expect(notice.body.outcome.deadlinesStarted.map((d: { kind: string }) => d.kind).sort()).toEqual([
        'hearing_request_window',
        'statement_window',
      ]);
      const view = await call(api, 'GET', `/api/v1/cases/${id}`, { token: staff.o1 });
      expect(view.body.runningDeadlines.map((d: { kind: string }) => d.kind).sort()).toEqual([
        'decision_due',
        'hearing_request_window',
        'statement_window',
      ]);
      expect(view.body.allowedActions).not.toContain('submit_legal_review');
      await act(id, 'record_waiver', staff.o1, { right: 'statement' });
      const inWindow = await act(id, 'submit_legal_review', staff.o1);
      expect(inWindow.status).toBe(422);
      expect(inWindow.body.code).toBe('hearing_window_open');
      expect(
        (await act(id, 'record_waiver', staff.o1, { right: 'hearing', content: '当事人书面放弃听证' }))
          .status,
      ).toBe(200);
      expect((await act(id, 'submit_legal_review', staff.o1)).body.state).toBe('legal_review');
      expect((await act(id, 'pass_legal_review', staff.reviewer)).body.state).toBe('awaiting_decision');
      const decided = await act(id, 'approve_decision', staff.approver);
      expect(decided.body.state).toBe('decided');
      const { rows } = await api.db.query(`SELECT kind, status FROM deadlines WHERE case_id = $1`, [id]);
      expect(rows).toEqual(
        expect.arrayContaining([
          { kind: 'decision_due', status: 'met' },
          { kind: 'hearing_request_window', status: 'met' },
          { kind: 'statement_window', status: 'met' },
          { kind: 'service_due', status: 'open' },
          { kind: 'publicity_due', status: 'open' },
        ]),
      );
    });
  });

  describe('the hearing (Art. 63-65)', () => {
    /** The one document an action wrote, of that kind, rendered as text. */
    async function onlyDocumentText(
      result: { id: string; documents: { id: string; kind: string }[] },
      kind: string,
    ): Promise<string> {
      expect(result.documents.map((d) => d.kind)).toEqual([kind]);
      const res = await call(
        api,
        'GET',
        `/api/v1/cases/${result.id}/documents/${result.documents[0]!.id}?format=text`,
        {
          token: staff.o1,
        },
      );
      expect(res.status).toBe(200);
      return res.body as string;
    }

    it('requested, notified 7 working days ahead by a host who did not investigate, held, recorded; each with its document', async () => {
      const { leadId } = await insertLead(api, stationId, { grossKg: 75000, fineYuan: 11000 });
      await review(leadId, staff.o1, confirm);
      const created = await call(api, 'POST', '/api/v1/cases', {
        token: staff.o1,
        body: { leadId, officerIds: [staff.ids['o1'], staff.ids['o2']] },
      });
      const id = created.body.id as string;
      expect((await act(id, 'request_filing', staff.o1)).status).toBe(200);
      expect((await act(id, 'approve_filing', staff.approver)).status).toBe(200);
      await act(id, 'record_investigation', staff.o1, {
        kind: 'inquiry',
        interviewee: { name: '龚昇', idNumber: '430681198001011236', relation: 'driver' },
        summary: '询问驾驶员',
      });
      expect((await act(id, 'issue_pre_penalty_notice', staff.o1)).status).toBe(200);

      const requested = await act(id, 'request_hearing', staff.o1, { content: '当事人书面要求听证' });
      expect(requested.status).toBe(200);
      expect(requested.body.state).toBe('hearing_requested');
      expect(requested.body.outcome.deadlinesStopped).toContain('hearing_request_window');

      // Art. 64(2): notified at least 7 working days before; Art. 64(4): not chaired by an investigator.
      const tooSoon = new Date(Date.now() + 2 * 86_400_000).toISOString();
      const inThreeWeeks = new Date(Date.now() + 21 * 86_400_000).toISOString();
      const short = await act(id, 'schedule_hearing', staff.o1, {
        hearingAt: tooSoon,
        hostId: staff.ids['reviewer'],
      });
      expect(short.status).toBe(422);
      expect(short.body.code).toBe('hearing_notice_too_short');
      const investigator = await act(id, 'schedule_hearing', staff.o1, {
        hearingAt: inThreeWeeks,
        hostId: staff.ids['o2'],
      });
      expect(investigator.status).toBe(403);
      expect(investigator.body.code).toBe('hearing_host_is_case_officer');
      const scheduled = await act(id, 'schedule_hearing', staff.o1, {
        hearingAt: inThreeWeeks,
        hostId: staff.ids['reviewer'],
        location: '汨罗市交通运输局三楼听证室',
      });
      expect(scheduled.status).toBe(200);
      expect(scheduled.body.state).toBe('hearing_scheduled');
      const notice = await onlyDocumentText(scheduled.body, 'hearing_notice');
      expect(notice).toContain('听证通知书');
      expect(notice).toContain('汨罗市交通运输局三楼听证室');
      expect(notice).toContain('听证主持人：reviewer.one');

      // Not before the day of the hearing.
      const early = await act(id, 'record_hearing', staff.o1, { summary: '当事人到场' });
      expect(early.status).toBe(422);
      expect(early.body.code).toBe('hearing_not_yet_held');
      await shiftCaseBack(api, id, 22 * 86_400_000);
      const held = await act(id, 'record_hearing', staff.o1, {
        participants: '当事人张三及其代理人李四',
        summary: '当事人对超限事实无异议，请求从轻处罚。',
      });
      expect(held.status).toBe(200);
      expect(held.body.state).toBe('heard');
      const record = await onlyDocumentText(held.body, 'hearing_record');
      expect(record).toContain('听证笔录');
      expect(record).toContain('当事人张三及其代理人李四');
      expect(record).toContain('请求从轻处罚');
      const { rows } = await api.db.query(
        `SELECT workflow->'prePenaltyNotices'->-1->'hearing'->>'transcriptDocumentId' AS transcript
         FROM cases WHERE id = $1`,
        [id],
      );
      expect(rows[0].transcript).toBe(held.body.documents[0].id);
      // After the hearing the case goes on to legal review.
      const view = await call(api, 'GET', `/api/v1/cases/${id}`, { token: staff.o1 });
      expect(view.body.allowedActions).toContain('submit_legal_review');
    });
  });

  describe('roles', () => {
    it('refuses every write of an auditor (403) and writes nothing', async () => {
      const id = await filedCase();
      const { leadId } = await insertLead(api, stationId);
      const before = await auditCount();
      const writes: [string, unknown][] = [
        [`/api/v1/leads/${leadId}/review`, confirm],
        [
          `/api/v1/leads/${leadId}/owner`,
          { owner: { kind: 'person', name: '张三', idNumber: '430681199001011230', phone: '13900000000' } },
        ],
        ['/api/v1/cases', { leadId, officerIds: [staff.ids['o1'], staff.ids['o2']] }],
        [`/api/v1/cases/${id}/actions/record_investigation`, { kind: 'inquiry', summary: 'x' }],
        [`/api/v1/cases/${id}/actions/terminate_case`, { reason: 'x' }],
        [`/api/v1/me/alerts/${randomUUID()}/read`, {}],
      ];
      for (const [path, body] of writes) {
        const res = await call(api, 'POST', path, { token: staff.auditor, body });
        expect([path, res.status]).toEqual([path, 403]);
      }
      expect(await auditCount()).toBe(before);
      expect(
        (await call(api, 'GET', `/api/v1/cases/${id}`, { token: staff.auditor })).body.allowedActions,
      ).toEqual([]);
      expect(
        (await call(api, 'GET', `/api/v1/cases?state=filed&limit=2`, { token: staff.auditor })).status,
      ).toBe(200);
    });

    it('lists cases by state with cursor pages, and rejects a bad query', async () => {
      const first = await call(api, 'GET', '/api/v1/cases?state=filed&limit=2', { token: staff.o1 });
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(2);
      const second = await call(
        api,
        'GET',
        `/api/v1/cases?state=filed&limit=2&cursor=${first.body.nextCursor}`,
        { token: staff.o1 },
      );
      expect(second.body.items[0].id).not.toBe(first.body.items[1].id);
      expect((await call(api, 'GET', '/api/v1/cases?state=nope', { token: staff.o1 })).status).toBe(400);
      expect((await call(api, 'GET', '/api/v1/cases?cursor=garbage', { token: staff.o1 })).status).toBe(400);
    });
  });

  describe('deadlines', () => {
    it('alerts the officers and the approver when a deadline is missed, found by the sweep', async () => {
      const id = await filedCase();
      // Job or not, the sweep finds the decision deadline once it is made due in the past.
      await api.db.query(
        `UPDATE deadlines SET due_at = now() - interval '1 minute' WHERE case_id = $1 AND kind = 'decision_due'`,
        [id],
      );
      for (const token of [staff.o1, staff.o2, staff.approver]) {
        const alert = await waitFor('a missed-deadline alert', async () => {
          const res = await call(api, 'GET', '/api/v1/me/alerts', { token });
          return res.body.items.find(
            (a: { caseId: string; kind: string }) => a.caseId === id && a.kind === 'deadline_missed',
          );
        });
        expect(alert.message).toContain('90日');
      }
      const { rows } = await api.db.query(
        `SELECT status FROM deadlines WHERE case_id = $1 AND kind = 'decision_due'`,
        [id],
      );
      expect(rows[0].status).toBe('missed');
      // The delayed job of that deadline was enqueued too (the sweep is the safety net, not the only path).
      const queue = new Queue('deadlines', {
        connection: { url: api.env['REDIS_URL'] },
        prefix: api.env['QUEUE_PREFIX'],
      });
      try {
        const { rows: ids } = await api.db.query(
          `SELECT id FROM deadlines WHERE case_id = $1 AND kind = 'decision_due'`,
          [id],
        );
        expect(await queue.getJob(`deadline-${ids[0].id}-due`)).toBeDefined();
      } finally {
        await queue.close();
      }
      const mine = await call(api, 'GET', '/api/v1/me/alerts?unread=true', { token: staff.o2 });
      const alertId = mine.body.items.find((a: { caseId: string }) => a.caseId === id).id;
      const read = await call(api, 'POST', `/api/v1/me/alerts/${alertId}/read`, { token: staff.o2 });
      expect(read.status).toBe(200);
      expect(read.body.readAt).not.toBeNull();
      expect((await call(api, 'POST', `/api/v1/me/alerts/${alertId}/read`, { token: staff.o1 })).status).toBe(
        404,
      );
      expect((await call(api, 'GET', '/api/v1/me/alerts?unread=maybe', { token: staff.o1 })).status).toBe(
        400,
      );
    });

    it('closes a publicity period as not applicable, audited and without an alert, for a decision not published', async () => {
      // A publicity_due started before approve_decision read the publicity policy (行政处罚法 Art. 48): the
      // decision's publication says the policy does not publish it, so nothing is missed.
      const id = await filedCase();
      await api.db.query(
        `INSERT INTO publications (id, case_id, status, rule, policy, content, decided_at, due_at, updated_at)
         VALUES ($1, $2, 'not_published', 'by_criteria:none_met', '{}', '{}', now(), now(), now())`,
        [randomUUID(), id],
      );
      const deadlineId = randomUUID();
      await api.db.query(
        `INSERT INTO deadlines (id, case_id, kind, started_at, due_at) VALUES ($1, $2, 'publicity_due', now() - interval '10 days', now() - interval '1 minute')`,
        [deadlineId, id],
      );
      const closed = await waitFor('the publicity period closed', async () => {
        const { rows } = await api.db.query<{ status: string; stopped_by: string }>(
          `SELECT status, stopped_by FROM deadlines WHERE id = $1 AND status <> 'open'`,
          [deadlineId],
        );
        return rows[0];
      });
      expect(closed).toEqual({ status: 'cancelled', stopped_by: 'publicity_not_applicable' });
      const audit = await api.db.query<{ outcome: string; rule: string }>(
        `SELECT payload->>'outcome' AS outcome, payload->'publication'->>'rule' AS rule FROM audit_events
         WHERE action = 'deadline.due' AND payload->>'deadlineId' = $1`,
        [deadlineId],
      );
      expect(audit.rows).toEqual([{ outcome: 'not_applicable', rule: 'by_criteria:none_met' }]);
      const alerts = await api.db.query(`SELECT 1 FROM staff_alerts WHERE deadline_id = $1`, [deadlineId]);
      expect(alerts.rows).toEqual([]);
    });

    it('alerts ahead of an approaching deadline, and the reviewing officer when a response window ends', async () => {
      const id = await filedCase();
      await api.db.query(
        `UPDATE deadlines SET approaching_at = now() - interval '1 minute', due_at = now() + interval '1 day' WHERE case_id = $1 AND kind = 'decision_due'`,
        [id],
      );
      await waitFor('an approaching alert', async () => {
        const res = await call(api, 'GET', '/api/v1/me/alerts', { token: staff.approver });
        return res.body.items.find(
          (a: { caseId: string; kind: string }) => a.caseId === id && a.kind === 'deadline_approaching',
        );
      });
      const { leadId } = await insertLead(api, stationId);
      await review(leadId, staff.o2, confirm);
      await api.db.query(`UPDATE deadlines SET due_at = now() - interval '1 minute' WHERE lead_id = $1`, [
        leadId,
      ]);
      // (the lead's other alert: its push failed for good, no push endpoint being configured here)
      const alert = await waitFor('a response-window alert', async () => {
        const res = await call(api, 'GET', '/api/v1/me/alerts', { token: staff.o2 });
        return res.body.items.find(
          (a: { leadId: string; kind: string }) => a.leadId === leadId && a.kind === 'response_window_ended',
        );
      });
      expect(alert).toMatchObject({ kind: 'response_window_ended', leadId, readAt: null });
    });
  });
});
