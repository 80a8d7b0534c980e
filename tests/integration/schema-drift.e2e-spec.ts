import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checksumOf,
  createPrismaClient,
  diffSchema,
  dropDatabase,
  migrate,
  MigrationError,
  readDatabaseSnapshot,
} from '@ecc/shared-data';
import {
  createScratchDatabase,
  loadSchemaDmmf,
  MIGRATIONS_DIR,
  snapshotOf,
  withClient,
} from '../support/database';

/**
 * The migrations are hand-written SQL (Prisma's migration engine cannot run here), so this is what keeps
 * them and schema.prisma the same: a fresh database is migrated and compared with the schema.
 */
const migrationNames = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe('migrations and schema.prisma', () => {
  let url: string;

  beforeAll(async () => {
    url = await createScratchDatabase('schema_drift');
  });

  afterAll(async () => {
    await dropDatabase(url);
  });

  it('applies every migration to a fresh database, then nothing on a second run', async () => {
    const logs: string[] = [];
    expect(await migrate(url, (msg) => logs.push(msg))).toEqual({ applied: migrationNames });
    expect(logs).toEqual(migrationNames.map((name) => `applied migration ${name}`));
    expect(await migrate(url)).toEqual({ applied: [] });
  });

  it('builds exactly what schema.prisma describes', async () => {
    const differences = diffSchema(loadSchemaDmmf(), await snapshotOf(url));
    // A list of readable lines: the failure message says what to fix in the SQL or the schema.
    expect(differences).toEqual([]);
  });

  it('notices drift in the real database', async () => {
    await withClient(url, async (client) => {
      await client.query('BEGIN');
      try {
        await client.query('ALTER TABLE "cases" ALTER COLUMN "facts" SET NOT NULL');
        await client.query('DROP INDEX "leads_status_violation_at_idx"');
        await client.query(`ALTER TYPE "lead_status" ADD VALUE 'lost'`);
        const differences = diffSchema(loadSchemaDmmf(), await readDatabaseSnapshot(client));
        expect(differences).toEqual([
          'enum lead_status has values (pending_review, confirmed, rejected, notified, notice_failed, fenced, filed)' +
            ' in schema.prisma but (pending_review, confirmed, rejected, notified, notice_failed, fenced, filed, lost)' +
            ' in the database',
          'table leads: index leads_status_violation_at_idx is missing from the database (index on (status, violation_at))',
          'table cases: column facts is text NULL in schema.prisma but text NOT NULL in the database',
        ]);
      } finally {
        await client.query('ROLLBACK');
      }
    });
  });

  it('records each migration in _prisma_migrations as Prisma does', async () => {
    await withClient(url, async (client) => {
      const { rows } = await client.query<{
        id: string;
        migration_name: string;
        checksum: string;
        finished_at: Date | null;
        rolled_back_at: Date | null;
        applied_steps_count: number;
        logs: string | null;
      }>('SELECT * FROM "_prisma_migrations" ORDER BY migration_name');
      expect(rows.map((r) => r.migration_name)).toEqual(migrationNames);
      for (const row of rows) {
        expect(row.checksum).toBe(
          checksumOf(readFileSync(join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'))),
        );
        expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(row.finished_at).toBeInstanceOf(Date);
        expect(row.rolled_back_at).toBeNull();
        expect(row.logs).toBeNull();
        expect(row.applied_steps_count).toBe(1);
      }
      const columns = await client.query<{
        column_name: string;
        type: string;
        nullable: string;
        default: string | null;
      }>(
        `SELECT column_name, format_type(a.atttypid, a.atttypmod) AS type, is_nullable AS nullable, column_default AS default
         FROM information_schema.columns c
         JOIN pg_attribute a ON a.attrelid = '"_prisma_migrations"'::regclass AND a.attname = c.column_name
         WHERE c.table_name = '_prisma_migrations' ORDER BY c.ordinal_position`,
      );
      expect(columns.rows).toEqual([
        { column_name: 'id', type: 'character varying(36)', nullable: 'NO', default: null },
        { column_name: 'checksum', type: 'character varying(64)', nullable: 'NO', default: null },
        { column_name: 'finished_at', type: 'timestamp with time zone', nullable: 'YES', default: null },
        { column_name: 'migration_name', type: 'character varying(255)', nullable: 'NO', default: null },
        { column_name: 'logs', type: 'text', nullable: 'YES', default: null },
        { column_name: 'rolled_back_at', type: 'timestamp with time zone', nullable: 'YES', default: null },
        { column_name: 'started_at', type: 'timestamp with time zone', nullable: 'NO', default: 'now()' },
        { column_name: 'applied_steps_count', type: 'integer', nullable: 'NO', default: '0' },
      ]);
    });
  });

  describe('with a copy of the migrations folder', () => {
    let dir: string;

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'ecc-migrations-'));
      cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    });

    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('refuses when an applied migration was edited', async () => {
      const [oldest = ''] = migrationNames;
      const first = join(dir, oldest, 'migration.sql');
      writeFileSync(first, `${readFileSync(first, 'utf8')}\n-- edited afterwards\n`);
      await expect(migrate(url, undefined, { migrationsDir: dir })).rejects.toMatchObject({
        name: 'MigrationError',
        code: 'checksum_mismatch',
        message: expect.stringContaining(`migration ${oldest} was changed after it was applied`),
      });
    });

    it('rolls back a failing migration, records it as failed and refuses to go on until it is resolved', async () => {
      const broken = '99990101000000_broken';
      mkdirSync(join(dir, broken));
      writeFileSync(
        join(dir, broken, 'migration.sql'),
        'CREATE TABLE "half_done" ("id" INTEGER);\nSELECT no_such_function();\n',
      );

      const failure = await migrate(url, undefined, { migrationsDir: dir }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(MigrationError);
      expect((failure as MigrationError).code).toBe('migration_failed');
      expect((await snapshotOf(url)).tables['half_done']).toBeUndefined();

      await expect(migrate(url, undefined, { migrationsDir: dir })).rejects.toMatchObject({
        code: 'failed_migration',
      });

      await withClient(url, async (client) => {
        const { rows } = await client.query(
          'SELECT finished_at, logs FROM "_prisma_migrations" WHERE migration_name = $1',
          [broken],
        );
        expect(rows).toEqual([{ finished_at: null, logs: expect.stringContaining('no_such_function') }]);
        // What `prisma migrate resolve --rolled-back` does.
        await client.query(
          'UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = $1',
          [broken],
        );
      });
      rmSync(join(dir, broken), { recursive: true });
      expect(await migrate(url, undefined, { migrationsDir: dir })).toEqual({ applied: [] });
    });
  });

  it('lets two processes start at once: the advisory lock makes one of them apply everything', async () => {
    const other = await createScratchDatabase('schema_drift_race');
    try {
      const results = await Promise.all([migrate(other), migrate(other), migrate(other)]);
      expect(results.flatMap((r) => r.applied)).toEqual(migrationNames);
      const count = await withClient(other, (c) =>
        c.query('SELECT count(*)::int AS n FROM "_prisma_migrations"'),
      );
      expect(count.rows[0]).toEqual({ n: migrationNames.length });
    } finally {
      await dropDatabase(other);
    }
  });

  it('serves the generated Prisma client on the migrated database', async () => {
    const db = createPrismaClient(url);
    try {
      const user = await db.$transaction(async (tx) => {
        const created = await tx.user.create({
          data: {
            username: 'drift-check',
            passwordHash: 'not-a-real-hash',
            displayName: 'Drift check',
            roles: { create: [{ role: 'officer' }, { role: 'legal_reviewer' }] },
          },
        });
        await tx.auditEvent.create({
          data: {
            actorKind: 'system',
            action: 'user.created',
            entityType: 'user',
            entityId: created.id,
            digest: checksumOf('x'),
          },
        });
        return created;
      });
      const found = await db.user.findUniqueOrThrow({ where: { id: user.id }, include: { roles: true } });
      expect(found.roles.map((r) => r.role).sort()).toEqual(['legal_reviewer', 'officer']);
      const events = await db.auditEvent.findMany({ where: { entityId: user.id } });
      expect(events.map((e) => typeof e.id)).toEqual(['bigint']);
    } finally {
      await db.$disconnect();
    }
  });
});
