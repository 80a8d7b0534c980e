import { LEGAL_BASIS_CATALOGUE } from '@ecc/legal-domain';
import {
  ADMIN,
  call,
  freePort,
  spawnApp,
  startTestApi,
  stopProcess,
  tokenFor,
  type TestApi,
} from '../support/test-app';

const officerBody = {
  username: 'officer.legal',
  password: 'officer-password-1',
  displayName: '执法员',
  roles: ['officer'],
  enforcementCertificateNo: 'HN-0431-0100',
};

async function count(api: TestApi, sql: string): Promise<number> {
  const { rows } = await api.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`);
  return rows[0]!.n;
}

describe('legal-basis catalogue and policies', () => {
  let api: TestApi;
  let admin: string;
  let officer: string;

  beforeAll(async () => {
    api = await startTestApi('legal');
    admin = await tokenFor(api, ADMIN.username, ADMIN.password);
    await call(api, 'POST', '/api/v1/users', { body: officerBody, token: admin });
    officer = await tokenFor(api, officerBody.username, officerBody.password);
  });
  afterAll(() => api?.close());

  describe('catalogue', () => {
    it('is seeded from the built-in provisions at start, each seeding audited', async () => {
      expect(await count(api, 'legal_bases')).toBe(LEGAL_BASIS_CATALOGUE.length);
      expect(await count(api, "audit_events WHERE action = 'legal_basis.seeded'")).toBe(
        LEGAL_BASIS_CATALOGUE.length,
      );
      const { status, body } = await call(api, 'GET', '/api/v1/legal-bases?code=ORR-43-1-2', {
        token: officer,
      });
      expect(status).toBe(200);
      expect(body.items).toEqual([
        expect.objectContaining({
          code: 'ORR-43-1-2',
          validFrom: '2016-09-21',
          penalty: expect.objectContaining({ kinds: expect.arrayContaining(['fine']) }),
        }),
      ]);
    });

    it('is not seeded twice when another API instance starts on the same database', async () => {
      const env = { ...api.env, PORT: String(await freePort()) };
      const { child, output } = spawnApp('api', env);
      let ready = false;
      try {
        for (let i = 0; i < 300 && !ready; i++) {
          try {
            ready = (await fetch(`http://127.0.0.1:${env['PORT']}/health/ready`)).ok;
          } catch {
            // starting
          }
          await new Promise((r) => setTimeout(r, 100));
        }
        expect(ready).toBe(true);
        expect(output()).not.toMatch(/"level":50/);
      } finally {
        await stopProcess(child);
      }
      expect(await count(api, 'legal_bases')).toBe(LEGAL_BASIS_CATALOGUE.length);
    });

    it('answers what was in force on a date', async () => {
      const before = await call(api, 'GET', '/api/v1/legal-bases?inForceOn=2016-01-01', { token: officer });
      const after = await call(api, 'GET', '/api/v1/legal-bases?inForceOn=2024-11-05', { token: officer });
      expect(before.body.items.map((i: { code: string }) => i.code)).not.toContain('ORR-43-1-2');
      expect(after.body.items.map((i: { code: string }) => i.code)).toContain('ORR-43-1-2');
    });

    const amended = {
      code: 'ORR-43-1-2',
      title: '《超限运输车辆行驶公路管理规定》',
      instrument: '交通运输部令2099年第1号',
      article: '第四十三条第一款第（二）项',
      text: '（测试用修订文本）',
      validFrom: '2099-01-01',
      validTo: null,
      role: 'penalty',
      violationTypes: ['overload_gross'],
      penalty: { kinds: ['warning', 'fine'], fineYuan: { minYuan: 0, maxYuan: 30000 } },
    };

    it('lets an admin add a new version, once, and ends the old one', async () => {
      expect((await call(api, 'POST', '/api/v1/legal-bases', { body: amended, token: officer })).status).toBe(
        403,
      );
      const created = await call(api, 'POST', '/api/v1/legal-bases', { body: amended, token: admin });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ code: 'ORR-43-1-2', validFrom: '2099-01-01' });

      const before = await count(api, 'legal_bases');
      const again = await call(api, 'POST', '/api/v1/legal-bases', { body: amended, token: admin });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('legal_basis_exists');
      expect(await count(api, 'legal_bases')).toBe(before);

      const old = (await call(api, 'GET', '/api/v1/legal-bases?code=ORR-43-1-2', { token: admin })).body
        .items[0];
      const ended = await call(api, 'PATCH', `/api/v1/legal-bases/${old.id}`, {
        body: { validTo: '2098-12-31' },
        token: admin,
      });
      expect(ended).toMatchObject({ status: 200, body: { validTo: '2098-12-31' } });
      const inForce = await call(api, 'GET', '/api/v1/legal-bases?code=ORR-43-1-2&inForceOn=2099-06-01', {
        token: admin,
      });
      expect(inForce.body.items.map((i: { validFrom: string }) => i.validFrom)).toEqual(['2099-01-01']);
    });

    it.each([
      ['a lower-case code', { ...amended, code: 'orr', validFrom: '2099-02-01' }, 'body.code'],
      [
        'a fine without its range',
        { ...amended, validFrom: '2099-02-01', penalty: { kinds: ['fine'] } },
        'body.penalty',
      ],
      [
        'an unknown violation type',
        { ...amended, validFrom: '2099-02-01', violationTypes: ['speeding'] },
        'body.violationTypes.0',
      ],
      ['validTo before validFrom', { ...amended, validFrom: '2099-02-01', validTo: '2099-01-01' }, 'body'],
    ])('refuses %s with 400 and writes nothing', async (_n, body, path) => {
      const before = await count(api, 'legal_bases');
      const response = await call(api, 'POST', '/api/v1/legal-bases', { body, token: admin });
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e: { path: string }) => e.path)).toContain(path);
      expect(await count(api, 'legal_bases')).toBe(before);
    });

    it('refuses an end date before the first day in force', async () => {
      const row = (
        await call(api, 'GET', '/api/v1/legal-bases?code=ORR-43-1-2&inForceOn=2099-06-01', { token: admin })
      ).body.items[0];
      const response = await call(api, 'PATCH', `/api/v1/legal-bases/${row.id}`, {
        body: { validTo: '2000-01-01' },
        token: admin,
      });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([expect.objectContaining({ path: 'body.validTo' })]);
    });
  });

  describe('policies', () => {
    // The test environment sets only the working calendar (tests/support/seed-test-calendar.ts).
    it('shows every policy with its default while none is set', async () => {
      const { status, body } = await call(api, 'GET', '/api/v1/policies', { token: officer });
      expect(status).toBe(200);
      expect(body.items.map((p: { key: string; source: string }) => `${p.key}:${p.source}`).sort()).toEqual([
        'case:default',
        'case_file_evaluation:default',
        'four_penalties:default',
        'notices:default',
        'publicity:default',
        'screening:default',
        'working_calendar:set',
      ]);
      expect(body.items.find((p: { key: string }) => p.key === 'case').value.responseWindowDays).toBe(15);
    });

    it('versions a change: the old version is closed, the new one applies, both audited', async () => {
      const first = await call(api, 'PUT', '/api/v1/policies/case', {
        body: { responseWindowDays: 10 },
        token: admin,
      });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        key: 'case',
        source: 'set',
        value: { responseWindowDays: 10, statementDays: 3 },
      });
      const second = await call(api, 'PUT', '/api/v1/policies/case', {
        body: { responseWindowDays: 20 },
        token: admin,
      });
      expect(second.body.value.responseWindowDays).toBe(20);

      expect(
        (await call(api, 'GET', '/api/v1/policies/case', { token: officer })).body.value.responseWindowDays,
      ).toBe(20);
      const versions = (await call(api, 'GET', '/api/v1/policies/case/versions', { token: officer })).body
        .items;
      expect(versions).toHaveLength(2);
      expect(versions[1].validTo).toBe(versions[0].validFrom);
      expect(versions[0].validTo).toBeNull();
      expect(await count(api, "audit_events WHERE action = 'policy.changed' AND entity_id = 'case'")).toBe(2);
    });

    it.each([
      ['an officer', 'case', { responseWindowDays: 5 }, 403],
      ['an unknown key', 'speed_limits', {}, 400],
      [
        'a tolerance beyond the allowed range',
        'screening',
        { tolerance: { default: { kind: 'percent_of_gross', percent: 50 } } },
        400,
      ],
      ['an unknown field', 'case', { responseWindowDays: 5, hearingForAll: true }, 400],
      [
        'a publicity criterion naming no penalty',
        'publicity',
        {
          publish: 'by_criteria',
          criteria: { organisations: true, minFineYuan: null, penaltyKinds: ['detention'] },
        },
        400,
      ],
      [
        'a day both holiday and working day',
        'working_calendar',
        { name: 'x', holidays: ['2027-01-01'], makeUpWorkdays: ['2027-01-01'] },
        400,
      ],
    ])('refuses %s and writes nothing', async (who, key, body, status) => {
      const before = await count(api, 'policies');
      const response = await call(api, 'PUT', `/api/v1/policies/${key}`, {
        body,
        token: who === 'an officer' ? officer : admin,
      });
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/problem\+json/);
      expect(await count(api, 'policies')).toBe(before);
    });

    it('names the invalid field of a policy', async () => {
      const response = await call(api, 'PUT', '/api/v1/policies/screening', {
        body: { tolerance: { default: { kind: 'percent_of_gross', percent: 50 } } },
        token: admin,
      });
      expect(response.body.errors).toEqual([
        expect.objectContaining({ path: 'body.tolerance.default.percent' }),
      ]);
    });
  });
});
