import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import S3rver from 's3rver';
import { createDatabase, migrate } from '@ecc/shared-data';
import { databaseUrl, E2E_ENV } from '../support/environment';
import globalTeardown from '../support/global-teardown';
import { startTestStack, type TestApi } from '../support/test-app';

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
  api: TestApi;
  worker: ChildProcess;
  output(): string;
  /** Process ids of the API and the worker (the API's found by its listening port: TestApi keeps no handle). */
  pids(): number[];
  close(): Promise<void>;
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
  const stack = await startTestStack('bench', overrides);
  return {
    runId,
    env: stack.api.env,
    apiUrl: stack.api.url,
    db: stack.api.db,
    api: stack.api,
    worker: stack.worker.child,
    pids: () => {
      const listening = execFileSync('ss', ['-ltnpH', `sport = :${stack.api.env['PORT']}`]).toString();
      const api = [...listening.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));
      return [...new Set(api), stack.worker.child.pid!];
    },
    output: () => `--- api\n${stack.api.output()}\n--- worker\n${stack.worker.output()}`,
    close: async () => {
      // A stopped (SIGSTOP) worker must be continued before it can handle SIGTERM.
      stack.worker.child.kill('SIGCONT');
      await stack.close();
    },
  };
}
