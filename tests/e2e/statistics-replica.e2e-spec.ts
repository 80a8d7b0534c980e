import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ADMIN, call, makeUser, startTestApi, tokenFor, type TestApi } from '../support/test-app';
import { TEST_POSTGRES_URL } from '../support/environment';
import { writeStatisticsHistory } from '../support/statistics-history';

jest.setTimeout(180_000);

/**
 * STATISTICS_DATABASE_URL: the statistics, the exports and the annual report read through a connection of their
 * own that stands for a read-only replica — a role of this test, every transaction of which is read-only
 * (`default_transaction_read_only = on`, what a hot standby imposes: a write fails with SQLSTATE 25006) and which
 * may only read (`pg_read_all_data`). The API's own connection (DATABASE_URL) stays the primary, where the audit of
 * an auditor's read is written.
 */
describe('statistics read from a read-only replica (STATISTICS_DATABASE_URL)', () => {
  const reader = `ecc_stats_reader_${randomBytes(4).toString('hex')}`;
  let superuser: Client;
  let api: TestApi;
  let admin: string;
  let auditor: string;

  /** The status of a download read to its end; 'cut' when a streamed one broke off after its headers. */
  const download = async (path: string, token = admin): Promise<number | 'cut'> => {
    const response = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    try {
      await response.arrayBuffer();
    } catch {
      return 'cut';
    }
    return response.status;
  };
  const march = (token = admin) =>
    call(api, 'GET', '/api/v1/statistics?from=2025-03-01&to=2025-03-31', { token });

  beforeAll(async () => {
    superuser = new Client({ connectionString: TEST_POSTGRES_URL });
    await superuser.connect();
    await superuser.query(`CREATE ROLE ${reader} LOGIN`);
    await superuser.query(`ALTER ROLE ${reader} SET default_transaction_read_only = on`);
    await superuser.query(`GRANT pg_read_all_data TO ${reader}`);
    api = await startTestApi('statistics-replica', { STATISTICS_DATABASE_POOL_SIZE: '2' }, (env) => {
      const replica = new URL(env['DATABASE_URL'] ?? '');
      replica.username = reader;
      return { STATISTICS_DATABASE_URL: replica.toString() };
    });
    admin = await tokenFor(api, ADMIN.username, ADMIN.password);
    auditor = (await makeUser(api, admin, 'replica.auditor', ['auditor'])).token;
    await writeStatisticsHistory(api.db);
  });
  afterAll(async () => {
    await api?.close();
    await superuser?.query(`DROP ROLE IF EXISTS ${reader}`);
    await superuser?.end();
  });

  it('stands for a replica: its transactions cannot write', async () => {
    const direct = new Client({ connectionString: api.env['STATISTICS_DATABASE_URL'] });
    await direct.connect();
    try {
      await expect(direct.query(`UPDATE stations SET name = name`)).rejects.toMatchObject({
        code: '25006', // read_only_sql_transaction, as on a hot standby
      });
    } finally {
      await direct.end();
    }
  });

  it('answers the hand-computed figures through the replica, on its own pool', async () => {
    const res = await march();
    expect(res.status).toBe(200);
    expect(res.body.detectionCounts).toBe('summary');
    expect(res.body.total).toMatchObject({
      'detections.total': 6,
      'leads.formed': 4,
      'cases.filed': 3,
      'cases.decided': 3,
      'fines.imposed': 5000,
      'durations.filingToDecision.p90': 20.4,
    });
    const byOfficer = await call(
      api,
      'GET',
      '/api/v1/statistics?from=2025-03-01&to=2025-03-31&groupBy=officer',
      {
        token: admin,
      },
    );
    expect(byOfficer.status).toBe(200);
    expect(byOfficer.body.groups.length).toBeGreaterThan(0);
    // the statistics' pool: sessions of the reader, named for it, on the test's database — no more than its size
    const { rows } = await superuser.query<{ application_name: string }>(
      `SELECT application_name FROM pg_stat_activity WHERE usename = $1 AND datname = $2`,
      [reader, new URL(api.env['DATABASE_URL'] ?? '').pathname.slice(1)],
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(2);
    expect(new Set(rows.map((r) => r.application_name))).toEqual(new Set(['ecc-statistics']));
  });

  it('reads the statistics, the exports and the annual report through it, and nothing else', async () => {
    const reads = async () => ({
      statistics: (await march()).status,
      export: await download('/api/v1/statistics/export?from=2025-03-01&to=2025-03-31&format=csv'),
      leads: await download('/api/v1/exports/leads?format=csv'),
      cases: await download('/api/v1/exports/cases?format=csv'),
      fences: await download('/api/v1/exports/fences?format=csv'),
      report: await download('/api/v1/statistics/annual-report?year=2025&format=xlsx'),
    });
    const ok = { statistics: 200, export: 200, leads: 200, cases: 200, fences: 200, report: 200 };
    expect(await reads()).toEqual(ok);
    // the replica taken away (the reader may no longer read): each of them fails, the API's other reads do not
    await superuser.query(`REVOKE pg_read_all_data FROM ${reader}`);
    try {
      const failed = await reads();
      // a failure before the first byte is a 5xx; a streamed export that fails on its first page is cut off
      for (const status of Object.values(failed)) expect(status === 'cut' || status >= 500).toBe(true);
      expect((await call(api, 'GET', '/api/v1/cases', { token: admin })).status).toBe(200);
      expect((await call(api, 'GET', '/api/v1/leads', { token: admin })).status).toBe(200);
    } finally {
      await superuser.query(`GRANT pg_read_all_data TO ${reader}`);
    }
    expect(await reads()).toEqual(ok);
  });

  it("writes the audit of an auditor's read to the primary, not through the replica", async () => {
    expect((await march(auditor)).status).toBe(200);
    const { rows } = await api.db.query(
      `SELECT entity_id FROM audit_events WHERE action = 'personal_data.read' AND entity_type = 'statistics'`,
    );
    expect(rows).toHaveLength(1);
  });
});
