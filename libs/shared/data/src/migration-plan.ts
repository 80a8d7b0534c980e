import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The pure half of the migration runner: which migrations to apply, and which recorded states must stop
 * the run. It follows `prisma migrate deploy`, so both tools agree on the same `_prisma_migrations` table.
 */

/** A folder `prisma/migrations/<timestamp>_<name>/migration.sql`. */
export interface LocalMigration {
  name: string;
  sql: string;
  /** sha256 hex of the file's bytes, as Prisma records it. */
  checksum: string;
}

/** A row of `_prisma_migrations`. */
export interface AppliedMigration {
  migrationName: string;
  checksum: string;
  finishedAt: Date | null;
  rolledBackAt: Date | null;
  logs: string | null;
}

export type MigrationProblem =
  | { code: 'checksum_mismatch'; migrationName: string; recorded: string; local: string }
  | { code: 'failed_migration'; migrationName: string; logs: string | null }
  | { code: 'missing_locally'; migrationName: string };

export interface MigrationPlan {
  pending: LocalMigration[];
  /** Problems that forbid applying anything (mirrors Prisma's P3009 and its checksum check). */
  blocking: MigrationProblem[];
  /** Worth a log line, not a refusal (Prisma only warns about these too). */
  warnings: MigrationProblem[];
}

export const checksumOf = (content: string | Buffer): string =>
  createHash('sha256').update(content).digest('hex');

/** Reads the migration folders in name order (the timestamp prefix makes that the creation order). */
export function readMigrations(migrationsDir: string): LocalMigration[] {
  return readdirSync(migrationsDir)
    .filter((entry) => statSync(join(migrationsDir, entry)).isDirectory())
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(migrationsDir, name, 'migration.sql'));
      return { name, sql: bytes.toString('utf8'), checksum: checksumOf(bytes) };
    });
}

export function planMigrations(
  local: readonly LocalMigration[],
  applied: readonly AppliedMigration[],
): MigrationPlan {
  const blocking: MigrationProblem[] = [];
  const warnings: MigrationProblem[] = [];
  // A row rolled back by `prisma migrate resolve --rolled-back` no longer counts, as in Prisma.
  const live = applied.filter((row) => row.rolledBackAt === null);
  const localByName = new Map(local.map((m) => [m.name, m]));

  for (const row of live) {
    if (row.finishedAt === null) {
      blocking.push({ code: 'failed_migration', migrationName: row.migrationName, logs: row.logs });
      continue;
    }
    const file = localByName.get(row.migrationName);
    if (!file) warnings.push({ code: 'missing_locally', migrationName: row.migrationName });
    else if (file.checksum !== row.checksum)
      blocking.push({
        code: 'checksum_mismatch',
        migrationName: row.migrationName,
        recorded: row.checksum,
        local: file.checksum,
      });
  }

  const done = new Set(live.filter((row) => row.finishedAt !== null).map((row) => row.migrationName));
  const pending = local.filter((m) => !done.has(m.name));
  return { pending, blocking, warnings };
}

export function describeProblem(problem: MigrationProblem): string {
  switch (problem.code) {
    case 'checksum_mismatch':
      return (
        `migration ${problem.migrationName} was changed after it was applied ` +
        `(recorded checksum ${problem.recorded}, file now ${problem.local}); add a new migration instead`
      );
    case 'failed_migration':
      return (
        `migration ${problem.migrationName} failed earlier and is recorded as unfinished; fix the database, then ` +
        `mark it with \`prisma migrate resolve --rolled-back ${problem.migrationName}\` (or set rolled_back_at)` +
        (problem.logs ? `. Its error: ${problem.logs}` : '')
      );
    case 'missing_locally':
      return `migration ${problem.migrationName} is applied in the database but missing from prisma/migrations`;
  }
}
