import { randomUUID } from 'node:crypto';
import { residentId, uscc } from '../support/identity-numbers';
import { importRegistryRows, investigatedTripCase } from '../support/trip-fixture';
import { ADMIN, call, makeUser, startTestApi, tokenFor, type TestApi } from '../support/test-app';

/**
 * 案卷评查 of the sub-cases of 一超四罚 over HTTP against the real API: a truck's fourth trip within the year
 * (《公路安全保护条例》 Art. 66) gives its driver an order to stop commercial transport and its vehicle the
 * revocation of its road transport certificate, each a sub-case with no lead of its own. Each is carried through
 * filing, investigation, the notice issued with its batch, written waivers, legal review, decision, service and
 * execution; then scored from its own records (its plan's citations, its vehicle, the trips it counts, the person
 * its inquiry questioned, the decision's 送达回证) and closed.
 *
 * The registry (enterprise, truck, driver, source unit) is imported through its routes; the trips are screened
 * leads written into the database and taken up to their investigation over HTTP, as in four-penalties.e2e; the
 * three earlier trips are marked decided in the database (the confirmed history a count reads).
 */

jest.setTimeout(300_000);

const COMPANY = {
  name: '汨罗市评查混凝土有限公司',
  code: uscc('91430681MA4L00071'),
  licenceNo: '湘交运管许可岳字430681000071',
};
const TRUCK = {
  plate: '湘FK7001',
  certificateNo: '湘交运营岳字430681000701',
  driverName: '驾驶人评甲',
  driverId: residentId('43068119800101701'),
};

