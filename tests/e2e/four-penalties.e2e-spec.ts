import { randomUUID } from 'node:crypto';
import { residentId, uscc } from '../support/identity-numbers';
import { tripCase } from '../support/trip-fixture';
import {
  ADMIN,
  call,
  passwordFor,
  startTestStack,
  tokenFor,
  type TestApi,
  type TestStack,
} from '../support/test-app';

/**
 * 一超四罚 over HTTP against the real API and worker (issue 5): the bureau's example of 29 overloaded mixer
 * trips by trucks of four concrete companies (11, 8, 6 and 4 trips), each company the trucks' owner, their
 * road transport enterprise and the cargo source unit that loaded them.
 *
 * How the data is made:
 * - users, and the registry (enterprises with their fleet size history, vehicles, drivers, source units)
 *   through the real routes (`POST /users`, `POST /registry/{kind}`);
 * - each trip is a screened lead written into the database (what screening would have produced, as in the
 *   cases e2e), then reviewed, filed and investigated through the real routes; the investigation names the
 *   driver and the source unit;
 * - every company is imported with its unified social credit code as enterprise, as the trucks' owner and as
 *   source unit: the registry matches parties on it, so one party holds the three roles (no SQL linking);
 * - "within one year" counts DECIDED cases: every trip but a truck's last is marked decided in the database
 *   (state `decided`, `decided_at` ten days after the trip), as if each had gone through the decision route
 *   that the cases e2e proves. Planning then counts them.
 */

jest.setTimeout(300_000);

interface Company {
  key: string;
  name: string;
  code: string;
  licenceNo: string;
  fleetSize: number;
  /** trips per truck */
  trucks: number[];
}

const COMPANIES: Company[] = [
  // 3 trucks of 20 with trips: 3 > 2 (10%) → suspension. Trucks of 4 trips lose their certificate.
  {
    key: 'A',
    name: '汨罗市甲混凝土有限公司',
    code: uscc('91430681MA4L00001'),
    licenceNo: '湘交运管许可岳字430681000001',
    fleetSize: 20,
    trucks: [4, 4, 3],
  },
  // 2 of 40: not over 10%.
  {
    key: 'B',
    name: '汨罗市乙混凝土有限公司',
    code: uscc('91430681MA4L00002'),
    licenceNo: '湘交运管许可岳字430681000002',
    fleetSize: 40,
    trucks: [4, 4],
  },
  // 2 of 20: exactly 10%, not over; trucks of 3 trips: the threshold not exceeded.
  {
    key: 'C',
    name: '汨罗市丙混凝土有限公司',
    code: uscc('91430681MA4L00003'),
    licenceNo: '湘交运管许可岳字430681000003',
    fleetSize: 20,
    trucks: [3, 3],
  },
  // 1 of 8: over 10% (0.8).
  {
    key: 'D',
    name: '汨罗市丁混凝土有限公司',
    code: uscc('91430681MA4L00004'),
    licenceNo: '湘交运管许可岳字430681000004',
    fleetSize: 8,
    trucks: [4],
  },
];

interface Truck {
  company: Company;
  plate: string;
  certificateNo: string;
  driverName: string;
  driverId: string;
  trips: number;
}

interface Trip {
  truck: Truck;
  index: number;
  caseId: string;
  daysAgo: number;
}

