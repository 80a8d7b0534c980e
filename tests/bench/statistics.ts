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
 * (default 3) timings per query, the median reported; BENCH_STATISTICS_ROW_ROUNDS those of the comparison from the rows. BENCH_STATISTICS_SCALE=medium lies between the two (5 million
 * detections, 500,000 leads, 50,000 vehicle cases). BENCH_STATISTICS_DATABASE names the database (default
 * ecc_bench_statistics_<scale>); BENCH_STATISTICS_RECOUNT=1 first times a recount of the kept case figures (what
 * their migration does on a deployed database).
 *
 * The case figures are read from their kept counts (the answer of GET /statistics); "case rows" is the same
 * request with the case figures computed from the case rows as before they were kept (the other figures still
 * kept) — the comparison before/after in the same run.
 */
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { createDatabase, createPrismaClient, dropDatabase, migrate } from '@ecc/shared-data';
import {
  DetectionCountsRepository,
  FIGURES,
  keptCaseJobs,
  StatisticsRepository,
  STATISTICS_GROUPS,
  type CaseCountSource,
  type CountSource,
  type StatisticsGroup,
  type StatisticsPeriod,
} from '@ecc/statistics-data';
import { TEST_POSTGRES_URL, databaseUrl } from '../support/environment';
import { generateYear, YEAR } from './province-year';

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
/** Rounds of the comparison from the rows (tens of seconds each at the province's scale); default: `rounds`. */
const rowRounds = Number(process.env['BENCH_STATISTICS_ROW_ROUNDS'] ?? rounds);

/**
 * This run's connections name themselves: the CPU counted is theirs only, not that of another session on the same
 * database (another run's, say).
 */
const APPLICATION = `ecc-bench-statistics-${process.pid}`;

