/**
 * `npm run bench:statistics`: a year of a county's or a province's data generated in SQL, then the statistics of
 * that year timed as GET /statistics computes them (every figure, in one snapshot shared by two connections), in
 * total and by month, station, case type and officer; for comparison in the same run, on one connection, and from
 * the rows on one connection (detections, leads, notices, first SMS and case stations counted or joined directly
 * instead of the kept tables); the slowest figure sources. Also
 * the cost of the counting triggers to intake and review: detections inserted, leads and notices updated, with
 * and without them.
 *
 * BENCH_STATISTICS_SCALE=province (default) | county; BENCH_STATISTICS_DETECTIONS=<n> overrides the scale's
 * detections; BENCH_STATISTICS_FRESH=1 regenerates a database kept from an earlier run; BENCH_STATISTICS_ROUNDS
 * (default 3) timings per query, the median reported. BENCH_STATISTICS_SCALE=medium lies between the two (5 million
 * detections, 500,000 leads, 50,000 vehicle cases).
 */
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { createDatabase, createPrismaClient, dropDatabase, migrate } from '@ecc/shared-data';
import {
  DetectionCountsRepository,
  StatisticsRepository,
  STATISTICS_GROUPS,
  type CountSource,
  type StatisticsGroup,
  type StatisticsPeriod,
} from '@ecc/statistics-data';
import { TEST_POSTGRES_URL, databaseUrl } from '../support/environment';

const SCALES = {
  county: { detections: 2_000_000, leads: 200_000, cases: 20_000, stations: 12, officers: 12 },
  medium: { detections: 5_000_000, leads: 500_000, cases: 50_000, stations: 30, officers: 30 },
  province: { detections: 10_000_000, leads: 1_000_000, cases: 100_000, stations: 60, officers: 60 },
} as const;

const scaleName = (process.env['BENCH_STATISTICS_SCALE'] ?? 'province') as keyof typeof SCALES;
const scale = {
  ...SCALES[scaleName],
  ...(process.env['BENCH_STATISTICS_DETECTIONS']
    ? { detections: Number(process.env['BENCH_STATISTICS_DETECTIONS']) }
    : {}),
};
const rounds = Number(process.env['BENCH_STATISTICS_ROUNDS'] ?? 3);
const YEAR = 2025;

async function open(url: string): Promise<Client> {
  await createDatabase(url);
  await migrate(url);
  const db = new Client({ connectionString: url });
  await db.connect();
  return db;
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/**
 * The CPU seconds (user and system) the database's server processes of the bench database have used so far, by
 * process: read from /proc when the server runs on this machine (null otherwise). The machine is shared, so the
 * elapsed time of a query depends on the others' load; the CPU it took does much less.
 */
async function serverCpu(db: Client): Promise<Map<number, number> | null> {
  const { rows } = await db.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
  );
  const ticks = 100; // USER_HZ on Linux
  const out = new Map<number, number>();
  try {
    for (const { pid } of rows) {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      out.set(pid, (Number(fields[11]) + Number(fields[12])) / ticks);
    }
  } catch {
    return null;
  }
  return out;
}
const cpuBetween = (before: Map<number, number> | null, after: Map<number, number> | null) =>
  before && after ? [...after].reduce((sum, [pid, cpu]) => sum + cpu - (before.get(pid) ?? 0), 0) : null;
const log = (line: string) => console.log(line);

