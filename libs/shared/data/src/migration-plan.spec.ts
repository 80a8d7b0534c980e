import { checksumOf, planMigrations, type AppliedMigration, type LocalMigration } from './migration-plan';

const local = (name: string, sql = `-- ${name}`): LocalMigration => ({
  name,
  sql,
  checksum: checksumOf(sql),
});
const applied = (m: LocalMigration, overrides: Partial<AppliedMigration> = {}): AppliedMigration => ({
  migrationName: m.name,
  checksum: m.checksum,
  finishedAt: new Date('2026-01-01T00:00:00Z'),
  rolledBackAt: null,
  logs: null,
  ...overrides,
});

describe('planMigrations', () => {
  const init = local('20260101000000_init');
  const second = local('20260201000000_second');

  it('applies what is not recorded, in the given order', () => {
    expect(planMigrations([init, second], []).pending.map((m) => m.name)).toEqual([init.name, second.name]);
    const plan = planMigrations([init, second], [applied(init)]);
    expect(plan.pending.map((m) => m.name)).toEqual([second.name]);
    expect(plan.blocking).toEqual([]);
  });

  it('refuses when an applied migration was edited afterwards', () => {
    const edited = { ...init, sql: 'edited', checksum: checksumOf('edited') };
    const plan = planMigrations([edited], [applied(init)]);
    expect(plan.blocking).toEqual([
      {
        code: 'checksum_mismatch',
        migrationName: init.name,
        recorded: init.checksum,
        local: edited.checksum,
      },
    ]);
  });

  it('refuses while a failed migration is recorded, and carries on once it is marked rolled back', () => {
    const failed = applied(init, { finishedAt: null, logs: 'syntax error' });
    expect(planMigrations([init], [failed]).blocking).toEqual([
      { code: 'failed_migration', migrationName: init.name, logs: 'syntax error' },
    ]);
    const resolved = { ...failed, rolledBackAt: new Date('2026-01-02T00:00:00Z') };
    const plan = planMigrations([init], [resolved]);
    expect(plan.blocking).toEqual([]);
    expect(plan.pending.map((m) => m.name)).toEqual([init.name]);
  });

  it('only warns about a recorded migration that has no folder', () => {
    const plan = planMigrations([second], [applied(init), applied(second)]);
    expect(plan.warnings).toEqual([{ code: 'missing_locally', migrationName: init.name }]);
    expect(plan.pending).toEqual([]);
  });

  it('uses the sha256 hex of the file as checksum, as Prisma does', () => {
    expect(checksumOf('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
