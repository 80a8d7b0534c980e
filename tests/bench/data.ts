/**
 * `npm run bench:data`: does a staff query's cost grow with the data? For each size, a province-year generated in
 * SQL (`province-year.ts`: detections, a tenth as many leads, a hundredth as many vehicle cases with sub-cases and
 * records) plus its audit trail (two events a detection, ten a case) in a database of its own
 * (`ecc_bench_data_<detections>`, kept for the next run; `BENCH_DATA_FRESH=1` regenerates it), then the real API
 * on it, and the queries staff make timed over HTTP (median of `BENCH_DATA_ROUNDS`, default 5, after one
 * warm-up). An index or a partition answers in the same time at every size; a scan grows with the table.
 * Then the audit chain's own rates: sealing and full verification of `BENCH_DATA_CHAIN_EVENTS` (default 200,000)
 * events in a scratch database, as the worker does them.
 *
 * BENCH_DATA_SIZES: detections per size, comma-separated (default 1000000,10000000; the 10 M generation takes
 * about half an hour on a 2-core machine).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import S3rver from 's3rver';
import {
  AuditChainRepository,
  AuditPartitionsRepository,
  monthPartitions,
  recordAudits,
} from '@ecc/audit-data';
import { systemActor } from '@ecc/identity-domain';
import { INITIAL_VERIFY_STATE, verifyChain } from '@ecc/audit-domain';
import {
  createDatabase,
  createPrismaClient,
  DETECTIONS_BY_MONTH,
  dropDatabase,
  migrate,
  monthPartitions as monthPartitionsOf,
  MonthlyPartitionsRepository,
} from '@ecc/shared-data';
import { TEST_POSTGRES_URL, TEST_REDIS_URL, databaseUrl } from '../support/environment';
import {
  ADMIN,
  call,
  freePort,
  passwordFor,
  spawnApp,
  stopProcess,
  tokenFor,
  waitUntilReady,
  type TestApi,
} from '../support/test-app';
import { generateYear, YEAR, type YearScale } from './province-year';

const sizes = (process.env['BENCH_DATA_SIZES'] ?? '1000000,10000000').split(',').map(Number);
const rounds = Number(process.env['BENCH_DATA_ROUNDS'] ?? 5);
const chainEvents = Number(process.env['BENCH_DATA_CHAIN_EVENTS'] ?? 200_000);
const log = (line: string) => console.log(line);
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const scaleOf = (detections: number): YearScale => ({
  detections,
  leads: Math.round(detections / 10),
  cases: Math.round(detections / 100),
  stations: 60,
  officers: 60,
});

/** The generated year, its audit trail in monthly partitions, kept between runs. */
async function prepare(detections: number): Promise<string> {
  const url = databaseUrl(`ecc_bench_data_${detections}`);
  const kept = await withDatabase(url, (db) =>
    db
      .query<{ detections: string }>('SELECT detections FROM bench_generated')
      .then((r) => Number(r.rows[0]?.detections))
      .catch(() => null),
  ).catch(() => null);
  if (kept === detections && process.env['BENCH_DATA_FRESH'] !== '1') {
    await migrate(url); // a kept year gets the migrations added since it was generated
    return url;
  }
  await dropDatabase(url);
  await createDatabase(url);
  await migrate(url);
  const prisma = createPrismaClient(url, { poolSize: 1 });
  try {
    // The months of the year and after, so that its events and detections sit in their months (not the default
    // partitions).
    await new AuditPartitionsRepository(prisma).ensure(
      monthPartitions(new Date(`${YEAR}-01-01T00:00:00Z`), 24),
    );
    await new MonthlyPartitionsRepository(prisma, DETECTIONS_BY_MONTH).ensure(
      monthPartitionsOf('detections', new Date(`${YEAR}-01-01T00:00:00Z`), 24),
    );
  } finally {
    await prisma.$disconnect();
  }
  log(`generating ${JSON.stringify(scaleOf(detections))}`);
  const t = process.hrtime.bigint();
  await withDatabase(url, async (db) => {
    await generateYear(db, scaleOf(detections), `data-${detections}`, log);
    const step = async (label: string, sql: string) => {
      const s = process.hrtime.bigint();
      const result = await db.query(sql);
      log(`  ${label}: ${result.rowCount ?? 0} rows, ${seconds(s).toFixed(1)} s`);
    };
    await db.query('DELETE FROM bench_generated'); // complete only with the audit trail below
    await step(
      'audit events of detections (received, screened)',
      `INSERT INTO audit_events (occurred_at, actor_kind, action, entity_type, entity_id, digest, payload)
       SELECT d.detected_at + a.lag, a.actor::actor_kind, a.action, 'detection', d.id::text, repeat('0', 64),
         jsonb_build_object('plate', d.plate, 'grossMassKg', d.gross_mass_kg)
       FROM detections d CROSS JOIN (VALUES ('detection.received', 'station', interval '0'),
         ('detection.screened', 'system', interval '1 second')) a(action, actor, lag)`,
    );
    // The enterprises of the enterprise sub-cases in the registry (GET /penalties/answerable finds them there).
    await step(
      'enterprises',
      `INSERT INTO road_transport_enterprises (id, party_id, licence_no, fleet_size, updated_at)
       SELECT gen_random_uuid(), p.party_id, 'L-' || p.party_id, 20, now()
       FROM (SELECT DISTINCT party_id FROM case_parties WHERE role = 'enterprise') p`,
    );
    await step(
      'audit events of cases (ten each)',
      `WITH u AS (SELECT array_agg(id ORDER BY username) AS ids FROM users WHERE username LIKE 'officer%')
       INSERT INTO audit_events (occurred_at, actor_id, actor_kind, action, entity_type, entity_id, digest, payload)
       SELECT c.filed_at + k * interval '1 day', u.ids[1 + (k % array_length(u.ids, 1))], 'user', 'case.' || k,
         'case', c.id::text, repeat('0', 64), jsonb_build_object('step', k)
       FROM cases c, u, generate_series(1, 10) k`,
    );
    await step('analyze', 'ANALYZE');
    await db.query(`INSERT INTO bench_generated VALUES ($1, $2)`, [`data-${detections}`, detections]);
  });
  log(`generated in ${seconds(t).toFixed(0)} s`);
  return url;
}