async function generate(db: Client): Promise<void> {
  const step = async (label: string, sql: string, params: unknown[] = []) => {
    const t = process.hrtime.bigint();
    const result = await db.query(sql, params);
    log(`  ${label}: ${result.rowCount ?? 0} rows, ${seconds(t).toFixed(1)} s`);
  };
  const yearStart = `${YEAR}-01-01 00:00+08`;
  await step(
    'stations',
    `INSERT INTO stations (id, code, name, updated_at)
     SELECT gen_random_uuid(), 'ST-' || g, '检测点' || g, now() FROM generate_series(1, $1) g`,
    [scale.stations],
  );
  await step(
    'officers',
    `INSERT INTO users (id, username, password_hash, display_name, updated_at)
     SELECT gen_random_uuid(), 'officer' || g, 'x', '执法员' || g, now() FROM generate_series(1, $1) g`,
    [scale.officers],
  );
  // Detections month by month (one statement each, as batched intake does): the triggers keep the counts.
  const perMonth = Math.ceil(scale.detections / 12);
  for (let month = 0; month < 12; month++) {
    await step(
      `detections, month ${month + 1}`,
      `WITH s AS (SELECT array_agg(id ORDER BY code) AS ids FROM stations)
       INSERT INTO detections (id, station_id, station_detection_id, body_digest, status, outcome, plate, detected_at,
         screened_at, axle_count, gross_mass_kg, axle_loads_kg, raw)
       SELECT gen_random_uuid(), s.ids[1 + (g % array_length(s.ids, 1))], 'M${month}-' || g, repeat('0', 64),
         'screened', (ARRAY['lead', 'no_violation', 'no_violation', 'no_violation', 'invalid', 'duplicate'])[1 + (g % 6)]::detection_outcome,
         '湘F' || lpad((g % 99999)::text, 5, '0'), t, t, 6, 50000 + (g % 9000), '{}', '{}'
       FROM s, generate_series(1, $1) g,
         LATERAL (SELECT (timestamptz '${yearStart}' + interval '1 month' * ${month})
           + (g::float8 / $1) * ((timestamptz '${yearStart}' + interval '1 month' * ${month + 1})
              - (timestamptz '${yearStart}' + interval '1 month' * ${month})) AS t) tt`,
      [perMonth],
    );
  }
  await step(
    'leads',
    `WITH s AS (SELECT array_agg(id ORDER BY code) AS ids FROM stations),
          u AS (SELECT array_agg(id ORDER BY username) AS ids FROM users WHERE username LIKE 'officer%')
     INSERT INTO leads (id, status, station_id, plate, violation_at, axle_count, gross_mass_kg, limit_kg, tolerance_kg,
       excess_kg, proposed_penalty_kind, proposed_amount, proposed_basis, rules, reviewed_by_id, reviewed_at,
       reject_reason, created_at, updated_at)
     SELECT gen_random_uuid(),
       CASE WHEN g % 10 = 0 THEN 'rejected' WHEN g % 10 = 1 THEN 'pending_review' WHEN g % 10 < 5 THEN 'filed' ELSE 'notified' END::lead_status,
       s.ids[1 + (g % array_length(s.ids, 1))], '湘F' || lpad((g % 99999)::text, 5, '0'), t, 6, 56000, 49000, 2800, 4200,
       'fine', 2000, '{}', '[]',
       CASE WHEN g % 10 = 1 THEN NULL ELSE u.ids[1 + (g % array_length(u.ids, 1))] END,
       CASE WHEN g % 10 = 1 THEN NULL ELSE t + interval '1 hour' * (1 + g % 48) END,
       CASE WHEN g % 10 = 0 THEN (ARRAY['号牌与图像不一致', '轴数不符', '数据异常'])[1 + (g / 10) % 3] END,
       t + interval '1 minute', now()
     FROM s, u, generate_series(1, $1) g,
       LATERAL (SELECT timestamptz '${yearStart}' + (g::float8 / $1) * interval '365 days' AS t) tt`,
    [scale.leads],
  );
  await step(
    'notices',
    `INSERT INTO notices (id, lead_id, channel, recipient, template, body, status, created_at, sent_at, delivered_at, updated_at)
     SELECT gen_random_uuid(), l.id, c.channel::notice_channel, '13800000000', 'lead_notice', '超限告知',
       CASE WHEN hashtext(l.id::text) % 20 = 0 THEN 'failed' ELSE 'delivered' END::notice_status,
       l.reviewed_at, l.reviewed_at + interval '5 seconds',
       CASE WHEN hashtext(l.id::text) % 20 = 0 THEN NULL ELSE l.reviewed_at + interval '1 minute' END, now()
     FROM leads l CROSS JOIN (VALUES ('sms'), ('push')) c(channel)
     WHERE l.status NOT IN ('rejected', 'pending_review')`,
  );
  await step(
    'fences',
    `INSERT INTO fences (id, plate, lead_id, status, reason, created_at, lifted_at)
     SELECT gen_random_uuid(), l.plate, l.id, 'lifted', '逾期未到案', l.reviewed_at + interval '15 days',
       l.reviewed_at + interval '30 days'
     FROM leads l WHERE l.status = 'notified' AND hashtext(l.id::text) % 10 = 0`,
  );
  await step(
    'interception alerts',
    `WITH f AS (SELECT id, row_number() OVER () AS rn FROM fences),
          d AS (SELECT id, detected_at, row_number() OVER () AS rn FROM detections LIMIT (SELECT count(*) FROM fences))
     INSERT INTO interception_alerts (id, fence_id, detection_id, raised_at, acknowledged_at, status)
     SELECT gen_random_uuid(), f.id, d.id, d.detected_at, d.detected_at + interval '10 minutes', 'acknowledged'
     FROM f JOIN d USING (rn)`,
  );
  await step(
    'owner parties',
    `INSERT INTO parties (id, kind, name, updated_at)
     SELECT gen_random_uuid(), CASE WHEN g % 3 = 0 THEN 'organisation' ELSE 'person' END::party_kind, '当事人' || g, now()
     FROM generate_series(1, $1) g`,
    [scale.cases],
  );
  // Vehicle cases of filed leads: filed 1-10 days after review, decided 5-44 days later, served 1-5 days later,
  // paid 1-20 days later, closed 1-7 days later; a tenth still open at each step, one in fifty terminated.
  await step(
    'cases',
    `WITH l AS (SELECT id, reviewed_at, row_number() OVER (ORDER BY violation_at) AS rn FROM leads WHERE status = 'filed' LIMIT $1),
          t AS (SELECT id, rn, reviewed_at + interval '1 day' * (1 + rn % 10) AS filed FROM l)
     INSERT INTO cases (id, case_number, state, type, lead_id, violation_date, filed_at, decided_at, served_at, paid_at,
       closed_at, terminated_at, home_authority_reported_at, updated_at)
     SELECT gen_random_uuid(), 'B' || rn, 'closed', 'vehicle', id, filed::date, filed,
       CASE WHEN rn % 10 > 0 AND rn % 50 <> 7 THEN filed + interval '1 day' * (5 + rn % 40) END,
       CASE WHEN rn % 10 > 1 AND rn % 50 <> 7 THEN filed + interval '1 day' * (6 + rn % 40 + rn % 5) END,
       CASE WHEN rn % 10 > 2 AND rn % 50 <> 7 THEN filed + interval '1 day' * (7 + rn % 40 + rn % 5 + rn % 20) END,
       CASE WHEN rn % 10 > 3 AND rn % 50 <> 7 THEN filed + interval '1 day' * (8 + rn % 40 + rn % 5 + rn % 20 + rn % 7) END,
       CASE WHEN rn % 50 = 7 THEN filed + interval '3 days' END,
       CASE WHEN rn % 10 > 3 AND rn % 50 <> 7 THEN filed + interval '1 day' * (12 + rn % 40 + rn % 5 + rn % 20 + rn % 7) END,
       now()
     FROM t`,
    [scale.cases],
  );
  await step(
    'sub-cases (driver, enterprise)',
    `INSERT INTO cases (id, case_number, state, type, parent_case_id, violation_date, filed_at, decided_at, updated_at)
     SELECT gen_random_uuid(), c.case_number || '-' || t.type, 'decided', t.type::case_type, c.id, c.violation_date,
       c.filed_at + interval '1 day', c.decided_at, now()
     FROM cases c CROSS JOIN (VALUES ('driver'), ('enterprise')) t(type)
     WHERE c.type = 'vehicle' AND hashtext(c.id::text) % 10 = 0`,
  );
  await step(
    'case officers',
    `WITH u AS (SELECT array_agg(id ORDER BY username) AS ids FROM users WHERE username LIKE 'officer%'),
          c AS (SELECT id, row_number() OVER () AS rn FROM cases)
     INSERT INTO case_officers (case_id, user_id)
     SELECT c.id, u.ids[1 + ((c.rn + k) % array_length(u.ids, 1))] FROM c, u, generate_series(0, 1) k`,
  );
  await step(
    'case parties',
    `WITH p AS (SELECT id, row_number() OVER () AS rn FROM parties),
          c AS (SELECT id, type, row_number() OVER () AS rn FROM cases)
     INSERT INTO case_parties (id, case_id, party_id, role)
     SELECT gen_random_uuid(), c.id, p.id,
       (CASE c.type WHEN 'driver' THEN 'driver' WHEN 'enterprise' THEN 'enterprise' ELSE 'owner' END)::case_party_role
     FROM c JOIN p ON p.rn = 1 + (c.rn % (SELECT count(*) FROM parties))`,
  );
  await step(
    'decisions',
    `INSERT INTO decisions (id, case_id, penalty_kinds, fine_amount, basis, decided_at)
     SELECT gen_random_uuid(), id,
       CASE type WHEN 'driver' THEN '{order_stop_transport}' WHEN 'enterprise' THEN '{business_suspension}' ELSE '{fine}' END::penalty_kind[],
       CASE WHEN type = 'vehicle' THEN 500 * (1 + hashtext(id::text) & 15) END, '[]', decided_at
     FROM cases WHERE decided_at IS NOT NULL`,
  );
  await step(
    'payments',
    `INSERT INTO payments (id, case_id, amount, late_fee, receipt_no, paid_at)
     SELECT gen_random_uuid(), c.id, d.fine_amount, CASE WHEN hashtext(c.id::text) % 10 = 0 THEN 30 ELSE 0 END,
       'R-' || c.id, c.paid_at
     FROM cases c JOIN decisions d ON d.case_id = c.id WHERE c.paid_at IS NOT NULL`,
  );
  await step(
    'legal reviews',
    `WITH u AS (SELECT id FROM users ORDER BY username LIMIT 1)
     INSERT INTO legal_reviews (id, case_id, reviewer_id, outcome, reviewed_at)
     SELECT gen_random_uuid(), c.id, u.id, r.outcome::legal_review_outcome, c.decided_at - interval '1 day' * r.days
     FROM cases c, u, (VALUES ('passed', 1), ('returned', 3)) r(outcome, days)
     WHERE c.decided_at IS NOT NULL AND (r.outcome = 'passed' OR hashtext(c.id::text) % 8 = 0)`,
  );
  await step(
    'hearings',
    `INSERT INTO statement_records (id, case_id, kind, received_at, held_at)
     SELECT gen_random_uuid(), c.id, k.kind::statement_kind,
       CASE WHEN k.kind = 'hearing_request' THEN c.filed_at + interval '2 days' END,
       CASE WHEN k.kind = 'hearing' THEN c.filed_at + interval '12 days' END
     FROM cases c CROSS JOIN (VALUES ('hearing_request'), ('hearing')) k(kind)
     WHERE c.decided_at IS NOT NULL AND hashtext(c.id::text) % 25 = 0`,
  );
  await step(
    'deadlines',
    `INSERT INTO deadlines (id, case_id, kind, due_at, status)
     SELECT gen_random_uuid(), c.id, k.kind::deadline_kind, c.filed_at + interval '1 day' * k.days,
       CASE WHEN hashtext(c.id::text || k.kind) % 30 = 0 THEN 'missed' ELSE 'met' END::deadline_status
     FROM cases c CROSS JOIN (VALUES ('decision_due', 90), ('service_due', 50), ('payment_due', 70),
       ('statement_window', 10), ('hearing_request_window', 12)) k(kind, days)`,
  );
  await step(
    'evaluations',
    `INSERT INTO case_evaluations (id, case_id, kind, score, findings, evaluated_at)
     SELECT gen_random_uuid(), c.id, 'precheck'::evaluation_kind, 60 + (hashtext(c.id::text) & 39), '[]'::jsonb, c.closed_at
     FROM cases c WHERE c.closed_at IS NOT NULL
     UNION ALL
     SELECT gen_random_uuid(), c.id, 'review'::evaluation_kind, 55 + (hashtext(c.id::text) & 40), '[]'::jsonb, c.closed_at + interval '20 days'
     FROM cases c WHERE c.closed_at IS NOT NULL AND hashtext(c.id::text) % 20 = 0`,
  );
  await step('analyze', 'ANALYZE');
  await db.query(`CREATE TABLE bench_generated (scale text, detections bigint)`);
  await db.query(`INSERT INTO bench_generated VALUES ($1, $2)`, [scaleName, scale.detections]);
}

