import { randomUUID } from 'node:crypto';
import { systemActor } from '@ecc/identity-domain';
import { PublicationsRepository } from '@ecc/publicity-data';
import type { PublicationContent } from '@ecc/publicity-domain';
import { createPrismaClient, dropDatabase, type PrismaClient, type Tx } from '@ecc/shared-data';
import { createTestDatabase } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * The disclosure feed's cursor in a real database: events are numbered in commit order, so a reader holding
 * `since = N` never misses an event that committed after it read N (docs/publicity.md). Two decisions commit
 * their publications at once; the second must wait for the first before it draws its number.
 */
describe('publication feed order', () => {
  let url: string;
  let db: PrismaClient;
  let repo: PublicationsRepository;
  const actor = systemActor('publication-feed-test');

  const content = (n: string): PublicationContent => ({
    decisionNumber: n,
    authority: '汨罗市交通运输局',
    decidedOn: '2026-12-01',
    caseType: 'vehicle',
    party: { kind: 'person', name: '张某' },
    plate: '湘F·1***5',
    violation: { on: '2026-11-30', place: null, grossMassKg: 56000, limitKg: 49000 },
    provisions: [],
    penalty: { kinds: ['fine'], fineYuan: 2000 },
  });

  async function decidedCase(): Promise<string> {
    const id = randomUUID();
    await db.$executeRaw`INSERT INTO cases (id, state, type, violation_date, updated_at)
      VALUES (${id}::uuid, 'decided', 'vehicle', '2026-11-30', now())`;
    return id;
  }

  const publish = (tx: Tx, caseId: string, number: string) =>
    repo.record(
      tx,
      {
        caseId,
        status: 'published',
        rule: 'every_decision',
        policy: {},
        content: content(number),
        decidedAt: new Date(),
        dueAt: new Date(Date.now() + 86_400_000),
      },
      { actor, at: new Date() },
    );

  beforeAll(async () => {
    url = await createTestDatabase('publicationfeed');
    db = createPrismaClient(url, { poolSize: 4 });
    repo = new PublicationsRepository(db);
  });
  afterAll(async () => {
    await db?.$disconnect();
    if (url) await dropDatabase(url);
  });

  it('makes a later writer wait for an earlier one, so the feed never shows N+1 before N', async () => {
    const [first, second] = [await decidedCase(), await decidedCase()];
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstWritten!: () => void;
    const firstHasWritten = new Promise<void>((resolve) => (firstWritten = resolve));

    const a = db.$transaction(
      async (tx) => {
        await publish(tx, first, 'A');
        firstWritten();
        await firstMayCommit;
      },
      { timeout: 60_000 },
    );
    await firstHasWritten;
    const b = db.$transaction((tx) => publish(tx, second, 'B'), { timeout: 60_000 });

    // The second writer is held at the feed's lock while the first is open, and nothing is visible yet.
    await waitFor(
      'the second writer to wait for the feed lock',
      async () => {
        const rows = await db.$queryRaw<{ n: number }[]>`
          SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'`;
        return rows[0]!.n === 1 || null;
      },
      20_000,
    );
    expect(await repo.feed(0n, 10)).toEqual([]);

    releaseFirst();
    await a;
    await b;
    const events = await repo.feed(0n, 10);
    expect(events.map((e) => (e.body as PublicationContent).decisionNumber)).toEqual(['A', 'B']);
    expect(events[0]!.seq < events[1]!.seq).toBe(true);
    expect(await repo.feed(events[0]!.seq, 10)).toHaveLength(1);
  });

  it('records a case once: a second call returns the first publication and adds no event', async () => {
    const caseId = await decidedCase();
    const first = await db.$transaction((tx) => publish(tx, caseId, 'C'));
    const again = await db.$transaction((tx) => publish(tx, caseId, 'C2'));
    expect(first.created).toBe(true);
    expect(again).toEqual({ row: first.row, created: false });
    const events = await db.publicationEvent.count({ where: { publicationId: first.row.id } });
    expect(events).toBe(1);
  });
});