async function withDatabase<T>(url: string, work: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

async function userToken(api: TestApi, admin: string, username: string, roles: string[]): Promise<string> {
  const created = await call(api, 'POST', '/api/v1/users', {
    token: admin,
    body: {
      username,
      password: passwordFor(username),
      displayName: username,
      roles,
      ...(roles.includes('officer') ? { enforcementCertificateNo: 'HN-B-0001' } : {}),
    },
  });
  if (created.status !== 201 && created.status !== 409)
    throw new Error(`user ${username}: ${JSON.stringify(created.body)}`);
  return tokenFor(api, username, passwordFor(username));
}

interface QueryResult {
  query: string;
  path: string;
  status: number;
  medianMs: number;
  timesMs: number[];
}

/** The API on the generated database; the staff queries timed over HTTP. */
async function timeQueries(url: string, s3Endpoint: string): Promise<QueryResult[]> {
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    DATABASE_URL: url,
    MIGRATE_ON_START: 'false',
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `ecc-bench-data-${randomBytes(3).toString('hex')}`,
    S3_ENDPOINT: s3Endpoint,
    EVIDENCE_BUCKET: 'bench-data',
    JWT_SECRET: randomBytes(32).toString('hex'),
    SECRETS_KEY: randomBytes(32).toString('hex'),
    AUDIT_SIGNING_KEY: randomBytes(32).toString('hex'),
    BOOTSTRAP_ADMIN_USERNAME: ADMIN.username,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
  };
  const apiUrl = `http://127.0.0.1:${env['PORT']}`;
  const { child, output } = spawnApp('api', env);
  try {
    await waitUntilReady(apiUrl, child, output, 120_000);
    const db = new Client({ connectionString: url });
    await db.connect();
    const api: TestApi = { env, url: apiUrl, db, output, close: async () => undefined };
    try {
      const admin = await tokenFor(api, ADMIN.username, ADMIN.password);
      const officer = await userToken(api, admin, 'bench.officer', ['officer']);
      const auditor = await userToken(api, admin, 'bench.auditor', ['auditor']);
      const one = async (sql: string) => Object.values((await db.query(sql)).rows[0] ?? {})[0] as string;
      const leadId = await one(
        `SELECT id FROM leads WHERE status = 'notified' ORDER BY violation_at LIMIT 1 OFFSET 100`,
      );
      const caseId = await one(
        `SELECT c.id FROM cases c WHERE c.type = 'vehicle' AND c.closed_at IS NOT NULL
           AND EXISTS (SELECT 1 FROM cases s WHERE s.parent_case_id = c.id) ORDER BY c.case_number LIMIT 1`,
      );
      const officerId = await one(`SELECT user_id FROM case_officers WHERE case_id = '${caseId}' LIMIT 1`);
      const enterprise = await one(
        `SELECT party_id FROM case_parties WHERE role = 'enterprise' ORDER BY party_id LIMIT 1`,
      );
      const plate = await one(`SELECT plate FROM leads ORDER BY plate LIMIT 1 OFFSET 100`);
      const june = { from: `${YEAR}-06-01T00:00:00+08:00`, to: `${YEAR}-07-01T00:00:00+08:00` };
      const queries: [string, string, string][] = [
        ['leads, newest 50', '/api/v1/leads?limit=50', officer],
        ['leads to review, newest 50', '/api/v1/leads?status=pending_review&limit=50', officer],
        [
          'leads of a station in a month',
          `/api/v1/leads?station=ST-7&from=${encodeURIComponent(june.from)}&to=${encodeURIComponent(june.to)}&limit=50`,
          officer,
        ],
        ['leads of a plate', `/api/v1/leads?plate=${encodeURIComponent(plate)}&limit=50`, officer],
        ['cases closed, newest 50', '/api/v1/cases?state=closed&limit=50', officer],
        ["an officer's cases", `/api/v1/cases?officerId=${officerId}&limit=50`, officer],
        // (A case's own page needs its workflow state, which the generated cases do not have.)
        ['a lead', `/api/v1/leads/${leadId}`, officer],
        ["a case's trace", `/api/v1/cases/${caseId}/trace`, officer],
        ["a case's four penalties", `/api/v1/cases/${caseId}/four-penalties`, officer],
        [
          'answerable parties of an enterprise, a year',
          `/api/v1/penalties/answerable?enterprise=${enterprise}&from=${YEAR}-01-01&to=${YEAR}-12-31`,
          officer,
        ],
        ['statistics of a month', `/api/v1/statistics?from=${YEAR}-06-01&to=${YEAR}-06-30`, officer],
        ['audit events of a case', `/api/v1/audit/events?entity=case:${caseId}`, auditor],
        [
          'audit events of a month, newest 50',
          `/api/v1/audit/events?from=${encodeURIComponent(june.from)}&to=${encodeURIComponent(june.to)}&limit=50`,
          auditor,
        ],
      ];
      const results: QueryResult[] = [];
      for (const [query, path, token] of queries) {
        await call(api, 'GET', path, { token }); // warm-up
        const times: number[] = [];
        let status = 0;
        for (let i = 0; i < rounds; i++) {
          const t = process.hrtime.bigint();
          status = (await call(api, 'GET', path, { token })).status;
          times.push(seconds(t) * 1000);
        }
        results.push({ query, path, status, medianMs: median(times), timesMs: times });
        log(`  ${query}: ${median(times).toFixed(1)} ms (HTTP ${status})`);
      }
      return results;
    } finally {
      await db.end();
    }
  } finally {
    await stopProcess(child);
    await dropKeys(`${env['QUEUE_PREFIX']}:*`);
  }
}

