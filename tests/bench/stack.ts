import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { createDatabase, migrate } from '@ecc/shared-data';
import { databaseUrl, E2E_ENV } from '../support/environment';
import globalTeardown from '../support/global-teardown';
import { startTestStack, stopProcess, type TestApi } from '../support/test-app';

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

/** Starts the S3 server (its own process) and the template database, and sets the environment the test helpers read. */
export async function startInfrastructure(): Promise<{
  runId: string;
  /** The S3 server's process. */
  s3Pid: number;
  close(): Promise<void>;
}> {
  process.env.TZ = 'UTC';
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const s3Dir = mkdtempSync(join(tmpdir(), 'ecc-bench-s3-'));
  const s3 = spawn(
    process.execPath,
    ['--conditions=@ecc/source', '-r', '@swc-node/register', 'tests/bench/s3-server.ts', s3Dir],
    { cwd: resolve(__dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error('the S3 server did not start within 30 s')), 30_000);
    s3.stdout!.on('data', (chunk: Buffer) => {
      const match = /port=(\d+)/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      }
    });
    s3.once('exit', (code) => reject(new Error(`the S3 server exited with ${code}`)));
  });
  const template = databaseUrl(`ecc_e2e_${runId}_template`);
  await createDatabase(template);
  await migrate(template);
  process.env[E2E_ENV.s3Endpoint] = `http://127.0.0.1:${port}`;
  process.env[E2E_ENV.templateDatabaseUrl] = template;
  process.env[E2E_ENV.runId] = runId;
  return {
    runId,
    s3Pid: s3.pid!,
    close: async () => {
      // Drops every database and Redis key named with the run id (the tests' own teardown), then the S3 server.
      await globalTeardown();
      await stopProcess(s3);
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
