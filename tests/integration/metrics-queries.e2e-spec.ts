import { Client } from 'pg';
import { DATABASE_GAUGES_SQL, NOTICES_24H_SQL } from '@ecc/platform-nest';
import { dropDatabase } from '../support/database';
import { createTestDatabase } from '../support/test-app';

/**
 * The worker's gauges are counted on a scrape: each count must read an index, never scan a table that grows
 * with the years (detections, audit events, notices). A small test database would make the planner prefer a
 * sequential scan anyway, so sequential scans are priced out (enable_seqscan = off): a count that still
 * scans has no index it could use.
 */
describe('metrics: the gauges read from Postgres use indexes', () => {
  let url: string;
  let db: Client;

  beforeAll(async () => {
    url = await createTestDatabase('metrics_queries');
    db = new Client({ connectionString: url });
    await db.connect();
    await db.query('ANALYZE');
  });

  afterAll(async () => {
    await db?.end();
    if (url) await dropDatabase(url);
  });

  it('plans no sequential scan', async () => {
    await db.query('SET enable_seqscan = off');
    const plan = (await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${DATABASE_GAUGES_SQL}`)).rows
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    expect(plan).not.toMatch(/Seq Scan/);
    const notices = (await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${NOTICES_24H_SQL}`)).rows
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    expect(notices).not.toMatch(/Seq Scan/);
    expect(notices).toMatch(/Index (Only )?Scan.* on notices\b|Bitmap Index Scan on notices_created_at/);
    // every table counted is read through one of its indexes
    for (const table of [
      'detections',
      'intake_outbox',
      'audit_events',
      'fences',
      'interception_alerts',
      'deadlines',
      'evidence_objects',
      'notices',
    ]) {
      // a partitioned table (audit_events, by month) is read through the index of each partition
      expect(plan).toMatch(
        new RegExp(
          `Index (Only )?Scan.* on ${table}(_\\d{4}_\\d{2}|_default)?\\b|Bitmap Index Scan on ${table}_`,
        ),
      );
    }
  });

  it('answers with one row of numbers', async () => {
    const { rows } = await db.query(DATABASE_GAUGES_SQL);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ detectionsUnscreened: '0', auditUnsealed: expect.any(String) });
  });
});
