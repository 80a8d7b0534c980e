import { Client } from 'pg';
import { Redis } from 'ioredis';
import { E2E_ENV, TEST_POSTGRES_URL, TEST_REDIS_URL } from './environment';

/** Drops every database and Redis key the run created, and stops the S3 server. */
export default async function globalTeardown(): Promise<void> {
  const runId = process.env[E2E_ENV.runId];
  const state = (globalThis as { __ECC_E2E__?: { s3: { close(): Promise<void> } } }).__ECC_E2E__;
  await state?.s3.close();
  if (!runId) return;

  const pg = new Client({ connectionString: TEST_POSTGRES_URL });
  await pg.connect();
  try {
    const { rows } = await pg.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`ecc_e2e_${runId}_%`],
    );
    for (const { datname } of rows) await pg.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await pg.end();
  }

  const redis = new Redis(TEST_REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `ecc-e2e-${runId}-*`, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
