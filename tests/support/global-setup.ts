import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import S3rver from 's3rver';
import { databaseUrl, E2E_ENV } from './environment';

/**
 * Once per run: an S3 server in a temporary folder, and a migrated template database that every test
 * file clones into a database of its own. Nothing touches development data.
 * (Global setup runs outside jest's module resolution, so it uses the project's commands, not its libs.)
 */
export default async function globalSetup(): Promise<void> {
  process.env.TZ = 'UTC';
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const s3 = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory: mkdtempSync(join(tmpdir(), 'ecc-e2e-s3-')),
    silent: true,
  });
  const { port } = await s3.run();
  const template = databaseUrl(`ecc_e2e_${runId}_template`);
  const run = (script: string) =>
    execFileSync(process.execPath, ['--conditions=@ecc/source', '-r', '@swc-node/register', script], {
      cwd: resolve(__dirname, '../..'),
      env: { ...process.env, DATABASE_URL: template },
      stdio: 'pipe',
    });
  run('libs/shared/data/src/migrate.cli.ts');
  run('tests/support/seed-test-calendar.ts');
  process.env[E2E_ENV.s3Endpoint] = `http://127.0.0.1:${port}`;
  process.env[E2E_ENV.templateDatabaseUrl] = template;
  process.env[E2E_ENV.runId] = runId;
  (globalThis as { __ECC_E2E__?: unknown }).__ECC_E2E__ = { s3 };
}
