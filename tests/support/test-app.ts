import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { databaseUrl, e2eValue, TEST_POSTGRES_URL, TEST_REDIS_URL } from './environment';

export const ADMIN = { username: 'admin', password: 'admin-password-for-tests' };

/** A database of its own for one test file, cloned from the run's migrated template. */
export async function createTestDatabase(label: string): Promise<string> {
  const name = `ecc_e2e_${e2eValue('runId')}_${label.replace(/[^a-z0-9]/gi, '').toLowerCase()}_${randomBytes(3).toString('hex')}`;
  const template = new URL(e2eValue('templateDatabaseUrl')).pathname.slice(1);
  const pg = new Client({ connectionString: TEST_POSTGRES_URL });
  await pg.connect();
  try {
    await pg.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await pg.end();
  }
  return databaseUrl(name);
}

export interface TestApi {
  env: Record<string, string>;
  url: string;
  /** A direct connection to the file's database, for assertions on what was (not) written. */
  db: Client;
  /** What the process printed (JSON log lines), for diagnosing a failure. */
  output(): string;
  close(): Promise<void>;
}

const root = resolve(__dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

/** Every process a test file started, so that none outlives the file (see tests/support/cleanup.ts). */
const spawned = new Set<ChildProcess>();
/** Each started app's output so far, for the report of an app that does not stop. */
const outputOf = new WeakMap<ChildProcess, () => string>();

export async function stopAllSpawned(): Promise<void> {
  await Promise.all([...spawned].map((child) => stopProcess(child, 'SIGKILL')));
}

/** Starts one of the real apps as its own process, exactly as `npm start` does, with the given environment. */
export function spawnApp(
  app: 'api' | 'worker',
  env: Record<string, string>,
): { child: ChildProcess; output: () => string } {
  const child = spawn(
    process.execPath,
    ['--conditions=@ecc/source', '-r', '@swc-node/register', `apps/${app}/src/main.ts`],
    {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', TZ: 'UTC', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  spawned.add(child);
  child.once('exit', () => spawned.delete(child));
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  outputOf.set(child, () => output);
  return { child, output: () => output };
}

/**
 * Stops a started app and waits for it to exit. A graceful stop that takes longer than `graceMs` (a loaded
 * machine, a connection the app waits on) is reported on stderr with the app's last output, and the app is
 * killed: a test file's cleanup must not hang. Whether the apps stop gracefully, and how fast, is asserted by
 * tests/e2e/processes.e2e-spec.ts, not here.
 */
export async function stopProcess(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 20_000,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  if (signal === 'SIGKILL') return void (await exited);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), graceMs)));
  if ((await Promise.race([exited, late])) === 'late') {
    process.stderr.write(
      `app ${child.pid} had not exited ${graceMs} ms after ${signal}; killing it. Its last output:\n` +
        `${outputOf.get(child)?.().slice(-4000) ?? '(not captured)'}\n`,
    );
    child.kill('SIGKILL');
    await exited;
  }
  clearTimeout(timer);
}

export async function waitUntilReady(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs = 45_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the app was not ready within ${timeoutMs} ms:\n${output()}`);
}

/** The environment of a test file's apps: its own database, bucket and queue prefix. */
export async function testEnvironment(
  label: string,
  env: Record<string, string> = {},
): Promise<Record<string, string>> {
  const database = await createTestDatabase(label);
  const suffix = `${label.replace(/[^a-z0-9]/gi, '').toLowerCase()}-${randomBytes(3).toString('hex')}`;
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    WORKER_HEALTH_PORT: String(await freePort()),
    DATABASE_URL: database,
    DATABASE_POOL_SIZE: '5',
    MIGRATE_ON_START: 'false',
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `ecc-e2e-${e2eValue('runId')}-${suffix}`.slice(0, 32),
    S3_ENDPOINT: e2eValue('s3Endpoint'),
    EVIDENCE_BUCKET: `e2e-${suffix}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    // The API and the worker of one file share their keys (unset, each process would draw its own).
    SECRETS_KEY: randomBytes(32).toString('hex'),
    AUDIT_SIGNING_KEY: randomBytes(32).toString('hex'),
    BOOTSTRAP_ADMIN_USERNAME: ADMIN.username,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    ...env,
  };
}

/**
 * Boots the real API process (Fastify, Postgres, Redis, S3) on a free port and waits until it is ready. `derive`
 * adds settings made from the environment (e.g. a URL naming the test's own database).
 */
export async function startTestApi(
  label: string,
  env: Record<string, string> = {},
  derive?: (env: Record<string, string>) => Record<string, string>,
): Promise<TestApi> {
  const base = await testEnvironment(label, env);
  const appEnv = derive ? { ...base, ...derive(base) } : base;
  const url = `http://127.0.0.1:${appEnv['PORT']}`;
  const { child, output } = spawnApp('api', appEnv);
  await waitUntilReady(url, child, output);
  const db = new Client({ connectionString: appEnv['DATABASE_URL'] });
  await db.connect();
  return {
    env: appEnv,
    url,
    db,
    output,
    close: async () => {
      await db.end();
      await stopProcess(child);
    },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted on, not typed
export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** fetch() against the running API, returning parsed JSON (problem+json included). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function call<T = any>(
  api: TestApi,
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; token?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${api.url}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

export async function tokenFor(api: TestApi, username: string, password: string): Promise<string> {
  const response = await call<{ accessToken: string }>(api, 'POST', '/api/v1/auth/token', {
    body: { username, password },
  });
  if (response.status !== 200)
    throw new Error(`login of ${username} failed: ${JSON.stringify(response.body)}`);
  return response.body.accessToken;
}

export interface TestStack {
  api: TestApi;
  /** The worker process sharing the API's environment (database, Redis prefix, bucket). */
  worker: { child: ChildProcess; output: () => string };
  close(): Promise<void>;
}

/** The API and the worker as two real processes over one environment, both ready. */
export async function startTestStack(label: string, env: Record<string, string> = {}): Promise<TestStack> {
  const api = await startTestApi(label, env);
  const worker = spawnApp('worker', api.env);
  try {
    await waitUntilReady(`http://127.0.0.1:${api.env['WORKER_HEALTH_PORT']}`, worker.child, worker.output);
  } catch (error) {
    await api.close();
    throw error;
  }
  return {
    api,
    worker,
    close: async () => {
      await stopProcess(worker.child);
      await api.close();
    },
  };
}

/** A password for a test user that the password policy accepts (it must not contain the username). */
export const passwordFor = (username: string): string =>
  `pw-${createHash('sha256').update(username).digest('hex').slice(0, 12)}-Test`;

/** Creates a user through `POST /api/v1/users` (as the admin) and signs them in. */
export async function makeUser(
  api: TestApi,
  adminToken: string,
  username: string,
  roles: string[],
  extra: Record<string, string> = {},
): Promise<{ token: string; id: string }> {
  const password = passwordFor(username);
  const res = await call<{ id: string }>(api, 'POST', '/api/v1/users', {
    token: adminToken,
    body: { username, password, displayName: username, roles, ...extra },
  });
  if (res.status !== 201) throw new Error(`user ${username}: ${JSON.stringify(res.body)}`);
  return { token: await tokenFor(api, username, password), id: res.body.id };
}