describe('case-file evaluation of 一超四罚 sub-cases: scored from their own records', () => {
  let api: TestApi;
  let admin: string;
  const tok: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let stationId: string;
  let lastTrip: string;
  let driverCase: string;
  let certificateCase: string;

  const act = (caseId: string, action: string, token: string, body: Record<string, unknown> = {}) =>
    call(api, 'POST', `/api/v1/cases/${caseId}/actions/${action}`, { token, body });
  const evaluation = (caseId: string) =>
    call(api, 'GET', `/api/v1/cases/${caseId}/evaluation`, { token: tok['auditor'] });
  const findingsOf = (res: { body: { findings: { code: string }[] } }) =>
    res.body.findings.map((f) => f.code).sort();
  async function step(caseId: string, action: string, token: string, body: Record<string, unknown> = {}) {
    const res = await act(caseId, action, token, body);
    if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
  const importRows = (kind: Parameters<typeof importRegistryRows>[2], rows: unknown[]) =>
    importRegistryRows(api, admin, kind, rows);
  /** A trip of the truck up to its investigation: the inquiry names the driver and the source unit. */
  const investigatedTrip = (daysAgo: number) =>
    investigatedTripCase(api, {
      stationId,
      plate: TRUCK.plate,
      daysAgo,
      token: tok['o1']!,
      approverToken: tok['approver']!,
      officerIds: [ids['o1']!, ids['o2']!],
      driver: { name: TRUCK.driverName, idNumber: TRUCK.driverId, phone: '13900000701' },
      sourceUnit: { name: COMPANY.name, code: COMPANY.code },
    });

  /**
   * A sub-case from filing to execution, as the officers handle it: its investigation (an inquiry of the person
   * named, or only a check of the documents), the notice issued with its batch and served by post (its own
   * 送达回证), both rights waived in writing, legal review, the decision (a revocation after the leaders' collective
   * discussion, 行政处罚法 Art. 57 ¶2), its service and execution.
   */
  async function handled(id: string, investigation: Record<string, unknown>, revocation = false) {
    await step(id, 'request_filing', tok['o1']!);
    await step(id, 'approve_filing', tok['approver']!);
    await step(id, 'record_investigation', tok['o1']!, investigation);
    const issued = await call(api, 'POST', '/api/v1/penalties/batches', {
      token: tok['o1'],
      body: {
        caseIds: [id],
        action: 'issue_notices',
        service: [{ caseId: id, servedAt: new Date().toISOString(), method: 'post' }],
      },
    });
    expect(issued.status).toBe(200);
    await step(id, 'record_waiver', tok['o1']!, { right: 'statement', content: '当事人书面放弃陈述申辩' });
    await step(id, 'record_waiver', tok['o1']!, { right: 'hearing', content: '当事人书面放弃听证' });
    await step(id, 'submit_legal_review', tok['o1']!);
    await step(id, 'pass_legal_review', tok['reviewer']!, { opinions: '事实清楚，证据确凿，适用依据正确' });
    if (revocation)
      await step(id, 'record_collective_discussion', tok['approver']!, {
        participants: '局长、分管副局长、法规科科长',
        conclusion: '事实清楚，同意吊销车辆营运证',
      });
    await step(id, 'approve_decision', tok['approver']!);
    await step(id, 'record_service', tok['o1']!, { method: 'direct', recipient: '当事人本人' });
    await step(id, 'record_execution', tok['o1']!);
  }

  beforeAll(async () => {
    api = await startTestApi('evaluation-subcases');
    admin = await tokenFor(api, ADMIN.username, ADMIN.password);
    const users: [string, string[], Record<string, string>][] = [
      ['o1', ['officer'], { enforcementCertificateNo: 'HN-ES-0001' }],
      ['o2', ['officer'], { enforcementCertificateNo: 'HN-ES-0002' }],
      ['approver', ['approver'], {}],
      ['reviewer', ['legal_reviewer'], { legalQualificationNo: 'A20190071' }],
      ['auditor', ['auditor'], {}],
    ];
    for (const [key, roles, extra] of users) {
      const user = await makeUser(api, admin, `es.${key}`, roles, extra);
      tok[key] = user.token;
      ids[key] = user.id;
    }
    stationId = randomUUID();
    await api.db.query(
      `INSERT INTO stations (id, code, name, road, stake, updated_at) VALUES ($1, 'ST-ES', '汨罗S308检测点', 'S308', 'K21+300', now())`,
      [stationId],
    );
    // One truck of a fleet of 20 (1 of 20 is not over 10%: no enterprise case); its driver's 从业资格证 and the
    // company's loading site are in the county, so the bureau decides both (超限规定 Art. 46; 湖南条例 Art. 30).
    await importRows('enterprises', [
      {
        name: COMPANY.name,
        socialCreditCode: COMPANY.code,
        licenceNo: COMPANY.licenceNo,
        fleetSize: 20,
        fleetSizeEffectiveFrom: '2020-01-01',
        contactPhone: '0730-5227001',
      },
    ]);
    await importRows('vehicles', [
      {
        plate: TRUCK.plate,
        plateColour: 'yellow',
        ownerName: COMPANY.name,
        ownerPhone: '0730-5227001',
        ownerIdNumber: COMPANY.code,
        enterpriseLicenceNo: COMPANY.licenceNo,
        transportCertificateNo: TRUCK.certificateNo,
        axleCount: 4,
      },
    ]);
    await importRows('drivers', [
      {
        name: TRUCK.driverName,
        idNumber: TRUCK.driverId,
        qualificationCertificateNo: 'CY430681071',
        phone: '13900000701',
        registrationDivisionCode: '430681',
      },
    ]);
    await importRows('source-units', [
      {
        name: COMPANY.name,
        socialCreditCode: COMPANY.code,
        address: '湖南省汨罗市工业园',
        siteDivisionCode: '430681',
      },
    ]);
    // Three trips decided within the year (ten days after each), then the fourth: "more than 3" (Art. 66).
    for (const daysAgo of [120, 90, 60]) {
      const id = await investigatedTrip(daysAgo);
      await api.db.query(
        `UPDATE cases SET state = 'decided', decided_at = now() - ($2 - 10) * interval '1 day' WHERE id = $1`,
        [id, daysAgo],
      );
    }
    lastTrip = await investigatedTrip(20);
    const planned = await call(api, 'POST', `/api/v1/cases/${lastTrip}/four-penalties/plan`, {
      token: tok['o1'],
      body: {},
    });
    expect(planned.status).toBe(200);
    const { rows } = await api.db.query<{ id: string; type: string }>(
      `SELECT id, type FROM cases WHERE parent_case_id = $1 AND type IN ('driver', 'vehicle_certificate')`,
      [lastTrip],
    );
    driverCase = rows.find((r) => r.type === 'driver')!.id;
    certificateCase = rows.find((r) => r.type === 'vehicle_certificate')!.id;
    // A sub-case's decision waits for the trip that crossed the threshold (as four-penalties.e2e): decided.
    await api.db.query(`UPDATE cases SET state = 'decided', decided_at = now() WHERE id = $1`, [lastTrip]);
  }, 300_000);

  afterAll(async () => {
    await api?.close();
  });

  it('a driver’s order handled correctly scores what a correct file does: nothing "not filled", and it closes at 100', async () => {
    await handled(driverCase, {
      kind: 'inquiry',
      interviewee: { name: TRUCK.driverName, idNumber: TRUCK.driverId, relation: 'party' },
      summary: '驾驶人承认一年内四次驾驶车辆违法超限运输',
      location: '汨罗市交通运输局',
    });
    // The notice (by post) and the decision each have their 送达回证.
    const proofs = await api.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM case_documents WHERE case_id = $1 AND kind = 'proof_of_service'`,
      [driverCase],
    );
    expect(proofs.rows[0]!.n).toBe(2);
    const open = await evaluation(driverCase);
    expect(open.status).toBe(200);
    // Before closing, the one thing missing is the closing report, which the closing action writes.
    expect(findingsOf(open)).toEqual(['completeness.closing_report']);
    expect(open.body).toMatchObject({ score: 95, meetsThreshold: true });

    const closed = await act(driverCase, 'close_case', tok['approver']!);
    expect(closed.status).toBe(200);
    expect(closed.body.state).toBe('closed');
    const { rows } = await api.db.query(
      `SELECT payload FROM audit_events WHERE entity_id = $1 AND action = 'case.close_case'`,
      [driverCase],
    );
    expect(rows[0].payload.closingChecks.evaluation).toMatchObject({ score: 100, findings: [] });
    expect((await evaluation(driverCase)).body).toMatchObject({ score: 100, findings: [] });
  });

  it('a certificate’s revocation without an inquiry of anyone loses the inquiry record’s points, and only those', async () => {
    await handled(
      certificateCase,
      { kind: 'document_check', summary: '核查车辆营运证及违法超限运输记录' },
      true,
    );
    const res = await evaluation(certificateCase);
    expect(res.status).toBe(200);
    // The plate (the truck's), the cited Art. 66, the trips as evidence are all there: only the inquiry is missing.
    expect(findingsOf(res)).toEqual(['completeness.closing_report', 'completeness.inquiry_record']);
    const inquiry = res.body.findings.find((f: { code: string }) => f.code === 'completeness.inquiry_record');
    expect(inquiry).toMatchObject({ deduction: 5, details: ['inquiry_record is missing'] });
    expect(res.body.score).toBe(90);
    // At closing the closing report is written: 95, closed without an override, the missing record kept.
    const closed = await act(certificateCase, 'close_case', tok['approver']!);
    expect(closed.status).toBe(200);
    const { rows } = await api.db.query(
      `SELECT score, findings FROM case_evaluations WHERE case_id = $1 AND kind = 'precheck'`,
      [certificateCase],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].score).toBe(95);
    expect(rows[0].findings.findings.map((f: { code: string }) => f.code)).toEqual([
      'completeness.inquiry_record',
    ]);
  });
});
