import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { freePort } from '../../support/test-app';

/**
 * The fault suite's own servers — a Postgres cluster, a Redis, an S3 server — on free ports in temporary
 * folders, never the machine's shared ones, each of which the suite can stop, kill, freeze and start again.
 */
export interface FaultableServer {
  readonly name: string;
  readonly port: number;
  /** Stops it cleanly and starts it again. */
  restart(): Promise<void>;
  /** SIGKILL (every process of it). */
  kill(): Promise<void>;
  start(): Promise<void>;
  /** SIGSTOP: connections stay open, nothing answers. */
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

const ROOT = resolve(__dirname, '../../..');

function signal(pids: number[], name: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, name);
    } catch {
      // gone already
    }
  }
}

/** The processes whose parent is `pid` (a postmaster's backends and helpers). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces, so read after its closing parenthesis.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return children;
}

async function waitForExit(pid: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`process ${pid} did not exit within ${timeoutMs} ms`);
}

/**
 * A Postgres cluster of the machine's PostgreSQL (the binaries of `pg_config --bindir`), run as the `postgres`
 * user — Postgres refuses to run as root — in a folder it owns, with fsync off: a killed process loses nothing the
 * kernel holds, and the machine does not crash here. (synchronous_commit stays on: with it off, a commit already
 * acknowledged is lost when the server is killed, and so would be a detection a station was told was accepted.)
 */
export class PostgresCluster implements FaultableServer {
  readonly name = 'postgres';
  private frozen: number[] = [];

  private constructor(
    private readonly bin: string,
    private readonly dir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<PostgresCluster> {
    const bin = execFileSync('pg_config', ['--bindir']).toString().trim();
    const dir = mkdtempSync(join(tmpdir(), 'ecc-faults-pg-'));
    const cluster = new PostgresCluster(bin, dir, await freePort());
    if (userInfo().uid === 0) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
      chownSync(dir, uid, gid);
    }
    cluster.run('initdb', ['-D', cluster.data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
    await cluster.start();
    return cluster;
  }

  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private get data(): string {
    return join(this.dir, 'data');
  }

  /** A Postgres binary as the postgres user (when run as root). */
  private run(tool: string, args: string[]): string {
    const command = join(this.bin, tool);
    const [file, argv] =
      userInfo().uid === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
    return execFileSync(file, argv, { stdio: 'pipe' }).toString();
  }

  async start(): Promise<void> {
    const options = [
      `-p ${this.port}`,
      `-k ${this.dir}`,
      '-c listen_addresses=127.0.0.1',
      '-c fsync=off',
      '-c max_connections=60',
      '-c shared_buffers=32MB',
    ].join(' ');
    this.run('pg_ctl', [
      '-D',
      this.data,
      '-l',
      join(this.dir, 'log'),
      '-w',
      '-t',
      '60',
      '-o',
      options,
      'start',
    ]);
  }

  async restart(): Promise<void> {
    this.run('pg_ctl', ['-D', this.data, '-m', 'fast', '-w', '-t', '60', 'stop']);
    await this.start();
  }

  private postmaster(): number {
    return Number(readFileSync(join(this.data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  }

  async kill(): Promise<void> {
    const postmaster = this.postmaster();
    const all = [postmaster, ...childrenOf(postmaster)];
    signal(all, 'SIGKILL');
    await Promise.all(all.map((pid) => waitForExit(pid)));
  }

  freeze(): void {
    const postmaster = this.postmaster();
    // The postmaster first, so that it forks no new backend meanwhile.
    this.frozen = [postmaster, ...childrenOf(postmaster)];
    signal(this.frozen, 'SIGSTOP');
  }

  thaw(): void {
    signal(this.frozen, 'SIGCONT');
    this.frozen = [];
  }

  async close(): Promise<void> {
    this.thaw();
    try {
      this.run('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // not running
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A server that is one child process of ours, started again on the same port (Redis, the S3 server). */
abstract class ChildServer implements FaultableServer {
  abstract readonly name: string;
  protected child?: ChildProcess;
  private output = '';

  constructor(readonly port: number) {}

  protected abstract spawnArgs(): [string, string[]];
  /** The line it prints once it serves. */
  protected abstract readyLine: RegExp;

  async start(): Promise<void> {
    const [file, args] = this.spawnArgs();
    const child = spawn(file, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    await new Promise<void>((resolveStart, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.name} did not start:\n${this.output}`)),
        30_000,
      );
      const onData = (chunk: Buffer) => {
        this.output = (this.output + chunk.toString()).slice(-4000);
        if (this.readyLine.test(this.output)) {
          clearTimeout(timer);
          resolveStart();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited with ${code}:\n${this.output}`));
      });
    });
    this.output = '';
  }

  /**
   * Stops it with `name`; a SIGTERM not obeyed within 10 s is followed by SIGKILL, as an orchestrator does (`docker
   * stop`): the S3 server's graceful close waits for clients' keep-alive connections, which the API under load never
   * leaves idle — a restart then waited for ever (the suite's 180 s) and the next start found the port still taken.
   */
  private async stop(name: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGCONT');
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(name);
    const forced = name === 'SIGKILL' ? undefined : setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(forced);
  }

  async restart(): Promise<void> {
    await this.stop('SIGTERM');
    await this.start();
  }

  kill(): Promise<void> {
    return this.stop('SIGKILL');
  }

  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  async close(): Promise<void> {
    await this.stop('SIGKILL');
  }
}

/** redis-server without persistence: a restart comes back empty, as a flushed or replaced Redis would. */
export class RedisServer extends ChildServer {
  readonly name = 'redis';
  protected readyLine = /Ready to accept connections/;

  static async create(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  protected spawnArgs(): [string, string[]] {
    return [
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--loglevel',
        'notice',
      ],
    ];
  }
}

/** The S3 server (s3rver) in its own process, its objects kept in a folder across restarts. */
export class S3Server extends ChildServer {
  readonly name = 'storage';
  protected readyLine = /port=\d+/;
  private readonly dir = mkdtempSync(join(tmpdir(), 'ecc-faults-s3-'));

  static async create(): Promise<S3Server> {
    const server = new S3Server(await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  protected spawnArgs(): [string, string[]] {
    return [
      process.execPath,
      [
        '--conditions=@ecc/source',
        '-r',
        '@swc-node/register',
        'tests/bench/s3-server.ts',
        this.dir,
        String(this.port),
      ],
    ];
  }

  override async close(): Promise<void> {
    await super.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
