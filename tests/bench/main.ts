import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { detectionForm, signatureHeaders, type TestStation } from '../support/station-client';
import { jpegLike, mixedDetection, requiredEvidence, type MixOptions } from '../support/detection-mix';
import { ADMIN, createTestDatabase, freePort, stopProcess } from '../support/test-app';
import { TEST_REDIS_URL } from '../support/environment';
import { measureSignedPut, measureStorageCeiling } from './baseline-storage';
import { measureBaselineWorker } from './baseline-worker';
import {
  adminToken,
  APPROVED_DEVICE,
  createPermits,
  createStations,
  requireNoEvidence,
  UNAPPROVED_DEVICE,
} from './fixtures';
import { cpuUse, processCpuSplitMs, pgUse, processCpuMs, samplePg, sampleCpu, type CpuPids } from './cpu';
import { runLoad, runPaced, type LoadResult, type PacedResult } from './load';
import { measureIntakeStatement } from './statements';
import { describeMix, outcomeMix, type OutcomeMix } from './outcome-mix';
import { startInfrastructure, startStack, type BenchStack } from './stack';

/**
 * `npm run bench`: the intake pipeline under load, on this machine, next to the ceilings of TOOLCHAIN.md
 * measured in the same run. Everything it starts (S3 server, databases, Redis keys, processes) is removed at
 * the end; every phase and every wait is bounded, so the whole run takes under about three minutes.
 */

const ROOT = resolve(__dirname, '../..');
/** `--quick`: every phase about half as long (about 40 s in all), for comparing CPU per detection between runs. */
const QUICK = process.argv.includes('--quick');
const PHASE_SECONDS = QUICK
  ? { warmUp: 2, latency: 4, throughput: 3, evidence: 4, baseline: 3 }
  : { warmUp: 3, latency: 8, throughput: 6, evidence: 8, baseline: 6 };
const CONNECTIONS = { throughput: 64, latency: 32, evidence: 24 };
const DRAIN_TIMEOUT_MS = { latency: 30_000, throughput: 60_000, evidence: 45_000 };
const TARGETS = { acceptedPerSecond: 5000, p99Ms: 50, evidencePerSecond: 200 };
const STATIONS = 8;
const IMAGE_BYTES = 100 * 1024;

