import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { createDatabase, migrate } from '@ecc/shared-data';
import { registerStationWithDevice } from '../support/station-client';
import {
  ADMIN,
  freePort,
  spawnApp,
  stopProcess,
  tokenFor,
  waitUntilReady,
  type TestApi,
} from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { PostgresCluster, RedisServer, S3Server, type FaultableServer } from './support/servers';
import { ReadinessWatch, StationLoad, type Probe } from './support/station-load';

/**
 * The fault suite (`npm run test:faults`): the real API and worker over a Postgres cluster, a Redis and an S3
 * server of its own, under a steady signed load of a station; each dependency and each app is restarted, killed
 * and (the stores) frozen longer than the timeouts, one after another. For every fault: each 2xx detection is
 * screened exactly once, every other answer is a 4xx or 503 problem, no request stays open longer than the
 * request timeout (plus a margin), readiness answers within 2 s, and the system recovers by itself. The figures
 * are printed and written to fault-results/ (docs/faults.md quotes a run).
 */
const REQUEST_TIMEOUT_MS = 5000;
/** What a loaded two-core machine may add to an answer beyond the request timeout. */
const MARGIN_MS = 2000;
const RATE_PER_SECOND = Number(process.env['FAULTS_RATE'] ?? 20);
/** How long a frozen store stays frozen: longer than the request timeout and the dependencies' timeouts. */
const FREEZE_MS = 8000;
const SETTINGS = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  HOST: '127.0.0.1',
  DATABASE_POOL_SIZE: '8',
  DATABASE_CONNECT_TIMEOUT_MS: '1500',
  DATABASE_STATEMENT_TIMEOUT_MS: '2000',
  S3_TIMEOUT_MS: '2000',
  HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
  HTTP_RETRY_AFTER_SECONDS: '1',
  OUTBOX_SWEEP_INTERVAL_MS: '1000',
  OUTBOX_STALE_AFTER_MS: '3000',
  MIGRATE_ON_START: 'false',
  QUEUE_PREFIX: 'ecc-faults',
  EVIDENCE_BUCKET: 'faults-evidence',
  JWT_SECRET: 'fault-suite-jwt-secret-0123456789abcdef',
  // One key per run for every start of the apps: a key left unset is drawn anew by each process (outside
  // production), and a restarted API would then refuse to start on the stations' secrets sealed by the first.
  SECRETS_KEY: randomBytes(32).toString('hex'),
  AUDIT_SIGNING_KEY: randomBytes(32).toString('hex'),
  BOOTSTRAP_ADMIN_USERNAME: ADMIN.username,
  BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
};

type AppName = 'api' | 'worker';

interface Fault {
  name: string;
  inject(): Promise<void>;
  /** How long it stays broken before `restore` (0: `inject` already brought it back, a restart). */
  downMs: number;
  restore(): Promise<void>;
  /** The intake needs the object store only for detections with a photo: its recovery is theirs. */
  needsPhoto?: boolean;
  /** The app this fault stops: requests without an answer are expected while it is down. */
  stops?: AppName;
}

interface PhaseResult {
  fault: string;
  sent: number;
  accepted: number;
  unavailable: number;
  clientErrors: number;
  noAnswer: number;
  lost: number;
  doubled: number;
  /** From the fault's start until the system works again. */
  outageMs: number;
  /** From the dependency's (or app's) return until the system works again. */
  recoveryMs: number;
  slowestAnswerMs: number;
  slowestReadinessMs: number;
}

