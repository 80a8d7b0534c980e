import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, migrate } from '@ecc/shared-data';
import { startLocalS3Server } from '@ecc/platform-nest';
import { databaseUrl, E2E_ENV } from './environment';

/**
 * Once per run: an S3 server in a temporary folder, and a migrated template database that every test
 * file clones into a database of its own. Nothing touches development data.
 */
export default async function globalSetup(): Promise<void> {
  process.env.TZ = 'UTC';
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const s3 = await startLocalS3Server({ directory: mkdtempSync(join(tmpdir(), 'ecc-e2e-s3-')), port: 0 });
  const template = databaseUrl(`ecc_e2e_${runId}_template`);
  await createDatabase(template);
  await migrate(template);
  process.env[E2E_ENV.s3Endpoint] = s3.endpoint;
  process.env[E2E_ENV.templateDatabaseUrl] = template;
  process.env[E2E_ENV.runId] = runId;
  (globalThis as { __ECC_E2E__?: unknown }).__ECC_E2E__ = { s3 };
}