/**
 * The cost of a table's statistics triggers to one statement of one row, as the application writes them: 500
 * statements in a server-side loop (no round trip in the measure), with and without the table's triggers, in
 * blocks taking turns (the machine is shared), inside a transaction rolled back — the database is left as it was.
 */
async function triggerCost(
  db: Client,
  label: string,
  table: string,
  targets: string,
  statement: string,
): Promise<void> {
  const block = 500;
  const elapsed = { with: 0, without: 0 };
  await db.query('BEGIN');
  try {
    for (let round = 0; round < 6; round++) {
      for (const mode of ['with', 'without'] as const) {
        await db.query(`ALTER TABLE ${table} ${mode === 'with' ? 'ENABLE' : 'DISABLE'} TRIGGER USER`);
        const t = process.hrtime.bigint();
        const key = `'${mode}-${round}-' || r.n`;
        await db.query(`DO $$ DECLARE r record; BEGIN FOR r IN ${targets.replace('$block', String(block))} LOOP
            ${statement.replaceAll('$key', key)}; END LOOP; END $$`);
        elapsed[mode] += seconds(t);
      }
    }
  } finally {
    await db.query('ROLLBACK');
  }
  const per = (mode: 'with' | 'without') => (elapsed[mode] / (block * 6)) * 1e6;
  log(
    `  ${label} (${block * 6} each, in the server): ${per('with').toFixed(0)} µs with the counting triggers, ` +
      `${per('without').toFixed(0)} µs without (${per('with') - per('without') >= 0 ? '+' : ''}${(per('with') - per('without')).toFixed(0)} µs a statement)`,
  );
}

