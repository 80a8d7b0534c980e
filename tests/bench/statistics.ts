/**
 * `npm run bench:statistics`: a year of a county's or a province's data generated in SQL, then the statistics of
 * that year timed as GET /statistics computes them (every figure, in one snapshot), in total and by month,
 * station, case type and officer; and, for comparison, with the detections counted directly instead of the kept
 * counts. Also the cost of the counting triggers to intake: detections inserted with and without them.
 *
 * BENCH_STATISTICS_SCALE=province (default) | county; BENCH_STATISTICS_DETECTIONS=<n> overrides the scale's
 * detections; BENCH_STATISTICS_FRESH=1 regenerates a database kept from an earlier run; BENCH_STATISTICS_ROUNDS
 * (default 3) timings per query, the median reported.
 */
import { Client } from 'pg';
import { createDatabase, createPrismaClient, dropDatabase, migrate } from '@ecc/shared-data';
import {
  DetectionCountsRepository,
  StatisticsRepository,
  STATISTICS_GROUPS,
  type StatisticsGroup,
  type StatisticsPeriod,
} from '@ecc/statistics-data';
import { TEST_POSTGRES_URL, databaseUrl } from '../support/environment';
import { generateYear, YEAR } from './province-year';

const SCALES = {
  county: { detections: 2_000_000, leads: 200_000, cases: 20_000, stations: 12, officers: 12 },
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

async function open(url: string): Promise<Client> {
  await createDatabase(url);
  await migrate(url);
  const db = new Client({ connectionString: url });
  await db.connect();
  return db;
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const log = (line: string) => console.log(line);

async function triggerCost(db: Client): Promise<void> {
  // One detection a statement, as intake writes them, 500 statements in a server-side loop (no round trip in the
  // measure): with and without the counting triggers, in blocks taking turns (the machine is shared), inside a
  // transaction rolled back — the bench database is left as it was.
  const block = 500;
  const loop = (label: string) => `DO $$ BEGIN FOR i IN 1..${block} LOOP
      INSERT INTO detections (id, station_id, station_detection_id, body_digest, status, plate, detected_at,
        axle_count, gross_mass_kg, axle_loads_kg, raw)
      VALUES (gen_random_uuid(), (SELECT id FROM stations ORDER BY code LIMIT 1), '${label}-' || i, repeat('0', 64),
        'accepted', '湘F00000', now(), 6, 50000, '{}', '{}');
    END LOOP; END $$`;
  const elapsed = { with: 0, without: 0 };
  await db.query('BEGIN');
  try {
    for (let round = 0; round < 6; round++) {
      for (const mode of ['with', 'without'] as const) {
        await db.query(`ALTER TABLE detections ${mode === 'with' ? 'ENABLE' : 'DISABLE'} TRIGGER USER`);
        const t = process.hrtime.bigint();
        await db.query(loop(`bench-${mode}-${round}`));
        elapsed[mode] += seconds(t);
      }
    }
  } finally {
    await db.query('ROLLBACK');
  }
  const perInsert = (mode: 'with' | 'without') => (elapsed[mode] / (block * 6)) * 1e6;
  log(
    `  one detection a statement (${block * 6} each, in the server): ${perInsert('with').toFixed(0)} µs with the ` +
      `counting triggers, ${perInsert('without').toFixed(0)} µs without ` +
      `(+${(perInsert('with') - perInsert('without')).toFixed(0)} µs an insert)`,
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
    await generateYear(db, scale, scaleName, log);
    log(`generated in ${seconds(t).toFixed(0)} s`);
  }
  const sizes = await db.query(
    `SELECT relname, n_live_tup::bigint AS n FROM pg_stat_user_tables
     WHERE relname IN ('detections', 'leads', 'notices', 'cases', 'deadlines', 'statistics_detection_counts',
       'statistics_detection_deltas') ORDER BY relname`,
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
  const statistics = (group: StatisticsGroup | null, from: 'summary' | 'detections') =>
    repo.snapshot(async (tx) => {
      const total: Record<string, number | null> = {};
      for (const source of repo.sources(period, bounds, from)) {
        Object.assign(total, (await repo.run(tx, source, group)).total);
      }
      await repo.rejectionReasons(tx, period);
      return total;
    });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const timed = async (label: string, run: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      t = process.hrtime.bigint();
      await run();
      times.push(seconds(t));
    }
    log(
      `  ${label}: ${median(times).toFixed(2)} s (median of ${rounds}; ${times.map((s) => s.toFixed(2)).join(', ')})`,
    );
  };
  log(`GET /statistics for ${YEAR} (every figure, one snapshot):`);
  const year = await statistics(null, 'summary');
  log(
    `  the year: ${year['detections.total']} detections, ${year['leads.formed']} leads, ${year['cases.filed']} cases filed, ` +
      `${year['fines.imposed']} yuan imposed, filing→decision median ${year['durations.filingToDecision.median']} days`,
  );
  await timed('total', () => statistics(null, 'summary'));
  for (const group of STATISTICS_GROUPS) await timed(`by ${group}`, () => statistics(group, 'summary'));
  await timed('total, detections counted directly (no kept counts)', () => statistics(null, 'detections'));
  log('intake cost of the counting triggers:');
  await triggerCost(db);
  await prisma.$disconnect();
  await db.end();
  log(`kept for the next run: BENCH_STATISTICS_FRESH=1 regenerates it; drop it with DROP DATABASE.`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