async function open(url: string): Promise<Client> {
  await createDatabase(url);
  const t = process.hrtime.bigint();
  const { applied } = await migrate(url);
  if (applied.length) log(`migrated (${applied.join(', ')}) in ${seconds(t).toFixed(1)} s`);
  const db = new Client({ connectionString: url, application_name: APPLICATION });
  await db.connect();
  return db;
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const log = (line: string) => console.log(line);

/**
 * The CPU seconds (user and system) this run's server processes of the bench database have used so far, by
 * process: read from /proc when the server runs on this machine (null otherwise). The machine is shared, so the
 * elapsed time of a query depends on the others' load; the CPU it took does much less.
 */
async function serverCpu(db: Client): Promise<Map<number, number> | null> {
  const { rows } = await db.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
    [APPLICATION],
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
  // the station of a fence: its lead's, kept when it is deployed; a lift changes no lead and returns at once
  await triggerCost(
    db,
    'one fence deployed a statement',
    'fences',
    `SELECT id, plate, row_number() OVER () AS n FROM leads LIMIT $block`,
    `INSERT INTO fences (id, plate, lead_id, status, reason, created_at)
     VALUES (gen_random_uuid(), r.plate, r.id, 'active', $key, now())`,
  );
  await triggerCost(
    db,
    'one fence lifted a statement',
    'fences',
    `SELECT id, row_number() OVER () AS n FROM fences LIMIT $block`,
    `UPDATE fences SET status = 'lifted', lifted_at = now(), lift_reason = $key WHERE id = r.id`,
  );
  // the kept case figures: each of these re-derives one case (its recorded contributions out, the new ones in)
  await triggerCost(
    db,
    'one payment inserted a statement',
    'payments',
    `SELECT c.id, row_number() OVER () AS n FROM cases c JOIN decisions d ON d.case_id = c.id
     WHERE d.fine_amount IS NOT NULL LIMIT $block`,
    `INSERT INTO payments (id, case_id, amount, late_fee, receipt_no, paid_at)
     VALUES (gen_random_uuid(), r.id, 100, 0, 'B-' || $key, now())`,
  );
  await triggerCost(
    db,
    'one case closed a statement',
    'cases',
    `SELECT id, row_number() OVER () AS n FROM cases WHERE closed_at IS NULL AND filed_at IS NOT NULL LIMIT $block`,
    `UPDATE cases SET state = 'closed', closed_at = now(), facts = $key WHERE id = r.id`,
  );
  await triggerCost(
    db,
    'one deadline met a statement',
    'deadlines',
    `SELECT id, row_number() OVER () AS n FROM deadlines WHERE status <> 'met' AND case_id IS NOT NULL LIMIT $block`,
    `UPDATE deadlines SET status = 'met', stopped_at = now(), stopped_by = $key WHERE id = r.id`,
  );
  await triggerCost(
    db,
    'one officer of a case replaced a statement',
    'case_officers',
    `SELECT DISTINCT ON (co.case_id) co.case_id, co.user_id, u.id AS other, row_number() OVER () AS n FROM case_officers co
     JOIN LATERAL (SELECT id FROM users WHERE id <> co.user_id AND NOT EXISTS (SELECT 1 FROM case_officers x
       WHERE x.case_id = co.case_id AND x.user_id = users.id) LIMIT 1) u ON TRUE LIMIT $block`,
    `UPDATE case_officers SET user_id = r.other, is_lead = ($key IS NULL) WHERE case_id = r.case_id AND user_id = r.user_id`,
  );
}

async function main() {
  const url = databaseUrl(process.env['BENCH_STATISTICS_DATABASE'] ?? `ecc_bench_statistics_${scaleName}`);
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
    await generateYear(db, scale, scaleName, log);
    log(`generated in ${seconds(t).toFixed(0)} s`);
  }
  const sizes = await db.query(
    `SELECT relname, n_live_tup::bigint AS n FROM pg_stat_user_tables
     WHERE relname IN ('detections', 'leads', 'notices', 'cases', 'deadlines', 'statistics_detection_counts',
       'statistics_detection_deltas', 'statistics_event_counts', 'statistics_event_deltas',
       'statistics_lead_first_sms', 'statistics_alert_stations', 'interception_alerts', 'fences',
       'statistics_fence_stations', 'statistics_case_counts',
       'statistics_case_deltas', 'statistics_case_contributions') ORDER BY relname`,
  );
  log(`rows: ${sizes.rows.map((r) => `${r.relname} ${r.n}`).join(', ')}`);

  if (process.env['BENCH_STATISTICS_RECOUNT'] === '1') {
    // what the migration of the kept case figures does on a deployed database: recount them from the rows
    const start = process.hrtime.bigint();
    const { rows } = await db.query<{ kept: string }>('SELECT statistics_recount_cases() AS kept');
    log(
      `recount of the kept case figures (as their migration does): ${rows[0]?.kept} monthly rows, ${seconds(start).toFixed(1)} s`,
    );
  }
  const prisma = createPrismaClient(url, { applicationName: APPLICATION });
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
  const statistics = (
    group: StatisticsGroup | null,
    from: CountSource,
    connections = 2,
    cases: CaseCountSource = from === 'summary' ? 'kept' : 'rows',
  ) => repo.collect(period, bounds, from, group, connections, cases).then((answer) => answer.total);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const timed = async (label: string, run: () => Promise<unknown>, count = rounds) => {
    const times: number[] = [];
    const cpus: number[] = [];
    for (let i = 0; i < count; i++) {
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
        ` (median of ${count}; ${times.map((s) => s.toFixed(2)).join(', ')})`,
    );
  };
  log(`GET /statistics for ${YEAR} (every figure, one snapshot):`);
  const year = await statistics(null, 'summary');
  log(
    `  the year: ${year['detections.total']} detections, ${year['leads.formed']} leads, ${year['cases.filed']} cases filed, ` +
      `${year['fines.imposed']} yuan imposed, filing→decision median ${year['durations.filingToDecision.median']} days`,
  );
  const direct = await statistics(null, 'detections', 1);
  // the medians and 90th percentiles of the kept histograms are within a tenth of a day of the exact ones
  const days = new Set(FIGURES.filter((f) => f.unit === 'days').map((f) => f.key));
  const differing = Object.keys(year).filter((key) =>
    days.has(key) && typeof year[key] === 'number' && typeof direct[key] === 'number'
      ? Math.abs(year[key] - direct[key]) > 0.1 + 1e-9
      : year[key] !== direct[key],
  );
  if (differing.length) throw new Error(`kept and direct figures differ: ${differing.join(', ')}`);
  const moved = Object.keys(year).filter((key) => year[key] !== direct[key]);
  log(
    '  the kept counts and the rows counted directly give the same figures' +
      (moved.length
        ? ` (percentiles within a tenth of a day: ${moved.map((k) => `${k} ${year[k]} / ${direct[k]}`).join(', ')})`
        : ''),
  );
  for (const group of [null, ...STATISTICS_GROUPS]) {
    const label = group ? `by ${group}` : 'total';
    await timed(`${label}, 2 connections`, () => statistics(group, 'summary', 2));
    await timed(`${label}, 1 connection`, () => statistics(group, 'summary', 1));
    await timed(`${label}, case rows (case figures not kept), 2 connections`, () =>
      statistics(group, 'summary', 2, 'rows'),
    );
    await timed(`${label}, case rows (case figures not kept), 1 connection`, () =>
      statistics(group, 'summary', 1, 'rows'),
    );
    await timed(
      `${label}, from the rows (no kept counts), 1 connection`,
      () => statistics(group, 'detections', 1),
      rowRounds,
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
      for (const job of keptCaseJobs(period, bounds, group)) {
        const start = process.hrtime.bigint();
        const { total } = await job(tx);
        out.push({ keys: `kept ${Object.keys(total).slice(0, 2).join(', ')}`, s: seconds(start) });
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