const log = (message: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

/**
 * `policyFrom`: when the run's screening policy came into force. Passages are a few seconds old when the
 * station pushes them, never older than that policy (the policy in force when the vehicle passed applies).
 */
function mixOptions(prefix: string, permitPlates: string[], seed: number, policyFrom = 0): MixOptions {
  return {
    seed,
    idPrefix: prefix,
    device: APPROVED_DEVICE,
    unapprovedDevice: UNAPPROVED_DEVICE,
    permitPlates,
    plateCount: 20_000,
    // Stations send whole seconds: the first whole second after the policy is the earliest passage.
    detectedAt: (n) =>
      new Date(
        Math.max(Math.ceil((policyFrom + 1) / 1000) * 1000, Date.now() - 1_000 - ((n * 7919) % 9_000)),
      ),
  };
}

/**
 * The n-th request of a phase: a body of the mix, signed by its station at send time; with three unique 100 KB
 * images inline as base64 JSON (`json`), or as the binary parts of a `multipart/form-data` form (`form`).
 */
function detectionRequests(
  stations: TestStation[],
  options: MixOptions,
  evidence: 'none' | 'json' | 'form' = 'none',
) {
  const template = evidence === 'none' ? undefined : jpegLike(IMAGE_BYTES);
  return (n: number) => {
    const station = stations[n % stations.length]!;
    if (evidence === 'form') {
      const { body } = mixedDetection(n, options);
      const photos = Object.fromEntries(
        REQUIRED_KINDS.map((kind) => [kind, { bytes: uniqueCopy(template!) }]),
      );
      const form = detectionForm(body as unknown as Record<string, unknown>, photos);
      return {
        headers: { 'content-type': form.contentType, ...signatureHeaders(station, form.raw) },
        body: form.raw,
      };
    }
    const { body } = mixedDetection(n, {
      ...options,
      ...(template ? { evidence: () => requiredEvidence(IMAGE_BYTES, template) } : {}),
    });
    const raw = JSON.stringify(body);
    return { headers: { 'content-type': 'application/json', ...signatureHeaders(station, raw) }, body: raw };
  };
}

const REQUIRED_KINDS = ['plate_front', 'plate_rear', 'side'] as const;
/** A copy of the template with 16 fresh bytes after the JPEG marker: storage cannot deduplicate it. */
function uniqueCopy(template: Buffer): Buffer {
  const data = Buffer.from(template);
  randomBytes(16).copy(data, 4);
  return data;
}

interface PhaseScreening {
  accepted: number;
  screened: number;
  leads: number;
  outcomes: Record<string, number>;
  /** The outcomes against the mix's 4% leads, 2% invalid: screening figures of a phase whose mix is off are refused. */
  mix: OutcomeMix;
  /** Screened detections per second, from the first acceptance (or the worker's resumption) to the last screening. */
  screenedPerSecond: number | null;
  /** From the last acceptance to the last screening, and to the creation of the last lead. */
  lastScreenedAfterLastAcceptedMs: number | null;
  lastLeadAfterLastAcceptedMs: number | null;
  /** From a detection's acceptance to the creation of the lead it made (p50, max). */
  leadDelayMs: { p50: number | null; max: number | null };
  drained: boolean;
}

/**
 * How far the worker's sealer is behind at the end of the run: every audit event of the run (intake, screening,
 * leads) is linked into the hash chain after its commit; this waits until none is left unsealed.
 */
async function waitForSealing(
  stack: BenchStack,
  timeoutMs: number,
): Promise<{
  events: number;
  unsealedAtEnd: number;
  drained: boolean;
  sealedAfterLastWriteMs: number | null;
}> {
  const deadline = Date.now() + timeoutMs;
  const first = await stack.db.query<{ unsealed: number }>(
    'SELECT count(*)::int AS unsealed FROM audit_events WHERE chain_seq IS NULL',
  );
  let unsealed = first.rows[0]!.unsealed;
  while (unsealed > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    const { rows } = await stack.db.query<{ unsealed: number }>(
      'SELECT count(*)::int AS unsealed FROM audit_events WHERE chain_seq IS NULL',
    );
    unsealed = rows[0]!.unsealed;
  }
  const sealedAt = Date.now();
  const { rows } = await stack.db.query<{ events: number; last_write: Date | null }>(
    'SELECT count(*)::int AS events, max(occurred_at) AS last_write FROM audit_events',
  );
  const lastWrite = rows[0]!.last_write;
  return {
    events: rows[0]!.events,
    unsealedAtEnd: first.rows[0]!.unsealed,
    drained: unsealed === 0,
    sealedAfterLastWriteMs: unsealed === 0 && lastWrite ? Math.max(0, sealedAt - lastWrite.getTime()) : null,
  };
}

async function waitForScreening(
  stack: BenchStack,
  prefix: string,
  timeoutMs: number,
  from?: Date,
): Promise<PhaseScreening> {
  const like = `${prefix}-%`;
  const deadline = Date.now() + timeoutMs;
  let pending = Infinity;
  while (Date.now() < deadline) {
    const { rows } = await stack.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM detections WHERE station_detection_id LIKE $1 AND status <> 'screened'`,
      [like],
    );
    pending = rows[0]!.n;
    if (pending === 0) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const { rows } = await stack.db.query<{
    accepted: number;
    screened: number;
    first_received: Date | null;
    last_received: Date | null;
    last_screened: Date | null;
  }>(
    `SELECT count(*)::int AS accepted, count(*) FILTER (WHERE status = 'screened')::int AS screened,
            min(received_at) AS first_received, max(received_at) AS last_received, max(screened_at) AS last_screened
       FROM detections WHERE station_detection_id LIKE $1`,
    [like],
  );
  const outcomes = await stack.db.query<{ outcome: string | null; n: number }>(
    `SELECT outcome::text, count(*)::int AS n FROM detections WHERE station_detection_id LIKE $1 GROUP BY 1`,
    [like],
  );
  // A lead's delay: from the acceptance of the detection that made it to the lead's creation.
  const leads = await stack.db.query<{
    n: number;
    last_lead: Date | null;
    p50_ms: number | null;
    max_ms: number | null;
  }>(
    `WITH made AS (
       SELECT l.id, l.created_at, min(d.received_at) AS received_at
         FROM leads l JOIN lead_detections ld ON ld.lead_id = l.id JOIN detections d ON d.id = ld.detection_id
        WHERE d.station_detection_id LIKE $1 GROUP BY l.id, l.created_at)
     SELECT count(*)::int AS n, max(created_at) AS last_lead,
            (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM created_at - received_at)) * 1000)::float8 AS p50_ms,
            (max(extract(epoch FROM created_at - received_at)) * 1000)::float8 AS max_ms
       FROM made`,
    [like],
  );
  const r = rows[0]!;
  const byOutcome = Object.fromEntries(outcomes.rows.map((o) => [o.outcome ?? 'pending', o.n]));
  const start = from ?? r.first_received;
  const lastLead = leads.rows[0]?.last_lead ?? null;
  return {
    accepted: r.accepted,
    screened: r.screened,
    leads: leads.rows[0]?.n ?? 0,
    outcomes: byOutcome,
    mix: outcomeMix(byOutcome),
    screenedPerSecond:
      start && r.last_screened && r.screened > 0
        ? r.screened / Math.max(0.001, (r.last_screened.getTime() - start.getTime()) / 1000)
        : null,
    lastScreenedAfterLastAcceptedMs:
      r.last_received && r.last_screened ? r.last_screened.getTime() - r.last_received.getTime() : null,
    // Negative when the last acceptance made no lead: the last lead existed before it.
    lastLeadAfterLastAcceptedMs:
      r.last_received && lastLead ? Math.max(0, lastLead.getTime() - r.last_received.getTime()) : null,
    leadDelayMs: {
      p50: round(leads.rows[0]?.p50_ms ?? null),
      max: round(leads.rows[0]?.max_ms ?? null),
    },
    drained: pending === 0,
  };
}

async function baselineServer(stations: TestStation[], options: MixOptions): Promise<LoadResult> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--conditions=@ecc/source', '-r', '@swc-node/register', 'tests/bench/baseline-server.ts'],
    {
      cwd: ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        PORT: String(port),
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: `ecc-e2e-${process.env['ECC_E2E_RUN_ID']}-base`,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    await new Promise<void>((resolveReady, reject) => {
      const timer = setTimeout(() => reject(new Error('baseline server not ready in 30 s')), 30_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) {
          clearTimeout(timer);
          resolveReady();
        }
      });
      child.once('exit', (code) => reject(new Error(`baseline server exited with ${code}`)));
    });
    const request = detectionRequests(stations, options);
    return await runLoad({
      url: `http://127.0.0.1:${port}`,
      path: '/detections',
      connections: CONNECTIONS.throughput,
      durationSeconds: PHASE_SECONDS.baseline,
      request: (n) => ({ headers: { 'content-type': 'application/json' }, body: request(n).body }),
    });
  } finally {
    await stopProcess(child);
  }
}

