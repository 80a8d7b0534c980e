import { randomUUID } from 'node:crypto';
import { ADMIN, call, startTestApi, tokenFor, type TestApi, makeUser } from '../support/test-app';
import { insertLead } from '../support/lead-fixture';

/**
 * 案卷评查 over HTTP against the real API (issue 6, "Case-file evaluation"): cases are driven through the
 * state machine's actions as tests/e2e/cases.e2e-spec.ts does (a screened lead written into the database,
 * then review, filing, investigation, notice, waiver, legal review, decision, service, payment), and the
 * evaluation is read from the case's own records.
 */

interface Staff {
  o1: string;
  o2: string;
  approver: string;
  reviewer: string;
  auditor: string;
  ids: Record<string, string>;
}

/** A screened lead with its vehicle and owner, as screening writes it (see cases.e2e-spec.ts). */
const CLEAN_BASIS = [
  { code: 'ORR-3', article: '第三条' },
  { code: 'ORR-43-1-2', article: '第四十三条第一款第（二）项' },
];

jest.setTimeout(120_000);

describe('case-file evaluation: score from the records, closing threshold with override, spot checks', () => {
  let api: TestApi;
  let staff: Staff;
  let stationId: string;
  let cleanId: string;
  let flawedId: string;

  const act = (caseId: string, action: string, token: string, body: Record<string, unknown> = {}) =>
    call(api, 'POST', `/api/v1/cases/${caseId}/actions/${action}`, { token, body });
  const evaluation = (caseId: string, token: string) =>
    call(api, 'GET', `/api/v1/cases/${caseId}/evaluation`, { token });
  const count = async (sql: string, params: unknown[] = []) =>
    (await api.db.query<{ n: number }>(sql, params)).rows[0]!.n;

  /** A case from a lead citing `basis`, through every step up to `executed` (fine paid in time). */
  async function executedCase(basis: { code: string; article: string }[]): Promise<string> {
    const leadId = (await insertLead(api, stationId, { basis })).leadId;
    const reviewed = await call(api, 'POST', `/api/v1/leads/${leadId}/review`, {
      token: staff.o1,
      body: {
        decision: 'confirm',
        reason: '号牌、轴数与图像一致',
        checks: { plateMatches: true, axleCountMatches: true },
      },
    });
    expect(reviewed.status).toBe(200);
    const created = await call(api, 'POST', '/api/v1/cases', {
      token: staff.o1,
      body: { leadId, officerIds: [staff.ids['o1'], staff.ids['o2']] },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const steps: [string, string, Record<string, unknown>][] = [
      ['request_filing', staff.o1, {}],
      ['approve_filing', staff.approver, {}],
      [
        'record_investigation',
        staff.o1,
        {
          kind: 'inquiry',
          interviewee: { name: '龚昇', idNumber: '430681198001011236', relation: 'driver' },
          summary: '驾驶员承认超限',
          location: '检测点',
        },
      ],
      ['issue_pre_penalty_notice', staff.o1, {}],
      ['record_waiver', staff.o1, { right: 'statement', content: '当事人书面放弃陈述申辩' }],
      // 2,000 yuan to a person carries the hearing right (Art. 63, a person's threshold of 1,000 yuan): given up in
      // writing too. (Under the superseded single threshold of 10,000 yuan the right was withheld.)
      ['record_waiver', staff.o1, { right: 'hearing', content: '当事人书面放弃听证' }],
      ['submit_legal_review', staff.o1, {}],
      ['pass_legal_review', staff.reviewer, { opinions: '事实清楚，证据充分' }],
      ['approve_decision', staff.approver, {}],
      ['record_service', staff.o1, { method: 'direct', recipient: '当事人本人' }],
      ['record_payment', staff.o1, { amountYuan: 2000, receiptNo: `EV-${randomUUID().slice(0, 8)}` }],
    ];
    for (const [action, token, body] of steps) {
      const res = await act(id, action, token, body);
      if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    expect((await call(api, 'GET', `/api/v1/cases/${id}`, { token: staff.o1 })).body.state).toBe('executed');
    return id;
  }

  beforeAll(async () => {
    api = await startTestApi('evaluation');
    const admin = await tokenFor(api, ADMIN.username, ADMIN.password);
    const o1 = await makeUser(api, admin, 'eval.o1', ['officer'], { enforcementCertificateNo: 'EV-C-0001' });
    const o2 = await makeUser(api, admin, 'eval.o2', ['officer'], { enforcementCertificateNo: 'EV-C-0002' });
    const approver = await makeUser(api, admin, 'eval.approver', ['approver']);
    const reviewer = await makeUser(api, admin, 'eval.reviewer', ['legal_reviewer'], {
      legalQualificationNo: 'EV-A-0001',
    });
    const auditor = await makeUser(api, admin, 'eval.auditor', ['auditor']);
    staff = {
      o1: o1.token,
      o2: o2.token,
      approver: approver.token,
      reviewer: reviewer.token,
      auditor: auditor.token,
      ids: { o1: o1.id, o2: o2.id },
    };
    stationId = randomUUID();
    await api.db.query(
      `INSERT INTO stations (id, code, name, road, stake, updated_at) VALUES ($1, 'ST-EVAL', '汨罗S308检测点', 'S308', 'K12+300', now())`,
      [stationId],
    );
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  it('is available at any stage: a draft lacks its documents and says which', async () => {
    const leadId = (await insertLead(api, stationId, { basis: CLEAN_BASIS })).leadId;
    await call(api, 'POST', `/api/v1/leads/${leadId}/review`, {
      token: staff.o1,
      body: { decision: 'confirm', reason: '一致', checks: { plateMatches: true, axleCountMatches: true } },
    });
    const created = await call(api, 'POST', '/api/v1/cases', {
      token: staff.o1,
      body: { leadId, officerIds: [staff.ids['o1'], staff.ids['o2']] },
    });
    const res = await evaluation(created.body.id, staff.o1);
    expect(res.status).toBe(200);
    expect(res.body.score).toBeLessThan(90);
    expect(res.body.meetsThreshold).toBe(false);
    const codes = res.body.findings.map((f: { code: string }) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['completeness.decision', 'completeness.filing_approval']));
    for (const f of res.body.findings) {
      expect(Object.keys(f)).toEqual(
        expect.arrayContaining(['axis', 'code', 'message', 'deduction', 'documentRef']),
      );
    }
    expect((await evaluation(randomUUID(), staff.auditor)).status).toBe(404);
    expect((await evaluation('not-a-uuid', staff.auditor)).status).toBe(400);
  });

  it('a clean, complete case scores 100 with no finding, and closes; the score is in the closing audit', async () => {
    cleanId = await executedCase(CLEAN_BASIS);
    // Before closing, the one thing missing is the closing report, which the closing action writes.
    const open = await evaluation(cleanId, staff.auditor);
    expect(open.status).toBe(200);
    expect(open.body.findings.map((f: { code: string }) => f.code)).toEqual(['completeness.closing_report']);
    expect(open.body).toMatchObject({ score: 95, grade: 'excellent', threshold: 90, meetsThreshold: true });
    const closed = await act(cleanId, 'close_case', staff.approver);
    expect(closed.status).toBe(200);
    expect(closed.body.state).toBe('closed');
    const { rows } = await api.db.query(
      `SELECT payload FROM audit_events WHERE entity_id = $1 AND action = 'case.close_case'`,
      [cleanId],
    );
    expect(rows[0].payload.closingChecks.evaluation).toMatchObject({
      score: 100,
      threshold: 90,
      findings: [],
    });
    expect(
      await count(
        `SELECT count(*)::int AS n FROM case_evaluations WHERE case_id = $1 AND kind = 'precheck'`,
        [cleanId],
      ),
    ).toBe(1);
    // Closed: the file is complete and clean.
    const res = await evaluation(cleanId, staff.o1);
    expect(res.body.findings).toEqual([]);
    expect(res.body).toMatchObject({ score: 100, grade: 'excellent', meetsThreshold: true });
  });

  it('a case citing an article not in the catalogue and one of another violation shows those findings', async () => {
    flawedId = await executedCase([
      ...CLEAN_BASIS,
      { code: 'ORR-99', article: '第九十九条' },
      { code: 'HSR-66-DRIVER', article: '第六十六条' },
    ]);
    const res = await evaluation(flawedId, staff.o1);
    expect(res.status).toBe(200);
    expect(res.body.findings.map((f: { code: string }) => f.code).sort()).toEqual([
      'completeness.closing_report', // not closed yet
      'legal_basis.article_exists',
      'legal_basis.fits_violation_type',
    ]);
    expect(res.body.score).toBe(80);
    const exists = res.body.findings.find((f: { code: string }) => f.code === 'legal_basis.article_exists');
    expect(exists).toMatchObject({ axis: 'legal_basis', deduction: 10 });
    expect(exists.documentRef).toMatch(/^pre_penalty_notice:/);
    expect(exists.details.join(' ')).toContain('ORR-99');
  });

  // At closing the file is scored with the closing report the action writes: 85, below 90.
  it('closing below the threshold is refused with the findings, then allowed with an approver override (audited)', async () => {
    const auditBefore = await count('SELECT count(*)::int AS n FROM audit_events');
    const refused = await act(flawedId, 'close_case', staff.approver);
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ code: 'case_file_below_threshold', score: 85, threshold: 90 });
    expect(refused.body.findings.map((f: { code: string }) => f.code)).toContain(
      'legal_basis.article_exists',
    );
    expect(await count('SELECT count(*)::int AS n FROM audit_events')).toBe(auditBefore);
    expect((await api.db.query('SELECT state FROM cases WHERE id = $1', [flawedId])).rows[0].state).toBe(
      'executed',
    );
    // An officer cannot close at all; an empty reason is malformed.
    expect((await act(flawedId, 'close_case', staff.o1, { overrideReason: '紧急' })).status).toBe(403);
    expect((await act(flawedId, 'close_case', staff.approver, { overrideReason: '' })).status).toBe(400);

    const overridden = await act(flawedId, 'close_case', staff.approver, {
      overrideReason: '引用条款笔误，不影响处罚结果，经集体讨论同意结案',
    });
    expect(overridden.status).toBe(200);
    expect(overridden.body.state).toBe('closed');
    const { rows } = await api.db.query(
      `SELECT action, actor_id, payload FROM audit_events WHERE entity_id = $1
         AND action IN ('case.evaluation_overridden', 'case.close_case') ORDER BY id`,
      [flawedId],
    );
    expect(rows.map((r) => r.action)).toEqual(['case.evaluation_overridden', 'case.close_case']);
    expect(rows[0].payload).toMatchObject({
      score: 85,
      threshold: 90,
      overrideReason: '引用条款笔误，不影响处罚结果，经集体讨论同意结案',
    });
    const { rows: evals } = await api.db.query(
      `SELECT kind, score, evaluator_id, findings FROM case_evaluations WHERE case_id = $1`,
      [flawedId],
    );
    expect(evals).toHaveLength(1);
    expect(evals[0]).toMatchObject({ kind: 'precheck', score: 85 });
    expect(evals[0].findings.override.reason).toContain('集体讨论');
  });

  it('POST /evaluations samples closed cases, reports scores and findings by axis, and changes no case', async () => {
    const casesBefore = (
      await api.db.query('SELECT id, state, version, workflow, updated_at FROM cases ORDER BY id')
    ).rows;
    const reviewsBefore = await count(
      `SELECT count(*)::int AS n FROM case_evaluations WHERE kind = 'review'`,
    );
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const res = await call(api, 'POST', '/api/v1/evaluations', {
      token: staff.auditor,
      body: { sample: 10, from, to },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ requested: 10, drawn: 2 });
    const byId = Object.fromEntries(res.body.cases.map((c: { caseId: string }) => [c.caseId, c]));
    expect(byId[cleanId]).toMatchObject({
      score: 100,
      findingsByAxis: { completeness: [], consistency: [], legal_basis: [] },
    });
    expect(byId[flawedId].score).toBe(85);
    expect(byId[flawedId].findingsByAxis.legal_basis.map((f: { code: string }) => f.code).sort()).toEqual([
      'legal_basis.article_exists',
      'legal_basis.fits_violation_type',
    ]);
    expect(res.body.byAxis.legal_basis).toEqual({ findings: 2, deducted: 15 });
    expect(res.body.averageScore).toBe(92.5);

    // A sample of one draws one of them; a window with no closed case draws none.
    const one = await call(api, 'POST', '/api/v1/evaluations', {
      token: staff.auditor,
      body: { sample: 1, from, to },
    });
    expect(one.body.drawn).toBe(1);
    const none = await call(api, 'POST', '/api/v1/evaluations', {
      token: staff.auditor,
      body: { sample: 5, from: '2020-01-01T00:00:00Z', to: '2020-02-01T00:00:00Z' },
    });
    expect(none.body).toMatchObject({ drawn: 0, cases: [] });

    // Read-only on case data; the runs are recorded (3 review rows) and audited (3 events).
    expect(
      (await api.db.query('SELECT id, state, version, workflow, updated_at FROM cases ORDER BY id')).rows,
    ).toEqual(casesBefore);
    expect(await count(`SELECT count(*)::int AS n FROM case_evaluations WHERE kind = 'review'`)).toBe(
      reviewsBefore + 3,
    );
    expect(
      await count(
        `SELECT count(*)::int AS n FROM audit_events WHERE action = 'evaluation.sampled' AND actor_id = $1`,
        [(await api.db.query(`SELECT id FROM users WHERE username = 'eval.auditor'`)).rows[0].id],
      ),
    ).toBe(3);

    // Only auditors and admins; bad bodies are 400.
    expect(
      (await call(api, 'POST', '/api/v1/evaluations', { token: staff.o1, body: { sample: 1, from, to } }))
        .status,
    ).toBe(403);
    for (const body of [
      {},
      { sample: 0, from, to },
      { sample: 1, from: to, to: from },
      { sample: 1, from, to, extra: true },
    ]) {
      expect((await call(api, 'POST', '/api/v1/evaluations', { token: staff.auditor, body })).status).toBe(
        400,
      );
    }
  });
  it('the rules are policy: an admin re-weights or switches off a rule by code, a bad override changes nothing', async () => {
    const admin = await tokenFor(api, ADMIN.username, ADMIN.password);
    const before = await evaluation(flawedId, staff.auditor);
    const exists = before.body.findings.find(
      (f: { code: string }) => f.code === 'legal_basis.article_exists',
    );
    expect(exists).toMatchObject({ deduction: 10 });
    const versions = () =>
      count(`SELECT count(*)::int AS n FROM policies WHERE key = 'case_file_evaluation'`);
    const versionsBefore = await versions();

    const typo = await call(api, 'PUT', '/api/v1/policies/case_file_evaluation', {
      token: admin,
      body: { rules: { 'legal_basis.article_exsts': { deduction: 2 } } },
    });
    expect(typo.status).toBe(400);
    expect(JSON.stringify(typo.body.errors)).toContain(
      'no evaluation rule has the code legal_basis.article_exsts',
    );
    expect(await versions()).toBe(versionsBefore);

    const set = await call(api, 'PUT', '/api/v1/policies/case_file_evaluation', {
      token: admin,
      body: {
        closingMinimumScore: 85,
        rules: {
          'legal_basis.article_exists': { deduction: 2 },
          'legal_basis.fits_violation_type': { enabled: false },
        },
      },
    });
    expect(set.status).toBe(200);
    const after = await evaluation(flawedId, staff.auditor);
    expect(after.body.threshold).toBe(85);
    expect(after.body.findings.map((f: { code: string }) => f.code)).toEqual(['legal_basis.article_exists']);
    expect(after.body.findings[0].deduction).toBe(2);
    expect(after.body.score).toBe(98);
  });
});
