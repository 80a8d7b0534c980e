import type { DeadlineKind, DeadlineStatus, PrismaClient, Tx } from '@ecc/shared-data';

export interface DeadlineRow {
  id: string;
  caseId: string | null;
  leadId: string | null;
  kind: DeadlineKind;
  startedAt: Date;
  dueAt: Date;
  approachingAt: Date | null;
  status: DeadlineStatus;
  alertedAt: Date | null;
}

const select = {
  id: true,
  caseId: true,
  leadId: true,
  kind: true,
  startedAt: true,
  dueAt: true,
  approachingAt: true,
  status: true,
  alertedAt: true,
} as const;

/** Deadline rows: the worker's watch list of the periods running on leads and cases. */
export class DeadlinesRepository {
  constructor(private readonly db: PrismaClient) {}

  async start(
    tx: Tx,
    input: {
      caseId?: string;
      leadId?: string;
      kind: DeadlineKind;
      startedAt: Date;
      dueAt: Date;
      approachingAt: Date | null;
    },
  ): Promise<DeadlineRow> {
    return tx.deadline.create({
      data: {
        caseId: input.caseId ?? null,
        leadId: input.leadId ?? null,
        kind: input.kind,
        startedAt: input.startedAt,
        dueAt: input.dueAt,
        approachingAt: input.approachingAt,
      },
      select,
    });
  }

  /** Ends the open deadlines of these kinds: `met` when the action ending them happened, `cancelled` otherwise. */
  async stop(
    tx: Tx,
    where: { caseId?: string; leadId?: string },
    kinds: readonly DeadlineKind[] | 'all',
    at: Date,
    by: string,
    status: 'met' | 'cancelled' = 'met',
  ): Promise<number> {
    const result = await tx.deadline.updateMany({
      where: { ...where, status: 'open', ...(kinds === 'all' ? {} : { kind: { in: [...kinds] } }) },
      data: { status, stoppedAt: at, stoppedBy: by },
    });
    return result.count;
  }

  async find(id: string, db: Tx | PrismaClient = this.db): Promise<DeadlineRow | null> {
    return db.deadline.findUnique({ where: { id }, select });
  }

  /**
   * Locks a deadline for the sweep — its case first, as every case action does (CasesRepository.lock), then the
   * deadline. Taken the other way round, the sweep held a deadline's row while waiting for what a case action
   * held (the statistics' derivation lock of the case, taken by the triggers of its earlier statements), and the
   * action then waited for the deadline's row: a deadlock, one of the two refused.
   */
  async lock(tx: Tx, id: string): Promise<DeadlineRow | null> {
    const owner = await tx.deadline.findUnique({ where: { id }, select: { caseId: true } });
    if (owner?.caseId) await tx.$queryRaw`SELECT id FROM cases WHERE id = ${owner.caseId}::uuid FOR UPDATE`;
    await tx.$queryRaw`SELECT id FROM deadlines WHERE id = ${id}::uuid FOR UPDATE`;
    return tx.deadline.findUnique({ where: { id }, select });
  }

  /** Open deadlines past their due instant, or whose approaching alert is due and not yet raised. */
  async needingAttention(now: Date, limit: number): Promise<{ due: string[]; approaching: string[] }> {
    const [due, approaching] = await Promise.all([
      this.db.deadline.findMany({
        where: { status: 'open', dueAt: { lt: now } },
        select: { id: true },
        orderBy: { dueAt: 'asc' },
        take: limit,
      }),
      this.db.deadline.findMany({
        where: { status: 'open', alertedAt: null, approachingAt: { lte: now }, dueAt: { gte: now } },
        select: { id: true },
        orderBy: { approachingAt: 'asc' },
        take: limit,
      }),
    ]);
    return { due: due.map((d) => d.id), approaching: approaching.map((d) => d.id) };
  }

  async markAlerted(tx: Tx, id: string, at: Date): Promise<void> {
    await tx.deadline.update({ where: { id }, data: { alertedAt: at } });
  }

  async close(
    tx: Tx,
    id: string,
    status: 'missed' | 'met' | 'cancelled',
    at: Date,
    by: string,
  ): Promise<void> {
    await tx.deadline.update({ where: { id }, data: { status, stoppedAt: at, stoppedBy: by } });
  }

  async ofCase(caseId: string, db: Tx | PrismaClient = this.db): Promise<DeadlineRow[]> {
    return db.deadline.findMany({ where: { caseId }, select, orderBy: { dueAt: 'asc' } });
  }

  async openOfLead(tx: Tx, leadId: string, kind: DeadlineKind): Promise<DeadlineRow | null> {
    return tx.deadline.findFirst({ where: { leadId, kind, status: 'open' }, select });
  }
}
