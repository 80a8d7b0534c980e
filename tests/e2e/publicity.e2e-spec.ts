import { randomUUID } from 'node:crypto';
import { ADMIN, call, makeUser, startTestApi, tokenFor, type TestApi } from '../support/test-app';
import { insertLead } from '../support/lead-fixture';
import { residentId, usccOf } from '../support/identity-numbers';

/**
 * 行政处罚信息公示 over HTTP against the real API (issue 18, publicity): cases are decided through the state
 * machine's actions; the publication written by the decision's hook is read back from the public, unauthenticated
 * routes — whose whole payload is searched for every name, identity number, phone number and address of the
 * fixture — then withdrawn (行政处罚法 Art. 48 ¶2), and the publicity policy is switched to criteria.
 */

jest.setTimeout(180_000);

const OWNER = {
  name: '欧阳明华',
  idNumber: residentId('43068119800101123'),
  phone: '13912345678',
  address: '湖南省汨罗市汨罗镇人民路88号',
};

describe('publicity: published at decision, redacted, public list and feed, withdrawal, policy', () => {
  let api: TestApi;
  let admin: string;
  let stationId: string;
  const staff = {} as Record<'o1' | 'o2' | 'approver' | 'reviewer' | 'auditor', string>;
  const ids = {} as Record<'o1' | 'o2', string>;

  const act = (caseId: string, action: string, token: string, body: Record<string, unknown> = {}) =>
    call(api, 'POST', `/api/v1/cases/${caseId}/actions/${action}`, { token, body });
  const publicGet = (path: string) => call(api, 'GET', `/api/v1/public/decisions${path}`);

  /** A case from a fresh lead, its owner renamed to `owner`, carried up to the approved decision. */
  async function decidedCase(owner: {
    kind: 'person' | 'organisation';
    name: string;
    idNumber: string;
    phone: string;
    address: string;
  }) {
    const { leadId, plate } = await insertLead(api, stationId, { fineYuan: 2000 });
    await api.db.query(
      `UPDATE parties SET kind = $2, name = $3, id_number = $4, phone = $5, address = $6
       WHERE id = (SELECT owner_party_id FROM vehicles v JOIN leads l ON l.vehicle_id = v.id WHERE l.id = $1)`,
      [leadId, owner.kind, owner.name, owner.idNumber, owner.phone, owner.address],
    );
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
      body: { leadId, officerIds: [ids.o1, ids.o2] },
    });
    expect(created.status).toBe(201);
    const caseId = created.body.id as string;
    // [action, token, body, refused when it does not apply (a hearing waiver where there is no hearing right)]
    const steps: [string, string, Record<string, unknown>, boolean?][] = [
      ['request_filing', staff.o1, {}],
      ['approve_filing', staff.approver, {}],
      [
        'record_investigation',
        staff.o1,
        {
          kind: 'inquiry',
          // a foreign driver, questioned on his passport (行政处罚法 Art. 55)
          interviewee: { name: 'John SMITH', idKind: 'passport', idNumber: 'E12345678', relation: 'driver' },
          summary: `询问${owner.name}，电话${owner.phone}`,
          location: '检测点',
        },
      ],
      ['issue_pre_penalty_notice', staff.o1, {}],
      ['record_waiver', staff.o1, { right: 'statement', content: '当事人书面放弃陈述申辩' }],
      // a person fined 1,000 yuan or more has the right to a hearing (行政处罚法 Art. 63): waived in writing
      ['record_waiver', staff.o1, { right: 'hearing', content: '当事人书面放弃听证' }, true],
      ['submit_legal_review', staff.o1, {}],
      ['pass_legal_review', staff.reviewer, { opinions: '事实清楚，证据充分' }],
      ['approve_decision', staff.approver, {}],
    ];
    for (const [action, token, body, mayNotApply] of steps) {
      const res = await act(caseId, action, token, body);
      if (mayNotApply && res.status === 422) continue;
      if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    const row = await api.db.query<{ case_number: string }>('SELECT case_number FROM cases WHERE id = $1', [
      caseId,
    ]);
    return { caseId, plate, caseNumber: row.rows[0]!.case_number };
  }

  /** Every name, identity number, phone number and address the database holds for parties and users. */
  async function fixtureSecrets(): Promise<string[]> {
    const parties = await api.db.query<{
      kind: string;
      name: string;
      id_number: string | null;
      phone: string | null;
      address: string | null;
    }>('SELECT kind, name, id_number, phone, address FROM parties');
    const users = await api.db.query<{ username: string; display_name: string | null }>(
      'SELECT username, display_name FROM users',
    );
    const vehicles = await api.db.query<{ plate: string }>('SELECT plate FROM vehicles');
    const questioned = await api.db.query<{ name: string; id_number: string }>(
      `SELECT interviewee->>'name' AS name, interviewee->>'idNumber' AS id_number FROM investigation_records WHERE interviewee IS NOT NULL`,
    );
    return [
      // Organisations are published by name and credit code (by design); persons are not.
      ...parties.rows.flatMap((p) => [
        ...(p.kind === 'person' ? [p.name, p.id_number] : []),
        p.phone,
        p.address,
      ]),
      ...users.rows.flatMap((u) => [u.username, u.display_name]),
      ...vehicles.rows.map((v) => v.plate),
      ...questioned.rows.flatMap((q) => [q.name, q.id_number]),
    ].filter((s): s is string => !!s && s.length >= 2);
  }

  beforeAll(async () => {
    api = await startTestApi('publicity', {
      PUBLIC_RATE_LIMIT_PER_SECOND: '1',
      PUBLIC_RATE_LIMIT_BURST: '20',
    });
    admin = await tokenFor(api, ADMIN.username, ADMIN.password);
    const make = (name: string, roles: string[], extra: Record<string, string> = {}) =>
      makeUser(api, admin, `pub.${name}`, roles, extra);
    const o1 = await make('o1', ['officer'], { enforcementCertificateNo: 'PUB-C-0001' });
    const o2 = await make('o2', ['officer'], { enforcementCertificateNo: 'PUB-C-0002' });
    staff.o1 = o1.token;
    staff.o2 = o2.token;
    ids.o1 = o1.id;
    ids.o2 = o2.id;
    staff.approver = (await make('approver', ['approver'])).token;
    staff.reviewer = (
      await make('reviewer', ['legal_reviewer'], { legalQualificationNo: 'PUB-A-0001' })
    ).token;
    staff.auditor = (await make('auditor', ['auditor'])).token;
    stationId = randomUUID();
    await api.db.query(
      `INSERT INTO stations (id, code, name, road, stake, updated_at) VALUES ($1, 'ST-PUB', '汨罗S308检测点', 'S308', 'K12+300', now())`,
      [stationId],
    );
  }, 180_000);
  afterAll(async () => {
    await api?.close();
  });

  let person: { caseId: string; plate: string; caseNumber: string };
  let feedAfterPublication = '0';

  it('publishes a decided case at once, redacted, on public routes that need no sign-in', async () => {
    person = await decidedCase({ kind: 'person', ...OWNER });
    const organisation = await decidedCase({
      kind: 'organisation',
      name: '汨罗市顺达运输有限公司',
      idNumber: usccOf('PUB0001'),
      phone: '0730-5221234',
      address: '汨罗市工业园顺达路1号',
    });

    const staffView = await call(api, 'GET', `/api/v1/cases/${person.caseId}/publication`, {
      token: staff.o1,
    });
    expect(staffView.status).toBe(200);
    expect(staffView.body).toMatchObject({ status: 'published', rule: 'every_decision', withdrawal: null });
    // Published at the decision, within the period: 7 working days (the case policy), the case's publicity_due.
    const due = await api.db.query<{ due_at: Date }>(
      `SELECT due_at FROM deadlines WHERE case_id = $1 AND kind = 'publicity_due'`,
      [person.caseId],
    );
    expect(new Date(staffView.body.dueAt).getTime()).toBe(due.rows[0]!.due_at.getTime());
    expect(new Date(staffView.body.publishedAt).getTime()).toBeLessThanOrEqual(due.rows[0]!.due_at.getTime());

    const list = await publicGet('');
    expect(list.status).toBe(200);
    const mine = list.body.items.find(
      (d: { decisionNumber: string }) => d.decisionNumber === person.caseNumber,
    );
    expect(mine).toMatchObject({
      party: { kind: 'person', name: '欧阳某' },
      plate: `${person.plate.slice(0, 2)}·${person.plate[2]}***${person.plate.slice(-1)}`,
      violation: { place: '汨罗S308检测点 S308 K12+300', grossMassKg: 56000, limitKg: 49000 },
      penalty: { kinds: ['fine'], fineYuan: 2000 },
    });
    const org = list.body.items.find(
      (d: { decisionNumber: string }) => d.decisionNumber === organisation.caseNumber,
    );
    expect(org.party).toEqual({
      kind: 'organisation',
      name: '汨罗市顺达运输有限公司',
      creditCode: usccOf('PUB0001'),
    });

    const feed = await publicGet('/feed?since=0');
    expect(feed.status).toBe(200);
    expect(
      feed.body.events.map((e: { kind: string; decision: { decisionNumber: string } }) => [
        e.kind,
        e.decision.decisionNumber,
      ]),
    ).toEqual([
      ['published', person.caseNumber],
      ['published', organisation.caseNumber],
    ]);
    feedAfterPublication = feed.body.next;
    expect((await publicGet(`/feed?since=${feedAfterPublication}`)).body).toEqual({
      events: [],
      next: feedAfterPublication,
      more: false,
    });

    // Nothing of a person, no phone, no address, no staff name and no full plate anywhere in the public payload.
    const payload = JSON.stringify([list.body, feed.body]);
    const secrets = await fixtureSecrets();
    expect(secrets).toEqual(
      expect.arrayContaining([
        OWNER.name,
        OWNER.idNumber,
        OWNER.phone,
        OWNER.address,
        '0730-5221234',
        'John SMITH',
        'E12345678',
      ]),
    );
    expect(secrets.filter((s) => payload.includes(s))).toEqual([]);

    // Audited in the decision's transaction.
    const audit = await api.db.query<{ action: string }>(
      `SELECT action FROM audit_events WHERE entity_type = 'case' AND entity_id = $1 AND action LIKE 'publication.%'`,
      [person.caseId],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['publication.published']);
  });

  it('pages the public list with an opaque cursor and refuses a forged one', async () => {
    const first = await publicGet('?limit=1');
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await publicGet(`?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    expect((await publicGet('?cursor=not-ours')).body.code).toBe('invalid_cursor');
    expect((await publicGet('?limit=1000')).status).toBe(400);
  });

  it('withdraws a revoked decision (Art. 48 ¶2): gone from the list, the feed says so with the reason', async () => {
    const path = `/api/v1/cases/${person.caseId}/publication/withdrawal`;
    const body = {
      ground: 'reconsideration',
      revokedAt: new Date(Date.now() - 3_600_000).toISOString(),
      reference: '汨政复决字〔2024〕12号',
      reason: '原处罚决定经行政复议决定撤销',
    };
    expect((await call(api, 'POST', path, { token: staff.o1, body })).status).toBe(403);
    const leaky = await call(api, 'POST', path, {
      token: staff.approver,
      body: { ...body, reason: `当事人电话${OWNER.phone}，复议撤销` },
    });
    expect(leaky.status).toBe(400);
    expect(leaky.body.code).toBe('public_text_has_personal_data');
    expect(
      (await call(api, 'POST', path, { token: staff.approver, body: { ...body, extra: 1 } })).status,
    ).toBe(400);

    const withdrawn = await call(api, 'POST', path, { token: staff.approver, body });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({
      status: 'withdrawn',
      withdrawal: { ground: 'reconsideration', reason: body.reason, late: false },
    });
    expect((await call(api, 'POST', path, { token: staff.approver, body })).body.code).toBe(
      'publication_already_withdrawn',
    );

    const list = await publicGet('?limit=100');
    expect(list.body.items.map((d: { decisionNumber: string }) => d.decisionNumber)).not.toContain(
      person.caseNumber,
    );
    const feed = await publicGet(`/feed?since=${feedAfterPublication}`);
    expect(feed.body.events).toEqual([
      expect.objectContaining({
        kind: 'withdrawn',
        decision: null,
        withdrawal: {
          decisionNumber: person.caseNumber,
          authority: expect.any(String),
          ground: 'reconsideration',
          reason: body.reason,
          reference: body.reference,
        },
      }),
    ]);
    // The earlier publication event is history: it stays in the feed from 0.
    expect((await publicGet('/feed?since=0')).body.events).toHaveLength(3);

    const audit = await api.db.query<{ action: string; actor_id: string }>(
      `SELECT action, actor_id FROM audit_events WHERE entity_id = $1 AND action = 'publication.withdrawn'`,
      [person.caseId],
    );
    expect(audit.rows).toHaveLength(1);
  });

  it('holds a person filed as an organisation, alerts the staff, and publishes once the party is corrected', async () => {
    const misfiled = {
      kind: 'organisation' as const,
      name: '王建军',
      idNumber: residentId('43068119900202567'),
      phone: '13600002222',
      address: '汨罗市新市镇',
    };
    const held = await decidedCase(misfiled);
    const view = await call(api, 'GET', `/api/v1/cases/${held.caseId}/publication`, { token: staff.o1 });
    expect(view.body).toMatchObject({
      status: 'held',
      rule: 'every_decision;personal_data_found:1',
      publishedAt: null,
    });
    const list = await publicGet('?limit=100');
    expect(JSON.stringify(list.body)).not.toContain(misfiled.name);
    const alerts = await call(api, 'GET', '/api/v1/me/alerts', { token: staff.o1 });
    expect(alerts.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'publication_held', caseId: held.caseId })]),
    );

    const path = `/api/v1/cases/${held.caseId}/publication/publish-held`;
    const still = await call(api, 'POST', path, { token: staff.approver });
    expect(still.status).toBe(422);
    expect(still.body.code).toBe('personal_data_in_publication');
    expect(JSON.stringify(still.body)).not.toContain(misfiled.name);

    // The registry is corrected: the party is a person.
    await api.db.query(`UPDATE parties SET kind = 'person' WHERE id_number = $1`, [misfiled.idNumber]);
    expect((await call(api, 'POST', path, { token: staff.o1 })).status).toBe(403);
    const published = await call(api, 'POST', path, { token: staff.approver });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({
      status: 'published',
      content: { party: { kind: 'person', name: '王某' } },
    });
    expect((await call(api, 'POST', path, { token: staff.approver })).body.code).toBe(
      'publication_already_published',
    );
    const feed = await publicGet(`/feed?since=${feedAfterPublication}`);
    expect(feed.body.events.at(-1)).toMatchObject({
      kind: 'published',
      decision: { decisionNumber: held.caseNumber },
    });
    expect(JSON.stringify(feed.body)).not.toContain(misfiled.name);
    const audit = await api.db.query<{ action: string }>(
      `SELECT action FROM audit_events WHERE entity_id = $1 AND action LIKE 'publication.%' ORDER BY id`,
      [held.caseId],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['publication.held', 'publication.published']);
  });

  it('under a criteria policy a decision no criterion marks is recorded, not published', async () => {
    const set = await call(api, 'PUT', '/api/v1/policies/publicity', {
      token: admin,
      body: {
        publish: 'by_criteria',
        criteria: { organisations: true, minFineYuan: 10000, penaltyKinds: [] },
      },
    });
    expect(set.status).toBe(200);
    const quiet = await decidedCase({
      kind: 'person',
      name: '李建国',
      idNumber: residentId('43068119750505432'),
      phone: '13700001111',
      address: '汨罗市某村',
    });
    const view = await call(api, 'GET', `/api/v1/cases/${quiet.caseId}/publication`, {
      token: staff.auditor,
    });
    expect(view.body).toMatchObject({
      status: 'not_published',
      rule: 'by_criteria:none_met',
      publishedAt: null,
    });
    // No publication is owed, so no publicity period runs and no alert will fire (Art. 48); the decision's audit
    // event says why.
    const periods = await api.db.query(
      `SELECT kind FROM deadlines WHERE case_id = $1 AND kind = 'publicity_due'`,
      [quiet.caseId],
    );
    expect(periods.rows).toEqual([]);
    const decided = await api.db.query<{ owed: boolean }>(
      `SELECT (payload->'input'->>'publicityOwed')::boolean AS owed FROM audit_events WHERE entity_id = $1 AND action = 'case.approve_decision'`,
      [quiet.caseId],
    );
    expect(decided.rows).toEqual([{ owed: false }]);
    const list = await publicGet('?limit=100');
    expect(list.body.items.map((d: { decisionNumber: string }) => d.decisionNumber)).not.toContain(
      quiet.caseNumber,
    );
    // Withdrawing what was never published is refused.
    const refused = await call(api, 'POST', `/api/v1/cases/${quiet.caseId}/publication/withdrawal`, {
      token: staff.approver,
      body: { ground: 'court', revokedAt: new Date().toISOString(), reason: '判决撤销原处罚决定' },
    });
    expect(refused.body.code).toBe('publication_not_published');
    // No officer records a publication that never happened; the case is archived without one (Art. 48: the
    // policy lawfully left it unpublished), the snapshot knowing why.
    const recorded = await act(quiet.caseId, 'record_publicity', staff.o1, {});
    expect([recorded.status, recorded.body.code]).toEqual([422, 'publication_not_made']);
    expect((await act(quiet.caseId, 'record_service', staff.o1, { method: 'direct' })).status).toBe(200);
    const paid = await act(quiet.caseId, 'record_payment', staff.o1, {
      amountYuan: 2000,
      receiptNo: 'PUB-Q-1',
    });
    expect(paid.body.state).toBe('executed');
    let closed = await act(quiet.caseId, 'close_case', staff.approver, {});
    if (closed.body.code === 'case_file_below_threshold') {
      closed = await act(quiet.caseId, 'close_case', staff.approver, { overrideReason: '公示政策测试' });
    }
    expect(closed.body.state).toBe('closed');
    expect((await act(quiet.caseId, 'record_home_authority_report', staff.o1, {})).status).toBe(200);
    const archived = await act(quiet.caseId, 'archive', staff.o1, {});
    expect([archived.status, archived.body.state]).toEqual([200, 'archived']);
    const workflow = await api.db.query<{ publication: unknown; publicity: unknown }>(
      `SELECT workflow->'publication' AS publication, workflow->'publicity' AS publicity FROM cases WHERE id = $1`,
      [quiet.caseId],
    );
    expect(workflow.rows[0]).toMatchObject({
      publication: { status: 'not_published', rule: 'by_criteria:none_met' },
      publicity: null,
    });
  });

  it('limits the public routes per client address: 429 with Retry-After', async () => {
    let limited: Awaited<ReturnType<typeof publicGet>> | undefined;
    for (let i = 0; i < 100 && !limited; i++) {
      const res = await publicGet('?limit=1');
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(200);
    }
    expect(limited?.body.code).toBe('rate_limited');
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});