/** The API's CPU per detection of a phase less its idle CPU over the phase's duration. */
function netOfIdle(use: ReturnType<typeof cpuUse>, idleApiMsPerSecond: number): number {
  const idlePerDetection = (idleApiMsPerSecond * use.seconds) / Math.max(1, use.detections);
  return Number(Math.max(0, use.msPerDetection.api - idlePerDetection).toFixed(3));
}

const round = (x: number | null | undefined, digits = 0) =>
  x === null || x === undefined ? null : Number(x.toFixed(digits));

interface BenchApps {
  stack: BenchStack;
  stations: TestStation[];
  permitPlates: string[];
  /** When the run's screening policy came into force (ms): no passage of the run is older. */
  policyFrom: number;
  /** BENCH_APP_<NAME>=<value> settings passed on, recorded with the results. */
  appSettings: Record<string, string>;
}

/** The API and the worker with the bench's settings, 8 stations and 20 permits created through the API. */
async function startApps(runId: string, options: { profile: boolean }): Promise<BenchApps> {
  // BENCH_APP_<NAME>=<value>: <NAME>=<value> for the API and the worker (trying a setting, e.g.
  // BENCH_APP_SCREENING_CONCURRENCY=64); recorded with the results, which are then not comparable with a
  // run without it.
  const appSettings = Object.fromEntries(
    Object.entries(process.env)
      .filter(([name, value]) => name.startsWith('BENCH_APP_') && value !== undefined)
      .map(([name, value]) => [name.slice('BENCH_APP_'.length), value!]),
  );
  const stack = await startStack(runId, {
    LOG_LEVEL: 'warn',
    DATABASE_POOL_SIZE: '10',
    // The per-station limit protects the center from one runaway station; it is not what is measured here.
    INTAKE_RATE_LIMIT_PER_SECOND: '1000000',
    INTAKE_RATE_LIMIT_BURST: '1000000',
    ...appSettings,
    // BENCH_PROFILE=<dir>: CPU profiles of the API and the worker, written when the bench ends.
    ...(options.profile && process.env['BENCH_PROFILE']
      ? {
          BENCH_PROFILE: process.env['BENCH_PROFILE'],
          NODE_OPTIONS: `--require ${join(__dirname, 'cpu-profile-preload.js')}`,
        }
      : {}),
  });
  try {
    const token = await adminToken(stack.apiUrl, ADMIN.username, ADMIN.password);
    const stations = await createStations(stack.api, token, STATIONS);
    const permitPlates = await createPermits(stack.apiUrl, token, 20);
    const policyFrom = await requireNoEvidence(stack.apiUrl, token);
    return { stack, stations, permitPlates, policyFrom, appSettings };
  } catch (error) {
    await stack.close();
    throw error;
  }
}

function cpuPids(stack: BenchStack, s3Pid: number): CpuPids {
  const pidList = stack.pids();
  return {
    api: pidList.slice(0, -1),
    worker: pidList.slice(-1),
    s3: [s3Pid],
    database: new URL(stack.env['DATABASE_URL']!).pathname.slice(1),
  };
}

/**
 * Latency at 1,000 detections/s evenly spaced, the worker screening alongside, after a warm-up that is not
 * measured; with the CPU and Postgres use of intake and screening of the phase's detections.
 */
async function latencyPhase(apps: BenchApps, pids: CpuPids, toggleProfiles: (...pids: number[]) => void) {
  const { stack, stations, permitPlates } = apps;
  const path = '/api/v1/detections';
  // Warm-up, not measured: the first second of load after a start pays for compiling the hot code and opening
  // the database and Redis connections (p50 above 100 ms in that second, here).
  log(`warm-up at 1,000 req/s, ${PHASE_SECONDS.warmUp} s, not measured`);
  await runPaced({
    url: stack.apiUrl,
    path,
    connections: CONNECTIONS.latency,
    durationSeconds: PHASE_SECONDS.warmUp,
    rate: 1000,
    request: detectionRequests(stations, mixOptions('warm', permitPlates, 5, apps.policyFrom)),
  });
  await waitForScreening(stack, 'warm', DRAIN_TIMEOUT_MS.latency);

  log(`latency at 1,000 req/s evenly spaced, ${PHASE_SECONDS.latency} s, worker screening alongside`);
  toggleProfiles(...pids.api, ...pids.worker);
  const cpuBefore = sampleCpu(pids);
  const pgBefore = await samplePg(stack.db);
  const latency = await runPaced({
    url: stack.apiUrl,
    path,
    connections: CONNECTIONS.latency,
    durationSeconds: PHASE_SECONDS.latency,
    rate: 1000,
    request: detectionRequests(stations, mixOptions('lat', permitPlates, 2, apps.policyFrom)),
  });
  const latencyScreening = await waitForScreening(stack, 'lat', DRAIN_TIMEOUT_MS.latency);
  toggleProfiles(...pids.api, ...pids.worker);
  // Intake and screening of the phase's detections (both run alongside).
  const latencyCpu = cpuUse(cpuBefore, sampleCpu(pids), latencyScreening.screened);
  await new Promise((r) => setTimeout(r, 1500)); // Postgres's counters lag
  const latencyPg = pgUse(pgBefore, await samplePg(stack.db), latencyScreening.screened);
  return { latency, latencyScreening, latencyCpu, latencyPg };
}

/**
 * `npm run bench -- --latency-only`: the warm-up and the 1,000/s phase alone, for comparing settings quickly
 * (BENCH_APP_...); no ceilings, no table.
 */
