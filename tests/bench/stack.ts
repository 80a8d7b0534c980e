import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import S3rver from 's3rver';
import { createDatabase, migrate } from '@ecc/shared-data';
import { databaseUrl, E2E_ENV } from '../support/environment';
import globalTeardown from '../support/global-teardown';
import { spawnApp, stopProcess, testEnvironment } from '../support/test-app';

/**
 * What the benchmark runs against: the same pieces as the end-to-end tests (an S3 server in a temporary
 * folder, a migrated template database, the real API and worker processes with their own database, queue
 * prefix and bucket), named with the e2e run id so that the tests' global teardown cleans them up.
 */
export interface BenchStack {
  runId: string;
  env: Record<string, string>;
  apiUrl: string;
  db: Client;
  api: ChildProcess;
  worker: ChildProcess;
  output(): string;
  close(): Promise<void>;
}

async function waitUntilUp(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`a process exited with ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} was not ready within 60 s:\n${output()}`);
}

/** Starts the S3 server and the template database, and sets the environment the test helpers read. */
export async function startInfrastructure(): Promise<{ runId: string; close(): Promise<void> }> {
  process.env.TZ = 'UTC';
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const s3Dir = mkdtempSync(join(tmpdir(), 'ecc-bench-s3-'));
  const s3 = new S3rver({ address: '127.0.0.1', port: 0, directory: s3Dir, silent: true });
  const { port } = await s3.run();
  const template = databaseUrl(`ecc_e2e_${runId}_template`);
  await createDatabase(template);
  await migrate(template);
  process.env[E2E_ENV.s3Endpoint] = `http://127.0.0.1:${port}`;
  process.env[E2E_ENV.templateDatabaseUrl] = template;
  process.env[E2E_ENV.runId] = runId;
  (globalThis as { __ECC_E2E__?: unknown }).__ECC_E2E__ = { s3 };
  return {
    runId,
    close: async () => {
      // Drops every database and Redis key named with the run id, and stops the S3 server.
      await globalTeardown();
      rmSync(s3Dir, { recursive: true, force: true });
    },
  };
}

/** The real API and worker processes on one database, queue prefix and bucket. */
export async function startStack(runId: string, overrides: Record<string, string>): Promise<BenchStack> {
  const env = await testEnvironment('bench', overrides);
  const apiUrl = `http://127.0.0.1:${env['PORT']}`;
  const api = spawnApp('api', env);
  // The worker waits for the API, which owns migrations and the bucket, as in docker/compose.yaml.
  await waitUntilUp(`${apiUrl}/health/ready`, api.child, api.output);
  const worker = spawnApp('worker', env);
  const output = () => `--- api\n${api.output()}\n--- worker\n${worker.output()}`;
  await waitUntilUp(`http://127.0.0.1:${env['WORKER_HEALTH_PORT']}/health/ready`, worker.child, output);
  const db = new Client({ connectionString: env['DATABASE_URL'] });
  await db.connect();
  return {
    runId,
    env,
    apiUrl,
    db,
    api: api.child,
    worker: worker.child,
    output,
    close: async () => {
      await db.end();
      // A stopped (SIGSTOP) worker must be continued before it can handle SIGTERM.
      worker.child.kill('SIGCONT');
      await Promise.all([stopProcess(api.child), stopProcess(worker.child)]);
    },
  };
}