/**
 * The statements that reach `detections`, as intake, screening, the fences and the gauges send them, timed in the
 * database (`EXPLAIN ANALYZE`, median of the rounds' execution times) with what their plan reads: which indexes,
 * and how many partitions were probed (an index probe of each month is not a scan, but grows with the months).
 */
async function timeDetectionQueries(url: string): Promise<QueryResult[]> {
  return withDatabase(url, async (db) => {
    const one = async (sql: string) => (await db.query(sql)).rows[0] as Record<string, string>;
    const key = await one(
      `SELECT station_id, station_detection_id, detection_id FROM detection_keys
        ORDER BY station_detection_id LIMIT 1 OFFSET 1000`,
    );
    const plate = (await one(`SELECT plate FROM leads ORDER BY plate LIMIT 1 OFFSET 100`))['plate'];
    const station = (await one(`SELECT id FROM stations WHERE code = 'ST-7'`))['id'];
    const queries: [string, string][] = [
      [
        'intake: the idempotency key',
        `SELECT d.id, d.body_digest FROM detection_keys k JOIN detections d ON d.id = k.detection_id
          WHERE k.station_id = '${key['station_id']}' AND k.station_detection_id = '${key['station_detection_id']}'`,
      ],
      [
        'screening: detections by id, locked',
        `SELECT id, status FROM detections WHERE id = ANY(ARRAY['${key['detection_id']}']::uuid[]) ORDER BY id FOR UPDATE`,
      ],
      [
        "fences: a plate's detections received in 15 minutes",
        `SELECT id FROM detections WHERE plate = '${plate}'
          AND received_at >= '${YEAR}-06-10T00:00:00Z' AND received_at < '${YEAR}-06-10T00:15:00Z'`,
      ],
      [
        "a plate's detections in a month (trips)",
        `SELECT id, detected_at FROM detections WHERE plate = '${plate}'
          AND detected_at >= '${YEAR}-06-01T00:00:00+08' AND detected_at < '${YEAR}-07-01T00:00:00+08'`,
      ],
      [
        "a station's detections of a day, newest 50",
        `SELECT id FROM detections WHERE station_id = '${station}'
          AND detected_at >= '${YEAR}-06-10T00:00:00+08' AND detected_at < '${YEAR}-06-11T00:00:00+08'
          ORDER BY detected_at DESC LIMIT 50`,
      ],
      [
        'gauges: unscreened detections',
        `SELECT count(*), min(received_at) FROM detections WHERE status = 'accepted'`,
      ],
      [
        'statistics: kept detection counts of a month',
        `SELECT outcome, sum(detections) FROM statistics_detection_counts
          WHERE day >= '${YEAR}-06-01' AND day < '${YEAR}-07-01' GROUP BY outcome`,
      ],
    ];
    const results: QueryResult[] = [];
    for (const [query, sql] of queries) {
      const times: number[] = [];
      let plan = '';
      for (let i = 0; i <= rounds; i++) {
        await db.query('BEGIN'); // FOR UPDATE takes its locks inside, and gives them back
        const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, FORMAT TEXT) ${sql}`);
        await db.query('ROLLBACK');
        const text = rows.map((r) => r['QUERY PLAN']).join('\n');
        const ms = Number(/Execution Time: ([\d.]+) ms/.exec(text)?.[1]);
        if (i > 0) times.push(ms); // the first is the warm-up
        plan = text;
      }
      const indexes = [
        ...new Set(
          [...plan.matchAll(/using (\w+)/gi)].map((m) => m[1]!.replace(/^detections_\d{4}_\d{2}_/, '…_')),
        ),
      ];
      // Partitions read (an Append's subplans pruned at run time are listed as "never executed").
      const partitions = new Set(
        plan
          .split('\n')
          .filter((line) => !line.includes('never executed'))
          .map((line) => / on (detections_\w+)/.exec(line)?.[1])
          .filter(Boolean),
      ).size;
      // A sequential scan of an empty partition (a month ahead) reads nothing; one of a partition with pages would.
      const seqScanned = [...plan.matchAll(/Seq Scan on (detections\w*)/g)].map((m) => m[1]!);
      const { rows: full } = await db.query<{ relname: string }>(
        `SELECT relname FROM pg_class WHERE relname = ANY($1::text[]) AND relpages > 0`,
        [seqScanned],
      );
      const scans = full.length > 0 ? ` SEQ SCAN of ${full.map((r) => r.relname).join(', ')}` : '';
      const how = `${partitions} partitions; ${indexes.slice(0, 3).join(', ')}${scans}`;
      results.push({ query, path: how, status: 200, medianMs: median(times), timesMs: times });
      log(`  ${query}: ${median(times).toFixed(2)} ms in the database (${how})`);
    }
    return results;
  });
}

/** The API's Redis keys (queue metadata), removed after the run. */
async function dropKeys(pattern: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Sealing and full verification of a chain of `n` events, as the worker's sealer and verifier run them. */
async function chainRates(
  n: number,
): Promise<{ events: number; sealPerSecond: number; verifyPerSecond: number }> {
  const url = databaseUrl(`ecc_bench_data_chain_${randomBytes(3).toString('hex')}`);
  await createDatabase(url);
  try {
    await migrate(url);
    const prisma = createPrismaClient(url, { poolSize: 2 });
    try {
      // Events as writers record them (the digest of each payload), 10,000 a transaction.
      const actor = systemActor('bench');
      for (let i = 0; i < n; i += 10_000) {
        const entries = Array.from({ length: Math.min(10_000, n - i) }, (_, k) => ({
          actor,
          action: 'detection.screened',
          entityType: 'detection',
          entityId: String(i + k),
          changes: { outcome: 'no_violation', rules: ['gross.excess', 'device.calibration'], n: i + k },
        }));
        await prisma.$transaction((tx) => recordAudits(tx, entries), { timeout: 120_000 });
      }
      const chain = new AuditChainRepository(prisma);
      let t = process.hrtime.bigint();
      while (((await chain.sealBatch(2000)) ?? 0) > 0);
      const sealPerSecond = n / seconds(t);
      t = process.hrtime.bigint();
      let state = INITIAL_VERIFY_STATE;
      for (;;) {
        const events = await chain.sealedAfter(state.head.chainSeq, 5000);
        if (events.length === 0) break;
        const result = verifyChain(events, state);
        if (result.break) throw new Error(`the bench chain is broken at ${result.break.chainSeq}`);
        state = result.state;
      }
      return { events: n, sealPerSecond, verifyPerSecond: n / seconds(t) };
    } finally {
      await prisma.$disconnect();
    }
  } finally {
    await dropDatabase(url);
  }
}

async function main() {
  log(`data-growth bench: sizes ${sizes.join(', ')} on ${new URL(TEST_POSTGRES_URL).host}`);
  const s3dir = mkdtempSync(join(tmpdir(), 'ecc-bench-data-s3-'));
  const s3 = new S3rver({ address: '127.0.0.1', port: 0, directory: s3dir, silent: true });
  const { port } = await s3.run();
  const bySize: Record<number, QueryResult[]> = {};
  try {
    for (const size of sizes) {
      const url = await prepare(size);
      const rows = await withDatabase(
        url,
        async (db) =>
          (
            await db.query<{ relname: string; n: string }>(
              `SELECT relname, reltuples::bigint AS n FROM pg_class
              WHERE relname IN ('leads', 'cases', 'audit_events_default') OR relname LIKE 'audit_events_20%'
                AND relkind = 'r' ORDER BY relname`,
            )
          ).rows,
      );
      const detectionsStored = await withDatabase(url, async (db) =>
        Number((await db.query(`SELECT count(*) AS n FROM detection_keys`)).rows[0].n),
      );
      const audit = rows
        .filter((r) => r.relname.startsWith('audit_events'))
        .reduce((a, r) => a + Number(r.n), 0);
      log(
        `${size} detections (${detectionsStored} stored): ${rows
          .filter((r) => !r.relname.startsWith('audit_events'))
          .map((r) => `${r.relname} ${r.n}`)
          .join(', ')}, audit_events ${audit}`,
      );
      bySize[size] = [
        ...(await timeQueries(url, `http://127.0.0.1:${port}`)),
        ...(await timeDetectionQueries(url)),
      ];
    }
  } finally {
    await s3.close();
    rmSync(s3dir, { recursive: true, force: true });
  }
  log(`audit chain, ${chainEvents} events in a scratch database:`);
  const chain = await chainRates(chainEvents);
  log(
    `  sealing ${chain.sealPerSecond.toFixed(0)} events/s, full verification ${chain.verifyPerSecond.toFixed(0)} events/s`,
  );

  log('');
  log(
    `| query | ${sizes.map((s) => `${(s / 1e6).toLocaleString('en')} M detections`).join(' | ')} | ratio |`,
  );
  log(`| --- | ${sizes.map(() => '---').join(' | ')} | --- |`);
  for (const [i, first] of bySize[sizes[0]!]!.entries()) {
    const cells = sizes.map((s) => {
      const r = bySize[s]![i]!;
      return `${r.medianMs.toFixed(1)} ms${r.status === 200 ? '' : ` (HTTP ${r.status})`}`;
    });
    const last = bySize[sizes[sizes.length - 1]!]![i]!;
    log(
      `| ${first.query} | ${cells.join(' | ')} | ${(last.medianMs / first.medianMs).toFixed(2)} |${first.path.startsWith('/') ? '' : ` ${last.path} |`}`,
    );
  }
  const dir = resolve(__dirname, '../../bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `data-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify({ sizes, rounds, bySize, chain, at: new Date().toISOString() }, null, 2),
  );
  log(`results: ${file}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
