import {
  AuditChainRepository,
  AuditPartitionsRepository,
  monthPartitions,
  recordAudit,
} from '@ecc/audit-data';
import { verifyChain } from '@ecc/audit-domain';
import { systemActor } from '@ecc/identity-domain';
import { createPrismaClient, dropDatabase, migrate, type PrismaClient } from '@ecc/shared-data';
import { createScratchDatabase, withClient } from '../support/database';

/**
 * `audit_events` partitioned by month (migration 20261206100000) on a freshly migrated database: the months the
 * migration made, the worker's creation of the months ahead (idempotent; a month whose events already sit in the
 * default partition refused and reported), and the hash chain sealed and verified over events of several
 * partitions, the default one included.
 */
describe('audit_events by month', () => {
  let url: string;
  let db: PrismaClient;
  const partitionsOf = (u: string) =>
    withClient(u, async (client) =>
      (
        await client.query<{ name: string }>(
          `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'audit_events'::regclass ORDER BY 1`,
        )
      ).rows.map((r) => r.name),
    );
  const now = new Date();
  const monthsFromNow = (n: number) =>
    monthPartitions(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + n, 1)), 0)[0]!;

  beforeAll(async () => {
    url = await createScratchDatabase('audit_partitions');
    await migrate(url);
    db = createPrismaClient(url, { poolSize: 2 });
  });

  afterAll(async () => {
    await db?.$disconnect();
    await dropDatabase(url);
  });

  it('is partitioned: this month and three ahead, and a default partition', async () => {
    const kind = await withClient(
      url,
      async (c) =>
        (await c.query(`SELECT relkind FROM pg_class WHERE relname = 'audit_events'`)).rows[0].relkind,
    );
    expect(kind).toBe('p');
    expect(await partitionsOf(url)).toEqual([
      ...[0, 1, 2, 3].map((n) => monthsFromNow(n).name),
      'audit_events_default',
    ]);
  });

  it('creates the months ahead once, and refuses a month whose events are already in the default partition', async () => {
    const repository = new AuditPartitionsRepository(db);
    const ahead = monthPartitions(now, 5);
    expect(await repository.ensure(ahead)).toEqual({
      created: [monthsFromNow(4).name, monthsFromNow(5).name],
      refused: [],
    });
    expect(await repository.ensure(ahead)).toEqual({ created: [], refused: [] });

    // An event of last month (the migration made no partition for it) lands in the default partition.
    const lastMonth = monthsFromNow(-1);
    await db.$transaction((tx) =>
      recordAudit(
        tx,
        {
          actor: systemActor('test'),
          action: 'test.past',
          entityType: 'test',
          entityId: 'p',
          changes: { n: 0 },
        },
        new Date(lastMonth.from.getTime() + 3600_000),
      ),
    );
    expect(await repository.eventsOutsideMonths()).toBe(1);
    const result = await repository.ensure([lastMonth]);
    expect(result?.created).toEqual([]);
    expect(result?.refused).toEqual([
      { name: lastMonth.name, reason: expect.stringMatching(/default partition/) },
    ]);
    expect(await partitionsOf(url)).not.toContain(lastMonth.name);
    await expect(repository.ensure([{ ...lastMonth, name: 'audit_events"; --' }])).rejects.toThrow(
      /not a month partition/,
    );
  });

  it('seals and verifies the chain over events of several months and of the default partition', async () => {
    const at = [monthsFromNow(0), monthsFromNow(2), monthsFromNow(5)].map(
      (m) => new Date(m.from.getTime() + 60_000),
    );
    for (const [i, when] of at.entries()) {
      await db.$transaction((tx) =>
        recordAudit(
          tx,
          {
            actor: systemActor('test'),
            action: 'test.event',
            entityType: 'test',
            entityId: String(i),
            changes: { i },
          },
          when,
        ),
      );
    }
    const chain = new AuditChainRepository(db);
    expect(await chain.sealBatch(100)).toBe(4); // the three and the one of last month
    expect(await chain.unsealedCount()).toBe(0);
    const events = await chain.sealedAfter(0n, 100);
    expect(events.map((e) => e.chainSeq)).toEqual([1n, 2n, 3n, 4n]);
    expect(verifyChain(events).break).toBeNull();
    const where = await withClient(url, async (c) =>
      (
        await c.query<{ part: string }>(
          `SELECT tableoid::regclass::text AS part FROM audit_events ORDER BY chain_seq`,
        )
      ).rows.map((r) => r.part),
    );
    expect(where).toEqual([
      'audit_events_default',
      monthsFromNow(0).name,
      monthsFromNow(2).name,
      monthsFromNow(5).name,
    ]);

    // A change to a sealed event in any partition is still a break.
    await withClient(url, (c) => c.query(`UPDATE audit_events SET payload = '{"i": 9}' WHERE chain_seq = 3`));
    expect(verifyChain(await chain.sealedAfter(0n, 100)).break).toMatchObject({ chainSeq: 3n });
  });
});
