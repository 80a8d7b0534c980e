import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Client } from 'pg';
import {
  describeProblem,
  planMigrations,
  readMigrations,
  type AppliedMigration,
  type LocalMigration,
  type MigrationProblem,
} from './migration-plan';

/**
 * Applies `prisma/migrations` with node-postgres, because Prisma's native migration engine cannot be
 * fetched here. It records each migration in `_prisma_migrations` exactly as `prisma migrate deploy` does,
 * so a deployment that has the engine sees them as applied and carries on.
 */

/** Where the SQL lives: the repository's `prisma/migrations` (this file sits four levels down, in src or dist). */
export const DEFAULT_MIGRATIONS_DIR = resolve(__dirname, '../../../../prisma/migrations');

/** The key `prisma migrate` locks on, so that our runner and Prisma's also exclude each other. */
const PRISMA_ADVISORY_LOCK_KEY = 72707369;

/** Prisma's own definition of its bookkeeping table. */
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export class MigrationError extends Error {
  constructor(
    readonly code: MigrationProblem['code'] | 'migration_failed',
    message: string,
    readonly problems: MigrationProblem[] = [],
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

export interface MigrateOptions {
  migrationsDir?: string;
}

export async function migrate(
  databaseUrl: string,
  log: (msg: string) => void = () => undefined,
  options: MigrateOptions = {},
): Promise<{ applied: string[] }> {
  const local = readMigrations(options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Session lock: a second process starting at the same time waits here, then finds nothing pending.
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const plan = planMigrations(local, await appliedMigrations(client));
      for (const warning of plan.warnings) log(`warning: ${describeProblem(warning)}`);
      const [first] = plan.blocking;
      if (first) {
        throw new MigrationError(
          first.code,
          `refusing to migrate: ${plan.blocking.map(describeProblem).join('; ')}`,
          plan.blocking,
        );
      }
      const applied: string[] = [];
      for (const migration of plan.pending) {
        await applyOne(client, migration);
        log(`applied migration ${migration.name}`);
        applied.push(migration.name);
      }
      if (applied.length === 0) log('database schema is up to date');
      return { applied };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

async function appliedMigrations(client: Client): Promise<AppliedMigration[]> {
  const { rows } = await client.query<{
    migration_name: string;
    checksum: string;
    finished_at: Date | null;
    rolled_back_at: Date | null;
    logs: string | null;
  }>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at, logs FROM "_prisma_migrations" ORDER BY started_at',
  );
  return rows.map((row) => ({
    migrationName: row.migration_name,
    checksum: row.checksum,
    finishedAt: row.finished_at,
    rolledBackAt: row.rolled_back_at,
    logs: row.logs,
  }));
}

/** One transaction per migration: the schema change and its record commit together or not at all. */
async function applyOne(client: Client, migration: LocalMigration): Promise<void> {
  const id = randomUUID();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), 0)`,
      [id, migration.checksum, migration.name],
    );
    // No parameters: node-postgres then uses the simple protocol, which runs a multi-statement script.
    await client.query(migration.sql);
    await client.query(
      `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
      [id],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    // Recorded as unfinished, like Prisma: later runs refuse until someone has looked at it.
    await client
      .query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, started_at, applied_steps_count)
         VALUES ($1, $2, $3, $4, now(), 0)`,
        [id, migration.checksum, migration.name, message],
      )
      .catch(() => undefined);
    throw new MigrationError(
      'migration_failed',
      `migration ${migration.name} failed and was rolled back: ${message}`,
    );
  }
}

/** The same server, database `postgres`: where CREATE/DROP DATABASE are issued. */
function maintenanceUrl(databaseUrl: string): { url: string; database: string } {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database) throw new Error(`the database URL names no database: ${url.protocol}//${url.host}`);
  url.pathname = '/postgres';
  return { url: url.toString(), database };
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Creates the URL's database if it does not exist; returns whether it did. */
export async function createDatabase(databaseUrl: string): Promise<boolean> {
  const { url, database } = maintenanceUrl(databaseUrl);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(database)}`);
    } catch (error) {
      // Another process created it between our check and our CREATE: 42P04 duplicate_database, or 23505
      // when both CREATEs race on the catalogue's unique index.
      const code = (error as { code?: string }).code;
      if (code === '42P04' || code === '23505') return false;
      throw error;
    }
    return true;
  } finally {
    await client.end();
  }
}

/** Drops the URL's database if it exists, disconnecting its sessions (tests' throwaway databases). */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  const { url, database } = maintenanceUrl(databaseUrl);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