async function latencyOnly(runId: string, s3Pid: number): Promise<Record<string, unknown>> {
  const apps = await startApps(runId, { profile: false });
  try {
    const { latency, latencyScreening, latencyCpu, latencyPg } = await latencyPhase(
      apps,
      cpuPids(apps.stack, s3Pid),
      () => undefined,
    );
    return {
      appSettings: apps.appSettings,
      latencyMs: latency.latencyMs,
      acceptedPerSecond: round((latency.byStatus['202'] ?? 0) / latency.seconds),
      bySecond: latency.bySecond,
      sendLagMs: latency.sendLagMs,
      screening: latencyScreening,
      cpu: latencyCpu,
      postgres: latencyPg,
    };
  } finally {
    await apps.stack.close();
  }
}

/**
 * `npm run bench -- --screening-only`: only the backlog phase (intake at full speed with the worker paused,
 * then the worker screening alone), for comparing changes to screening quickly; no ceilings, no table.
 */
async function screeningOnly(runId: string, s3Pid: number): Promise<Record<string, unknown>> {
  const apps = await startApps(runId, { profile: false });
  const { stack, stations, permitPlates, appSettings } = apps;
  const pids = cpuPids(stack, s3Pid);
  try {
    const [apiPid, workerPid] = stack.pids();
    stack.worker.kill('SIGSTOP');
    const apiCpuBefore = processCpuMs(apiPid);
    let throughput: LoadResult;
    try {
      throughput = await runLoad({
        url: stack.apiUrl,
        path: '/api/v1/detections',
        connections: CONNECTIONS.throughput,
        durationSeconds: PHASE_SECONDS.throughput,
        request: detectionRequests(stations, mixOptions('max', permitPlates, 3, apps.policyFrom)),
      });
    } finally {
      stack.worker.kill('SIGCONT');
    }
    const apiCpu = processCpuMs(apiPid) - apiCpuBefore;
    const workerCpuBefore = processCpuMs(workerPid);
    const cpuBefore = sampleCpu(pids);
    const resumed = new Date();
    const screening = await waitForScreening(stack, 'max', DRAIN_TIMEOUT_MS.throughput, resumed);
    // Screening alone: the worker, and Postgres for the run's database (and this process polling it).
    const backlogCpu = cpuUse(cpuBefore, sampleCpu(pids), screening.screened);
    const accepted = throughput.byStatus['202'] ?? 0;
    return {
      appSettings,
      acceptedPerSecond: round(accepted / throughput.seconds),
      screenedPerSecond: round(screening.screenedPerSecond),
      // CPU time per detection, less sensitive than the rates to other work on the machine.
      apiCpuMsPerAccepted: round(apiCpu / Math.max(1, accepted), 3),
      workerCpuMsPerScreened: round(
        (processCpuMs(workerPid) - workerCpuBefore) / Math.max(1, screening.screened),
        3,
      ),
      postgresCpuMsPerScreened: backlogCpu.msPerDetection.postgres,
      screening,
    };
  } finally {
    await stack.close();
  }
}

/**
 * `npm run bench -- --images-only`: the two image phases alone (three 100 KB images per detection, inline base64
 * JSON and the `multipart/form-data` form), after a short warm-up of each that is not measured, for comparing
 * changes to the image path quickly; CPU per detection of the API and the S3 server. No ceilings, no table.
 */
async function imagesOnly(runId: string, s3Pid: number): Promise<Record<string, unknown>> {
  const apps = await startApps(runId, { profile: true });
  const { stack, stations, permitPlates, appSettings } = apps;
  const pids = cpuPids(stack, s3Pid);
  const apiPid = pids.api[0]!;
  const profiling = !!process.env['BENCH_PROFILE'];
  try {
    const phase = async (label: string, seed: number, form: 'json' | 'form', seconds: number) => {
      const cpuBefore = sampleCpu(pids);
      const splitBefore = processCpuSplitMs(apiPid);
      const load = await runLoad({
        url: stack.apiUrl,
        path: '/api/v1/detections',
        connections: CONNECTIONS.evidence,
        durationSeconds: seconds,
        request: detectionRequests(stations, mixOptions(label, permitPlates, seed, apps.policyFrom), form),
      });
      const screening = await waitForScreening(stack, label, DRAIN_TIMEOUT_MS.evidence);
      const split = processCpuSplitMs(apiPid);
      const per = (ms: number) => round(ms / Math.max(1, screening.screened), 3);
      return {
        load,
        screening,
        cpu: cpuUse(cpuBefore, sampleCpu(pids), screening.screened),
        apiSplit: {
          user: per(split.user - splitBefore.user),
          system: per(split.system - splitBefore.system),
        },
      };
    };
    log('warm-up with images, JSON and form, 2 s each, not measured');
    await phase('wj', 7, 'json', 2);
    await phase('wf', 8, 'form', 2);
    const results: Record<string, unknown> = { appSettings };
    for (const [label, seed, form] of [
      ['evi', 4, 'json'],
      ['form', 6, 'form'],
    ] as const) {
      log(`three 100 KB images each as ${form}, ${PHASE_SECONDS.evidence} s, worker screening alongside`);
      if (profiling) process.kill(apiPid, 'SIGWINCH');
      const { load, screening, cpu, apiSplit } = await phase(label, seed, form, PHASE_SECONDS.evidence);
      if (profiling) process.kill(apiPid, 'SIGWINCH');
      results[form] = {
        accepted: load.byStatus['202'] ?? 0,
        mix: describeMix(screening.mix),
        msPerDetection: cpu.msPerDetection,
        // The API's share in user and in system (kernel) time.
        apiMsPerDetection: apiSplit,
      };
    }
    return results;
  } finally {
    await stack.close();
  }
}

