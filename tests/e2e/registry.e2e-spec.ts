import { createHash, randomBytes } from 'node:crypto';
import { createPrismaClient, type PrismaClient } from '@ecc/shared-data';
import { SecretBox } from '@ecc/shared-kernel';
import { StationCredentialsRepository } from '@ecc/registry-data';
import { detectionBody, signedPost } from '../support/station-client';
import { ADMIN, call, startTestApi, tokenFor, type JsonResponse, type TestApi } from '../support/test-app';

/**
 * Registry administration over HTTP: stations and their signing secrets (shown once, sealed at rest,
 * rotated with an overlap), devices with their calibrations, oversize-transport permits, and the vehicle
 * registry imports (JSON and CSV, idempotent, all-or-nothing per file). Admin-only writes; staff reads.
 */
const SECRETS_KEY = randomBytes(32).toString('hex');

const TABLES = [
  'stations',
  'station_secrets',
  'devices',
  'calibration_certificates',
  'oversize_permits',
  'parties',
  'vehicles',
  'road_transport_enterprises',
  'enterprise_fleet_sizes',
  'drivers',
  'cargo_source_units',
  'audit_events',
] as const;

async function counts(api: TestApi): Promise<Record<(typeof TABLES)[number], number>> {
  const { rows } = await api.db.query(
    `SELECT ${TABLES.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ')}`,
  );
  return rows[0];
}

const expectProblem = (response: JsonResponse, status: number, code?: string) => {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (code) expect(response.body.code).toBe(code);
};

const station = {
  code: 'S308-K12',
  name: 'S308 线 K12 超限检测点',
  road: 'S308',
  stake: 'K12+300',
  direction: '往长沙方向',
  lat: 28.794512,
  lng: 113.08071,
};

const wim = {
  code: 'WIM-01',
  kind: 'wim',
  accuracyClass: '5',
  legalReviewedAt: '2024-03-01',
  technicalReviewedAt: '2024-03-05',
  publishedAt: '2024-03-20',
  calibration: { certificateNo: 'JD-2024-0311', validFrom: '2024-03-10', validTo: '2025-03-09' },
};

// Valid check characters (GB 11643 / GB 32100).
const ID = ['430102198506123011', '430521199003071235', '430121197811304569', '43010219850612302X'];
const USCC = ['91430100MA4L0XXX0K', '91430102MA4PBQ6A16', '91430111MA4T5K2E30', '91430103MA4QHN8W7P'];

const enterprises = [
  {
    name: '长沙某某物流有限公司',
    socialCreditCode: USCC[2],
    licenceNo: '430100001234',
    fleetSize: 40,
    contactPhone: '0731-88886666',
  },
  // Also the owner of 湘F23456 and a cargo source unit below: one legal person, one party.
  {
    name: '岳阳某某商砼有限公司',
    socialCreditCode: USCC[0],
    licenceNo: '430600005678',
    fleetSize: 12,
    contactPhone: '13900001111',
  },
];

