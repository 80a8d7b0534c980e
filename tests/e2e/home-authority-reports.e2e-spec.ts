import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCase, caseOfLead, screenedLead, type CaseFixture } from '../support/case-fixture';
import { ensurePoppler, poppler } from '../support/poppler';
import { ADMIN, call, startTestStack, tokenFor, type TestApi, type TestStack } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * The report of an Art. 66 count (《公路安全保护条例》) to the home authority of a party registered elsewhere
 * (《超限运输车辆行驶公路管理规定》 Art. 46), through the real API and worker: a transport enterprise registered in
 * 岳阳楼区 (430602), outside the county the bureau serves, has two of its ten trucks caught within a year — the
 * first trip carried through to its decision over HTTP, the second filed. Filing plans the four penalties: the
 * enterprise's suspension is not the bureau's to decide, so the vehicle case gets the report as a numbered case
 * document (违法超限运输情况抄告函, CJ), printed to PDF, verified, versioned and filed in the export.
 *
 * The worker's sweep of unprinted versions runs once an hour here: what is printed is printed by the jobs that
 * the plan and the four-penalties batch queue after their commit, or on demand.
 */

jest.setTimeout(300_000);

const AUTHORITY = '汨罗市交通运输局';
const HOME = '岳阳市道路运输事务中心';
const squeeze = (text: string) => text.replace(/\s+/g, '');

interface VersionRow {
  version: number;
  verification_code: string | null;
  pdf_sha256: string | null;
}

