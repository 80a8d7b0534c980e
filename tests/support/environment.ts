/**
 * What the global setup of the end-to-end run provides to every test file, through the environment
 * (jest starts its workers after the global setup, so they inherit it).
 */
export const E2E_ENV = {
  s3Endpoint: 'ECC_E2E_S3_ENDPOINT',
  templateDatabaseUrl: 'ECC_E2E_TEMPLATE_DATABASE_URL',
  runId: 'ECC_E2E_RUN_ID',
} as const;

/** Postgres server of the run; the tests create their own databases on it. */
export const TEST_POSTGRES_URL =
  process.env['TEST_POSTGRES_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export function e2eValue(name: keyof typeof E2E_ENV): string {
  const value = process.env[E2E_ENV[name]];
  if (!value)
    throw new Error(`${E2E_ENV[name]} is not set: run the end-to-end tests through jest (global setup)`);
  return value;
}

export function databaseUrl(database: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${database}`;
  return url.toString();
}
