import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DeadlinesRepository } from '@ecc/cases-data';
import { createPrismaClient, dropDatabase, migrate, type PrismaClient } from '@ecc/shared-data';
import { createScratchDatabase } from '../support/database';

jest.setTimeout(120_000);

/**
 * The deadline sweep and a case action on the same case at once. A case action locks its case first and its
 * statements' triggers then take the statistics' derivation lock of the case (the kept case figures); the sweep
 * used to lock the deadline's row first and then, closing it, wait for that derivation lock — while the action
 * waited for the deadline's row: Postgres found the deadlock and refused one of them (a payment answered 500).
 * The sweep now takes the case first, like every case action, and waits its turn.
 */
describe('deadline sweep and case actions', () => {
  let url: string;
  let prisma: PrismaClient;
  let db: Client;

  beforeAll(async () => {
    url = await createScratchDatabase('deadline_sweep_locks');
    await migrate(url);
    prisma = createPrismaClient(url);
    db = new Client({ connectionString: url });
    await db.connect();
  });

  afterAll(async () => {
    await db.end();
    await prisma.$disconnect();
    await dropDatabase(url);
  });

  /** Until some session of this database waits for a lock. */
  const waitForALockWait = async () => {
    for (let i = 0; i < 200; i++) {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if ((rows[0]?.n ?? 0) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the sweep never waited for the case action');
  };

  it('a payment and the sweep closing the same case’s deadline both commit, one after the other', async () => {
    const caseId = randomUUID();
    const deadlineId = randomUUID();
    await db.query(
      `INSERT INTO cases (id, case_number, state, type, violation_date, filed_at, updated_at)
       VALUES ($1, 'K-1', 'decided', 'vehicle', '2025-02-20', now() - interval '40 days', now())`,
      [caseId],
    );
    await db.query(
      `INSERT INTO decisions (id, case_id, penalty_kinds, fine_amount, basis, decided_at)
       VALUES ($1, $2, '{fine}', 500, '[]', now() - interval '20 days')`,
      [randomUUID(), caseId],
    );
    await db.query(
      `INSERT INTO deadlines (id, case_id, kind, due_at, status) VALUES ($1, $2, 'payment_due', now() - interval '1 hour', 'open')`,
      [deadlineId, caseId],
    );

    const action = new Client({ connectionString: url });
    await action.connect();
    try {
      // the case action: its case locked, a payment recorded (the triggers derive the case's figures)
      await action.query('BEGIN');
      await action.query(`SELECT id FROM cases WHERE id = $1 FOR UPDATE`, [caseId]);
      await action.query(
        `INSERT INTO payments (id, case_id, amount, late_fee, receipt_no, paid_at) VALUES ($1, $2, 500, 0, 'R-1', now())`,
        [randomUUID(), caseId],
      );
      // meanwhile the sweep finds the deadline overdue and closes it
      const deadlines = new DeadlinesRepository(prisma);
      const sweep = prisma.$transaction(async (tx) => {
        const d = await deadlines.lock(tx, deadlineId);
        if (d?.status === 'open')
          await deadlines.close(tx, deadlineId, 'missed', new Date(), 'deadline_sweep');
        return d?.status;
      });
      // …and is held up by the action (on the case now; on the derivation lock of its figures before)
      await waitForALockWait();
      // the action then ends the payment's deadline, as record_payment does
      await action.query(
        `UPDATE deadlines SET status = 'met', stopped_at = now(), stopped_by = 'x' WHERE id = $1 AND status = 'open'`,
        [deadlineId],
      );
      await action.query('COMMIT');
      // the sweep waited for the case and then found the deadline met: nothing to close
      await expect(sweep).resolves.toBe('met');
    } finally {
      await action.end();
    }
    const { rows } = await db.query<{ status: string }>(`SELECT status FROM deadlines WHERE id = $1`, [
      deadlineId,
    ]);
    expect(rows[0]?.status).toBe('met');
  });
});
