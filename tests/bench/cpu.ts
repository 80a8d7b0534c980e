import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/**
 * Where the machine's CPU time goes during a phase (Linux /proc): the API, the worker, the S3 server and this
 * process (the load generator) by pid, Postgres and Redis by process name, the rest of the machine as "other".
 * Divided by the detections of the phase it is each component's CPU cost per detection, which says what the
 * machine could do at most — if its cores did nothing but this — independently of how busy it was.
 */
export interface CpuPids {
  api: number[];
  worker: number[];
  s3: number[];
  /**
   * The run's database: only the Postgres backends connected to it are counted (a backend's process title
   * names its database), so other work on a shared machine's Postgres is left out — and so are the server's
   * own background processes (WAL writer, checkpointer, autovacuum). Absent: every Postgres process.
   */
  database?: string;
}

export interface CpuSample {
  atMs: number;
  /** CPU ms used so far, by component. */
  byComponent: Record<CpuComponent, number>;
  /**
   * The same for each Postgres and Redis process: their backends come and go, and the time of one that ended
   * is gone from /proc, so phases count per process (one that ended during a phase is missed, not subtracted).
   */
  byServerProcess: Map<number, { component: 'postgres' | 'redis'; ms: number }>;
  /** CPU ms of the whole machine, busy (all but idle and iowait) and in all. */
  machineBusy: number;
  machineTotal: number;
  /** CPU ms the machine spent waiting for the disk with nothing else to run, and taken by the hypervisor. */
  machineIowait: number;
  machineSteal: number;
}

export type CpuComponent = 'api' | 'worker' | 's3' | 'loadGenerator' | 'postgres' | 'redis';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU time (user + system) a process has used so far, in ms; 0 when it is gone. */
export function processCpuMs(pid: number): number {
  return (processTicks(pid)?.ticks ?? 0) * TICK_MS;
}

/** A process's CPU time so far, in ms, as user and system (kernel: socket and file I/O among it) time. */
export function processCpuSplitMs(pid: number): { user: number; system: number } {
  try {
    const line = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
    return { user: Number(fields[11]) * TICK_MS, system: Number(fields[12]) * TICK_MS };
  } catch {
    return { user: 0, system: 0 };
  }
}

function processTicks(pid: number): { comm: string; ticks: number } | null {
  try {
    const line = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = line.lastIndexOf(')');
    const comm = line.slice(line.indexOf('(') + 1, close);
    const fields = line.slice(close + 2).split(' ');
    // utime and stime: fields 14 and 15 of the line, 12 and 13 after "pid (comm) ".
    return { comm, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null; // gone meanwhile
  }
}

/** A Postgres backend's title: `postgres: [<cluster>: ]<user> <database> <client> <state>`. */
function servesDatabase(pid: number, database: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').split(' ').includes(database);
  } catch {
    return false;
  }
}

export function sampleCpu(pids: CpuPids): CpuSample {
  const byComponent: Record<CpuComponent, number> = {
    api: 0,
    worker: 0,
    s3: 0,
    loadGenerator: 0,
    postgres: 0,
    redis: 0,
  };
  for (const name of ['api', 'worker', 's3'] as const)
    for (const pid of pids[name]) byComponent[name] += processCpuMs(pid);
  const self = process.cpuUsage();
  byComponent.loadGenerator = (self.user + self.system) / 1000;
  const byServerProcess: CpuSample['byServerProcess'] = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const p = processTicks(Number(entry));
    const component = p?.comm === 'postgres' ? 'postgres' : p?.comm === 'redis-server' ? 'redis' : null;
    if (component === 'postgres' && pids.database && !servesDatabase(Number(entry), pids.database)) continue;
    if (p && component) byServerProcess.set(Number(entry), { component, ms: p.ticks * TICK_MS });
  }
  // /proc/stat "cpu" line: user nice system idle iowait irq softirq steal ...
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const machineTotal = fields.slice(0, 8).reduce((a, b) => a + b, 0) * TICK_MS;
  const machineBusy = machineTotal - (fields[3]! + fields[4]!) * TICK_MS;
  return {
    atMs: performance.now(),
    byComponent,
    byServerProcess,
    machineBusy,
    machineTotal,
    machineIowait: fields[4]! * TICK_MS,
    machineSteal: fields[7]! * TICK_MS,
  };
}

