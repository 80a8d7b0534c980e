import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Cluster } from 'ioredis';
import { freePort } from './test-app';
import { waitFor } from './wait-for';

/**
 * A real Redis Cluster of the test's own: `redis-server --cluster-enabled yes` processes on free local ports
 * (masters and a replica each), joined by `redis-cli --cluster create`, in a temporary folder, without
 * persistence. `close()` stops every process and removes the folder.
 */
export interface TestRedisCluster {
  /** `redis+cluster://` of two of the nodes: the apps discover the rest, as in a deployment. */
  url: string;
  ports: number[];
  /** A client of the cluster for assertions (closed by `close()`). */
  client: Cluster;
  close(): Promise<void>;
}

const run = promisify(execFile);

export async function startRedisCluster(options: { masters?: number } = {}): Promise<TestRedisCluster> {
  const masters = options.masters ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'ecc-redis-cluster-'));
  const children: ChildProcess[] = [];
  let client: Cluster | undefined;
  const close = async () => {
    client?.disconnect();
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await exited;
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ports: number[] = [];
    for (let i = 0; i < masters * 2; i++) {
      // The cluster bus port is named, not left at port + 10000 (which may be taken or beyond 65535).
      const [port, busPort] = [await freePort(), await freePort()];
      ports.push(port);
      const child = spawn(
        'redis-server',
        [
          ...['--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1'],
          ...['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`)],
          ...['--cluster-node-timeout', '3000', '--dir', dir, '--save', '', '--appendonly', 'no'],
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      children.push(child);
      let text = '';
      child.stdout!.on('data', (chunk: Buffer) => (text = (text + chunk.toString()).slice(-4000)));
      child.stderr!.on('data', (chunk: Buffer) => (text = (text + chunk.toString()).slice(-4000)));
      await waitFor(`redis-server on ${port}`, async () => /Ready to accept connections/.test(text), {
        timeoutMs: 15_000,
        output: () => text,
      });
    }
    await run(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...ports.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        '1',
        '--cluster-yes',
      ],
      { timeout: 60_000 },
    );
    // Every node agrees that the cluster serves all its slots.
    await waitFor(
      'the cluster to be ok on every node',
      async () => {
        const states = await Promise.all(
          ports.map(async (p) => (await run('redis-cli', ['-p', String(p), 'cluster', 'info'])).stdout),
        );
        return states.every((s) => /cluster_state:ok/.test(s) && /cluster_slots_ok:16384/.test(s));
      },
      30_000,
    );
    const url = `redis+cluster://127.0.0.1:${ports[0]},127.0.0.1:${ports[1]}`;
    client = new Cluster(ports.slice(0, 2).map((port) => ({ host: '127.0.0.1', port })));
    const ready = client;
    await waitFor('a cluster client', async () => ready.status === 'ready', 15_000);
    return { url, ports, client, close };
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