describe('faults under a steady signed load', () => {
  let postgres: PostgresCluster;
  let redis: RedisServer;
  let s3: S3Server;
  let env: Record<string, string>;
  let apiUrl: string;
  const apps = {} as Record<AppName, ReturnType<typeof spawnApp>>;
  const outputs: string[] = [];
  let load: StationLoad;
  let watch: ReadinessWatch;
  let stationId: string;
  const results: PhaseResult[] = [];
  /** When each fault was in force: the probes of an app stopped on purpose are not readiness answers. */
  const downtimes = new Map<string, { from: number; to: number }>();
  const unexpectedExits: string[] = [];

  /** A query on a connection of its own: Postgres is restarted under the suite. */
  async function query<T>(sql: string, values: unknown[] = []): Promise<T[]> {
    const db = new Client({ connectionString: env['DATABASE_URL'], connectionTimeoutMillis: 5000 });
    await db.connect();
    try {
      return (await db.query(sql, values)).rows as T[];
    } finally {
      await db.end();
    }
  }

  async function startApp(app: AppName): Promise<void> {
    const started = spawnApp(app, env);
    apps[app] = started;
    started.child.once('exit', (code, signal) => {
      outputs.push(`--- ${app} (exit ${code ?? signal})\n${started.output()}`);
      if (apps[app] === started && !stopping.has(app))
        unexpectedExits.push(`${app} exited with ${code ?? signal}`);
    });
    const port = app === 'api' ? env['PORT'] : env['WORKER_HEALTH_PORT'];
    await waitUntilReady(`http://127.0.0.1:${port}`, started.child, started.output, 90_000);
  }

  const stopping = new Set<AppName>();
  async function stopApp(app: AppName, signal: NodeJS.Signals): Promise<void> {
    stopping.add(app);
    await stopProcess(apps[app].child, signal);
    stopping.delete(app);
  }

  const serverFaults = (server: FaultableServer, extra: Partial<Fault> = {}): Fault[] => [
    {
      name: `${server.name} restarted`,
      inject: () => server.restart(),
      downMs: 0,
      restore: () => Promise.resolve(),
      ...extra,
    },
    {
      name: `${server.name} killed`,
      inject: () => server.kill(),
      downMs: 3000,
      restore: () => server.start(),
      ...extra,
    },
  ];
  const freezeFault = (server: FaultableServer, extra: Partial<Fault> = {}): Fault => ({
    name: `${server.name} frozen ${FREEZE_MS / 1000} s`,
    inject: async () => server.freeze(),
    downMs: FREEZE_MS,
    restore: async () => server.thaw(),
    ...extra,
  });
  const appFaults = (app: AppName): Fault[] => [
    {
      name: `${app} killed`,
      inject: () => stopApp(app, 'SIGKILL'),
      downMs: 1000,
      restore: () => startApp(app),
      stops: app,
    },
    {
      name: `${app} restarted`,
      inject: async () => {
        await stopApp(app, 'SIGTERM');
        await startApp(app);
      },
      downMs: 0,
      restore: () => Promise.resolve(),
      stops: app,
    },
  ];

  beforeAll(async () => {
    [postgres, redis, s3] = await Promise.all([
      PostgresCluster.create(),
      RedisServer.create(),
      S3Server.create(),
    ]);
    const databaseUrl = postgres.url.replace(/\/postgres$/, '/ecc_faults');
    await createDatabase(databaseUrl);
    await migrate(databaseUrl);
    env = {
      ...SETTINGS,
      PORT: String(await freePort()),
      WORKER_HEALTH_PORT: String(await freePort()),
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      S3_ENDPOINT: s3.url,
    };
    apiUrl = `http://127.0.0.1:${env['PORT']}`;
    await startApp('api');
    await startApp('worker');
    const api = { url: apiUrl } as TestApi;
    const station = await registerStationWithDevice(
      api,
      await tokenFor(api, ADMIN.username, ADMIN.password),
      'FLT-1',
    );
    [{ id: stationId }] = await query<{ id: string }>('SELECT id FROM stations WHERE code = $1', [
      station.code,
    ]);
    load = new StationLoad(apiUrl, station, RATE_PER_SECOND);
    watch = new ReadinessWatch({ api: apiUrl, worker: `http://127.0.0.1:${env['WORKER_HEALTH_PORT']}` });
    load.phase = watch.phase = 'steady';
    load.start();
    watch.start();
    await new Promise((r) => setTimeout(r, 3000));
  }, 240_000);

  afterAll(async () => {
    watch?.stop();
    await load?.stop(0);
    for (const app of ['worker', 'api'] as const)
      if (apps[app]) await stopApp(app, 'SIGTERM').catch(() => undefined);
    await Promise.allSettled([postgres?.close(), redis?.close(), s3?.close()]);
    if (results.length > 0) report(results, outputs.join('\n'));
  }, 120_000);

  /** The screening state of the station's detections: screened or not, how many screening events each has. */
  async function screenings(): Promise<
    Map<string, { screened: boolean; screenings: number; receipts: number }>
  > {
    const rows = await query<{ id: string; screened: boolean; screenings: number; receipts: number }>(
      `SELECT d.station_detection_id AS id, d.screened_at IS NOT NULL AS screened,
              count(*) FILTER (WHERE a.action = 'detection.screened')::int AS screenings,
              count(*) FILTER (WHERE a.action = 'detection.received')::int AS receipts
         FROM detections d LEFT JOIN audit_events a ON a.entity_type = 'detection' AND a.entity_id = d.id::text
        WHERE d.station_id = $1
        GROUP BY d.id`,
      [stationId],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Waits until every accepted detection of these phases is screened; then what was lost and what doubled. */
  async function settle(phases: string[]): Promise<{ lost: string[]; doubled: string[] }> {
    const accepted = [...load.detections.values()].filter((d) => phases.includes(d.phase) && d.acceptedAt);
    let state = await screenings();
    const deadline = Date.now() + 90_000;
    while (accepted.some((d) => !state.get(d.detectionId)?.screened) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      state = await screenings();
    }
    return {
      lost: accepted.filter((d) => !state.get(d.detectionId)?.screened).map((d) => d.detectionId),
      doubled: accepted
        .filter(
          (d) =>
            (state.get(d.detectionId)?.screenings ?? 0) > 1 || (state.get(d.detectionId)?.receipts ?? 0) > 1,
        )
        .map((d) => d.detectionId),
    };
  }

  async function firstScreeningSince(since: number): Promise<number | undefined> {
    const [row] = await query<{ at: Date | null }>(
      'SELECT min(screened_at) AS at FROM detections WHERE station_id = $1 AND screened_at >= $2',
      [stationId, new Date(since)],
    );
    return row?.at ? row.at.getTime() : undefined;
  }

  async function runPhase(fault: Fault): Promise<PhaseResult> {
    load.phase = watch.phase = fault.name;
    await new Promise((r) => setTimeout(r, 1500));
    const injectedAt = Date.now();
    await fault.inject();
    if (fault.downMs > 0) await new Promise((r) => setTimeout(r, fault.downMs));
    await fault.restore();
    const restoredAt = Date.now();
    downtimes.set(fault.name, { from: injectedAt, to: restoredAt });
    // Recovered: a fresh request accepted, and a detection screened, after the fault ended — by themselves.
    const recoveredAt = await waitFor(
      `recovery from "${fault.name}"`,
      async () => {
        const intake = load.firstAcceptedSince(restoredAt, fault.needsPhoto);
        const screening = intake && (await firstScreeningSince(restoredAt).catch(() => undefined));
        return intake && screening ? Math.max(intake, screening) : undefined;
      },
      { timeoutMs: 60_000, output: () => apps.api.output().slice(-3000) + apps.worker.output().slice(-3000) },
    );
    await new Promise((r) => setTimeout(r, 1500));
    load.phase = watch.phase = `after ${fault.name}`;

    const attempts = load.attempts.filter((a) => a.phase === fault.name);
    const probes = watch.probes.filter((p) => p.phase === fault.name && p.status !== null);
    const result: PhaseResult = {
      fault: fault.name,
      sent: attempts.length,
      accepted: attempts.filter((a) => a.status !== null && a.status < 300).length,
      unavailable: attempts.filter((a) => a.status === 503).length,
      clientErrors: attempts.filter((a) => a.status !== null && a.status >= 400 && a.status < 500).length,
      noAnswer: attempts.filter((a) => a.status === null).length,
      // Known once everything has settled (the last test): a killed worker's jobs wait out their lock first.
      lost: Number.NaN,
      doubled: Number.NaN,
      outageMs: recoveredAt - injectedAt,
      recoveryMs: Math.max(0, recoveredAt - restoredAt),
      slowestAnswerMs: Math.max(0, ...attempts.filter((a) => a.status !== null).map((a) => a.ms)),
      slowestReadinessMs: Math.max(0, ...probes.map((p) => p.ms)),
    };
    // Progress while the suite runs (jest shows console output only at the end of the file).
    process.stderr.write(`fault suite: ${JSON.stringify(result)}\n`);
    return result;
  }

  function expectHonestAnswers(fault: Fault): void {
    const attempts = load.attempts.filter((a) => a.phase === fault.name);
    const dishonest = attempts.filter(
      (a) =>
        a.status !== null &&
        a.status >= 300 &&
        !(a.problem && (a.status === 503 ? a.retryAfter !== undefined : a.status >= 400 && a.status < 500)),
    );
    expect(dishonest).toEqual([]);
    const held = attempts.filter(
      (a) => a.hung || (a.status !== null && a.ms > REQUEST_TIMEOUT_MS + MARGIN_MS),
    );
    expect(held).toEqual([]);
    // Without an answer only while the app itself is down.
    const unanswered = attempts.filter((a) => a.status === null);
    if (!fault.stops || fault.stops === 'worker') expect(unanswered).toEqual([]);
    const down = downtimes.get(fault.name);
    const stoppedOnPurpose = (p: Probe) =>
      p.target === fault.stops && !!down && p.at >= down.from && p.at <= down.to;
    const lateProbes = watch.probes.filter(
      (p) => p.phase === fault.name && (p.late || p.ms >= 2000) && !stoppedOnPurpose(p),
    );
    expect(lateProbes).toEqual([]);
    expect(unexpectedExits).toEqual([]);
  }

  const faults = (): Fault[] => [
    ...serverFaults(postgres),
    freezeFault(postgres),
    ...serverFaults(redis),
    ...serverFaults(s3, { needsPhoto: true }),
    freezeFault(s3, { needsPhoto: true }),
    ...appFaults('worker'),
    ...appFaults('api'),
  ];
  const FAULT_NAMES = [
    'postgres restarted',
    'postgres killed',
    `postgres frozen ${FREEZE_MS / 1000} s`,
    'redis restarted',
    'redis killed',
    'storage restarted',
    'storage killed',
    `storage frozen ${FREEZE_MS / 1000} s`,
    'worker killed',
    'worker restarted',
    'api killed',
    'api restarted',
  ];

  it.each(FAULT_NAMES)(
    '%s: honest answers, bounded time, nothing lost or doubled, recovery by itself',
    async (name) => {
      const fault = faults().find((f) => f.name === name)!;
      const result = await runPhase(fault);
      results.push(result);
      expectHonestAnswers(fault);
      expect(result.accepted).toBeGreaterThan(0);
    },
  );

  it('settles: every detection accepted at any time screened exactly once; the logs hold no unhandled error', async () => {
    await load.stop(30_000);
    const phases = [...new Set([...load.detections.values()].map((d) => d.phase))];
    const { lost, doubled } = await settle(phases);
    const phaseOf = (id: string) => load.detections.get(id)!.phase;
    for (const result of results) {
      result.lost = lost.filter((id) => phaseOf(id) === result.fault).length;
      result.doubled = doubled.filter((id) => phaseOf(id) === result.fault).length;
    }
    expect({ lost, doubled }).toEqual({ lost: [], doubled: [] });
    const logs = outputs.join('\n') + apps.api.output() + apps.worker.output();
    expect(logs).not.toContain('Unhandled error event');
    expect(logs).not.toContain('already executing a query');
    expect(logs).not.toMatch(/"level":60/);
  });
});

function report(results: PhaseResult[], logs: string): void {
  const seconds = (ms: number) => (ms / 1000).toFixed(1);
  const header =
    '| fault | sent | 2xx | 503 | 4xx | no answer | lost | doubled | outage (s) | recovery (s) | slowest answer (s) | slowest readiness (s) |';
  const rule = '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |';
  const rows = results.map(
    (r) =>
      `| ${r.fault} | ${r.sent} | ${r.accepted} | ${r.unavailable} | ${r.clientErrors} | ${r.noAnswer} | ${r.lost} | ${r.doubled} | ${seconds(r.outageMs)} | ${seconds(r.recoveryMs)} | ${seconds(r.slowestAnswerMs)} | ${seconds(r.slowestReadinessMs)} |`,
  );
  const table = [header, rule, ...rows].join('\n');
  console.log(`fault suite at ${RATE_PER_SECOND} detections/s:\n${table}`);
  const dir = resolve(__dirname, '../../fault-results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  writeFileSync(
    join(dir, `${stamp}.json`),
    JSON.stringify({ ratePerSecond: RATE_PER_SECOND, results }, null, 2),
  );
  writeFileSync(join(dir, `${stamp}.md`), `${table}\n`);
  // The apps' own logs (every instance the suite started), for what a failed assertion does not show.
  writeFileSync(join(dir, `${stamp}-apps.log`), logs);
}