async function triggerCosts(db: Client): Promise<void> {
  await triggerCost(
    db,
    'one detection inserted a statement',
    'detections',
    'SELECT n FROM generate_series(1, $block) n',
    `INSERT INTO detections (id, station_id, station_detection_id, body_digest, status, plate, detected_at,
      axle_count, gross_mass_kg, axle_loads_kg, raw)
    VALUES (gen_random_uuid(), (SELECT id FROM stations ORDER BY code LIMIT 1), $key, repeat('0', 64),
      'accepted', '湘F00000', now(), 6, 50000, '{}', '{}')`,
  );
  // a lead reviewed (its status, officer and instant change) and a notice delivered: the commonest updates
  await triggerCost(
    db,
    'one lead reviewed a statement',
    'leads',
    `SELECT id, row_number() OVER () AS n FROM leads WHERE status = 'pending_review' LIMIT $block`,
    `UPDATE leads SET status = 'rejected', reviewed_at = now(), review_note = $key WHERE id = r.id`,
  );
  await triggerCost(
    db,
    'one notice delivered a statement',
    'notices',
    `SELECT id, row_number() OVER () AS n FROM notices WHERE status = 'failed' LIMIT $block`,
    `UPDATE notices SET status = 'delivered', delivered_at = now(), template = $key WHERE id = r.id`,
  );
}