describe('registry: stations, devices, permits and imports', () => {
  let api: TestApi;
  let admin: string;
  let officer: string;
  let prisma: PrismaClient;
  let credentials: StationCredentialsRepository;
  let firstSecret: string;

  beforeAll(async () => {
    api = await startTestApi('registry', { SECRETS_KEY });
    admin = await tokenFor(api, ADMIN.username, ADMIN.password);
    const created = await call(api, 'POST', '/api/v1/users', {
      token: admin,
      body: {
        username: 'wang.fang',
        password: 'officer-password-1',
        displayName: '王芳',
        roles: ['officer'],
        enforcementCertificateNo: 'HN-0431-0008',
      },
    });
    expect(created.status).toBe(201);
    officer = await tokenFor(api, 'wang.fang', 'officer-password-1');
    prisma = createPrismaClient(api.env['DATABASE_URL']!, { poolSize: 2 });
    credentials = new StationCredentialsRepository(prisma, new SecretBox(SECRETS_KEY));
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await api?.close();
  });

  describe('stations', () => {
    it('creates a station and shows its signing secret once', async () => {
      const before = await counts(api);
      const response = await call(api, 'POST', '/api/v1/stations', { token: admin, body: station });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ ...station, active: true, keyId: expect.any(String) });
      firstSecret = response.body.secret;
      expect(firstSecret).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 bytes, base64url
      expect(Buffer.from(firstSecret, 'base64url')).toHaveLength(32);
      const after = await counts(api);
      expect(after).toMatchObject({
        stations: before.stations + 1,
        station_secrets: before.station_secrets + 1,
        audit_events: before.audit_events + 1,
      });
    });

    it('never shows the secret again: not in GET, not in the audit payload, not in the database, not in the logs', async () => {
      const list = await call(api, 'GET', '/api/v1/stations', { token: admin });
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([expect.objectContaining({ code: 'S308-K12', road: 'S308' })]);
      const one = await call(api, 'GET', '/api/v1/stations/S308-K12', { token: officer });
      expect(one.status).toBe(200);
      expect(one.body.credentials).toEqual([
        {
          keyId: expect.any(String),
          algorithm: 'HMAC-SHA256',
          activeFrom: expect.any(String),
          retiredAt: null,
        },
      ]);
      for (const body of [list.body, one.body]) expect(JSON.stringify(body)).not.toContain(firstSecret);

      const { rows: audits } = await api.db.query(
        `SELECT payload::text AS payload FROM audit_events WHERE action = 'station.created'`,
      );
      expect(audits).toHaveLength(1);
      expect(audits[0].payload).toContain('S308-K12');
      expect(audits[0].payload).not.toContain(firstSecret);

      const { rows: secrets } = await api.db.query(
        `SELECT s.*, encode(s.secret_ciphertext, 'escape') AS escaped FROM station_secrets s`,
      );
      expect(secrets).toHaveLength(1);
      expect(secrets[0].secret_hash).toBe(createHash('sha256').update(firstSecret).digest('hex'));
      expect(secrets[0].algorithm).toBe('HMAC-SHA256');
      expect(JSON.stringify(secrets)).not.toContain(firstSecret);
      expect(Buffer.from(secrets[0].secret_ciphertext).toString('latin1')).not.toContain(firstSecret);
      expect(api.output()).not.toContain(firstSecret);
    });

    it('keeps the secret usable for verification (sealed with SECRETS_KEY, bound to the station code)', async () => {
      expect(await credentials.findForVerification('S308-K12', new Date())).toMatchObject({
        code: 'S308-K12',
        active: true,
        secrets: [firstSecret],
      });
    });

    it('rotates: the new secret is active at once, the previous one stays valid for the overlap (24 h)', async () => {
      const response = await call(api, 'POST', '/api/v1/stations/S308-K12/secret-rotations', {
        token: admin,
      });
      expect(response.status).toBe(201);
      const { secret, activeFrom, previousRetiresAt } = response.body;
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(secret).not.toBe(firstSecret);
      expect(Date.parse(previousRetiresAt) - Date.parse(activeFrom)).toBe(24 * 3_600_000);

      const at = (iso: string, deltaMs = 0) => new Date(Date.parse(iso) + deltaMs);
      expect((await credentials.findForVerification('S308-K12', at(activeFrom)))!.secrets).toEqual([
        secret,
        firstSecret,
      ]);
      expect((await credentials.findForVerification('S308-K12', at(previousRetiresAt, -1)))!.secrets).toEqual(
        [secret, firstSecret],
      );
      expect((await credentials.findForVerification('S308-K12', at(previousRetiresAt)))!.secrets).toEqual([
        secret,
      ]);

      // and the station protocol accepts both secrets now
      const s308 = { code: 'S308-K12', secret };
      expect((await signedPost(api, s308, detectionBody())).status).toBe(202);
      expect((await signedPost(api, s308, detectionBody(), { secret: firstSecret })).status).toBe(202);
      expect((await signedPost(api, s308, detectionBody(), { secret: 'not-the-secret' })).status).toBe(401);

      const one = await call(api, 'GET', '/api/v1/stations/S308-K12', { token: admin });
      expect(one.body.credentials).toEqual([
        expect.objectContaining({ activeFrom, retiredAt: null }),
        expect.objectContaining({ retiredAt: previousRetiresAt }),
      ]);
      expect(JSON.stringify(one.body)).not.toContain(secret);
      const { rows } = await api.db.query(
        `SELECT payload::text AS payload FROM audit_events WHERE action = 'station.secret_rotated'`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].payload).not.toContain(secret);
      expect(api.output()).not.toContain(secret);
    });

    it('refuses a duplicate code (409), an unknown station (404) and a malformed code (400)', async () => {
      const before = await counts(api);
      expectProblem(
        await call(api, 'POST', '/api/v1/stations', { token: admin, body: { ...station, name: 'again' } }),
        409,
        'station_code_taken',
      );
      expectProblem(
        await call(api, 'GET', '/api/v1/stations/S999-K00', { token: admin }),
        404,
        'station_not_found',
      );
      expectProblem(
        await call(api, 'POST', '/api/v1/stations/S999-K00/secret-rotations', { token: admin }),
        404,
        'station_not_found',
      );
      expectProblem(
        await call(api, 'GET', `/api/v1/stations/${encodeURIComponent('S308 K12')}`, { token: admin }),
        400,
      );
      expect(await counts(api)).toEqual(before);
    });
  });

  describe('devices', () => {
    it('registers a WIM device with its approvals and calibration, and lists it', async () => {
      const response = await call(api, 'POST', '/api/v1/stations/S308-K12/devices', {
        token: admin,
        body: wim,
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        code: 'WIM-01',
        stationCode: 'S308-K12',
        kind: 'wim',
        accuracyClass: '5',
        legalReviewedAt: '2024-03-01',
        technicalReviewedAt: '2024-03-05',
        publishedAt: '2024-03-20',
        calibrations: [
          { certificateNo: 'JD-2024-0311', validFrom: '2024-03-10', validTo: '2025-03-09', issuer: null },
        ],
      });
      const camera = await call(api, 'POST', '/api/v1/stations/S308-K12/devices', {
        token: admin,
        body: {
          code: 'CAM-01',
          kind: 'camera',
          legalReviewedAt: null,
          technicalReviewedAt: null,
          publishedAt: null,
        },
      });
      expect(camera.status).toBe(201);
      const list = await call(api, 'GET', '/api/v1/stations/S308-K12/devices', { token: officer });
      expect(list.status).toBe(200);
      expect(list.body.items.map((d: { code: string }) => d.code)).toEqual(['CAM-01', 'WIM-01']);
    });

    it('adds a new calibration certificate to an existing device, newest first', async () => {
      const response = await call(api, 'POST', '/api/v1/stations/S308-K12/devices/WIM-01/calibrations', {
        token: admin,
        body: {
          certificateNo: 'JD-2025-0302',
          validFrom: '2025-03-02',
          validTo: '2026-03-01',
          issuer: '湖南省计量检测研究院',
        },
      });
      expect(response.status).toBe(201);
      const device = await call(api, 'GET', '/api/v1/stations/S308-K12/devices/WIM-01', { token: admin });
      expect(device.body.calibrations.map((c: { certificateNo: string }) => c.certificateNo)).toEqual([
        'JD-2025-0302',
        'JD-2024-0311',
      ]);
      const { rows } = await api.db.query(
        `SELECT count(*)::int AS n FROM audit_events WHERE action = 'device.calibration_added'`,
      );
      expect(rows[0].n).toBe(1);
    });

    it('refuses a calibration ending before it starts, duplicates, unknown stations and devices; writes nothing', async () => {
      const before = await counts(api);
      const backwards = await call(api, 'POST', '/api/v1/stations/S308-K12/devices', {
        token: admin,
        body: { ...wim, code: 'WIM-02', calibration: { ...wim.calibration, validTo: '2024-03-09' } },
      });
      expectProblem(backwards, 400, 'validation_failed');
      expect(backwards.body.errors).toEqual([
        { path: 'body.calibration.validTo', message: 'must not be before validFrom' },
      ]);
      expectProblem(
        await call(api, 'POST', '/api/v1/stations/S308-K12/devices/WIM-01/calibrations', {
          token: admin,
          body: { certificateNo: 'JD-2026-0001', validFrom: '2026-03-02', validTo: '2026-03-01' },
        }),
        400,
      );
      expectProblem(
        await call(api, 'POST', '/api/v1/stations/S308-K12/devices', { token: admin, body: wim }),
        409,
        'device_taken',
      );
      expectProblem(
        await call(api, 'POST', '/api/v1/stations/S308-K12/devices/WIM-01/calibrations', {
          token: admin,
          body: { certificateNo: 'JD-2024-0311', validFrom: '2024-03-10', validTo: '2025-03-09' },
        }),
        409,
        'calibration_certificate_taken',
      );
      expectProblem(
        await call(api, 'POST', '/api/v1/stations/S999-K00/devices', {
          token: admin,
          body: { ...wim, code: 'WIM-09' },
        }),
        404,
        'station_not_found',
      );
      expectProblem(
        await call(api, 'POST', '/api/v1/stations/S308-K12/devices/WIM-99/calibrations', {
          token: admin,
          body: { certificateNo: 'JD-2026-0001', validFrom: '2026-03-02', validTo: '2027-03-01' },
        }),
        404,
        'device_not_found',
      );
      const noCalibration = await call(api, 'POST', '/api/v1/stations/S308-K12/devices', {
        token: admin,
        body: { ...wim, code: 'WIM-03', calibration: undefined, accuracyClass: undefined },
      });
      expectProblem(noCalibration, 400);
      expect(noCalibration.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
        'body.accuracyClass',
        'body.calibration',
      ]);
      expect(await counts(api)).toEqual(before);
    });
  });

  describe('permits', () => {
    const permit = {
      permitNo: 'HN-DJ-2024-0088',
      plate: '湘F12345',
      validFrom: '2024-11-01',
      validTo: '2024-11-30',
      maxGrossKg: 65000,
      route: 'G107 岳阳—长沙',
    };

    it('records a permit and finds it by plate (staff)', async () => {
      const response = await call(api, 'POST', '/api/v1/permits', {
        token: admin,
        body: { ...permit, plate: '湘f 12345' },
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ ...permit, id: expect.any(String), plateColour: null });
      const second = await call(api, 'POST', '/api/v1/permits', {
        token: admin,
        body: { plate: '湘F12345', validFrom: '2024-12-01', validTo: '2024-12-31', maxGrossKg: 60000 },
      });
      expect(second.status).toBe(201);
      const list = await call(api, 'GET', `/api/v1/permits?plate=${encodeURIComponent('湘F12345')}`, {
        token: officer,
      });
      expect(list.status).toBe(200);
      expect(list.body.items.map((p: { validFrom: string }) => p.validFrom)).toEqual([
        '2024-12-01',
        '2024-11-01',
      ]);
      const none = await call(api, 'GET', `/api/v1/permits?plate=${encodeURIComponent('湘A00001')}`, {
        token: officer,
      });
      expect(none.body.items).toEqual([]);
    });

    it('refuses a permit ending before it starts, a bad plate, a duplicate number; writes nothing', async () => {
      const before = await counts(api);
      const backwards = await call(api, 'POST', '/api/v1/permits', {
        token: admin,
        body: { ...permit, permitNo: 'HN-DJ-2024-0099', validTo: '2024-10-31' },
      });
      expectProblem(backwards, 400);
      expect(backwards.body.errors).toEqual([
        { path: 'body.validTo', message: 'must not be before validFrom' },
      ]);
      expectProblem(
        await call(api, 'POST', '/api/v1/permits', { token: admin, body: { ...permit, plate: 'XYZ' } }),
        400,
      );
      expectProblem(
        await call(api, 'POST', '/api/v1/permits', { token: admin, body: permit }),
        409,
        'permit_no_taken',
      );
      expectProblem(await call(api, 'GET', '/api/v1/permits', { token: admin }), 400);
      expect(await counts(api)).toEqual(before);
    });
  });

  describe('registry imports', () => {
    const vehiclesCsv = [
      'plate,plateColour,ownerName,ownerPhone,ownerIdNumber,enterpriseLicenceNo,transportCertificateNo,axleCount',
      `湘F12345,yellow,张三,13800138000,${ID[0]},430100001234,430100123456,6`,
      `湘F23456,黄,岳阳某某商砼有限公司,13900001111,${USCC[0]},430600005678,430600223344,4`,
      `湘A34567,yellow,李四,13700137000,${ID[3]},430100001234,430100654321,`,
    ].join('\n');

    it('imports enterprises as JSON, and again: the second time nothing changes', async () => {
      const first = await call(api, 'POST', '/api/v1/registry/enterprises', {
        token: admin,
        body: { rows: enterprises },
      });
      expect(first).toMatchObject({ status: 200, body: { created: 2, updated: 0, unchanged: 0 } });
      const before = await counts(api);
      const again = await call(api, 'POST', '/api/v1/registry/enterprises', {
        token: admin,
        body: { rows: enterprises },
      });
      expect(again).toMatchObject({ status: 200, body: { created: 0, updated: 0, unchanged: 2 } });
      expect(await counts(api)).toEqual(before);
    });

    it('keeps the fleet size history with its effective dates', async () => {
      const response = await call(api, 'POST', '/api/v1/registry/enterprises', {
        token: admin,
        body: { rows: [{ ...enterprises[0], fleetSize: 45, fleetSizeEffectiveFrom: '2024-06-01' }] },
      });
      expect(response.body).toEqual({ created: 0, updated: 1, unchanged: 0 });
      const { rows } = await api.db.query(
        `SELECT f.fleet_size, to_char(f.effective_from, 'YYYY-MM-DD') AS day, e.fleet_size AS current
           FROM enterprise_fleet_sizes f JOIN road_transport_enterprises e ON e.id = f.enterprise_id
          WHERE e.licence_no = '430100001234' ORDER BY f.effective_from`,
      );
      // the first import dated its size today; a size from June is history, today's size stays current
      expect(rows.map((r) => [r.day === '2024-06-01' ? 'june' : 'today', r.fleet_size, r.current])).toEqual([
        ['june', 45, 40],
        ['today', 40, 40],
      ]);
    });

    it('imports vehicles as CSV (owners created once, linked to their enterprise), idempotently', async () => {
      const first = await call(api, 'POST', '/api/v1/registry/vehicles', {
        token: admin,
        rawBody: vehiclesCsv,
        headers: { 'content-type': 'text/csv; charset=utf-8' },
      });
      expect(first).toMatchObject({ status: 200, body: { created: 3, updated: 0, unchanged: 0 } });
      const before = await counts(api);
      const again = await call(api, 'POST', '/api/v1/registry/vehicles', {
        token: admin,
        rawBody: vehiclesCsv,
        headers: { 'content-type': 'text/csv' },
      });
      expect(again).toMatchObject({ status: 200, body: { created: 0, updated: 0, unchanged: 3 } });
      expect(await counts(api)).toEqual(before);

      const { rows } = await api.db.query(
        `SELECT v.plate, v.plate_colour, v.axle_count, p.kind, p.name, e.licence_no
           FROM vehicles v JOIN parties p ON p.id = v.owner_party_id
           JOIN road_transport_enterprises e ON e.id = v.enterprise_id ORDER BY v.plate`,
      );
      expect(rows).toEqual([
        {
          plate: '湘A34567',
          plate_colour: 'yellow',
          axle_count: null,
          kind: 'person',
          name: '李四',
          licence_no: '430100001234',
        },
        {
          plate: '湘F12345',
          plate_colour: 'yellow',
          axle_count: 6,
          kind: 'person',
          name: '张三',
          licence_no: '430100001234',
        },
        {
          plate: '湘F23456',
          plate_colour: 'yellow',
          axle_count: 4,
          kind: 'organisation',
          name: '岳阳某某商砼有限公司',
          licence_no: '430600005678',
        },
      ]);
    });

    it('links a permit recorded later to the registered vehicle', async () => {
      const response = await call(api, 'POST', '/api/v1/permits', {
        token: admin,
        body: {
          plate: '湘F23456',
          plateColour: 'yellow',
          validFrom: '2025-01-01',
          validTo: '2025-01-31',
          maxGrossKg: 55000,
        },
      });
      expect(response.status).toBe(201);
      const { rows } = await api.db.query(
        `SELECT v.plate FROM oversize_permits p JOIN vehicles v ON v.id = p.vehicle_id WHERE p.id = $1`,
        [response.body.id],
      );
      expect(rows).toEqual([{ plate: '湘F23456' }]);
    });

    it('updates what changed only, and audits it', async () => {
      const changed = vehiclesCsv.replace('13800138000', '13800138001');
      const response = await call(api, 'POST', '/api/v1/registry/vehicles', {
        token: admin,
        rawBody: changed,
        headers: { 'content-type': 'text/csv' },
      });
      expect(response.body).toEqual({ created: 0, updated: 1, unchanged: 2 });
      const { rows } = await api.db.query(
        `SELECT payload FROM audit_events WHERE action = 'vehicle.updated' AND request_id = $1`,
        [response.headers.get('x-request-id')],
      );
      expect(rows).toEqual([
        {
          payload: {
            before: { 'owner.phone': '13800138000' },
            after: { 'owner.phone': '13800138001' },
            source: { import: 'vehicles', row: 'line 2' },
          },
        },
      ]);
    });

    it('imports drivers as CSV and cargo source units as JSON, idempotently', async () => {
      const drivers = [
        'name,idNumber,qualificationCertificateNo,phone',
        `张三,${ID[0]},${ID[0]},13800138001`,
        `王五,${ID[1]},QC-4305-2019-0007,13600136000`,
      ].join('\r\n');
      const csv = { token: admin, rawBody: drivers, headers: { 'content-type': 'text/csv' } };
      expect((await call(api, 'POST', '/api/v1/registry/drivers', csv)).body).toEqual({
        created: 2,
        updated: 0,
        unchanged: 0,
      });
      expect((await call(api, 'POST', '/api/v1/registry/drivers', csv)).body).toEqual({
        created: 0,
        updated: 0,
        unchanged: 2,
      });
      // 张三 owns 湘F12345 and drives: one party
      const { rows } = await api.db.query(`SELECT count(*)::int AS n FROM parties WHERE id_number = $1`, [
        ID[0],
      ]);
      expect(rows[0].n).toBe(1);

      const units = {
        rows: [
          { name: '岳阳某某搅拌站', socialCreditCode: USCC[1], address: '岳阳市岳阳楼区某某路 1 号' },
          { name: '岳阳某某商砼有限公司', socialCreditCode: USCC[0], address: '岳阳市云溪区' },
        ],
      };
      const json = { token: admin, body: units };
      expect((await call(api, 'POST', '/api/v1/registry/source-units', json)).body).toEqual({
        created: 2,
        updated: 0,
        unchanged: 0,
      });
      expect((await call(api, 'POST', '/api/v1/registry/source-units', json)).body).toEqual({
        created: 0,
        updated: 0,
        unchanged: 2,
      });
    });

    it('makes one legal person one party in every role: owner, enterprise and cargo source unit', async () => {
      const { rows } = await api.db.query(
        `SELECT p.id, p.kind, p.name,
                (SELECT count(*)::int FROM vehicles v WHERE v.owner_party_id = p.id) AS owned,
                (SELECT count(*)::int FROM road_transport_enterprises e WHERE e.party_id = p.id) AS enterprises,
                (SELECT count(*)::int FROM cargo_source_units u WHERE u.party_id = p.id) AS source_units,
                (SELECT e.registration_division_code FROM road_transport_enterprises e WHERE e.party_id = p.id)
                  AS division
           FROM parties p WHERE p.id_number = $1`,
        [USCC[0]],
      );
      expect(rows).toEqual([
        {
          id: expect.any(String),
          kind: 'organisation',
          name: '岳阳某某商砼有限公司',
          owned: 1,
          enterprises: 1,
          source_units: 1,
          // Not stated in the import: the registering division of its credit code (GB 32100).
          division: '430100',
        },
      ]);
      // Its vehicle's 道路运输证 is taken as issued where the enterprise is registered.
      const vehicle = await api.db.query(
        `SELECT registration_division_code AS division FROM vehicles WHERE plate = '湘F23456'`,
      );
      expect(vehicle.rows).toEqual([{ division: '430100' }]);
    });

    it('gives an enterprise registered before it carried its code the party already known by that code', async () => {
      // A registry written before credit codes were required: an enterprise with a party of its own.
      const legacyParty = await api.db.query<{ id: string }>(
        `INSERT INTO parties (id, kind, name, updated_at) VALUES (gen_random_uuid(), 'organisation', '岳阳某某运输有限公司', now())
         RETURNING id`,
      );
      await api.db.query(
        `INSERT INTO road_transport_enterprises (id, party_id, licence_no, fleet_size, updated_at)
         VALUES (gen_random_uuid(), $1, '430600009999', 5, now())`,
        [legacyParty.rows[0]!.id],
      );
      // The same company is already a cargo source unit under its code.
      await call(api, 'POST', '/api/v1/registry/source-units', {
        token: admin,
        body: { rows: [{ name: '岳阳某某运输有限公司', socialCreditCode: USCC[3], address: '岳阳市' }] },
      });
      const response = await call(api, 'POST', '/api/v1/registry/enterprises', {
        token: admin,
        body: {
          rows: [
            {
              name: '岳阳某某运输有限公司',
              socialCreditCode: USCC[3],
              licenceNo: '430600009999',
              fleetSize: 5,
              contactPhone: '0730-8888888',
              registrationDivisionCode: '430602',
            },
          ],
        },
      });
      expect(response.body).toEqual({ created: 0, updated: 1, unchanged: 0 });
      const { rows } = await api.db.query(
        `SELECT e.registration_division_code AS division, p.id_number,
                (SELECT count(*)::int FROM cargo_source_units u WHERE u.party_id = e.party_id) AS source_units
           FROM road_transport_enterprises e JOIN parties p ON p.id = e.party_id WHERE e.licence_no = '430600009999'`,
      );
      expect(rows).toEqual([{ division: '430602', id_number: USCC[3], source_units: 1 }]);
      // A licence held under another code is refused, not silently moved.
      const other = await call(api, 'POST', '/api/v1/registry/enterprises', {
        token: admin,
        body: { rows: [{ ...enterprises[1], socialCreditCode: USCC[1] }] },
      });
      expectProblem(other, 400, 'registry_import_invalid');
      expect(other.body.errors).toEqual([
        {
          path: 'rows.0.socialCreditCode',
          message: expect.stringContaining('another unified social credit code'),
        },
      ]);
    });

    it('refuses a CSV file with bad rows, naming each line, and writes nothing of it', async () => {
      const before = await counts(api);
      const bad = [
        'plate,plateColour,ownerName,ownerPhone,ownerIdNumber,enterpriseLicenceNo,transportCertificateNo,axleCount',
        `湘F45678,yellow,赵六,13500135000,${ID[1]},430100001234,430100777777,6`, // line 2: fine
        `NOT-A-PLATE,yellow,钱七,13500135001,${ID[1]},430100001234,430100888888,6`, // line 3: plate
        `湘F56789,purple,孙八,135,${ID[1]},430100001234,430100999999,6`, // line 4: colour and phone
        `湘F67890,yellow,周九,13500135003,${ID[1]},430100001234,430100666666`, // line 5: a field short
        `湘F78901,yellow,吴十,13500135004,${ID[2].slice(0, 17)}0,430100001234,430100555555,six`, // line 6
      ].join('\n');
      const response = await call(api, 'POST', '/api/v1/registry/vehicles', {
        token: admin,
        rawBody: bad,
        headers: { 'content-type': 'text/csv' },
      });
      expectProblem(response, 400, 'registry_import_invalid');
      expect(response.body.errors.map((e: { path: string }) => e.path)).toEqual([
        'line 3: plate',
        'line 4: plateColour',
        'line 4: ownerPhone',
        'line 5',
        'line 6: ownerIdNumber',
        'line 6: axleCount',
      ]);
      expect(JSON.stringify(response.body)).not.toContain('13500135');
      expect(await counts(api)).toEqual(before);
    });

    it('rolls the whole file back when a row is refused against the registry (unknown enterprise)', async () => {
      const before = await counts(api);
      const response = await call(api, 'POST', '/api/v1/registry/vehicles', {
        token: admin,
        body: {
          rows: [
            {
              plate: '湘F45678',
              plateColour: 'yellow',
              ownerName: '赵六',
              ownerPhone: '13500135000',
              ownerIdNumber: ID[1],
              enterpriseLicenceNo: '430100001234',
              transportCertificateNo: '430100777777',
            },
            {
              plate: '湘F45679',
              plateColour: 'yellow',
              ownerName: '钱七',
              ownerPhone: '13500135001',
              ownerIdNumber: ID[2],
              enterpriseLicenceNo: '439999999999',
              transportCertificateNo: '430100888888',
            },
            {
              plate: '湘F45670',
              plateColour: 'blue',
              ownerName: '孙八',
              ownerPhone: '13500135002',
              ownerIdNumber: ID[1],
              enterpriseLicenceNo: '430100001234',
              transportCertificateNo: '430100123456',
            },
          ],
        },
      });
      expectProblem(response, 400, 'registry_import_invalid');
      expect(response.body.errors).toEqual([
        {
          path: 'rows.1.enterpriseLicenceNo',
          message: expect.stringContaining('import the enterprises first'),
        },
        {
          path: 'rows.2.transportCertificateNo',
          message: expect.stringContaining('another vehicle (湘F12345)'),
        },
      ]);
      expect(await counts(api)).toEqual(before);
    });

    it('reports bad JSON rows by index, duplicates in one file, and an empty or malformed body', async () => {
      const before = await counts(api);
      const response = await call(api, 'POST', '/api/v1/registry/drivers', {
        token: admin,
        body: {
          rows: [
            { name: '甲', idNumber: ID[2], qualificationCertificateNo: 'QC1', phone: '13500135000' },
            {
              name: '乙',
              idNumber: '430121197811304560',
              qualificationCertificateNo: 'QC-0002',
              phone: '13500135000',
            },
            {
              name: '丙',
              idNumber: ID[3].toLowerCase(),
              qualificationCertificateNo: 'QC-0003',
              phone: '13500135000',
            },
            { name: '丁', idNumber: ID[3], qualificationCertificateNo: 'QC-0004', phone: '13500135000' },
            {
              name: '戊',
              idNumber: ID[1],
              qualificationCertificateNo: 'QC-0005',
              phone: '13500135000',
              age: 40,
            },
          ],
        },
      });
      expectProblem(response, 400, 'registry_import_invalid');
      expect(response.body.errors.map((e: { path: string }) => e.path)).toEqual([
        'rows.0.qualificationCertificateNo',
        'rows.1.idNumber',
        'rows.3.idNumber',
        'rows.4',
      ]);
      expectProblem(
        await call(api, 'POST', '/api/v1/registry/drivers', { token: admin, body: { rows: [] } }),
        400,
      );
      expectProblem(await call(api, 'POST', '/api/v1/registry/drivers', { token: admin, body: [] }), 400);
      expectProblem(
        await call(api, 'POST', '/api/v1/registry/drivers', {
          token: admin,
          rawBody: '{"rows": [',
          headers: { 'content-type': 'application/json' },
        }),
        400,
      );
      expectProblem(
        await call(api, 'POST', '/api/v1/registry/drivers', {
          token: admin,
          rawBody: 'name,idNumber\n"unclosed',
          headers: { 'content-type': 'text/csv' },
        }),
        400,
      );
      expectProblem(
        await call(api, 'POST', '/api/v1/registry/drivers', {
          token: admin,
          rawBody: 'name',
          headers: { 'content-type': 'text/plain' },
        }),
        400,
      );
      expect(await counts(api)).toEqual(before);
    });

    it('never writes phone or ID numbers to the logs', () => {
      const logs = api.output();
      for (const value of [
        '13800138000',
        '13800138001',
        '13700137000',
        '13500135000',
        ...ID,
        '0731-88886666',
      ])
        expect(logs).not.toContain(value);
    });
  });

  describe('access and bad input', () => {
    const writes: [string, string, unknown][] = [
      ['POST', '/api/v1/stations', { ...station, code: 'S309-K01' }],
      ['POST', '/api/v1/stations/S308-K12/secret-rotations', undefined],
      ['POST', '/api/v1/stations/S308-K12/devices', { ...wim, code: 'WIM-05' }],
      [
        'POST',
        '/api/v1/stations/S308-K12/devices/WIM-01/calibrations',
        { certificateNo: 'JD-2026-0009', validFrom: '2026-03-02', validTo: '2027-03-01' },
      ],
      [
        'POST',
        '/api/v1/permits',
        { plate: '湘F12345', validFrom: '2025-01-01', validTo: '2025-01-02', maxGrossKg: 50000 },
      ],
      ['POST', '/api/v1/registry/vehicles', { rows: [] }],
      ['POST', '/api/v1/registry/enterprises', { rows: [] }],
      ['POST', '/api/v1/registry/drivers', { rows: [] }],
      ['POST', '/api/v1/registry/source-units', { rows: [] }],
    ];

    it('answers 401 without a token and 403 to non-admins on every write, writing nothing', async () => {
      const before = await counts(api);
      for (const [method, path, body] of writes) {
        expectProblem(await call(api, method, path, { body }), 401, 'missing_token');
        expectProblem(await call(api, method, path, { body, token: officer }), 403, 'role_not_allowed');
      }
      expect(await counts(api)).toEqual(before);
    });

    it('lets staff read stations, devices and permits, but not without a token', async () => {
      for (const path of [
        '/api/v1/stations',
        '/api/v1/stations/S308-K12',
        '/api/v1/stations/S308-K12/devices',
      ]) {
        expect((await call(api, 'GET', path, { token: officer })).status).toBe(200);
        expect((await call(api, 'GET', path)).status).toBe(401);
      }
    });

    const badBodies: [string, unknown][] = [
      ['/api/v1/stations', { ...station, code: 'S308 K12' }],
      ['/api/v1/stations', { ...station, code: 'x'.repeat(33) }],
      ['/api/v1/stations', { ...station, code: 'S400-K01', lat: 91 }],
      ['/api/v1/stations', { ...station, code: 'S400-K01', name: '' }],
      ['/api/v1/stations', { ...station, code: 'S400-K01', extra: true }],
      ['/api/v1/stations', { code: 'S400-K01' }],
      ['/api/v1/stations/S308-K12/devices', { ...wim, code: 'WIM-06', kind: 'radar' }],
      ['/api/v1/stations/S308-K12/devices', { ...wim, code: 'WIM-06', legalReviewedAt: '2024-02-30' }],
      ['/api/v1/stations/S308-K12/devices', { ...wim, code: 'WIM-06', tolerancePercent: 50 }],
      ['/api/v1/stations/S308-K12/devices', { ...wim, code: 'WIM 06' }],
      [
        '/api/v1/stations/S308-K12/devices/WIM-01/calibrations',
        { certificateNo: 'JD', validFrom: '2026-01-01', validTo: '2026-12-31' },
      ],
      [
        '/api/v1/stations/S308-K12/devices/WIM-01/calibrations',
        { certificateNo: 'JD-2026-1', validFrom: '2026-01-01' },
      ],
      [
        '/api/v1/permits',
        { plate: '湘F12345', validFrom: '2025-01-01', validTo: '2025-01-02', maxGrossKg: -1 },
      ],
      [
        '/api/v1/permits',
        { plate: '湘F12345', validFrom: '2025/01/01', validTo: '2025-01-02', maxGrossKg: 50000 },
      ],
      ['/api/v1/permits', { plate: '湘F12345', validFrom: '2025-01-01', validTo: '2025-01-02' }],
      ['/api/v1/registry/vehicles', { rows: [{ plate: '湘F12345' }] }],
      ['/api/v1/registry/enterprises', { rows: [{ ...enterprises[0], fleetSize: 0 }] }],
      [
        '/api/v1/registry/enterprises',
        { rows: [{ ...enterprises[0], fleetSizeEffectiveFrom: '2999-01-01' }] },
      ],
      [
        '/api/v1/registry/drivers',
        { rows: [{ name: '甲', idNumber: '1', qualificationCertificateNo: 'QC-0001', phone: '1' }] },
      ],
      ['/api/v1/registry/source-units', { rows: [{ name: '甲', socialCreditCode: USCC[1], address: '' }] }],
    ];

    it.each(badBodies.map(([path, body], i) => [i, path, body]))(
      'bad input #%i to %s → 400, nothing written',
      async (_i, path, body) => {
        const before = await counts(api);
        const response = await call(api, 'POST', path as string, { token: admin, body });
        expectProblem(response, 400);
        expect(response.body.errors.length).toBeGreaterThan(0);
        expect(await counts(api)).toEqual(before);
      },
    );

    it('answers malformed JSON with 400 on every write route, writing nothing', async () => {
      const before = await counts(api);
      for (const [method, path] of writes) {
        const response = await call(api, method, path, {
          token: admin,
          rawBody: '{"code":',
          headers: { 'content-type': 'application/json' },
        });
        expect([path, response.status, response.headers.get('content-type')]).toEqual([
          path,
          400,
          expect.stringMatching(/^application\/problem\+json/),
        ]);
      }
      expect(await counts(api)).toEqual(before);
    });

    it('documents every registry route in the OpenAPI document', async () => {
      const { body } = await call(api, 'GET', '/api/docs-json');
      for (const path of [
        '/api/v1/stations',
        '/api/v1/stations/{code}',
        '/api/v1/stations/{code}/secret-rotations',
        '/api/v1/stations/{code}/devices',
        '/api/v1/stations/{code}/devices/{deviceCode}',
        '/api/v1/stations/{code}/devices/{deviceCode}/calibrations',
        '/api/v1/permits',
        '/api/v1/registry/vehicles',
        '/api/v1/registry/enterprises',
        '/api/v1/registry/drivers',
        '/api/v1/registry/source-units',
      ])
        expect(body.paths[path]).toBeDefined();
      expect(Object.keys(body.paths['/api/v1/registry/vehicles'].post.requestBody.content)).toEqual(
        expect.arrayContaining(['application/json', 'text/csv']),
      );
    });
  });
});
