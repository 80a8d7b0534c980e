import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { databaseUrl } from '../support/environment';
import { freePort, spawnApp, stopProcess, testEnvironment } from '../support/test-app';

async function waitFor(url: string, timeoutMs: number, output: () => string): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return response;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not ready within ${timeoutMs} ms:\n${output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('processes', () => {
  it('runs the worker as an application context with a health port, and stops it cleanly on SIGTERM', async () => {
    const env = await testEnvironment('worker');
    const { child, output } = spawnApp('worker', env);
    try {
      const ready = await waitFor(
        `http://127.0.0.1:${env['WORKER_HEALTH_PORT']}/health/ready`,
        45_000,
        output,
      );
      expect(await ready.json()).toMatchObject({
        status: 'up',
        checks: { database: { status: 'up' }, redis: { status: 'up' } },
      });
    } finally {
      await stopProcess(child);
    }
    // Nest runs the shutdown hooks, then re-raises the signal: an exit by SIGTERM with nothing logged as error.
    expect(child.exitCode === 0 || child.signalCode === 'SIGTERM').toBe(true);
    expect(output()).not.toMatch(/"level":(50|60)/);
  });

  it('refuses to start with a bad configuration value, naming the variable', async () => {
    const env = await testEnvironment('badconfig', { PORT: 'eighty', BUREAU_TIMEZONE: 'Mars/Olympus' });
    const { child, output } = spawnApp('api', env);
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(output()).toContain('PORT:');
    expect(output()).toContain('BUREAU_TIMEZONE: not an IANA time zone');
    expect(output()).not.toContain(env['JWT_SECRET']!);
  });

  it('npm start: creates and migrates the database, starts a local S3 server, the API and the worker; SIGINT stops all', async () => {
    const database = databaseUrl(`ecc_e2e_${process.env['ECC_E2E_RUN_ID']}_devstack`);
    const [port, workerPort, s3Port] = [await freePort(), await freePort(), await freePort()];
    const child = spawn(
      process.execPath,
      ['--conditions=@ecc/source', '-r', '@swc-node/register', 'apps/devstack/src/main.ts'],
      {
        cwd: resolve(__dirname, '../..'),
        env: {
          PATH: process.env['PATH'] ?? '',
          DATABASE_URL: database,
          PORT: String(port),
          WORKER_HEALTH_PORT: String(workerPort),
          LOCAL_S3_PORT: String(s3Port),
          LOCAL_S3_DIR: mkdtempSync(join(tmpdir(), 'ecc-devstack-s3-')),
          QUEUE_PREFIX: `ecc-e2e-${process.env['ECC_E2E_RUN_ID']}-dev`.slice(0, 32),
          EVIDENCE_BUCKET: 'devstack-evidence',
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    try {
      const ready = await waitFor(`http://127.0.0.1:${port}/health/ready`, 60_000, () => output);
      expect(await ready.json()).toMatchObject({ status: 'up' });
      await waitFor(`http://127.0.0.1:${workerPort}/health/ready`, 30_000, () => output);
      expect(output).toContain(`started a local S3 server on http://127.0.0.1:${s3Port}`);
      expect(output).toMatch(/applied migrations: \d+_init/);
      const docs = (await (await fetch(`http://127.0.0.1:${port}/api/docs-json`)).json()) as {
        openapi: string;
      };
      expect(docs.openapi).toMatch(/^3\./);

      const db = new Client({ connectionString: database });
      await db.connect();
      const { rows } = await db.query(
        'SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL',
      );
      await db.end();
      expect(rows[0].n).toBeGreaterThan(0);
    } finally {
      await stopProcess(child, 'SIGINT');
    }
    expect(child.exitCode).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
    await expect(fetch(`http://127.0.0.1:${s3Port}/`)).rejects.toThrow();
  }, 120_000);
});