export interface CpuUse {
  seconds: number;
  /** The detections the costs are divided by. */
  detections: number;
  /** Share of the machine's cores busy during the phase, 0-1 (whatever did it). */
  machineBusy: number;
  /** Shares of the cores idle waiting for the disk (Postgres's commits), and taken by the hypervisor. */
  machineIowait: number;
  machineSteal: number;
  /** CPU ms per detection, by component; their sum, and the sum without the load generator. */
  msPerDetection: Record<CpuComponent | 'sum' | 'serverSum', number>;
  /**
   * Detections/s the machine's cores could carry at these costs if they did nothing else: cores × 1,000 ms /
   * the sum. An upper bound for this machine in this benchmark, whatever the code does with its time.
   */
  machineBoundPerSecond: number;
  /** The same bound if the load came from another machine (the load generator's cost left out). */
  serverBoundPerSecond: number;
  /** Detections/s one process could carry at the API's cost per detection with a whole core to itself. */
  apiBoundPerSecond: number;
}

export function cpuUse(before: CpuSample, after: CpuSample, detections: number): CpuUse {
  const n = Math.max(1, detections);
  const used = { ...after.byComponent };
  for (const c of Object.keys(used) as CpuComponent[]) used[c] -= before.byComponent[c];
  for (const [pid, { component, ms }] of after.byServerProcess)
    used[component] += ms - (before.byServerProcess.get(pid)?.ms ?? 0);
  const per = (c: CpuComponent) => round(used[c] / n, 3);
  const components = ['api', 'worker', 's3', 'loadGenerator', 'postgres', 'redis'] as const;
  const msPerDetection = Object.fromEntries(components.map((c) => [c, per(c)])) as Record<
    CpuComponent | 'sum' | 'serverSum',
    number
  >;
  msPerDetection.sum = round(
    components.reduce((sum, c) => sum + msPerDetection[c], 0),
    3,
  );
  msPerDetection.serverSum = round(msPerDetection.sum - msPerDetection.loadGenerator, 3);
  const share = (k: 'machineBusy' | 'machineIowait' | 'machineSteal') =>
    round((after[k] - before[k]) / Math.max(1, after.machineTotal - before.machineTotal), 3);
  const bound = (ms: number) => Math.round((cpus().length * 1000) / Math.max(0.001, ms));
  return {
    seconds: round((after.atMs - before.atMs) / 1000, 2),
    detections: n,
    machineBusy: share('machineBusy'),
    machineIowait: share('machineIowait'),
    machineSteal: share('machineSteal'),
    msPerDetection,
    machineBoundPerSecond: bound(msPerDetection.sum),
    serverBoundPerSecond: bound(msPerDetection.serverSum),
    apiBoundPerSecond: Math.round(1000 / Math.max(0.001, msPerDetection.api)),
  };
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** Postgres's own counters for the run's database (they lag by up to a second) and the WAL position. */
export interface PgSample {
  commits: number;
  inserted: number;
  updated: number;
  deleted: number;
  walBytes: number;
}

export async function samplePg(db: { query<R>(sql: string): Promise<{ rows: R[] }> }): Promise<PgSample> {
  const { rows } = await db.query<{ c: string; i: string; u: string; d: string; w: string }>(
    `SELECT xact_commit::text AS c, tup_inserted::text AS i, tup_updated::text AS u, tup_deleted::text AS d,
            (pg_current_wal_lsn() - '0/0')::text AS w
       FROM pg_stat_database WHERE datname = current_database()`,
  );
  const r = rows[0]!;
  return {
    commits: Number(r.c),
    inserted: Number(r.i),
    updated: Number(r.u),
    deleted: Number(r.d),
    walBytes: Number(r.w),
  };
}

/** Per detection: commits, rows inserted, updated and deleted, and WAL bytes written (by the whole server). */
export function pgUse(before: PgSample, after: PgSample, detections: number): PgSample {
  const n = Math.max(1, detections);
  const per = (k: keyof PgSample) => round((after[k] - before[k]) / n, k === 'walBytes' ? 0 : 2);
  return {
    commits: per('commits'),
    inserted: per('inserted'),
    updated: per('updated'),
    deleted: per('deleted'),
    walBytes: per('walBytes'),
  };
}