describe('the report of an Art. 66 count to the home authority, as a case document', () => {
  let stack: TestStack;
  let api: TestApi;
  let admin: string;
  let fx: CaseFixture;
  let dir: string;
  let tripId: string;
  let report: { id: string; documentNumber: string; version: number };
  const plate2 = '湘F6H202';

  const act = (caseId: string, action: string, who: keyof CaseFixture['tokens'], body = {}) =>
    call(api, 'POST', `/api/v1/cases/${caseId}/actions/${action}`, { token: fx.tokens[who], body });
  const enterpriseOutcome = async (caseId: string) =>
    (
      await call(api, 'GET', `/api/v1/cases/${caseId}/four-penalties`, { token: fx.tokens.o1 })
    ).body.outcomes.find((o: { role: string }) => o.role === 'enterprise');
  const versionsOf = async (documentId: string) =>
    (
      await api.db.query<VersionRow>(
        `SELECT version, verification_code, pdf_sha256 FROM case_document_versions
         WHERE document_id = $1 ORDER BY version`,
        [documentId],
      )
    ).rows;
  const pdfText = async (caseId: string, documentId: string, version: number) => {
    const res = await fetch(
      `${api.url}/api/v1/cases/${caseId}/documents/${documentId}?format=pdf&version=${version}`,
      { headers: { authorization: `Bearer ${fx.tokens.auditor}` } },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/pdf/);
    const file = join(dir, `${documentId}-v${version}.pdf`);
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    return squeeze(poppler('pdftotext', ['-raw', file, '-']));
  };
  const verify = async (code: string) =>
    (await call(api, 'GET', `/api/v1/documents/verify?code=${encodeURIComponent(code)}`)).body;
  const printed = (documentId: string, version: number) =>
    waitFor(
      `version ${version} of the document to be printed by its job`,
      async () => (await versionsOf(documentId)).find((v) => v.version === version && v.pdf_sha256) ?? null,
      60_000,
    );

  beforeAll(async () => {
    ensurePoppler();
    dir = mkdtempSync(join(tmpdir(), 'home-report-e2e-'));
    stack = await startTestStack('home-reports', { DOCUMENT_PRINT_SWEEP_INTERVAL_MS: '3600000' });
    api = stack.api;
    admin = await tokenFor(api, ADMIN.username, ADMIN.password);
    // The first trip of the enterprise's first truck, decided (and paid) through the routes.
    fx = await buildCase(api, admin, { prefix: 'HR', plate: '湘F6H201', until: 'executed' });
    const { rows } = await api.db.query<{
      id: string;
      licence_no: string;
      name: string;
      id_number: string;
    }>(
      `SELECT e.id, e.licence_no, p.name, p.id_number FROM vehicles v
       JOIN road_transport_enterprises e ON e.id = v.enterprise_id JOIN parties p ON p.id = e.party_id
       WHERE v.plate = $1`,
      [fx.plate],
    );
    const enterprise = rows[0]!;
    // Its 经营许可证 is of 岳阳楼区, and ten trucks are registered: two caught trucks are over 10%.
    const imported = await call(api, 'POST', '/api/v1/registry/enterprises', {
      token: admin,
      body: {
        rows: [
          {
            name: enterprise.name,
            socialCreditCode: enterprise.id_number,
            licenceNo: enterprise.licence_no,
            fleetSize: 10,
            contactPhone: '0730-5221234',
            registrationDivisionCode: '430602',
          },
        ],
      },
    });
    expect(imported.status).toBeLessThan(300);
    // The registry import has no column for the home authority's name: it is recorded on the enterprise here.
    await api.db.query('UPDATE road_transport_enterprises SET home_authority = $2 WHERE id = $1', [
      enterprise.id,
      HOME,
    ]);
    const vehicles = await call(api, 'POST', '/api/v1/registry/vehicles', {
      token: admin,
      rawBody: [
        'plate,plateColour,ownerName,ownerPhone,ownerIdNumber,enterpriseLicenceNo,transportCertificateNo,axleCount',
        `${plate2},yellow,赵六,13900139001,430102198506123011,${enterprise.licence_no},430602000202,6`,
      ].join('\n'),
      headers: { 'content-type': 'text/csv' },
    });
    expect(vehicles.status).toBeLessThan(300);

    // The second truck's trip: reviewed, filed and approved — the filing plans the four penalties.
    const { leadId } = await screenedLead(api, fx.station, plate2, fx.tokens.o1);
    tripId = await caseOfLead(api, leadId, fx.tokens.o1, [fx.userIds.o1, fx.userIds.o2]);
    expect((await act(tripId, 'request_filing', 'o1')).status).toBe(200);
    expect((await act(tripId, 'approve_filing', 'approver')).status).toBe(200);
  }, 300_000);

  afterAll(async () => {
    const worker = stack?.worker.output() ?? '';
    await stack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    expect(worker).not.toMatch(/"level":(50|60)/);
  });

  it('writes the report as a numbered document of the vehicle case, not a suspension sub-case', async () => {
    const outcome = await enterpriseOutcome(tripId);
    expect(outcome).toMatchObject({
      outcome: 'business_suspension',
      carriedBy: 'home_authority_report',
      subCase: null,
      homeAuthorityReport: { divisionCode: '430602', measure: 'business_suspension' },
    });
    expect([...outcome.homeAuthorityReport.countedCaseIds].sort()).toEqual([fx.caseId, tripId].sort());
    report = outcome.homeAuthorityReport.document;
    const trip = (await call(api, 'GET', `/api/v1/cases/${tripId}`, { token: fx.tokens.o1 })).body;
    expect(report).toEqual({
      id: expect.any(String),
      documentNumber: `${trip.caseNumber}-CJ-01`,
      version: 1,
    });
    expect(trip.documents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: report.id,
          kind: 'home_authority_measure_report',
          documentNumber: report.documentNumber,
        }),
      ]),
    );
    // written with the planning's audit event, which names it
    const audit = await api.db.query<{ payload: { documents: string[]; reported: unknown[] } }>(
      `SELECT payload FROM audit_events WHERE entity_id = $1 AND action = 'four_penalties.planned'
       ORDER BY occurred_at DESC LIMIT 1`,
      [tripId],
    );
    expect(audit.rows[0]!.payload.documents).toEqual([report.id]);
    const subCases = await api.db.query('SELECT type FROM cases WHERE parent_case_id = $1', [tripId]);
    expect(subCases.rows.map((r) => r.type)).not.toContain('enterprise');
  });

  it('prints it naming the home authority, every counted case with its decision, and the basis; its code answers "latest"', async () => {
    const first = (await call(api, 'GET', `/api/v1/cases/${fx.caseId}`, { token: fx.tokens.o1 })).body;
    const decisionNo = first.documents.find((d: { kind: string }) => d.kind === 'decision').documentNumber;
    const trip = (await call(api, 'GET', `/api/v1/cases/${tripId}`, { token: fx.tokens.o1 })).body;
    const text = await pdfText(tripId, report.id, 1);
    for (const expected of [
      AUTHORITY,
      '违法超限运输情况抄告函',
      report.documentNumber,
      `${HOME}：`,
      '行政区划代码430602',
      '责令停业整顿',
      // every counted case: its number, plate and decision; the current trip not decided yet
      first.caseNumber,
      fx.plate,
      decisionNo,
      `罚款人民币${first.proposedPenalty.amountYuan}元`,
      `本案（${trip.caseNumber}`,
      plate2,
      '尚未作出处罚决定',
      // the basis
      '《超限运输车辆行驶公路管理规定》第四十六条',
      '《公路安全保护条例》第六十六条',
    ])
      expect(text).toContain(squeeze(expected));
    const [v1] = await versionsOf(report.id);
    expect(v1!.verification_code).toBeTruthy();
    expect(text).toContain(v1!.verification_code!);
    expect(await verify(v1!.verification_code!)).toMatchObject({
      status: 'latest',
      document: { number: report.documentNumber, version: 1 },
    });
  });

  it('keeps the report when re-planning finds the same; a changed report is a new version, printed by its job', async () => {
    const plan = () =>
      call(api, 'POST', `/api/v1/cases/${tripId}/four-penalties/plan`, { token: fx.tokens.o1, body: {} });
    expect((await plan()).status).toBe(200);
    expect((await enterpriseOutcome(tripId)).homeAuthorityReport.document).toEqual(report);
    expect(await versionsOf(report.id)).toHaveLength(1);

    // The registry now names the authority differently: the report is addressed anew, as version 2.
    await api.db.query(
      `UPDATE road_transport_enterprises SET home_authority = '岳阳市交通运输局'
       WHERE id = (SELECT enterprise_id FROM vehicles WHERE plate = $1)`,
      [plate2],
    );
    expect((await plan()).status).toBe(200);
    const renewed = (await enterpriseOutcome(tripId)).homeAuthorityReport.document;
    expect(renewed).toEqual({ ...report, version: 2 });
    const v2 = await printed(report.id, 2);
    expect(await pdfText(tripId, report.id, 2)).toContain('岳阳市交通运输局：');
    const [v1] = await versionsOf(report.id);
    expect(await verify(v1!.verification_code!)).toMatchObject({
      status: 'superseded',
      document: { number: report.documentNumber, version: 1, latestVersion: 2 },
    });
    expect(await verify(v2.verification_code!)).toMatchObject({ status: 'latest' });
  });

  it('files the report in the vehicle case’s export with its PDF', async () => {
    const res = await fetch(`${api.url}/api/v1/cases/${tripId}/export`, {
      headers: { authorization: `Bearer ${fx.tokens.auditor}` },
    });
    expect(res.status).toBe(200);
    const zip = join(dir, 'trip.zip');
    writeFileSync(zip, Buffer.from(await res.arrayBuffer()));
    const out = join(dir, 'trip');
    execFileSync('python3', [
      '-c',
      'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])',
      zip,
      out,
    ]);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    const pdfs = manifest.documents.filter(
      (d: { documentId: string; format: string }) => d.documentId === report.id && d.format === 'pdf',
    );
    const recorded = await versionsOf(report.id);
    expect(pdfs.map((d: { version: number; sha256: string }) => [d.version, d.sha256]).sort()).toEqual(
      recorded.map((v) => [v.version, v.pdf_sha256]),
    );
    expect(pdfs.find((d: { version: number }) => d.version === 2).path).toMatch(
      /^documents\/\d+-违法超限运输情况抄告函-.+-CJ-01\.pdf$/,
    );
  });

  it('queues the printing of every document the four-penalties batch writes, without waiting for the sweep', async () => {
    expect(
      (
        await act(tripId, 'record_investigation', 'o1', {
          kind: 'inquiry',
          interviewee: { name: '龚昇', idNumber: '430681198001011236', relation: 'driver' },
          summary: '驾驶员承认超限',
          location: '检测点',
        })
      ).status,
    ).toBe(200);
    const batch = await call(api, 'POST', '/api/v1/penalties/batches', {
      token: fx.tokens.o1,
      body: {
        caseIds: [tripId],
        action: 'issue_notices',
        service: [{ caseId: tripId, servedAt: new Date().toISOString(), method: 'direct' }],
      },
    });
    expect(batch.status).toBe(200);
    const notice = await api.db.query<{ id: string; current_version: number }>(
      `SELECT id, current_version FROM case_documents WHERE case_id = $1 AND kind = 'pre_penalty_notice'`,
      [tripId],
    );
    expect(notice.rows).toHaveLength(1);
    // Printed by its job: the sweep would not look at it for an hour.
    const v = await printed(notice.rows[0]!.id, notice.rows[0]!.current_version);
    expect(await verify(v.verification_code!)).toMatchObject({ status: 'latest' });
  });
});
