import { FencesRepository, liftFencesForLead } from '@ecc/fences-data';
import { createPrismaClient, dropDatabase, type PrismaClient } from '@ecc/shared-data';
import { leadRowData } from '../support/lead-row';
import { createTestDatabase } from '../support/test-app';

/**
 * What a filing's hook announces about the fences it lifted (lift-fences-on-filing.ts): `committedLifts`, run
 * beside the transaction that lifts them, answers only once that transaction has ended, and with what it
 * committed — the lifted fences, or nothing when it rolled back.
 */
describe('FencesRepository.committedLifts', () => {
  let url: string;
  let db: PrismaClient;
  let fences: FencesRepository;
  let stationId: string;

  beforeAll(async () => {
    url = await createTestDatabase('fenceannounce');
    db = createPrismaClient(url, { poolSize: 4 });
    fences = new FencesRepository(db);
    stationId = (await db.station.create({ data: { code: 'S308-F01', name: '汨罗S308超限检测点' } })).id;
  });
  afterAll(async () => {
    await db?.$disconnect();
    if (url) await dropDatabase(url);
  });

  async function fencedLead(): Promise<{ leadId: string; fenceIds: string[] }> {
    const lead = await db.lead.create({ data: leadRowData(stationId, { status: 'fenced' }) });
    const made = await Promise.all(
      ['湘A', '湘B'].map((prefix, i) =>
        db.fence.create({
          data: { plate: `${prefix}1234${i}`, leadId: lead.id, reason: '逾期未接受处理（测试）' },
        }),
      ),
    );
    return { leadId: lead.id, fenceIds: made.map((f) => f.id) };
  }

  /** Lifts the lead's fences in a transaction that ends (`commit` or `rollback`) only when told to. */
  function liftHeldOpen(leadId: string, end: 'commit' | 'rollback') {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let lifted!: (ids: string[]) => void;
    const liftedIds = new Promise<string[]>((r) => (lifted = r));
    const transaction = db
      .$transaction(
        async (tx) => {
          const rows = await liftFencesForLead(tx, leadId, '案件已立案');
          lifted(rows.map((r) => r.id));
          await released;
          if (end === 'rollback') throw new Error('the filing failed');
        },
        { timeout: 20_000 },
      )
      .catch((error: Error) => {
        if (end === 'commit') throw error;
      });
    return { liftedIds, release, transaction };
  }

  const settledWithin = (promise: Promise<unknown>, ms: number) =>
    Promise.race([promise.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

  it('answers after the commit, with the fences lifted and their plates', async () => {
    const { leadId, fenceIds } = await fencedLead();
    const held = liftHeldOpen(leadId, 'commit');
    expect([...(await held.liftedIds)].sort()).toEqual([...fenceIds].sort());
    const answer = fences.committedLifts(fenceIds);
    // While the lifting transaction is open there is no answer (it would announce what may still roll back).
    expect(await settledWithin(answer, 500)).toBe(false);
    held.release();
    await held.transaction;
    const announced = await answer;
    const plates = await db.fence.findMany({
      where: { id: { in: fenceIds } },
      select: { id: true, plate: true },
    });
    expect(announced.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      plates.sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  it('answers nothing when the lifting transaction rolls back', async () => {
    const { leadId, fenceIds } = await fencedLead();
    const held = liftHeldOpen(leadId, 'rollback');
    await held.liftedIds;
    const answer = fences.committedLifts(fenceIds);
    expect(await settledWithin(answer, 500)).toBe(false);
    held.release();
    await held.transaction;
    expect(await answer).toEqual([]);
    expect(await db.fence.count({ where: { id: { in: fenceIds }, status: 'active' } })).toBe(2);
  });

  it('asks nothing for no fences', async () => {
    expect(await fences.committedLifts([])).toEqual([]);
  });
});