async function main() {
  const url = databaseUrl(`ecc_bench_statistics_${scaleName}`);
  log(
    `statistics bench: ${scaleName}, database ${new URL(url).pathname.slice(1)} on ${new URL(TEST_POSTGRES_URL).host}`,
  );
  let db = await open(url);
  const kept = await db
    .query<{ detections: string }>('SELECT detections FROM bench_generated')
    .then((r) => r.rows[0]?.detections)
    .catch(() => undefined);
  if (process.env['BENCH_STATISTICS_FRESH'] === '1' || Number(kept) !== scale.detections) {
    // a fresh database for every generation: a half-generated one from an interrupted run is never reused
    await db.end();
    await dropDatabase(url);
    db = await open(url);
    log(`generating a year: ${JSON.stringify(scale)}`);
    const t = process.hrtime.bigint();
    await generate(db);
    log(`generated in ${seconds(t).toFixed(0)} s`);
  }
  const sizes = await db.query(
    `SELECT relname, n_live_tup::bigint AS n FROM pg_stat_user_tables
     WHERE relname IN ('detections', 'leads', 'notices', 'cases', 'deadlines', 'statistics_detection_counts',
       'statistics_detection_deltas', 'statistics_event_counts', 'statistics_event_deltas',
       'statistics_lead_first_sms') ORDER BY relname`,
  );
  log(`rows: ${sizes.rows.map((r) => `${r.relname} ${r.n}`).join(', ')}`);

  const prisma = createPrismaClient(url);
  const counts = new DetectionCountsRepository(prisma);
  let t = process.hrtime.bigint();
  const folded = await counts.fold();
  log(`fold of the pending deltas: ${folded.deltas} deltas, ${seconds(t).toFixed(2)} s`);

  const repo = new StatisticsRepository(prisma);
  const period: StatisticsPeriod = {
    fromDate: `${YEAR}-01-01`,
    toDate: `${YEAR}-12-31`,
    start: new Date(`${YEAR}-01-01T00:00:00+08:00`),
    end: new Date(`${YEAR + 1}-01-01T00:00:00+08:00`),
    timeZone: 'Asia/Shanghai',
  };
  const bounds = { excellentFrom: 90, goodFrom: 80, qualifiedFrom: 60 };
  const statistics = (group: StatisticsGroup | null, from: CountSource, connections = 2) =>
    repo.collect(period, bounds, from, group, connections).then((answer) => answer.total);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const timed = async (label: string, run: () => Promise<unknown>) => {
    const times: number[] = [];
    const cpus: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const before = await serverCpu(db);
      t = process.hrtime.bigint();
      await run();
      times.push(seconds(t));
      const cpu = cpuBetween(before, await serverCpu(db));
      if (cpu !== null) cpus.push(cpu);
    }
    log(
      `  ${label}: ${median(times).toFixed(2)} s` +
        (cpus.length ? `, database CPU ${median(cpus).toFixed(2)} s` : '') +
        ` (median of ${rounds}; ${times.map((s) => s.toFixed(2)).join(', ')})`,
    );
  };
  log(`GET /statistics for ${YEAR} (every figure, one snapshot):`);
  const year = await statistics(null, 'summary');
  log(
    `  the year: ${year['detections.total']} detections, ${year['leads.formed']} leads, ${year['cases.filed']} cases filed, ` +
      `${year['fines.imposed']} yuan imposed, filing→decision median ${year['durations.filingToDecision.median']} days`,
  );
  const direct = await statistics(null, 'detections', 1);
  const differing = Object.keys(year).filter((key) => year[key] !== direct[key]);
  if (differing.length) throw new Error(`kept and direct figures differ: ${differing.join(', ')}`);
  log('  the kept counts and the rows counted directly give the same figures');
  for (const group of [null, ...STATISTICS_GROUPS]) {
    const label = group ? `by ${group}` : 'total';
    await timed(`${label}, 2 connections`, () => statistics(group, 'summary', 2));
    await timed(`${label}, 1 connection`, () => statistics(group, 'summary', 1));
    await timed(`${label}, from the rows (no kept counts), 1 connection`, () =>
      statistics(group, 'detections', 1),
    );
  }
  for (const group of [null, 'station', 'officer'] as const) {
    const costs = await repo.snapshot(async (tx) => {
      const out: { keys: string; s: number }[] = [];
      for (const source of repo.sources(period, bounds, 'summary')) {
        const start = process.hrtime.bigint();
        const { total } = await repo.run(tx, source, group);
        out.push({ keys: Object.keys(total).slice(0, 2).join(', '), s: seconds(start) });
      }
      return out.sort((a, b) => b.s - a.s).slice(0, 6);
    });
    log(
      `  slowest sources ${group ? `by ${group}` : 'in total'} (1 connection): ` +
        costs.map((c) => `${c.keys} ${c.s.toFixed(2)} s`).join('; '),
    );
  }
  log('cost of the counting triggers:');
  await triggerCosts(db);
  await prisma.$disconnect();
  await db.end();
  log(`kept for the next run: BENCH_STATISTICS_FRESH=1 regenerates it; drop it with DROP DATABASE.`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
