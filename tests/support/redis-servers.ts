import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Cluster } from 'ioredis';
import { freePort } from './test-app';
import { waitFor } from './wait-for';

/**
 * Redis topologies of a test's own, from the machine's `redis-server` and `redis-cli`: processes on free local
 * ports in a temporary folder, without persistence. `close()` stops every process and removes the folder.
 */

const run = promisify(execFile);

export const redisCli = async (port: number, ...args: string[]): Promise<string> =>
  (await run('redis-cli', ['-p', String(port), ...args], { timeout: 30_000 })).stdout;

/** redis-server processes started one by one, each waited for until it accepts connections. */
class RedisProcesses {
  readonly dir: string;
  private readonly children = new Map<number, ChildProcess>();

  constructor(label: string) {
    this.dir = mkdtempSync(join(tmpdir(), `ecc-redis-${label}-`));
  }

  /** `ready`: the line it prints once it serves (a Sentinel prints no "Ready to accept connections"). */
  async start(args: string[], port: number, ready = /Ready to accept connections/): Promise<void> {
    const child = spawn('redis-server', [...args, '--port', String(port), '--bind', '127.0.0.1'], {
      cwd: this.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.set(port, child);
    let text = '';
    const keep = (chunk: Buffer) => (text = (text + chunk.toString()).slice(-4000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    await waitFor(`redis-server on ${port}`, async () => ready.test(text), {
      timeoutMs: 15_000,
      output: () => text,
    });
  }

  isRunning(port: number): boolean {
    const child = this.children.get(port);
    return !!child && child.exitCode === null && child.signalCode === null;
  }

  /** SIGKILL: the server is gone at once, as a crashed host would be. */
  async kill(port: number): Promise<void> {
    const child = this.children.get(port);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async close(): Promise<void> {
    await Promise.all([...this.children.keys()].map((port) => this.kill(port)));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const NO_PERSISTENCE = ['--save', '', '--appendonly', 'no'];

export interface TestRedisCluster {
  /** `redis+cluster://` of two of the nodes: the apps discover the rest, as in a deployment. */
  url: string;
  ports: number[];
  /** A client of the cluster for assertions (closed by `close()`). */
  client: Cluster;
  /** The port of the master serving the slot of `key`. */
  masterOf(key: string): Promise<number>;
  /** Kills the node on `port` (SIGKILL). */
  kill(port: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A Redis Cluster: `redis-server --cluster-enabled yes` processes (masters and a replica each) joined by
 * `redis-cli --cluster create`.
 */
export async function startRedisCluster(options: { masters?: number } = {}): Promise<TestRedisCluster> {
  const masters = options.masters ?? 3;
  const processes = new RedisProcesses('cluster');
  let client: Cluster | undefined;
  const close = async () => {
    client?.disconnect();
    await processes.close();
  };
  try {
    const ports: number[] = [];
    for (let i = 0; i < masters * 2; i++) {
      // The cluster bus port is named, not left at port + 10000 (which may be taken or beyond 65535).
      const [port, busPort] = [await freePort(), await freePort()];
      ports.push(port);
      await processes.start(
        [
          ...['--cluster-enabled', 'yes', '--cluster-port', String(busPort)],
          ...['--cluster-config-file', join(processes.dir, `nodes-${port}.conf`)],
          ...['--cluster-node-timeout', '3000', ...NO_PERSISTENCE],
        ],
        port,
      );
    }
    await run(
      'redis-cli',
      [
        ...['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`)],
        ...['--cluster-replicas', '1', '--cluster-yes'],
      ],
      { timeout: 60_000 },
    );
    // Every node agrees that the cluster serves all its slots.
    await waitFor(
      'the cluster to be ok on every node',
      async () => {
        const states = await Promise.all(ports.map((p) => redisCli(p, 'cluster', 'info')));
        return states.every((s) => /cluster_state:ok/.test(s) && /cluster_slots_ok:16384/.test(s));
      },
      30_000,
    );
    const url = `redis+cluster://127.0.0.1:${ports[0]},127.0.0.1:${ports[1]}`;
    client = new Cluster(ports.slice(0, 2).map((port) => ({ host: '127.0.0.1', port })));
    const ready = client;
    await waitFor('a cluster client', async () => ready.status === 'ready', 15_000);
    const masterOf = async (key: string) => {
      const live = ports.find((p) => processes.isRunning(p))!;
      const slot = Number(await redisCli(live, 'cluster', 'keyslot', key));
      // `cluster nodes`: id host:port@bus flags master-id ping pong epoch state slot-ranges…
      for (const line of (await redisCli(live, 'cluster', 'nodes')).split('\n')) {
        const [, address, flags, , , , , state, ...ranges] = line.split(' ');
        if (!flags?.includes('master') || flags.includes('fail') || state !== 'connected') continue;
        const serves = ranges.some((r) => {
          const [from, to = from] = r.split('-').map(Number);
          return slot >= from! && slot <= to!;
        });
        if (serves) return Number(address!.split('@')[0]!.split(':')[1]);
      }
      throw new Error(`no master serves slot ${slot}`);
    };
    return { url, ports, client, masterOf, kill: (port) => processes.kill(port), close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Every key of the cluster (each master answers for its own slots). */
export async function clusterKeys(client: Cluster): Promise<string[]> {
  const keys = await Promise.all(client.nodes('master').map((node) => node.keys('*')));
  return keys.flat();
}

export interface TestRedisSentinel {
  /** `redis+sentinel://` of the Sentinel, naming the master. */
  url: string;
  masterName: string;
  sentinelPort: number;
  /** The data servers: the first starts as the master, the second as its replica. */
  ports: [number, number];
  /** The port of the master the Sentinel names now. */
  masterPort(): Promise<number>;
  close(): Promise<void>;
}

/** A master, its replica and a Sentinel monitoring them (quorum 1: enough for a failover on request). */
export async function startRedisSentinel(): Promise<TestRedisSentinel> {
  const processes = new RedisProcesses('sentinel');
  const masterName = 'ecc-master';
  try {
    const ports: [number, number] = [await freePort(), await freePort()];
    await processes.start(NO_PERSISTENCE, ports[0]);
    await processes.start([...NO_PERSISTENCE, '--replicaof', '127.0.0.1', String(ports[0])], ports[1]);
    await waitFor('the replica in sync', async () =>
      /master_link_status:up/.test(await redisCli(ports[1], 'info', 'replication')),
    );
    const sentinelPort = await freePort();
    // A Sentinel rewrites its configuration file, so it gets one of its own in the folder.
    const config = join(processes.dir, 'sentinel.conf');
    writeFileSync(
      config,
      [
        `sentinel monitor ${masterName} 127.0.0.1 ${ports[0]} 1`,
        `sentinel down-after-milliseconds ${masterName} 2000`,
        `sentinel failover-timeout ${masterName} 10000`,
        '',
      ].join('\n'),
    );
    await processes.start([config, '--sentinel'], sentinelPort, /Sentinel ID is/);
    const masterPort = async () =>
      Number(
        (await redisCli(sentinelPort, 'sentinel', 'get-master-addr-by-name', masterName)).split('\n')[1],
      );
    // The Sentinel has found the replica (a failover needs one).
    await waitFor('the Sentinel to know the replica', async () =>
      (await redisCli(sentinelPort, 'sentinel', 'replicas', masterName)).includes(String(ports[1])),
    );
    return {
      url: `redis+sentinel://127.0.0.1:${sentinelPort}/${masterName}`,
      masterName,
      sentinelPort,
      ports,
      masterPort,
      close: () => processes.close(),
    };
  } catch (error) {
    await processes.close();
    throw error;
  }
}