async function main(): Promise<void> {
  const began = Date.now();
  const loadAtStart = loadavg()[0];
  log('starting the S3 server and the template database');
  const infra = await startInfrastructure();
  let stack: BenchStack | undefined;
  const results: Record<string, unknown> = {};
  try {
    if (process.argv.includes('--latency-only')) {
      Object.assign(results, await latencyOnly(infra.runId, infra.s3Pid), {
        loadAverage1m: round(loadavg()[0], 2),
      });
      console.log(JSON.stringify(results, null, 2));
      console.log(`outcomes: ${describeMix((results['screening'] as PhaseScreening).mix)}`);
      printSeries(results['bySecond'] as PacedResult['bySecond']);
      return;
    }
    if (process.argv.includes('--images-only')) {
      Object.assign(results, await imagesOnly(infra.runId, infra.s3Pid), {
        loadAverage1m: round(loadavg()[0], 2),
      });
      console.log(JSON.stringify(results, null, 2));
      return;
    }
    if (process.argv.includes('--screening-only')) {
      Object.assign(results, await screeningOnly(infra.runId, infra.s3Pid), {
        loadAverage1m: round(loadavg()[0], 2),
      });
      console.log(JSON.stringify(results, null, 2));
      console.log(`outcomes: ${describeMix((results['screening'] as PhaseScreening).mix)}`);
      return;
    }
    // The ceilings first, on an idle machine, with the same bodies and connections as our own runs.
    const unsigned: TestStation[] = [{ code: 'BASE', secret: 'baseline' }];
    log(`ceiling (a): bare Fastify + zod + queue.add, ${PHASE_SECONDS.baseline} s`);
    const baselineA = await baselineServer(unsigned, mixOptions('base', [], 1));
    log(`ceiling (b): BullMQ worker, one pg INSERT per job`);
    const baselineB = await measureBaselineWorker({
      redisUrl: TEST_REDIS_URL,
      prefix: `ecc-e2e-${infra.runId}-baseb`,
      databaseUrl: await createTestDatabase('baseline'),
      jobs: QUICK ? 5_000 : 20_000,
      timeoutMs: 30_000,
    });

    log('Postgres CPU per intake insert of 5 detections, unnamed and prepared');
    const intakeStatement = await measureIntakeStatement({
      databaseUrl: await createTestDatabase('statements'),
      batch: 5,
      runs: QUICK ? 500 : 2000,
    });

    log(`ceiling (c): minio putObject of ${IMAGE_BYTES / 1024} KB to the S3 server, concurrency 16`);
    const baselineC = await measureStorageCeiling({
      endpoint: process.env['ECC_E2E_S3_ENDPOINT']!,
      bytes: IMAGE_BYTES,
      seconds: PHASE_SECONDS.baseline,
    });
    log(`client CPU per new ${IMAGE_BYTES / 1024} KB image stored, three ways`);
    const signedPut = await measureSignedPut({
      endpoint: process.env['ECC_E2E_S3_ENDPOINT']!,
      bytes: IMAGE_BYTES,
      uploads: QUICK ? 240 : 600,
    });
    if (process.argv.includes('--ceilings-only')) {
      Object.assign(results, {
        date: new Date().toISOString(),
        ceilings: { baselineA, baselineB, baselineC },
        intakeStatement,
        signedPut,
      });
      console.log(JSON.stringify(results, null, 2));
      return;
    }
    log('starting the API and the worker');
    const apps = await startApps(infra.runId, { profile: true });
    stack = apps.stack;
    const { stations, permitPlates, appSettings } = apps;
    const path = '/api/v1/detections';

    const pids = cpuPids(stack, infra.s3Pid);
    const [apiPid, workerPid] = [pids.api[0]!, pids.worker[0]!];

    // What the API and the worker spend with no load (timers, sweeps, pings), per second: a phase that carries few
    // detections on a busy machine would otherwise charge it to them.
    log('idle CPU of the API and the worker, 3 s');
    const idleBefore = sampleCpu(pids);
    await new Promise((r) => setTimeout(r, 3000));
    const idleUse = cpuUse(idleBefore, sampleCpu(pids), 1);
    const idleMsPerSecond = {
      api: Number((idleUse.msPerDetection.api / idleUse.seconds).toFixed(2)),
      worker: Number((idleUse.msPerDetection.worker / idleUse.seconds).toFixed(2)),
    };

    // BENCH_PROFILE: the API and the worker are profiled during the 1,000/s phase; then the API at full speed,
    // the worker on the backlog, the API with images.
    const profiling = !!process.env['BENCH_PROFILE'];
    const toggleProfiles = (...pidsToToggle: number[]) => {
      if (profiling) pidsToToggle.forEach((pid) => process.kill(pid, 'SIGWINCH'));
    };
    const { latency, latencyScreening, latencyCpu, latencyPg } = await latencyPhase(
      apps,
      pids,
      toggleProfiles,
    );

    log(`max accepted/s without evidence, ${PHASE_SECONDS.throughput} s, worker paused (SIGSTOP)`);
    stack.worker.kill('SIGSTOP');
    toggleProfiles(apiPid);
    let throughput: LoadResult;
    let cpuBefore = sampleCpu(pids);
    const pgBefore = await samplePg(stack.db);
    let throughputCpu: ReturnType<typeof cpuUse>;
    try {
      throughput = await runLoad({
        url: stack.apiUrl,
        path,
        connections: CONNECTIONS.throughput,
        durationSeconds: PHASE_SECONDS.throughput,
        request: detectionRequests(stations, mixOptions('max', permitPlates, 3, apps.policyFrom)),
      });
      // Intake alone (the worker is stopped).
      throughputCpu = cpuUse(cpuBefore, sampleCpu(pids), throughput.byStatus['202'] ?? 0);
    } finally {
      stack.worker.kill('SIGCONT');
    }
    const throughputPg = pgUse(pgBefore, await samplePg(stack.db), throughput.byStatus['202'] ?? 0);
    toggleProfiles(apiPid, workerPid);
    const resumed = new Date();
    log('screening the backlog (worker resumed)');
    cpuBefore = sampleCpu(pids);
    const backlogScreening = await waitForScreening(stack, 'max', DRAIN_TIMEOUT_MS.throughput, resumed);
    // Screening alone (and this process polling the database every 250 ms).
    const backlogCpu = cpuUse(cpuBefore, sampleCpu(pids), backlogScreening.screened);
    toggleProfiles(workerPid);
    if (profiling)
      log(
        `CPU profiles in ${process.env['BENCH_PROFILE']}: API 1 at 1,000/s, 2 at full speed, 3 with images as JSON, 4 as a form; worker 1 at 1,000/s, 2 on the backlog`,
      );

    log(`with three 100 KB images each, ${PHASE_SECONDS.evidence} s, worker screening alongside`);
    toggleProfiles(apiPid);
    cpuBefore = sampleCpu(pids);
    const evidence = await runLoad({
      url: stack.apiUrl,
      path,
      connections: CONNECTIONS.evidence,
      durationSeconds: PHASE_SECONDS.evidence,
      request: detectionRequests(stations, mixOptions('evi', permitPlates, 4, apps.policyFrom), 'json'),
    });
    toggleProfiles(apiPid);
    const evidenceScreening = await waitForScreening(stack, 'evi', DRAIN_TIMEOUT_MS.evidence);
    const evidenceCpu = cpuUse(cpuBefore, sampleCpu(pids), evidenceScreening.screened);

    log(
      `the same as multipart/form-data (binary parts), ${PHASE_SECONDS.evidence} s, worker screening alongside`,
    );
    toggleProfiles(apiPid);
    cpuBefore = sampleCpu(pids);
    const form = await runLoad({
      url: stack.apiUrl,
      path,
      connections: CONNECTIONS.evidence,
      durationSeconds: PHASE_SECONDS.evidence,
      request: detectionRequests(stations, mixOptions('form', permitPlates, 6, apps.policyFrom), 'form'),
    });
    toggleProfiles(apiPid);
    const formScreening = await waitForScreening(stack, 'form', DRAIN_TIMEOUT_MS.evidence);
    const formCpu = cpuUse(cpuBefore, sampleCpu(pids), formScreening.screened);
    const sealing = await waitForSealing(stack, 60_000);

    const acceptedPerSecond = (throughput.byStatus['202'] ?? 0) / throughput.seconds;
    const evidencePerSecond = (evidence.byStatus['202'] ?? 0) / evidence.seconds;
    Object.assign(results, {
      date: new Date().toISOString(),
      appSettings,
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        memoryGiB: round(totalmem() / 2 ** 30, 1),
        node: process.version,
        // Other work on the machine during the run skews every figure, ceilings included.
        loadAverage1mAtStart: round(loadAtStart, 2),
        loadAverage1mAtEnd: round(loadavg()[0], 2),
      },
      summary: {
        acceptedPerSecond: round(acceptedPerSecond),
        latencyAt1000: {
          p50Ms: latency.latencyMs.p50,
          p99Ms: latency.latencyMs.p99,
          // The generator's own lateness: large values would make the latencies the generator's, not the API's.
          generatorLagP99Ms: latency.sendLagMs.p99,
          // What the API actually sustained: below 1,000, the latencies include queueing.
          acceptedPerSecond: round((latency.byStatus['202'] ?? 0) / latency.seconds),
          bySecond: latency.bySecond,
        },
        screenedPerSecond: round(backlogScreening.screenedPerSecond),
        screeningAt1000: {
          screenedPerSecond: round(latencyScreening.screenedPerSecond),
          lastLeadAfterLastAcceptedMs: latencyScreening.lastLeadAfterLastAcceptedMs,
          lastScreenedAfterLastAcceptedMs: latencyScreening.lastScreenedAfterLastAcceptedMs,
        },
        evidencePerSecond: round(evidencePerSecond),
        evidenceFormPerSecond: round((form.byStatus['202'] ?? 0) / form.seconds),
        evidenceRun: {
          screenedPerSecond: round(evidenceScreening.screenedPerSecond),
          lastLeadAfterLastAcceptedMs: evidenceScreening.lastLeadAfterLastAcceptedMs,
          leadDelayMs: evidenceScreening.leadDelayMs,
          lastScreenedAfterLastAcceptedMs: evidenceScreening.lastScreenedAfterLastAcceptedMs,
        },
        auditSealing: sealing,
        cpu: {
          maxThroughput: throughputCpu!,
          latencyAt1000: latencyCpu,
          backlogScreening: backlogCpu,
          evidence: evidenceCpu,
          evidenceForm: formCpu,
          idleMsPerSecond,
          // The API's CPU per detection with images less what it spends idle over the phase.
          apiNetOfIdle: {
            evidence: netOfIdle(evidenceCpu, idleMsPerSecond.api),
            evidenceForm: netOfIdle(formCpu, idleMsPerSecond.api),
          },
        },
        postgres: { latencyAt1000: latencyPg, maxThroughput: throughputPg, intakeStatement },
        signedPut,
        ceilings: {
          fastifyZodQueueAddPerSecond: round(baselineA.okPerSecond),
          workerInsertPerSecond: round(baselineB.jobsPerSecond),
          storagePutsPerSecond: round(baselineC.objectsPerSecond),
        },
        ratios: {
          acceptedVsFastifyZodQueueAdd: round(acceptedPerSecond / baselineA.okPerSecond, 3),
          screenedVsWorkerInsert: round(
            (backlogScreening.screenedPerSecond ?? 0) / baselineB.jobsPerSecond,
            3,
          ),
          // Three objects per detection: 1.0 would mean intake stores images as fast as bare putObject calls.
          imagesVsStoragePuts: round((3 * evidencePerSecond) / baselineC.objectsPerSecond, 3),
        },
        targets: {
          acceptedPerSecond: acceptedPerSecond >= TARGETS.acceptedPerSecond,
          p99Ms: latency.latencyMs.p99 <= TARGETS.p99Ms,
          screeningKeepsPace:
            latencyScreening.drained && (latencyScreening.lastScreenedAfterLastAcceptedMs ?? Infinity) < 2000,
          evidencePerSecond: evidencePerSecond >= TARGETS.evidencePerSecond,
        },
      },
      phases: {
        ceilingFastifyZodQueueAdd: baselineA,
        ceilingWorkerInsert: baselineB,
        ceilingStoragePut: baselineC,
        latencyAt1000: { load: latency, screening: latencyScreening },
        maxThroughput: { load: throughput, screening: backlogScreening },
        evidence: { load: evidence, screening: evidenceScreening },
        evidenceForm: { load: form, screening: formScreening },
      },
      config: { PHASE_SECONDS, CONNECTIONS, STATIONS, IMAGE_BYTES, TARGETS },
    });
  } catch (error) {
    if (stack) console.error(stack.output().slice(-5000));
    throw error;
  } finally {
    log('cleaning up');
    await stack?.close().catch((e: unknown) => console.error('stopping the apps failed:', e));
    await infra.close().catch((e: unknown) => console.error('cleanup failed:', e));
  }
  results['totalSeconds'] = round((Date.now() - began) / 1000, 1);
  printTable(results);
  const dir = join(ROOT, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${(results['date'] as string).replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  log(`results written to ${file}`);
}

/** The 1,000/s phase second by second: a steady queue and passing stalls look different. */
function printSeries(bySecond: PacedResult['bySecond']): void {
  console.log(
    `latency at 1,000/s by second (p50/p99/max ms): ${bySecond.map((b) => `${b.second}: ${b.p50}/${b.p99}/${b.max}`).join(' · ')}`,
  );
}

function printTable(results: Record<string, unknown>): void {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the summary built above
  const s = (results['summary'] as any) ?? {};
  const phases = (results['phases'] ?? {}) as Record<string, { screening?: PhaseScreening }>;
  const yes = (b: boolean) => (b ? 'yes' : 'NO');
  // A screening figure of a phase whose outcomes are not the mix's measured another path: not printed.
  const ifMix = (phase: string, figure: string) => {
    const mix = phases[phase]?.screening?.mix;
    return !mix || mix.ok ? figure : `refused: outcome mix off (${mix.problems.join('; ')})`;
  };
  const rows: string[][] = [
    ['figure', 'measured', 'ceiling (same run)', 'ratio', 'target', 'met'],
    [
      'accepted detections/s (no evidence)',
      String(s.acceptedPerSecond),
      `${s.ceilings.fastifyZodQueueAddPerSecond} (Fastify+zod+queue.add)`,
      String(s.ratios.acceptedVsFastifyZodQueueAdd),
      '≥ 5,000',
      yes(s.targets.acceptedPerSecond),
    ],
    [
      `latency at 1,000 req/s evenly spaced p50 / p99 (ms; sustained ${s.latencyAt1000.acceptedPerSecond}/s)`,
      `${s.latencyAt1000.p50Ms} / ${s.latencyAt1000.p99Ms}`,
      '',
      '',
      'p99 ≤ 50',
      yes(s.targets.p99Ms),
    ],
    [
      'CPU ms per accepted detection at full speed: API / Postgres / Redis / load generator; machine busy',
      `${s.cpu.maxThroughput.msPerDetection.api} / ${s.cpu.maxThroughput.msPerDetection.postgres} / ${s.cpu.maxThroughput.msPerDetection.redis} / ${s.cpu.maxThroughput.msPerDetection.loadGenerator}; ${Math.round(s.cpu.maxThroughput.machineBusy * 100)}%`,
      `at these costs the cores carry ${s.cpu.maxThroughput.machineBoundPerSecond}/s (${s.cpu.maxThroughput.serverBoundPerSecond}/s without the generator); the API process ${s.cpu.maxThroughput.apiBoundPerSecond}/s on a core`,
      '',
      '',
      '',
    ],
    [
      'CPU ms per detection at 1,000/s, intake and screening: API / worker / Postgres / Redis; machine busy',
      ifMix(
        'latencyAt1000',
        `${s.cpu.latencyAt1000.msPerDetection.api} / ${s.cpu.latencyAt1000.msPerDetection.worker} / ${s.cpu.latencyAt1000.msPerDetection.postgres} / ${s.cpu.latencyAt1000.msPerDetection.redis}; ${Math.round(s.cpu.latencyAt1000.machineBusy * 100)}%`,
      ),
      `at these costs the cores carry ${s.cpu.latencyAt1000.machineBoundPerSecond}/s (${s.cpu.latencyAt1000.serverBoundPerSecond}/s without the generator)`,
      '',
      '',
      '',
    ],
    [
      'idle CPU ms per second: API / worker',
      `${s.cpu.idleMsPerSecond.api} / ${s.cpu.idleMsPerSecond.worker}`,
      '',
      '',
      '',
      '',
    ],
    [
      'Postgres CPU per intake insert of 5 detections: unnamed / prepared (ms)',
      `${s.postgres.intakeStatement.unnamedCpuMs} / ${s.postgres.intakeStatement.preparedCpuMs}`,
      '',
      '',
      '',
      '',
    ],
    [
      'screened detections/s (backlog, worker alone)',
      ifMix('maxThroughput', String(s.screenedPerSecond)),
      `${s.ceilings.workerInsertPerSecond} (worker, 1 INSERT/job)`,
      String(s.ratios.screenedVsWorkerInsert),
      '',
      '',
    ],
    [
      'CPU ms per screened detection (backlog): worker / Postgres / Redis; machine busy',
      ifMix(
        'maxThroughput',
        `${s.cpu.backlogScreening.msPerDetection.worker} / ${s.cpu.backlogScreening.msPerDetection.postgres} / ${s.cpu.backlogScreening.msPerDetection.redis}; ${Math.round(s.cpu.backlogScreening.machineBusy * 100)}%`,
      ),
      '',
      '',
      '',
      '',
    ],
    [
      'at 1,000/s: screened/s, last screening after last acceptance (ms)',
      ifMix(
        'latencyAt1000',
        `${s.screeningAt1000.screenedPerSecond}, ${s.screeningAt1000.lastScreenedAfterLastAcceptedMs}`,
      ),
      '',
      '',
      'keeps pace',
      yes(s.targets.screeningKeepsPace),
    ],
    [
      'with images: last lead after last acceptance; lead delay p50 / max (ms)',
      ifMix(
        'evidence',
        `${s.evidenceRun.lastLeadAfterLastAcceptedMs}; ${s.evidenceRun.leadDelayMs.p50} / ${s.evidenceRun.leadDelayMs.max}`,
      ),
      '',
      '',
      '',
      '',
    ],
    [
      'audit chain: events of the run; unsealed when it ended; all sealed after the last write (ms)',
      `${s.auditSealing.events}; ${s.auditSealing.unsealedAtEnd}; ${s.auditSealing.sealedAfterLastWriteMs ?? 'not within 60 s'}`,
      '',
      '',
      '',
      '',
    ],
    [
      'detections/s with 3 × 100 KB images',
      String(s.evidencePerSecond),
      `${s.ceilings.storagePutsPerSecond} (putObject 100 KB/s; ratio of images)`,
      String(s.ratios.imagesVsStoragePuts),
      '≥ 200',
      yes(s.targets.evidencePerSecond),
    ],
    [
      'detections/s with 3 × 100 KB images as multipart/form-data',
      String(s.evidenceFormPerSecond),
      '',
      '',
      '≥ 200',
      yes(s.evidenceFormPerSecond >= TARGETS.evidencePerSecond),
    ],
    [
      'CPU ms per detection with images as a form: API (net of its idle CPU) / S3 server / worker / Postgres; machine busy',
      `${s.cpu.evidenceForm.msPerDetection.api} (${s.cpu.apiNetOfIdle.evidenceForm}) / ${s.cpu.evidenceForm.msPerDetection.s3} / ${s.cpu.evidenceForm.msPerDetection.worker} / ${s.cpu.evidenceForm.msPerDetection.postgres}; ${Math.round(s.cpu.evidenceForm.machineBusy * 100)}%`,
      `at these costs the cores carry ${s.cpu.evidenceForm.machineBoundPerSecond}/s (${s.cpu.evidenceForm.serverBoundPerSecond}/s without the generator)`,
      '',
      '≤ 3 ms API',
      yes(s.cpu.apiNetOfIdle.evidenceForm <= 3),
    ],
    [
      'client CPU per new 100 KB image stored: ask + putObject / ask + PUT signed with the known sha256 / conditional PUT signed with it (ms)',
      `${s.signedPut.statPutObjectCpuMs} / ${s.signedPut.statKnownSha256CpuMs} / ${s.signedPut.conditionalKnownSha256CpuMs}`,
      '',
      '',
      '',
      '',
    ],
    [
      'CPU ms per detection with images: API (net of its idle CPU) / S3 server / worker / Postgres; machine busy',
      `${s.cpu.evidence.msPerDetection.api} (${s.cpu.apiNetOfIdle.evidence}) / ${s.cpu.evidence.msPerDetection.s3} / ${s.cpu.evidence.msPerDetection.worker} / ${s.cpu.evidence.msPerDetection.postgres}; ${Math.round(s.cpu.evidence.machineBusy * 100)}%`,
      `at these costs the cores carry ${s.cpu.evidence.machineBoundPerSecond}/s (${s.cpu.evidence.serverBoundPerSecond}/s without the generator)`,
      '',
      '',
      '',
    ],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(
    [
      '',
      line(rows[0]!),
      `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
      ...rows.slice(1).map(line),
    ].join('\n'),
  );
  for (const [name, phase] of Object.entries(phases))
    if (phase.screening)
      console.log(
        `${name}: accepted ${phase.screening.accepted}, screened ${phase.screening.screened}, leads ${phase.screening.leads}, outcomes ${JSON.stringify(phase.screening.outcomes)} = ${describeMix(phase.screening.mix)}${phase.screening.drained ? '' : ' (NOT DRAINED within the bound)'}`,
      );
  printSeries(s.latencyAt1000.bySecond ?? []);
  console.log(
    "CPU: the API, the worker and the S3 server by process; Postgres: the backends of the run's database only; Redis: the whole server (shared with anything else on the machine)",
  );
  console.log(`${results['totalSeconds']} s in all\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