describe('one overload, four penalties (一超四罚), issued together', () => {
  let stack: TestStack;
  let api: TestApi;
  let admin: string;
  const tok: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let stationId: string;
  const trucks: Truck[] = [];
  const trips: Trip[] = [];
  const partyOf: Record<string, string> = {};

  const act = (caseId: string, action: string, token: string, body: Record<string, unknown> = {}) =>
    call(api, 'POST', `/api/v1/cases/${caseId}/actions/${action}`, { token, body });
  const plan = (caseId: string, token = tok['o1']!, body: Record<string, unknown> = {}) =>
    call(api, 'POST', `/api/v1/cases/${caseId}/four-penalties/plan`, { token, body });
  const outcomes = (caseId: string, token = tok['o1']!) =>
    call(api, 'GET', `/api/v1/cases/${caseId}/four-penalties`, { token });
  // Audit events of cases and batches: the worker keeps auditing the leads' SMS notices in the background.
  /** The service of each case's notice as the officer records it with the batch (行政处罚法 Arts. 64, 85). */
  const served = (caseIds: string[], servedAt: Date = new Date(), method = 'post') =>
    caseIds.map((caseId) => ({ caseId, servedAt: servedAt.toISOString(), method }));
  const auditCount = async () =>
    (
      await api.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_events WHERE entity_type IN ('case', 'penalty_batch')",
      )
    ).rows[0]!.n;
  const caseCount = async () =>
    (await api.db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases')).rows[0]!.n;
  const penaltyCount = async () =>
    (await api.db.query<{ n: number }>('SELECT count(*)::int AS n FROM penalties')).rows[0]!.n;

  async function makeUser(key: string, roles: string[], extra: Record<string, string> = {}) {
    const username = `fp.${key}`;
    const password = passwordFor(username);
    const res = await call(api, 'POST', '/api/v1/users', {
      token: admin,
      body: { username, password, displayName: username, roles, ...extra },
    });
    if (res.status !== 201) throw new Error(`user ${username}: ${JSON.stringify(res.body)}`);
    tok[key] = await tokenFor(api, username, password);
    ids[key] = res.body.id;
  }

  async function importRows(kind: string, rows: unknown[]) {
    const res = await call(api, 'POST', `/api/v1/registry/${kind}`, { token: admin, body: { rows } });
    if (res.status !== 200) throw new Error(`registry ${kind}: ${JSON.stringify(res.body)}`);
  }

  /**
   * A company of one truck in the registry through its routes: the enterprise, its truck (owned by it), the
   * driver (whose 从业资格证 was issued in the county) and the company as a source unit, all on its credit code.
   */
  async function importOneTruckCompany(
    c: Company,
    truck: Truck,
    qualificationCertificateNo: string,
    vehicle: Record<string, unknown> = {},
    // where the company loads its trucks: the county competent for it as a source unit (行政处罚法 Art. 22)
    site: string | null = '430681',
  ) {
    await importRows('enterprises', [
      {
        name: c.name,
        socialCreditCode: c.code,
        licenceNo: c.licenceNo,
        fleetSize: c.fleetSize,
        fleetSizeEffectiveFrom: '2020-01-01',
        contactPhone: '0730-5222222',
      },
    ]);
    await importRows('vehicles', [
      {
        plate: truck.plate,
        plateColour: 'yellow',
        ownerName: c.name,
        ownerPhone: '0730-5222222',
        ownerIdNumber: c.code,
        enterpriseLicenceNo: c.licenceNo,
        transportCertificateNo: truck.certificateNo,
        axleCount: 4,
        ...vehicle,
      },
    ]);
    await importRows('drivers', [
      {
        name: truck.driverName,
        idNumber: truck.driverId,
        qualificationCertificateNo,
        phone: '13900000001',
        registrationDivisionCode: '430681',
      },
    ]);
    await importRows('source-units', [
      {
        name: c.name,
        socialCreditCode: c.code,
        address: '湖南省汨罗市工业园',
        ...(site ? { siteDivisionCode: site } : {}),
      },
    ]);
  }

  /** A trip: the screened lead in the database, then review, case, filing and investigation over HTTP. */
  async function investigatedTrip(truck: Truck, daysAgo: number): Promise<string> {
    const id = await filedTrip(truck, daysAgo);
    await investigate(id, truck);
    return id;
  }

  /** A trip up to its filing (approve_filing): the screened lead, its review, the case, the filing. */
  async function filedTrip(truck: Truck, daysAgo: number): Promise<string> {
    const id = await tripCase(api, {
      stationId,
      plate: truck.plate,
      daysAgo,
      token: tok['o1']!,
      officerIds: [ids['o1']!, ids['o2']!],
    });
    expect((await act(id, 'request_filing', tok['o1']!)).status).toBe(200);
    expect((await act(id, 'approve_filing', tok['approver']!)).status).toBe(200);
    return id;
  }

  /** The investigation of a trip: the inquiry names the driver and the source unit (the truck's company). */
  async function investigate(id: string, truck: Truck) {
    const investigated = await act(id, 'record_investigation', tok['o1']!, {
      kind: 'inquiry',
      interviewee: { name: truck.driverName, idNumber: truck.driverId, relation: 'driver' },
      summary: `询问驾驶人${truck.driverName}，车辆装载${truck.company.name}商品混凝土`,
      parties: [
        {
          role: 'driver',
          kind: 'person',
          name: truck.driverName,
          idNumber: truck.driverId,
          phone: '13900000001',
        },
        {
          role: 'source_unit',
          kind: 'organisation',
          name: truck.company.name,
          idNumber: truck.company.code,
          loadingSlipNo: `ZD-${id.slice(0, 8)}`,
        },
      ],
    });
    expect(investigated.status).toBe(200);
  }

  /** Files a sub-case and records its investigation, so that its pre-penalty notice can be issued. */
  async function readyForNotice(subCaseId: string) {
    expect((await act(subCaseId, 'request_filing', tok['o1']!)).status).toBe(200);
    expect((await act(subCaseId, 'approve_filing', tok['approver']!)).status).toBe(200);
    const inv = await act(subCaseId, 'record_investigation', tok['o1']!, {
      kind: 'document_check',
      summary: '核查相关证照及违法超限运输记录',
    });
    expect(inv.status).toBe(200);
  }

  beforeAll(async () => {
    stack = await startTestStack('four-penalties');
    api = stack.api;
    admin = await tokenFor(api, ADMIN.username, ADMIN.password);
    await makeUser('o1', ['officer'], { enforcementCertificateNo: 'HN-FP-0001' });
    await makeUser('o2', ['officer'], { enforcementCertificateNo: 'HN-FP-0002' });
    await makeUser('o3', ['officer'], { enforcementCertificateNo: 'HN-FP-0003' });
    await makeUser('approver', ['approver']);
    await makeUser('reviewer', ['legal_reviewer'], { legalQualificationNo: 'A20190009' });
    await makeUser('auditor', ['auditor']);
    stationId = randomUUID();
    await api.db.query(
      `INSERT INTO stations (id, code, name, road, stake, updated_at) VALUES ($1, 'ST-FP', '汨罗S308检测点', 'S308', 'K20+100', now())`,
      [stationId],
    );
    await importRows(
      'enterprises',
      COMPANIES.map((c) => ({
        name: c.name,
        socialCreditCode: c.code,
        licenceNo: c.licenceNo,
        fleetSize: c.fleetSize,
        fleetSizeEffectiveFrom: '2020-01-01',
        contactPhone: '0730-5222222',
      })),
    );
    let n = 0;
    for (const c of COMPANIES) {
      c.trucks.forEach((tripsOfTruck, i) => {
        n++;
        trucks.push({
          company: c,
          plate: `湘F${c.key}${String(1000 + i)}`.slice(0, 8),
          certificateNo: `湘交运营岳字${String(430681000100 + n)}`,
          driverName: `驾驶人${c.key}${i + 1}`,
          driverId: residentId(`43068119800101${String(100 + n)}`),
          trips: tripsOfTruck,
        });
      });
    }
    await importRows(
      'vehicles',
      trucks.map((t) => ({
        plate: t.plate,
        plateColour: 'yellow',
        ownerName: t.company.name,
        ownerPhone: '0730-5222222',
        ownerIdNumber: t.company.code,
        enterpriseLicenceNo: t.company.licenceNo,
        transportCertificateNo: t.certificateNo,
        axleCount: 4,
      })),
    );
    await importRows(
      'drivers',
      trucks.map((t, i) => ({
        name: t.driverName,
        idNumber: t.driverId,
        qualificationCertificateNo: `CY${String(430681000 + i)}`,
        phone: '13900000001',
        // Their 从业资格证 were issued in the county: the bureau decides their Art. 66 orders (超限规定 Art. 46).
        registrationDivisionCode: '430681',
      })),
    );
    await importRows(
      'source-units',
      // They load at their plants in the county: the bureau is competent for them as source units.
      COMPANIES.map((c) => ({
        name: c.name,
        socialCreditCode: c.code,
        address: '湖南省汨罗市工业园',
        siteDivisionCode: '430681',
      })),
    );
    // One party per company, in every role: the registry matched them on the credit code.
    for (const c of COMPANIES) {
      const { rows } = await api.db.query<{ id: string }>('SELECT id FROM parties WHERE id_number = $1', [
        c.code,
      ]);
      expect(rows).toHaveLength(1);
      partyOf[c.key] = rows[0]!.id;
    }
    // 29 trips over the last months, a truck's trips 20 days apart, all within one year.
    for (const truck of trucks) {
      for (let i = 0; i < truck.trips; i++) {
        const daysAgo = 200 - i * 20 - trucks.indexOf(truck);
        trips.push({ truck, index: i, caseId: await investigatedTrip(truck, daysAgo), daysAgo });
      }
    }
    // Every trip but a truck's last has been decided (ten days after it): the confirmed history.
    for (const t of trips.filter((t) => t.index < t.truck.trips - 1)) {
      await api.db.query(
        `UPDATE cases SET state = 'decided', decided_at = now() - ($2 - 10) * interval '1 day' WHERE id = $1`,
        [t.caseId, t.daysAgo],
      );
    }
  }, 300_000);

  afterAll(async () => {
    const worker = stack?.worker.output() ?? '';
    await stack?.close();
    expect(worker).not.toMatch(/"level":(50|60)/);
  });

  it('has the 29 trips of the four companies (11, 8, 6, 4)', () => {
    expect(trips).toHaveLength(29);
    expect(COMPANIES.map((c) => trips.filter((t) => t.truck.company === c).length)).toEqual([11, 8, 6, 4]);
  });

  it('refuses bad input and outsiders, writing nothing', async () => {
    const id = trips[0]!.caseId;
    const before = { audit: await auditCount(), cases: await caseCount(), penalties: await penaltyCount() };
    expect((await plan(id, tok['o1'], { surprise: true })).status).toBe(400);
    expect((await plan('not-a-uuid')).status).toBe(400);
    expect((await plan(randomUUID())).status).toBe(404);
    expect((await plan(id, tok['auditor'])).status).toBe(403);
    expect((await plan(id, tok['approver'])).status).toBe(403);
    const outsider = await plan(id, tok['o3']);
    expect(outsider.status).toBe(403);
    expect(outsider.body.code).toBe('not_case_officer');
    for (const body of [
      {},
      { caseIds: [], action: 'issue_notices' },
      { caseIds: [id, id], action: 'issue_notices' },
      { caseIds: [id], action: 'burn' },
      { caseIds: [id], action: 'issue_notices', extra: 1 },
      // a service stated is stated once, for the listed cases only; decisions take none
      { caseIds: [id], action: 'issue_notices', service: [] },
      { caseIds: [id], action: 'issue_notices', service: [...served([id]), ...served([id])] },
      { caseIds: [id], action: 'issue_notices', service: served([randomUUID()]) },
      { caseIds: [id], action: 'issue_notices', service: served([id], new Date(), 'pigeon') },
      { caseIds: [id], action: 'issue_decisions', service: served([id]) },
    ]) {
      expect((await call(api, 'POST', '/api/v1/penalties/batches', { token: tok['o1'], body })).status).toBe(
        400,
      );
    }
    expect(
      (
        await call(api, 'POST', '/api/v1/penalties/batches', {
          token: tok['auditor'],
          body: { caseIds: [id], action: 'issue_notices', service: served([id]) },
        })
      ).status,
    ).toBe(403);
    expect(
      (await call(api, 'GET', '/api/v1/penalties/answerable?from=2026-13-01', { token: tok['o1'] })).status,
    ).toBe(400);
    expect(
      (
        await call(api, 'GET', '/api/v1/penalties/answerable?from=2026-02-01&to=2026-01-01', {
          token: tok['o1'],
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call(api, 'GET', `/api/v1/penalties/answerable?enterprise=${randomUUID()}`, {
          token: tok['o1'],
        })
      ).status,
    ).toBe(404);
    expect({ audit: await auditCount(), cases: await caseCount(), penalties: await penaltyCount() }).toEqual(
      before,
    );
  });

  describe('after planning every trip', () => {
    // The companies loaded their own trucks on their own orders: the investigation finds that they instructed
    // the overload (条例 Art. 68), so each trip's source unit is fined directly rather than ordered to correct.
    beforeAll(async () => {
      for (const t of trips) {
        const res = await plan(t.caseId, tok['o1'], { sourceUnitInstructedOrForced: true });
        if (res.status !== 200) throw new Error(`plan ${t.caseId}: ${JSON.stringify(res.body)}`);
      }
    }, 120_000);

    const lastTrip = (key: string, truck: number) =>
      trips
        .filter(
          (t) =>
            t.truck.company.key === key && t.truck === trucks.filter((x) => x.company.key === key)[truck],
        )
        .at(-1)!;

    it('counts confirmed trips against the thresholds: 4 trips > 3 orders the driver and revokes the certificate; 3 does not', async () => {
      const four = await outcomes(lastTrip('A', 0).caseId, tok['auditor']);
      expect(four.status).toBe(200);
      expect(four.body.planned).toBe(true);
      expect(four.body.unidentifiedRoles).toEqual([]);
      const cert = four.body.outcomes.find(
        (o: { ruleCode: string }) => o.ruleCode === 'vehicle_certificate_art66',
      );
      expect(cert).toMatchObject({
        outcome: 'certificate_revocation',
        penaltyKind: 'certificate_revocation',
        carriedBy: 'sub_case',
      });
      expect(cert.counts).toMatchObject({ measure: 'vehicle_trips', count: 4, threshold: 3 });
      const truckTrips = trips.filter((t) => t.truck === lastTrip('A', 0).truck).map((t) => t.caseId);
      expect([...cert.counts.caseIds].sort()).toEqual([...truckTrips].sort());
      expect(cert.subCase).toMatchObject({ type: 'vehicle_certificate', state: 'draft' });
      const driver = four.body.outcomes.find((o: { role: string }) => o.role === 'driver');
      expect(driver).toMatchObject({
        outcome: 'order_stop_transport',
        penaltyKind: 'order_stop_transport',
        carriedBy: 'sub_case',
      });
      expect(driver.counts).toMatchObject({ count: 4, threshold: 3 });
      // The driver's 违法事实: each counted trip with its date, plate, station and case number, and the count.
      const driverFacts = (
        await api.db.query<{ facts: string }>('SELECT facts FROM cases WHERE id = $1', [driver.subCase.id])
      ).rows[0]!.facts;
      const numbers = await api.db.query<{ case_number: string }>(
        'SELECT case_number FROM cases WHERE id = ANY($1::uuid[])',
        [truckTrips],
      );
      expect(numbers.rows).toHaveLength(4);
      for (const r of numbers.rows) expect(driverFacts).toContain(`（案号：${r.case_number}）`);
      expect(driverFacts).toContain(`4. `);
      expect(driverFacts).toContain('违法超限运输计4次，超过《公路安全保护条例》第六十六条规定的3次');
      expect(driverFacts).not.toMatch(/拟|计数规则|本局执法政策/);

      const three = await outcomes(lastTrip('C', 0).caseId);
      const codes = three.body.outcomes.map((o: { ruleCode: string }) => o.ruleCode);
      expect(codes).not.toContain('vehicle_certificate_art66');
      const driver3 = three.body.outcomes.find((o: { role: string }) => o.role === 'driver');
      expect(driver3).toMatchObject({
        outcome: 'record_only',
        penaltyKind: null,
        carriedBy: 'record_only',
        subCase: null,
      });
      expect(driver3.counts).toMatchObject({ count: 3, threshold: 3 });
      expect(three.body.counts.vehicleTrips).toMatchObject({ count: 3, threshold: 3 });
      // The same truck's first trip counts only itself: later trips are not "within the year before" it.
      const first = await outcomes(trips.find((t) => t.truck === lastTrip('C', 0).truck)!.caseId);
      expect(first.body.counts.vehicleTrips.count).toBe(1);
    });

    it('applies the 10% fleet rule with the registered fleet: 3 of 20 and 1 of 8 suspend; 2 of 20 and 2 of 40 do not', async () => {
      const enterpriseOutcome = async (key: string) =>
        (await outcomes(lastTrip(key, 0).caseId)).body.outcomes.find(
          (o: { role: string }) => o.role === 'enterprise',
        );
      const a = await enterpriseOutcome('A');
      expect(a.counts).toMatchObject({
        measure: 'enterprise_vehicles',
        count: 3,
        threshold: 2,
        fleetSizeOnDate: 20,
      });
      expect(a.outcome).toBe('business_suspension');
      expect(a.penaltyKind).toBe('business_suspension');
      expect(['sub_case', 'standing_order']).toContain(a.carriedBy);
      const d = await enterpriseOutcome('D');
      expect(d).toMatchObject({ outcome: 'business_suspension' });
      expect(d.counts).toMatchObject({ count: 1, threshold: 0, fleetSizeOnDate: 8 });
      const c = await enterpriseOutcome('C');
      expect(c).toMatchObject({ outcome: 'record_only', carriedBy: 'record_only' });
      expect(c.counts).toMatchObject({ count: 2, threshold: 2 });
      expect((await enterpriseOutcome('B')).outcome).toBe('record_only');
      // One suspension per enterprise, not one per further trip.
      const { rows } = await api.db.query<{ n: number; party: string }>(
        `SELECT cp.party_id AS party, count(*)::int AS n FROM cases c JOIN case_parties cp ON cp.case_id = c.id
         WHERE c.type = 'enterprise' GROUP BY cp.party_id`,
      );
      expect(Object.fromEntries(rows.map((r) => [r.party, r.n]))).toEqual({
        [partyOf['A']!]: 1,
        [partyOf['D']!]: 1,
      });
    });

    it('gives a party with several roles one sub-case per role, never a doubled fine for a role and trip; re-planning changes nothing', async () => {
      const before = { cases: await caseCount(), penalties: await penaltyCount() };
      const t = trips[0]!;
      const again = await plan(t.caseId);
      expect(again.status).toBe(200);
      expect({ cases: await caseCount(), penalties: await penaltyCount() }).toEqual(before);
      const fines = again.body.outcomes.filter((o: { outcome: string }) => o.outcome === 'fine');
      // Company A is fined as the owner (the vehicle case itself) and as the source unit (its sub-case): two roles.
      expect(fines.map((f: { role: string; partyId: string }) => [f.role, f.partyId])).toEqual([
        ['vehicle', partyOf['A']],
        ['source_unit', partyOf['A']],
      ]);
      expect(fines[0]).toMatchObject({ carriedBy: 'vehicle_case', amountYuan: 3500, subCase: null });
      expect(fines[1]).toMatchObject({
        carriedBy: 'sub_case',
        amountYuan: null,
        amountRange: { minYuan: 0, maxYuan: 30000 },
      });
      // Over the 29 trips: exactly one vehicle case and one source-unit sub-case per trip, no vehicle sub-case.
      const { rows } = await api.db.query<{ type: string; n: number }>(
        `SELECT type, count(*)::int AS n FROM cases GROUP BY type ORDER BY type`,
      );
      const byType = Object.fromEntries(rows.map((r) => [r.type, r.n]));
      expect(byType['vehicle']).toBe(29);
      expect(byType['source_unit']).toBe(29);
      const dup = await api.db.query(
        `SELECT c.parent_case_id, c.type, cp.party_id, cp.role FROM cases c JOIN case_parties cp ON cp.case_id = c.id
         WHERE c.parent_case_id IS NOT NULL GROUP BY 1, 2, 3, 4 HAVING count(*) > 1`,
      );
      expect(dup.rows).toEqual([]);
    });

    it('lists the four companies on the answerable screen with their counts, and issues their notices together', async () => {
      const res = await call(api, 'GET', '/api/v1/penalties/answerable', { token: tok['auditor'] });
      expect(res.status).toBe(200);
      expect(res.body.unplannedCaseIds).toEqual([]);
      expect(res.body.caseIds).toHaveLength(29);
      const companies = res.body.parties.filter((p: { partyId: string }) =>
        Object.values(partyOf).includes(p.partyId),
      );
      expect(companies.map((p: { partyName: string }) => p.partyName)).toEqual(COMPANIES.map((c) => c.name));
      // Each company once, as owner, enterprise and source unit: no party of the same name beside it.
      const names = res.body.parties.map((p: { partyName: string }) => p.partyName);
      for (const c of COMPANIES) expect(names.filter((n: string) => n === c.name)).toHaveLength(1);
      for (const [i, c] of COMPANIES.entries()) {
        const roles = Object.fromEntries(
          companies[i].roles.map((r: { role: string; tripCount: number }) => [r.role, r.tripCount]),
        );
        const n = [11, 8, 6, 4][i];
        expect(roles).toEqual({ vehicle: n, enterprise: n, source_unit: n });
        const vehicle = companies[i].roles.find((r: { role: string }) => r.role === 'vehicle');
        expect(vehicle.totalFineYuan).toBe(3500 * n!);
        expect(c.name).toBe(companies[i].partyName);
      }
      // Per company filter: only its trips.
      const onlyD = await call(api, 'GET', `/api/v1/penalties/answerable?enterprise=${partyOf['D']}`, {
        token: tok['o1'],
      });
      expect(onlyD.body.caseIds).toHaveLength(4);

      // The source units' fines are chosen within the range, with reasons, before the notices.
      const sourceCases: string[] = companies.flatMap(
        (p: { roles: { role: string; caseIdsToIssue: string[] }[] }) =>
          p.roles.find((r) => r.role === 'source_unit')!.caseIdsToIssue,
      );
      expect(sourceCases).toHaveLength(29);
      const tooMuch = await call(
        api,
        'POST',
        `/api/v1/cases/${sourceCases[0]}/four-penalties/source-unit-fine`,
        {
          token: tok['o1'],
          body: { amountYuan: 30001, reasons: '装载超限货物，情节一般，按省规定裁量' },
        },
      );
      expect(tooMuch.status).toBe(422);
      expect(tooMuch.body.code).toBe('source_unit_fine_out_of_range');
      expect(
        (
          await call(api, 'POST', `/api/v1/cases/${sourceCases[0]}/four-penalties/source-unit-fine`, {
            token: tok['o1'],
            body: { amountYuan: 5000 },
          })
        ).status,
      ).toBe(400);
      for (const id of sourceCases) {
        const chosen = await call(api, 'POST', `/api/v1/cases/${id}/four-penalties/source-unit-fine`, {
          token: tok['o1'],
          body: { amountYuan: 5000, reasons: '为超限车辆装载货物，首次查处，按省货运源头治超规定从轻裁量' },
        });
        expect(chosen.status).toBe(200);
        await readyForNotice(id);
      }
      const enterpriseCases: string[] = companies.flatMap(
        (p: { roles: { role: string; caseIdsToIssue: string[] }[] }) =>
          p.roles.find((r) => r.role === 'enterprise')!.caseIdsToIssue,
      );
      expect(enterpriseCases).toHaveLength(2);
      // 情节严重: the approver escalates D's suspension, with reasons, before its notice (the auditor and an
      // officer cannot; a source-unit sub-case is not an enterprise one).
      const dEnterprise = enterpriseCases[1]!;
      const escalate = (id: string, token: string, reasons: string) =>
        call(api, 'POST', `/api/v1/cases/${id}/four-penalties/escalation`, { token, body: { reasons } });
      const reasons = '一年内车辆多次违法超限运输，经约谈拒不整改，情节严重';
      expect((await escalate(dEnterprise, tok['auditor']!, reasons)).status).toBe(403);
      expect((await escalate(dEnterprise, tok['o1']!, reasons)).status).toBe(403);
      expect((await escalate(sourceCases[0]!, tok['approver']!, reasons)).body.code).toBe('wrong_sub_case');
      const escalated = await escalate(dEnterprise, tok['approver']!, reasons);
      expect(escalated.status).toBe(200);
      expect(escalated.body).toMatchObject({
        ruleCode: 'enterprise_serious_art66',
        penaltyKind: 'licence_revocation',
        publicise: true,
      });
      expect((await escalate(dEnterprise, tok['approver']!, reasons)).body.code).toBe('already_escalated');
      // 违法事实 state what happened — the trips and their count against Art. 66 — and, escalated, the
      // circumstances found serious; never the measure proposed (拟…) nor the bureau's counting policy.
      const factsOf = async (caseId: string) =>
        (await api.db.query<{ facts: string }>('SELECT facts FROM cases WHERE id = $1', [caseId])).rows[0]!
          .facts;
      const dFacts = await factsOf(dEnterprise);
      expect(dFacts).toContain(`道路运输企业${COMPANIES[3]!.name}所属货运车辆违法超限运输：1. `);
      expect(dFacts).toContain('途经汨罗S308检测点');
      expect(dFacts).toContain('货运车辆计1辆，超过本单位货运车辆总数（8辆）的10%（0.8辆）');
      expect(dFacts).toContain(`情节：${reasons}`);
      expect(dFacts).not.toMatch(/拟|停业整顿|吊销|计数规则|本局执法政策/);
      // The suspension was opened on D's first trip; its later trips point to that standing order.
      const dFirst = trips.find((t) => t.truck.company.key === 'D')!.caseId;
      const standing = (await outcomes(lastTrip('D', 0).caseId)).body.outcomes.find(
        (o: { role: string }) => o.role === 'enterprise',
      );
      expect(standing).toMatchObject({
        carriedBy: 'standing_order',
        standingSubCaseId: dEnterprise,
        standingOrder: {
          subCase: { id: dEnterprise },
          ruleCode: 'enterprise_serious_art66',
          penaltyKind: 'licence_revocation',
        },
      });
      const dLast = dFirst;
      const dOutcome = (await outcomes(dLast)).body.outcomes.find(
        (o: { role: string }) => o.role === 'enterprise',
      );
      expect(dOutcome).toMatchObject({
        ruleCode: 'enterprise_serious_art66',
        outcome: 'licence_revocation',
        penaltyKind: 'licence_revocation',
        publicise: true,
        escalation: { approverId: ids['approver'], reasons },
      });
      const escalationAudit = await api.db.query(
        `SELECT actor_id FROM audit_events WHERE action = 'four_penalties.enterprise_escalated' AND entity_id = $1`,
        [dEnterprise],
      );
      expect(escalationAudit.rows).toHaveLength(1);
      // Re-planning keeps the approver's decision.
      expect((await plan(dLast)).status).toBe(200);
      expect(
        (await outcomes(dLast)).body.outcomes.find((o: { role: string }) => o.role === 'enterprise').ruleCode,
      ).toBe('enterprise_serious_art66');
      for (const id of enterpriseCases) await readyForNotice(id);

      // One case not ready: the whole batch is refused with the case named, and nothing is issued.
      const draftCert = (await outcomes(lastTrip('B', 0).caseId)).body.outcomes.find(
        (o: { ruleCode: string }) => o.ruleCode === 'vehicle_certificate_art66',
      ).subCase.id as string;
      const beforeAudit = await auditCount();
      const refused = await call(api, 'POST', '/api/v1/penalties/batches', {
        token: tok['o1'],
        body: {
          caseIds: [...sourceCases, draftCert],
          action: 'issue_notices',
          service: served([...sourceCases, draftCert]),
        },
      });
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('batch_refused');
      expect(refused.body.cases.map((c: { caseId: string }) => c.caseId)).toEqual([draftCert]);
      expect(await auditCount()).toBe(beforeAudit);
      const states = await api.db.query<{ state: string }>(
        'SELECT DISTINCT state FROM cases WHERE id = ANY($1::uuid[])',
        [sourceCases],
      );
      expect(states.rows).toEqual([{ state: 'investigating' }]);

      // The notices went out by post; each is recorded as served on the day its receipt shows, which is not the
      // moment the batch is recorded. A service in the future, or before the investigation the notice rests
      // on, is bad input: 400 naming the entry, and nothing is written.
      const batchCases = [...sourceCases, ...enterpriseCases];
      const received = new Date();
      const bad = async (service: unknown[], path: string) => {
        const res = await call(api, 'POST', '/api/v1/penalties/batches', {
          token: tok['o1'],
          body: { caseIds: batchCases, action: 'issue_notices', service },
        });
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
      };
      const future = served(batchCases, received);
      future[3] = { ...future[3]!, servedAt: new Date(Date.now() + 86_400_000).toISOString() };
      await bad(future, 'body.service.3.servedAt');
      const early = served(batchCases, received);
      early[0] = { ...early[0]!, servedAt: new Date(Date.now() - 86_400_000).toISOString() };
      await bad(early, 'body.service.0.servedAt');
      expect(await auditCount()).toBe(beforeAudit);
      expect(
        (await api.db.query('SELECT DISTINCT state FROM cases WHERE id = ANY($1::uuid[])', [batchCases]))
          .rows,
      ).toEqual([{ state: 'investigating' }]);

      const service = served(batchCases, received);
      service[0] = { ...service[0]!, method: 'direct' };
      const issued = await call(api, 'POST', '/api/v1/penalties/batches', {
        token: tok['o1'],
        body: { caseIds: batchCases, action: 'issue_notices', service },
      });
      expect(issued.status).toBe(200);
      // The statement window runs from the recorded service, and the notice says how it was served.
      const windows = await api.db.query<{ started_at: Date }>(
        `SELECT DISTINCT started_at FROM deadlines WHERE kind = 'statement_window' AND case_id = ANY($1::uuid[])`,
        [batchCases],
      );
      expect(windows.rows.map((r) => r.started_at.toISOString())).toEqual([received.toISOString()]);
      const methods = await api.db.query<{ method: string; n: number }>(
        `SELECT workflow->'prePenaltyNotices'->0->>'serviceMethod' AS method, count(*)::int AS n FROM cases
         WHERE id = ANY($1::uuid[]) GROUP BY 1 ORDER BY 1`,
        [batchCases],
      );
      expect(methods.rows).toEqual([
        { method: 'direct', n: 1 },
        { method: 'post', n: 30 },
      ]);
      expect(issued.body.count).toBe(31);
      expect(new Set(issued.body.cases.map((c: { state: string }) => c.state))).toEqual(
        new Set(['pre_penalty_notified']),
      );
      // Each its own lawful document: one pre-penalty notice per case, with its own number.
      const docs = await api.db.query<{ case_id: string; n: number }>(
        `SELECT case_id, count(*)::int AS n FROM case_documents WHERE kind = 'pre_penalty_notice' AND case_id = ANY($1::uuid[]) GROUP BY case_id`,
        [[...sourceCases, ...enterpriseCases]],
      );
      expect(docs.rows).toHaveLength(31);
      expect(docs.rows.every((r) => r.n === 1)).toBe(true);
      const audits = await api.db.query<{ action: string; n: number }>(
        `SELECT action, count(*)::int AS n FROM audit_events WHERE action IN ('case.issue_pre_penalty_notice', 'four_penalties.batch_issue_notices') GROUP BY action ORDER BY action`,
      );
      expect(audits.rows).toEqual([
        { action: 'case.issue_pre_penalty_notice', n: 31 },
        { action: 'four_penalties.batch_issue_notices', n: 1 },
      ]);
    });

    it('gives the drivers and vehicles over the thresholds their own sub-cases, issued together', async () => {
      const over = trucks.filter((t) => t.trips > 3);
      const subCases: string[] = [];
      for (const truck of over) {
        const last = trips.filter((t) => t.truck === truck).at(-1)!;
        const view = (await outcomes(last.caseId)).body;
        const cert = view.outcomes.find(
          (o: { ruleCode: string }) => o.ruleCode === 'vehicle_certificate_art66',
        );
        const driver = view.outcomes.find((o: { role: string }) => o.role === 'driver');
        expect(cert.subCase.type).toBe('vehicle_certificate');
        expect(driver.subCase.type).toBe('driver');
        subCases.push(cert.subCase.id, driver.subCase.id);
      }
      expect(subCases).toHaveLength(10);
      for (const id of subCases) await readyForNotice(id);
      // Issued as the officer sends them: each notice is generated and numbered now, and no period runs yet.
      const issued = await call(api, 'POST', '/api/v1/penalties/batches', {
        token: tok['o1'],
        body: { caseIds: subCases, action: 'issue_notices' },
      });
      expect(issued.status).toBe(200);
      expect(issued.body.count).toBe(10);
      expect(new Set(issued.body.cases.map((c: { state: string }) => c.state))).toEqual(
        new Set(['pre_penalty_notice_issued']),
      );
      const notices = await api.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM case_documents WHERE kind = 'pre_penalty_notice' AND case_id = ANY($1::uuid[])`,
        [subCases],
      );
      expect(notices.rows[0]!.n).toBe(10);
      const windows = async () =>
        (
          await api.db.query<{ case_id: string; kind: string; started_at: Date }>(
            `SELECT case_id, kind, started_at FROM deadlines WHERE kind IN ('statement_window', 'hearing_request_window') AND case_id = ANY($1::uuid[])`,
            [subCases],
          )
        ).rows;
      expect(await windows()).toEqual([]);
      // No statement, no review, no decision on a notice the party has not received (行政处罚法 Art. 44, 45).
      const [first] = subCases as [string, ...string[]];
      expect((await act(first, 'record_statement', tok['o1']!)).status).toBe(409);
      expect((await act(first, 'submit_legal_review', tok['o1']!)).status).toBe(409);

      // Each service is recorded when its receipt comes back; bad input is 400 and writes nothing.
      const before = await auditCount();
      const yesterday = new Date(Date.now() - 86_400_000).toISOString();
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
      const early = await act(first, 'record_notice_service', tok['o1']!, {
        method: 'post',
        servedAt: yesterday,
      });
      expect(early.status).toBe(400);
      expect(early.body.code).toBe('served_before_issue');
      const future = await act(first, 'record_notice_service', tok['o1']!, {
        method: 'post',
        servedAt: tomorrow,
      });
      expect(future.status).toBe(400);
      expect(future.body.code).toBe('time_in_future');
      expect(await auditCount()).toBe(before);
      expect(await windows()).toEqual([]);

      const received = new Date();
      for (const id of subCases) {
        const res = await act(id, 'record_notice_service', tok['o1']!, {
          method: 'post',
          servedAt: received.toISOString(),
          recipient: '当事人',
          signedBy: '当事人',
        });
        expect(res.status).toBe(200);
        expect(res.body.state).toBe('pre_penalty_notified');
      }
      const started = await windows();
      expect(new Set(started.filter((w) => w.kind === 'statement_window').map((w) => w.case_id))).toEqual(
        new Set(subCases),
      );
      expect(new Set(started.map((w) => w.started_at.toISOString()))).toEqual(
        new Set([received.toISOString()]),
      );
      expect((await act(first, 'record_notice_service', tok['o1']!, { method: 'post' })).status).toBe(409);
      // Both steps audited, per case; the notice by post has its 送达回证.
      const audits = await api.db.query<{ action: string; n: number }>(
        `SELECT action, count(*)::int AS n FROM audit_events WHERE entity_id = ANY($1::text[]) AND action IN ('case.issue_pre_penalty_notice', 'case.record_notice_service') GROUP BY action ORDER BY action`,
        [subCases],
      );
      expect(audits.rows).toEqual([
        { action: 'case.issue_pre_penalty_notice', n: 10 },
        { action: 'case.record_notice_service', n: 10 },
      ]);
      const proofs = await api.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM case_documents WHERE kind = 'proof_of_service' AND case_id = ANY($1::uuid[])`,
        [subCases],
      );
      expect(proofs.rows[0]!.n).toBe(10);
      // No driver of 3 trips, no truck of 3 trips has a sub-case.
      const { rows } = await api.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM cases WHERE type IN ('driver', 'vehicle_certificate')`,
      );
      expect(rows[0]!.n).toBe(10);
    });

    it('refuses a change of a notified penalty, and outsiders, writing nothing', async () => {
      const aView = (await outcomes(lastTrip('A', 0).caseId)).body.outcomes.find(
        (o: { role: string }) => o.role === 'enterprise',
      );
      const aSub = aView.subCase?.id ?? aView.standingSubCaseId;
      const before = await auditCount();
      const late = await call(api, 'POST', `/api/v1/cases/${aSub}/four-penalties/escalation`, {
        token: tok['approver'],
        body: { reasons: '一年内多次违法超限运输，拒不整改，情节严重' },
      });
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('penalty_already_notified');
      expect(
        (
          await call(api, 'POST', `/api/v1/cases/${aSub}/four-penalties/escalation`, {
            token: tok['approver'],
            body: { reasons: '短' },
          })
        ).status,
      ).toBe(400);
      const source = (await outcomes(trips[0]!.caseId)).body.outcomes.find(
        (o: { role: string }) => o.role === 'source_unit',
      );
      const fine = (token: string) =>
        call(api, 'POST', `/api/v1/cases/${source.subCase.id}/four-penalties/source-unit-fine`, {
          token,
          body: { amountYuan: 8000, reasons: '为超限车辆装载货物，按省货运源头治超规定裁量' },
        });
      expect((await fine(tok['auditor']!)).status).toBe(403);
      expect((await fine(tok['o3']!)).status).toBe(403);
      expect((await fine(tok['o1']!)).body.code).toBe('penalty_already_notified');
      expect(await auditCount()).toBe(before);
    });

    it('issues the decisions together after legal review, each its own decision document', async () => {
      const batch = trips.filter((t) => t.truck.company.key === 'D').map((t) => t.caseId);
      const subs: string[] = [];
      for (const parent of batch) {
        subs.push(
          (await outcomes(parent)).body.outcomes.find((o: { role: string }) => o.role === 'source_unit')
            .subCase.id,
        );
      }
      for (const id of subs) {
        for (const right of ['statement', 'hearing']) {
          const waiver = await act(id, 'record_waiver', tok['o1']!, {
            right,
            content: '当事人书面放弃陈述申辩及听证',
          });
          expect([200, 422]).toContain(waiver.status);
        }
        expect((await act(id, 'submit_legal_review', tok['o1']!)).body.state).toBe('legal_review');
      }
      // Not yet reviewed: the whole batch is refused, naming every case.
      const early = await call(api, 'POST', '/api/v1/penalties/batches', {
        token: tok['approver'],
        body: { caseIds: subs, action: 'issue_decisions' },
      });
      expect(early.status).toBe(422);
      expect(early.body.cases).toHaveLength(4);
      for (const id of subs) {
        expect(
          (await act(id, 'pass_legal_review', tok['reviewer']!, { opinions: '事实清楚，证据确凿，裁量适当' }))
            .body.state,
        ).toBe('awaiting_decision');
      }
      // An officer may not decide: refused for every case, nothing decided.
      const byOfficer = await call(api, 'POST', '/api/v1/penalties/batches', {
        token: tok['o1'],
        body: { caseIds: subs, action: 'issue_decisions' },
      });
      expect(byOfficer.status).toBe(422);
      expect(byOfficer.body.cases.map((c: { category: string }) => c.category)).toEqual([
        'forbidden',
        'forbidden',
        'forbidden',
        'forbidden',
      ]);
      const decided = await call(api, 'POST', '/api/v1/penalties/batches', {
        token: tok['approver'],
        body: { caseIds: subs, action: 'issue_decisions' },
      });
      expect(decided.status).toBe(200);
      expect(decided.body.cases.map((c: { state: string }) => c.state)).toEqual([
        'decided',
        'decided',
        'decided',
        'decided',
      ]);
      const docs = await api.db.query<{ n: number }>(
        `SELECT count(DISTINCT case_id)::int AS n FROM case_documents WHERE kind = 'decision' AND case_id = ANY($1::uuid[])`,
        [subs],
      );
      expect(docs.rows[0]!.n).toBe(4);
      const penalties = await api.db.query<{ amount: string }>(
        'SELECT DISTINCT fine_amount::text AS amount FROM decisions WHERE case_id = ANY($1::uuid[])',
        [subs],
      );
      expect(penalties.rows).toEqual([{ amount: '5000.00' }]);
    });

    it('decides a driver’s stop-transport order only after the trip that crossed the threshold is decided', async () => {
      const truck = trucks.find((t) => t.company.key === 'A')!;
      const last = trips.filter((t) => t.truck === truck).at(-1)!;
      const driver = (await outcomes(last.caseId)).body.outcomes.find(
        (o: { role: string }) => o.role === 'driver',
      );
      expect(driver.decisionReadiness).toEqual({ ready: false, waitsFor: [last.caseId] });
      const id = driver.subCase.id as string;
      for (const right of ['statement', 'hearing']) {
        const waiver = await act(id, 'record_waiver', tok['o1']!, { right, content: '当事人书面放弃' });
        expect([200, 422]).toContain(waiver.status);
      }
      expect((await act(id, 'submit_legal_review', tok['o1']!)).body.state).toBe('legal_review');
      expect(
        (await act(id, 'pass_legal_review', tok['reviewer']!, { opinions: '事实清楚，证据确凿' })).body.state,
      ).toBe('awaiting_decision');
      const before = await auditCount();
      const early = await act(id, 'approve_decision', tok['approver']!);
      expect(early.status).toBe(422);
      expect(early.body.code).toBe('awaits_threshold_trip_decision');
      expect(early.body.waitsFor).toEqual([last.caseId]);
      expect(await auditCount()).toBe(before);
      const docs = async () =>
        (
          await api.db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM case_documents WHERE kind = 'decision' AND case_id = $1`,
            [id],
          )
        ).rows[0]!.n;
      expect(await docs()).toBe(0);
      // The trip that crossed the threshold is decided (as the history above): the order may now be decided.
      await api.db.query(`UPDATE cases SET state = 'decided', decided_at = now() WHERE id = $1`, [
        last.caseId,
      ]);
      expect(
        (await outcomes(last.caseId)).body.outcomes.find((o: { role: string }) => o.role === 'driver')
          .decisionReadiness,
      ).toEqual({ ready: true, waitsFor: [] });
      const decided = await act(id, 'approve_decision', tok['approver']!);
      expect(decided.status).toBe(200);
      expect(decided.body.state).toBe('decided');
      expect(await docs()).toBe(1);
    });

    it("orders a source unit that only loaded the truck to correct, within the period of the admin's policy", async () => {
      const put = (body: unknown) =>
        call(api, 'PUT', '/api/v1/policies/four_penalties', { token: admin, body });
      expect((await put({ sourceUnitCorrection: { periodDays: 0, counting: 'calendar_days' } })).status).toBe(
        400,
      );
      expect((await put({ sourceUnitFineRange: { minYuan: 1000, maxYuan: 20000 } })).status).toBe(400);
      const set = await put({ sourceUnitCorrection: { periodDays: 10, counting: 'working_days' } });
      expect(set.status).toBe(200);
      expect(set.body.value.jurisdiction.divisionCodes).toEqual(['430681']);
      // A new trip of C's first truck, planned with its investigation under the policy now in force.
      const truck = trucks.find((t) => t.company.key === 'C')!;
      const id = await investigatedTrip(truck, 5);
      const source = (await outcomes(id)).body.outcomes.find(
        (o: { role: string }) => o.role === 'source_unit',
      );
      // 湖南条例 Art. 30: an order to correct within the period, no fine for the trip.
      expect(source).toMatchObject({
        ruleCode: 'source_unit_loading',
        outcome: 'order_correct',
        penaltyKind: null,
        amountYuan: null,
        carriedBy: 'sub_case',
      });
      expect(source.basis).toEqual([expect.objectContaining({ code: 'HN-OLR-30' })]);
      const before = await auditCount();
      const fine = await call(
        api,
        'POST',
        `/api/v1/cases/${source.subCase.id}/four-penalties/source-unit-fine`,
        {
          token: tok['o1'],
          body: { amountYuan: 12000, reasons: '为超限车辆装载货物，按省货运源头治超规定裁量' },
        },
      );
      expect(fine.status).toBe(422);
      expect(fine.body.code).toBe('source_unit_fine_before_correction_check');
      expect(await auditCount()).toBe(before);
      // C's first truck now has 4 confirmed-or-current trips? No: its third trip is undecided, so 3 count.
      const counts = (await outcomes(id)).body.counts.vehicleTrips;
      expect(counts).toMatchObject({ count: 3, threshold: 3, rule: { year: 'rolling_12_months' } });
    });
  });

  // 超限规定 Art. 46: the Art. 66 measures belong to the authority where the party is registered. A company of
  // 岳阳楼区 (430602), outside the county the bureau serves (430681), crosses 10% of its fleet: the bureau records
  // the count and writes the report (抄告) to its home authority instead of opening a suspension it cannot decide.
  describe('a non-local enterprise over 10% of its fleet', () => {
    const F: Company = {
      key: 'F',
      name: '岳阳市己运输有限公司',
      code: uscc('91430602MA4L00006'),
      licenceNo: '湘交运管许可岳字430602000006',
      fleetSize: 2,
      trucks: [1],
    };
    const truck: Truck = {
      company: F,
      plate: '湘FF1000',
      certificateNo: '湘交运营岳字430602000001',
      driverName: '驾驶人F1',
      driverId: residentId('43068119800101198'),
      trips: 1,
    };

    // Its truck's 道路运输证 was first issued on 10 May 2020: the start of its yearly counting cycle.
    beforeAll(() =>
      importOneTruckCompany(F, truck, 'CY430681098', { certificateFirstIssuedOn: '2020-05-10' }),
    );
    let tripId: string;

    it('gets a report to its home authority with the counted case, not a sub-case', async () => {
      const id = await investigatedTrip(truck, 15);
      tripId = id;
      const types = await api.db.query<{ type: string }>(
        'SELECT type FROM cases WHERE parent_case_id = $1 ORDER BY type',
        [id],
      );
      expect(types.rows.map((r) => r.type)).toEqual(['source_unit']);
      const enterprise = (await outcomes(id)).body.outcomes.find(
        (o: { role: string }) => o.role === 'enterprise',
      );
      expect(enterprise).toMatchObject({
        outcome: 'business_suspension',
        penaltyKind: null,
        carriedBy: 'home_authority_report',
        subCase: null,
        homeAuthorityReport: { divisionCode: '430602', measure: 'business_suspension', countedCaseIds: [id] },
      });
      expect(enterprise.counts).toMatchObject({ count: 1, threshold: 0, fleetSizeOnDate: 2 });
      const text: string = enterprise.homeAuthorityReport.text;
      expect(text).toContain('行政区划代码430602');
      expect(text).toContain(`${F.name}（统一社会信用代码：${F.code}）`);
      expect(text).toContain('责令停业整顿');
      expect(text).toContain('1. 本案（');
      expect(text).toContain('《超限运输车辆行驶公路管理规定》第四十六条');
      expect(text).toContain(enterprise.counts.rule.description);
      // Recorded on the vehicle case with its planning audit; never offered for a batch.
      const audit = await api.db.query<{
        payload: { reported: { ruleCode: string; divisionCode: string }[] };
      }>(
        `SELECT payload FROM audit_events WHERE entity_id = $1 AND action = 'four_penalties.planned'
         ORDER BY occurred_at DESC LIMIT 1`,
        [id],
      );
      expect(audit.rows[0]!.payload.reported).toEqual([
        expect.objectContaining({ ruleCode: 'enterprise_fleet_share_art66', divisionCode: '430602' }),
      ]);
      const party = await api.db.query<{ id: string }>('SELECT id FROM parties WHERE id_number = $1', [
        F.code,
      ]);
      const answerable = await call(
        api,
        'GET',
        `/api/v1/penalties/answerable?enterprise=${party.rows[0]!.id}`,
        {
          token: tok['o1'],
        },
      );
      expect(answerable.status).toBe(200);
      const roles = answerable.body.parties.find(
        (p: { partyId: string }) => p.partyId === party.rows[0]!.id,
      ).roles;
      const enterpriseRole = roles.find((r: { role: string }) => r.role === 'enterprise');
      expect(enterpriseRole.caseIdsToIssue).toEqual([]);
      expect(enterpriseRole.plans).toEqual([
        expect.objectContaining({ penaltyKind: null, carriedBy: null, reportedTo: '430602' }),
      ]);
    });

    it('counts by the policy in force: the certificate cycle from the registry, only trips over the margin; each count says so', async () => {
      const put = (counting: Record<string, unknown>) =>
        call(api, 'PUT', '/api/v1/policies/four_penalties', { token: admin, body: { counting } });
      expect(
        (
          await put({
            year: 'certificate_cycle',
            trips: 'over_provincial_margin',
            provincialMarginPercent: 10,
          })
        ).status,
      ).toBe(200);
      try {
        // The lead: 40,000 − 2,000 − 31,000 = 7,000 kg over, 22.6% of the limit: over the 10% margin.
        expect((await plan(tripId)).status).toBe(200);
        let view = (await outcomes(tripId)).body;
        const vehicleTrips = view.counts.vehicleTrips;
        expect(vehicleTrips.rule).toMatchObject({
          year: 'certificate_cycle',
          trips: 'over_provincial_margin',
          provincialMarginPercent: 10,
          certificateFirstIssuedOn: '2020-05-10',
          source: 'policy',
        });
        expect(vehicleTrips.rule.cycleStart).toMatch(/^\d{4}-05-10$/);
        expect(vehicleTrips.rule.cycleStart <= view.violationDate).toBe(true);
        expect(vehicleTrips).toMatchObject({ count: 1, includesCurrentCase: true, excludedCaseIds: [] });
        // The enterprise's licence has no first issue date recorded: 12 months, and the rule says why.
        expect(view.counts.enterpriseVehicles.rule).toMatchObject({
          year: 'rolling_12_months',
          fellBackFrom: 'certificate_cycle',
        });
        // Within the margin (2,000 kg, 6.5% of the limit) the trip does not count: nothing is reported.
        await api.db.query(
          'UPDATE leads SET excess_kg = 2000 WHERE id = (SELECT lead_id FROM cases WHERE id = $1)',
          [tripId],
        );
        expect((await plan(tripId)).status).toBe(200);
        view = (await outcomes(tripId)).body;
        const enterprise = view.outcomes.find((o: { role: string }) => o.role === 'enterprise');
        expect(enterprise).toMatchObject({ outcome: 'record_only', carriedBy: 'record_only' });
        expect(enterprise.counts).toMatchObject({
          count: 0,
          includesCurrentCase: false,
          excludedCaseIds: [tripId],
        });
      } finally {
        await api.db.query(
          'UPDATE leads SET excess_kg = 7000 WHERE id = (SELECT lead_id FROM cases WHERE id = $1)',
          [tripId],
        );
        expect(
          (await put({ year: 'rolling_12_months', trips: 'every_decided_trip', provincialMarginPercent: 10 }))
            .status,
        ).toBe(200);
      }
    });
  });

  // Issue 5: "when a vehicle case is filed, the four parties are identified": planning runs with the filing
  // and again with the investigation, in the action's transaction, without any call to the plan route.
  describe('planned with the filing and the investigation, without a plan call', () => {
    const E: Company = {
      key: 'E',
      name: '汨罗市戊混凝土有限公司',
      code: uscc('91430681MA4L00005'),
      licenceNo: '湘交运管许可岳字430681000005',
      fleetSize: 2,
      trucks: [2],
    };
    const truck: Truck = {
      company: E,
      plate: '湘FE1000',
      certificateNo: '湘交运营岳字430681000199',
      driverName: '驾驶人E1',
      driverId: residentId('43068119800101199'),
      trips: 2,
    };
    const subCases = async (parentId: string) =>
      (
        await api.db.query<{ type: string; party: string }>(
          `SELECT c.type, cp.party_id AS party FROM cases c JOIN case_parties cp ON cp.case_id = c.id
           WHERE c.parent_case_id = $1 ORDER BY c.type`,
          [parentId],
        )
      ).rows;
    const audits = async (caseId: string, action: string) =>
      (
        await api.db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action = $2',
          [caseId, action],
        )
      ).rows[0]!.n;
    const roleOutcome = async (caseId: string, role: string) =>
      (await outcomes(caseId)).body.outcomes.find((o: { role: string }) => o.role === role);

    beforeAll(async () => {
      await importOneTruckCompany(E, truck, 'CY430681099');
      const { rows } = await api.db.query<{ id: string }>('SELECT id FROM parties WHERE id_number = $1', [
        E.code,
      ]);
      partyOf['E'] = rows[0]!.id;
    });

    it('files a trip with the sub-cases known at filing; the investigation adds the source unit; nothing twice', async () => {
      const id = await filedTrip(truck, 30);
      // Filing alone: 1 of a fleet of 2 exceeds 10% → the enterprise's suspension sub-case; driver and source
      // unit are not known yet, so they are listed as unidentified, not an error.
      expect(await subCases(id)).toEqual([{ type: 'enterprise', party: partyOf['E'] }]);
      const filed = await outcomes(id);
      expect(filed.body.planned).toBe(true);
      expect(filed.body.unidentifiedRoles).toEqual(['driver', 'source_unit']);
      expect(await roleOutcome(id, 'vehicle')).toMatchObject({ outcome: 'fine', carriedBy: 'vehicle_case' });
      expect(await audits(id, 'four_penalties.planned')).toBe(1);

      await investigate(id, truck);
      expect(await subCases(id)).toEqual([
        { type: 'enterprise', party: partyOf['E'] },
        { type: 'source_unit', party: partyOf['E'] },
      ]);
      const investigated = await outcomes(id);
      expect(investigated.body.unidentifiedRoles).toEqual([]);
      expect(await roleOutcome(id, 'driver')).toMatchObject({ outcome: 'record_only' });
      expect(await audits(id, 'four_penalties.planned')).toBe(2);

      // The manual route still re-plans, and duplicates nothing.
      const before = { cases: await caseCount(), penalties: await penaltyCount() };
      expect((await plan(id)).status).toBe(200);
      expect({ cases: await caseCount(), penalties: await penaltyCount() }).toEqual(before);
      expect((await subCases(id)).length).toBe(2);
      for (const sub of await api.db
        .query<{ id: string }>('SELECT id FROM cases WHERE parent_case_id = $1', [id])
        .then((r) => r.rows)) {
        expect(await audits(sub.id, 'case.created')).toBe(1);
      }

      // The truck's next trip: the suspension already stands against the enterprise, so it is not ordered again.
      const next = await filedTrip(truck, 10);
      expect(await subCases(next)).toEqual([]);
      expect(await roleOutcome(next, 'enterprise')).toMatchObject({ carriedBy: 'standing_order' });
      await investigate(next, truck);
      // The source unit's order to correct stands too (湖南条例 Art. 30; 行政处罚法 Art. 29): the trip is
      // recorded on it as evidence that the unit has not corrected, not a second order with a second fine.
      expect(await subCases(next)).toEqual([]);
      const order = (await roleOutcome(id, 'source_unit')).subCase.id as string;
      expect(await roleOutcome(next, 'source_unit')).toMatchObject({
        ruleCode: 'source_unit_loading',
        carriedBy: 'standing_order',
        standingSubCaseId: order,
        standingOrder: { subCase: { id: order }, ruleCode: 'source_unit_loading' },
      });
      const recorded = async () =>
        (
          await api.db.query<{ trips: string[] | null }>(
            `SELECT counts->'recordedTripCaseIds' AS trips FROM penalties WHERE case_id = $1`,
            [order],
          )
        ).rows[0]!.trips;
      expect(await recorded()).toEqual([next]);
      expect(await audits(order, 'four_penalties.trip_recorded_on_order')).toBe(1);
      // Re-planning either trip records nothing twice and keeps the order.
      expect((await plan(next)).status).toBe(200);
      expect((await plan(id)).status).toBe(200);
      expect(await recorded()).toEqual([next]);
      expect(await audits(order, 'four_penalties.trip_recorded_on_order')).toBe(1);
      const enterpriseCases = await api.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM cases c JOIN case_parties cp ON cp.case_id = c.id
         WHERE c.type = 'enterprise' AND cp.party_id = $1`,
        [partyOf['E']],
      );
      expect(enterpriseCases.rows[0]!.n).toBe(1);

      // Once the order is closed (here: corrected, and the case ended by the approver), a new loading is a new
      // failure: its own order. The trip recorded on the closed order stays with it.
      expect((await act(order, 'request_filing', tok['o1']!)).status).toBe(200);
      expect((await act(order, 'approve_filing', tok['approver']!)).status).toBe(200);
      const ended = await act(order, 'terminate_case', tok['approver']!, {
        reason: '货运源头单位已在期限内改正，依法不予罚款',
      });
      expect(ended.status).toBe(200);
      const third = await investigatedTrip(truck, 2);
      expect(await subCases(third)).toEqual([{ type: 'source_unit', party: partyOf['E'] }]);
      expect((await plan(next)).status).toBe(200);
      expect(await roleOutcome(next, 'source_unit')).toMatchObject({ standingSubCaseId: order });
      const orders = await api.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM cases c JOIN case_parties cp ON cp.case_id = c.id
         WHERE c.type = 'source_unit' AND cp.party_id = $1`,
        [partyOf['E']],
      );
      expect(orders.rows[0]!.n).toBe(2);
    });
  });

  // 湖南条例 Art. 30; 行政处罚法 Art. 29: one order to correct per failure. Trips of one unit planned at once share
  // one order and none is lost; a trip fined under 条例 Art. 68 leaves the order; a checked order stands no more.
  describe("a source unit's order to correct, with trips planned at once", () => {
    const K: Company = {
      key: 'K',
      name: '汨罗市癸砂石有限公司',
      code: uscc('91430681MA4L00010'),
      licenceNo: '湘交运管许可岳字430681000010',
      fleetSize: 200,
      trucks: [8],
    };
    const truck: Truck = {
      company: K,
      plate: '湘FK1000',
      certificateNo: '湘交运营岳字430681000194',
      driverName: '驾驶人K1',
      driverId: residentId('43068119800101194'),
      trips: 8,
    };
    const ordersOfK = async () =>
      (
        await api.db.query<{ id: string; parent: string; rule: string }>(
          `SELECT c.id, c.parent_case_id AS parent, p.rule_code AS rule
           FROM cases c JOIN case_parties cp ON cp.case_id = c.id JOIN penalties p ON p.case_id = c.id
           WHERE c.type = 'source_unit' AND cp.party_id = $1 ORDER BY c.created_at, c.id`,
          [partyOf['K']],
        )
      ).rows;
    const recorded = async (orderId: string) =>
      (
        await api.db.query<{ trips: string[] | null }>(
          `SELECT counts->'recordedTripCaseIds' AS trips FROM penalties WHERE case_id = $1`,
          [orderId],
        )
      ).rows[0]!.trips;
    const audits = async (caseId: string, action: string) =>
      (
        await api.db.query<{ payload: Record<string, unknown> }>(
          'SELECT payload FROM audit_events WHERE entity_id = $1 AND action = $2 ORDER BY occurred_at',
          [caseId, action],
        )
      ).rows;
    const sourceOutcome = async (id: string) =>
      (await outcomes(id)).body.outcomes.filter((o: { role: string }) => o.role === 'source_unit');
    // the officer's finding: the unit loads in the county
    const planAt = (id: string) => plan(id, tok['o1'], { sourceUnitSiteDivisionCode: '430681' });

    beforeAll(async () => {
      // where it loads is not in the registry: each trip waits until the officer states the site it found
      await importOneTruckCompany(K, truck, 'CY430681094', {}, null);
      const { rows } = await api.db.query<{ id: string }>('SELECT id FROM parties WHERE id_number = $1', [
        K.code,
      ]);
      partyOf['K'] = rows[0]!.id;
    }, 120_000);

    it('opens one order for trips planned at once, records every other trip on it, and takes off one fined under Art. 68', async () => {
      // two trips waiting for the unit's site, planned at the same time with it: one order, the other trip on it
      const [t1, t2] = [await investigatedTrip(truck, 40), await investigatedTrip(truck, 39)];
      expect(await ordersOfK()).toEqual([]);
      const [p1, p2] = await Promise.all([planAt(t1), planAt(t2)]);
      expect([p1.status, p2.status]).toEqual([200, 200]);
      const orders = await ordersOfK();
      expect(orders).toHaveLength(1);
      const order = orders[0]!.id;
      const own = orders[0]!.parent;
      const other = own === t1 ? t2 : t1;
      expect(await recorded(order)).toEqual([other]);

      // two more at once, and the order's own trip re-planned while a fifth is planned: no trip is lost
      const [t3, t4, t5] = [
        await investigatedTrip(truck, 38),
        await investigatedTrip(truck, 37),
        await investigatedTrip(truck, 36),
      ];
      const both = await Promise.all([planAt(t3), planAt(t4)]);
      expect(both.map((r) => r.status)).toEqual([200, 200]);
      const [replanned, fifth] = await Promise.all([plan(own), planAt(t5)]);
      expect([replanned.status, fifth.status]).toEqual([200, 200]);
      expect(await ordersOfK()).toHaveLength(1);
      expect([...(await recorded(order))!].sort()).toEqual([other, t3, t4, t5].sort());
      expect(await audits(order, 'four_penalties.trip_recorded_on_order')).toHaveLength(4);

      // t3 is found to have been loaded on the unit's instruction: fined under 条例 Art. 68 in a sub-case of its
      // own, so it is no longer evidence on the order (行政处罚法 Art. 29), audited on the order.
      expect((await plan(t3, tok['o1'], { sourceUnitInstructedOrForced: true })).status).toBe(200);
      expect([...(await recorded(order))!].sort()).toEqual([other, t4, t5].sort());
      const taken = await audits(order, 'four_penalties.trip_removed_from_order');
      expect(taken).toHaveLength(1);
      expect(JSON.stringify(taken[0]!.payload)).toContain(t3);
      const fined = (await sourceOutcome(t3))[0];
      expect(fined).toMatchObject({ ruleCode: 'source_unit_instructed_art68', carriedBy: 'sub_case' });
      const facts = await api.db.query<{ facts: string }>('SELECT facts FROM cases WHERE id = $1', [
        fined.subCase.id,
      ]);
      expect(facts.rows[0]!.facts).toContain('经调查，该单位指使、强令车辆驾驶人超限运输货物');

      // A further inquiry finds another loading slip: the sub-case's 违法事实 change (before its notice), audited
      // on the sub-case with before and after, in the planning's transaction.
      const reinvestigated = await act(t3, 'record_investigation', tok['o1']!, {
        kind: 'inquiry',
        interviewee: { name: truck.driverName, idNumber: truck.driverId, relation: 'driver' },
        summary: `再次询问驾驶人${truck.driverName}，核实装载单`,
        parties: [
          {
            role: 'source_unit',
            kind: 'organisation',
            name: K.name,
            idNumber: K.code,
            loadingSlipNo: 'ZD-K3-SECOND',
          },
        ],
      });
      expect(reinvestigated.status).toBe(200);
      const restated = await audits(fined.subCase.id, 'case.facts_restated');
      expect(restated).toHaveLength(1);
      const change = JSON.stringify(restated[0]!.payload);
      const after = await api.db.query<{ facts: string }>('SELECT facts FROM cases WHERE id = $1', [
        fined.subCase.id,
      ]);
      expect(after.rows[0]!.facts).toContain('ZD-K3-SECOND');
      expect(after.rows[0]!.facts).toContain('指使、强令');
      expect(change).toContain('ZD-K3-SECOND');
      expect(change).toContain(`ZD-${t3.slice(0, 8)}`);
      // re-planning what is unchanged restates nothing
      expect((await plan(t3)).status).toBe(200);
      expect(await audits(fined.subCase.id, 'case.facts_restated')).toHaveLength(1);
    });

    it('labels the recorded trips against the service of the order, and opens a new order once it is checked', async () => {
      const order = (await ordersOfK()).find((o) => o.rule === 'source_unit_loading' && o.parent)!;
      const id = order.id;
      expect((await act(id, 'request_filing', tok['o1']!)).status).toBe(200);
      expect((await act(id, 'approve_filing', tok['approver']!)).status).toBe(200);
      expect((await act(id, 'order_correction', tok['o1']!)).status).toBe(200);
      // loaded after the order reached the unit: evidence that it has not corrected
      const t6 = await investigatedTrip(truck, 0);
      expect((await planAt(t6)).status).toBe(200);
      expect((await sourceOutcome(t6))[0]).toMatchObject({
        carriedBy: 'standing_order',
        standingSubCaseId: id,
      });
      const view = (await sourceOutcome(order.parent)).find(
        (o: { subCase: { id: string } | null }) => o.subCase?.id === id,
      );
      const trips = view.recordedTrips as { caseId: string; standing: string; violationDate: string }[];
      expect(trips.map((t) => t.caseId)).toEqual(expect.arrayContaining([t6]));
      expect(trips.find((t) => t.caseId === t6)!.standing).toBe('after_service');
      expect(trips.filter((t) => t.caseId !== t6).map((t) => t.standing)).toEqual(
        trips.filter((t) => t.caseId !== t6).map(() => 'before_service'),
      );
      // Checked: the order stands no more. A later loading is a new act (湖南条例 Art. 13): an order of its own.
      // the day in the bureau's time zone, as the order's service was recorded
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
      const checked = await act(id, 'check_correction', tok['o1']!, { corrected: true, correctedOn: today });
      expect(checked.status).toBe(200);
      // the 复查 lists the trip loaded after service as the evidence it relied on, not those loaded before
      const caseView = await call(api, 'GET', `/api/v1/cases/${id}`, { token: tok['o1'] });
      const reviewDoc = caseView.body.documents.find((d: { kind: string }) => d.kind === 'correction_review');
      const review = await call(api, 'GET', `/api/v1/cases/${id}/documents/${reviewDoc.id}`, {
        token: tok['o1'],
      });
      const reviewText = review.body.versions.at(-1).text as string;
      const fullTrips = view.recordedTrips as {
        caseId: string;
        caseNumber: string;
        violationDate: string;
        plate: string;
        station: string;
      }[];
      const after = fullTrips.find((t) => t.caseId === t6)!;
      const [y, m, d] = after.violationDate.split('-').map(Number);
      expect(reviewText).toContain('复查期间发现该单位仍有下列装载超限情形：');
      expect(reviewText).toContain(
        `1. 案号${after.caseNumber}，${y}年${m}月${d}日，车牌${after.plate}，检测站点${after.station}`,
      );
      for (const before of fullTrips.filter((t) => t.caseId !== t6 && t.caseNumber)) {
        expect(reviewText).not.toContain(before.caseNumber);
      }
      const t7 = await investigatedTrip(truck, 0);
      expect((await planAt(t7)).status).toBe(200);
      const next = (await sourceOutcome(t7))[0];
      expect(next).toMatchObject({ carriedBy: 'sub_case', ruleCode: 'source_unit_loading' });
      expect(next.subCase.id).not.toBe(id);
      expect(await recorded(id)).not.toContain(t7);
    });
  });

  // 超限规定 Art. 46: a driver whose 从业资格证 was issued in 岳阳楼区 (430602) makes a fourth trip within the year.
  // The stop-transport order is the issuing authority's: the report is addressed to it by the name the registry
  // holds for the driver (发证机关), not by its division code.
  describe('a driver whose qualification certificate was issued elsewhere', () => {
    const G: Company = {
      key: 'G',
      name: '汨罗市庚运输有限公司',
      code: uscc('91430681MA4L00007'),
      licenceNo: '湘交运管许可岳字430681000007',
      fleetSize: 50,
      trucks: [4],
    };
    const truck: Truck = {
      company: G,
      plate: '湘FG1000',
      certificateNo: '湘交运营岳字430681000197',
      driverName: '驾驶人G1',
      driverId: residentId('43068119800101197'),
      trips: 4,
    };
    const HOME = '岳阳市道路运输事务中心';

    beforeAll(async () => {
      await importOneTruckCompany(G, truck, 'CY430602097');
      // The registry learns where the certificate was issued, and by whom: the driver's row again.
      await importRows('drivers', [
        {
          name: truck.driverName,
          idNumber: truck.driverId,
          qualificationCertificateNo: 'CY430602097',
          phone: '13900000001',
          registrationDivisionCode: '430602',
          homeAuthority: HOME,
        },
      ]);
    }, 120_000);

    it('refuses an addressee that is not an authority, and one without its division', async () => {
      const row = {
        name: truck.driverName,
        idNumber: truck.driverId,
        qualificationCertificateNo: 'CY430602097',
        phone: '13900000001',
      };
      for (const bad of [
        { ...row, registrationDivisionCode: '430602', homeAuthority: '430602' },
        { ...row, homeAuthority: HOME },
      ]) {
        const res = await call(api, 'POST', '/api/v1/registry/drivers', {
          token: admin,
          body: { rows: [bad] },
        });
        expect(res.status).toBe(400);
      }
      const stored = await api.db.query<{ home_authority: string; registration_division_code: string }>(
        'SELECT home_authority, registration_division_code FROM drivers WHERE id_no = $1',
        [truck.driverId],
      );
      expect(stored.rows).toEqual([{ home_authority: HOME, registration_division_code: '430602' }]);
    });

    it('reports the fourth trip’s count to the authority that issued the certificate, by its name', async () => {
      const earlier: string[] = [];
      for (const daysAgo of [90, 70, 50]) earlier.push(await investigatedTrip(truck, daysAgo));
      for (const [i, id] of earlier.entries()) {
        await api.db.query(
          `UPDATE cases SET state = 'decided', decided_at = now() - $2 * interval '1 day' WHERE id = $1`,
          [id, 80 - 20 * i],
        );
      }
      const id = await investigatedTrip(truck, 10);
      const driver = (await outcomes(id)).body.outcomes.find((o: { role: string }) => o.role === 'driver');
      expect(driver).toMatchObject({
        outcome: 'order_stop_transport',
        carriedBy: 'home_authority_report',
        subCase: null,
        homeAuthorityReport: { divisionCode: '430602', measure: 'order_stop_transport' },
      });
      expect(driver.counts).toMatchObject({ count: 4, threshold: 3 });
      const text: string = driver.homeAuthorityReport.text;
      expect(text).toContain(`${HOME}：`);
      expect(text).not.toContain('道路运输管理机构：'); // the addressee by division code, as before
      expect(text).toContain(truck.driverName);
      const types = await api.db.query<{ type: string }>('SELECT type FROM cases WHERE parent_case_id = $1', [
        id,
      ]);
      expect(types.rows.map((r) => r.type)).not.toContain('driver');
    });
  });

  // 《公路安全保护条例》 Art. 66 counts confirmed violations: a decision annulled on reconsideration (行政复议法
  // Art. 64) no longer confirms its trip. The case keeps its state; its workflow records the remedy's outcome.
  describe('a trip whose decision was annulled on reconsideration', () => {
    const H: Company = {
      key: 'H',
      name: '汨罗市辛运输有限公司',
      code: uscc('91430681MA4L00008'),
      licenceNo: '湘交运管许可岳字430681000008',
      fleetSize: 50,
      trucks: [4],
    };
    const truck: Truck = {
      company: H,
      plate: '湘FH1000',
      certificateNo: '湘交运营岳字430681000196',
      driverName: '驾驶人H1',
      driverId: residentId('43068119800101196'),
      trips: 4,
    };

    beforeAll(() => importOneTruckCompany(H, truck, 'CY430681096'), 120_000);

    it('no longer counts toward "more than 3 trips": the fourth trip orders nothing', async () => {
      const earlier: string[] = [];
      for (const daysAgo of [90, 70, 50]) earlier.push(await investigatedTrip(truck, daysAgo));
      for (const [i, id] of earlier.entries()) {
        await api.db.query(
          `UPDATE cases SET state = 'decided', decided_at = now() - $2 * interval '1 day' WHERE id = $1`,
          [id, 80 - 20 * i],
        );
      }
      // The second trip's decision was annulled by the county government (recorded by record_remedy_outcome).
      const remedies = [
        {
          kind: 'reconsideration',
          body: '汨罗市人民政府',
          filedOn: '2026-01-01',
          recordedAt: new Date(Date.now() - 40 * 86_400_000).toISOString(),
          recordedBy: ids['o1'],
          outcome: 'annulled',
          concludedOn: '2026-01-02',
          concludedRecordedAt: new Date(Date.now() - 20 * 86_400_000).toISOString(),
        },
      ];
      await api.db.query(
        `UPDATE cases SET workflow = jsonb_set(coalesce(workflow, '{}'::jsonb), '{remedies}', $2::jsonb) WHERE id = $1`,
        [earlier[1], JSON.stringify(remedies)],
      );
      const id = await investigatedTrip(truck, 10);
      const view = (await outcomes(id)).body;
      const driver = view.outcomes.find((o: { role: string }) => o.role === 'driver');
      expect(driver).toMatchObject({ outcome: 'record_only', carriedBy: 'record_only', subCase: null });
      expect(driver.counts).toMatchObject({ count: 3, threshold: 3 });
      expect(driver.counts.caseIds).not.toContain(earlier[1]);
      expect(view.counts.vehicleTrips).toMatchObject({ count: 3, threshold: 3 });
      const types = await api.db.query<{ type: string }>('SELECT type FROM cases WHERE parent_case_id = $1', [
        id,
      ]);
      // No stop-transport order, no certificate revocation (and the source unit's first order still stands).
      expect(types.rows.map((r) => r.type)).toEqual([]);
    });
  });

  // 湖南条例 Art. 13 is broken where the unit loads, and the county there is competent (Art. 30; 行政处罚法
  // Art. 22): the bureau orders a unit whose site is in the county, refers the others, and waits for an unknown site.
  describe('a source unit that loads outside the county', () => {
    const J: Company = {
      key: 'J',
      name: '岳阳市壬砂石有限公司',
      code: uscc('91430602MA4L00009'),
      licenceNo: '湘交运管许可岳字430681000009',
      fleetSize: 50,
      trucks: [1],
    };
    const truck: Truck = {
      company: J,
      plate: '湘FJ1000',
      certificateNo: '湘交运营岳字430681000195',
      driverName: '驾驶人J1',
      driverId: residentId('43068119800101195'),
      trips: 1,
    };
    const sourceOutcome = async (id: string) =>
      (await outcomes(id)).body.outcomes.find((o: { role: string }) => o.role === 'source_unit');
    const subTypes = async (id: string) =>
      (
        await api.db.query<{ type: string }>('SELECT type FROM cases WHERE parent_case_id = $1', [id])
      ).rows.map((r) => r.type);

    // Registered in 岳阳楼区; where it loads is not in the registry yet.
    beforeAll(() => importOneTruckCompany(J, truck, 'CY430681095', {}, null), 120_000);

    it('refuses a site that is not a division code in the registry, writing nothing', async () => {
      const bad = await call(api, 'POST', '/api/v1/registry/source-units', {
        token: admin,
        body: {
          rows: [{ name: J.name, socialCreditCode: J.code, address: '岳阳市', siteDivisionCode: '4306' }],
        },
      });
      expect(bad.status).toBe(400);
      const site = await api.db.query<{ site: string | null }>(
        `SELECT u.site_division_code AS site FROM cargo_source_units u JOIN parties p ON p.id = u.party_id
         WHERE p.id_number = $1`,
        [J.code],
      );
      expect(site.rows).toEqual([{ site: null }]);
    });

    it('waits while the site is unknown, orders nothing, and says what to set', async () => {
      const id = await investigatedTrip(truck, 12);
      expect(await subTypes(id)).toEqual([]);
      const waiting = await sourceOutcome(id);
      expect(waiting).toMatchObject({ carriedBy: 'awaiting_registration', subCase: null });
      expect(waiting.awaitingRegistration).toContain('sourceUnitSiteDivisionCode');
      expect((await plan(id, tok['o1'], { sourceUnitSiteDivisionCode: '43068' })).status).toBe(400);

      // The investigation found the site in 岳阳楼区 (Hunan, not the county): referred there, under the Hunan rule.
      expect((await plan(id, tok['o1'], { sourceUnitSiteDivisionCode: '430602' })).status).toBe(200);
      const referred = await sourceOutcome(id);
      expect(referred).toMatchObject({
        carriedBy: 'source_unit_referral',
        penaltyKind: null,
        subCase: null,
        sourceUnitReferral: { divisionCode: '430602', withinHunan: true, measure: 'order_correct' },
      });
      expect(referred.sourceUnitReferral.text).toContain('《中华人民共和国行政处罚法》第二十二条');
      expect(referred.sourceUnitReferral.text).toContain('第十三条');
      expect(await subTypes(id)).toEqual([]);
      const docs = await api.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM case_documents WHERE case_id = $1 AND kind = 'home_authority_measure_report'`,
        [id],
      );
      expect(docs.rows[0]!.n).toBe(1);

      // Later found to load in 武汉市武昌区 (Hubei): the Hunan regulation does not reach it, nothing of it is cited.
      expect((await plan(id, tok['o1'], { sourceUnitSiteDivisionCode: '420106' })).status).toBe(200);
      const outside = await sourceOutcome(id);
      expect(outside).toMatchObject({
        carriedBy: 'source_unit_referral',
        sourceUnitReferral: { divisionCode: '420106', withinHunan: false },
      });
      expect(outside.basis.filter((b: { code: string }) => b.code.startsWith('HN-OLR'))).toEqual([]);
      expect(outside.sourceUnitReferral.text).not.toMatch(/第十三条|第三十条/);
      expect(outside.sourceUnitReferral.text).toContain(
        '《湖南省治理货物运输车辆超限超载条例》不适用于该单位',
      );
      // Re-planning without a site keeps the one found.
      expect((await plan(id)).status).toBe(200);
      expect((await sourceOutcome(id)).sourceUnitReferral.divisionCode).toBe('420106');
    });

    it('plans the waiting trips again when the registry sets the site, and reads the registry afresh each time', async () => {
      const waiting = await investigatedTrip(truck, 6);
      expect(await sourceOutcome(waiting)).toMatchObject({ carriedBy: 'awaiting_registration' });
      // The registry puts the site in 岳阳楼区: the waiting trip is planned again by the import, referred there.
      await importRows('source-units', [
        { name: J.name, socialCreditCode: J.code, address: '岳阳市岳阳楼区', siteDivisionCode: '430602' },
      ]);
      expect(await sourceOutcome(waiting)).toMatchObject({
        carriedBy: 'source_unit_referral',
        sourceUnitReferral: { divisionCode: '430602' },
      });
      expect(await subTypes(waiting)).toEqual([]);
    });

    it("orders the unit itself once the registry puts its site in the county (the officer's finding aside)", async () => {
      await importRows('source-units', [
        { name: J.name, socialCreditCode: J.code, address: '湖南省汨罗市', siteDivisionCode: '430681' },
      ]);
      const id = await investigatedTrip(truck, 3);
      expect(await subTypes(id)).toEqual(['source_unit']);
      expect(await sourceOutcome(id)).toMatchObject({
        carriedBy: 'sub_case',
        ruleCode: 'source_unit_loading',
      });
      // The trip referred on the registry's former site follows the registry as it reads now (nothing of it was
      // frozen on the plan); the trip whose site the officer found keeps that finding.
      const planned = await api.db.query<{ id: string }>(
        `SELECT c.id FROM cases c JOIN vehicles v ON v.id = c.vehicle_id
         WHERE v.plate = $1 AND c.parent_case_id IS NULL AND c.id <> $2 ORDER BY c.violation_date`,
        [truck.plate, id],
      );
      const [found, fromRegistry] = planned.rows.map((r) => r.id);
      expect((await plan(fromRegistry!)).status).toBe(200);
      // in the county now: recorded on the order the later trip opened, no longer referred
      const order = (await sourceOutcome(id)).subCase.id;
      expect(await sourceOutcome(fromRegistry!)).toMatchObject({
        carriedBy: 'standing_order',
        standingSubCaseId: order,
        sourceUnitReferral: null,
      });
      expect((await plan(found!)).status).toBe(200);
      expect((await sourceOutcome(found!)).sourceUnitReferral.divisionCode).toBe('420106');
    });
  });
});
