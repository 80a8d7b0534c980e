import { recordAudit } from '@ecc/audit-data';
import { systemActor, type Actor } from '@ecc/identity-domain';
import { transitionLead } from '@ecc/leads-data';
import { canLeadTransition } from '@ecc/leads-domain';
import type { Prisma, PrismaClient, Tx } from '@ecc/shared-data';
import type { ListFencesQuery } from '@ecc/fences-domain';

export interface FenceRow {
  id: string;
  plate: string;
  plateColour: string | null;
  vehicleId: string | null;
  leadId: string | null;
  caseId: string | null;
  status: 'active' | 'lifted';
  reason: string;
  createdAt: Date;
  liftedAt: Date | null;
  liftReason: string | null;
}

const select = {
  id: true,
  plate: true,
  plateColour: true,
  vehicleId: true,
  leadId: true,
  caseId: true,
  status: true,
  reason: true,
  createdAt: true,
  liftedAt: true,
  liftReason: true,
} as const;

/**
 * 电子围栏布控 when a lead's response window ended without a response: the lead's vehicle (plate and colour)
 * goes on the watch list and the lead becomes `fenced` (the lifecycle's `fence`: only a lead whose owner
 * was told, so whose window ran). Runs in the deadline's transaction (the due handler); idempotent — a lead
 * already fenced, responded to, filed or never told gets nothing. Returns the new fence, or null.
 */
export async function fenceLeadOnWindowEnd(
  tx: Tx,
  input: { leadId: string; deadlineId: string; dueAt: Date; at: Date },
): Promise<FenceRow | null> {
  await tx.$queryRaw`SELECT id FROM leads WHERE id = ${input.leadId}::uuid FOR UPDATE`;
  const lead = await tx.lead.findUnique({
    where: { id: input.leadId },
    select: {
      id: true,
      status: true,
      plate: true,
      plateColour: true,
      vehicleId: true,
      responses: { select: { id: true } },
      fences: { where: { status: 'active' }, select: { id: true } },
    },
  });
  if (
    !lead ||
    !canLeadTransition(lead.status, 'fence') ||
    lead.responses.length > 0 ||
    lead.fences.length > 0
  )
    return null;
  const actor = systemActor('fences');
  let fence: FenceRow | null = null;
  await transitionLead(tx, {
    leadId: lead.id,
    transition: 'fence',
    actor,
    at: input.at,
    changes: { deadlineId: input.deadlineId, dueAt: input.dueAt.toISOString() },
    effects: async () => {
      const created = await tx.fence.create({
        data: {
          plate: lead.plate,
          plateColour: lead.plateColour,
          vehicleId: lead.vehicleId,
          leadId: lead.id,
          reason: `告知回应期限于${input.dueAt.toISOString()}届满，当事人未到案接受处理`,
          createdAt: input.at,
        },
        select,
      });
      await recordAudit(
        tx,
        {
          actor,
          action: 'fence.created',
          entityType: 'lead',
          entityId: lead.id,
          changes: {
            fenceId: created.id,
            plate: created.plate,
            plateColour: created.plateColour,
            deadlineId: input.deadlineId,
          },
        },
        input.at,
      );
      fence = created;
      return { fenceId: created.id };
    },
  });
  return fence;
}

/**
 * Lifts every active fence of a lead (the case proceeds: filing approved, or the party came forward), in the
 * caller's transaction, each with its audit event. The fences are kept (lifted, never deleted) and linked to
 * the case when one is given, so the fence and alert history stays on the case.
 */
export async function liftFencesForLead(
  tx: Tx,
  leadId: string,
  reason: string,
  options: { caseId?: string | null; actor?: Actor; requestId?: string; at?: Date } = {},
): Promise<FenceRow[]> {
  const at = options.at ?? new Date();
  const active = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM fences WHERE lead_id = ${leadId}::uuid AND status = 'active' FOR UPDATE`;
  const lifted: FenceRow[] = [];
  for (const { id } of active) {
    const row = await tx.fence.update({
      where: { id },
      data: {
        status: 'lifted',
        liftedAt: at,
        liftReason: reason,
        ...(options.caseId ? { caseId: options.caseId } : {}),
      },
      select,
    });
    await recordAudit(
      tx,
      {
        actor: options.actor ?? systemActor('fences'),
        action: 'fence.lifted',
        entityType: options.caseId ? 'case' : 'lead',
        entityId: options.caseId ?? leadId,
        requestId: options.requestId,
        changes: { fenceId: id, leadId, plate: row.plate, reason },
      },
      at,
    );
    lifted.push(row);
  }
  // Fences raised before the case existed are linked to it even when already lifted (history on the case).
  if (options.caseId) {
    await tx.fence.updateMany({ where: { leadId, caseId: null }, data: { caseId: options.caseId } });
  }
  return lifted;
}

/** Fences: the watch list and its history. */
export class FencesRepository {
  constructor(private readonly db: PrismaClient) {}

  /** Every plate under an active fence: the API's in-memory watch list. */
  async activePlates(): Promise<string[]> {
    const rows = await this.db.fence.findMany({
      where: { status: 'active' },
      select: { plate: true },
      distinct: ['plate'],
    });
    return rows.map((r) => r.plate);
  }

  /**
   * Waits until the transaction that lifted these fences has ended and returns those of them that are lifted
   * now, as committed: a lift rolled back returns nothing. For a caller inside that transaction that cannot see
   * its commit (a hook of another context's transaction): run it outside the transaction, on the pool, once the
   * rows are locked by it. `FOR SHARE` waits for the transaction's row locks (taken by its `UPDATE`s) and then
   * reads the rows' committed version; it takes a pool connection for as long as it waits.
   */
  async committedLifts(ids: readonly string[]): Promise<{ id: string; plate: string }[]> {
    if (ids.length === 0) return [];
    // By id alone: a condition on the status would be tested on the version before the lift and skip the row
    // without waiting. After the wait the row returned is its latest committed version.
    const rows = await this.db.$queryRaw<{ id: string; plate: string; status: string }[]>`
      SELECT id::text, plate, status::text FROM fences WHERE id = ANY(${[...ids]}::uuid[]) FOR SHARE`;
    return rows.filter((r) => r.status === 'lifted').map(({ id, plate }) => ({ id, plate }));
  }

  async list(query: ListFencesQuery): Promise<FenceRow[]> {
    const where: Prisma.FenceWhereInput = {
      ...(query.status ? { status: query.status } : {}),
      ...(query.plate ? { plate: query.plate } : {}),
      ...(query.leadId ? { leadId: query.leadId } : {}),
      ...(query.caseId ? { caseId: query.caseId } : {}),
    };
    return this.db.fence.findMany({
      where,
      select,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit,
    });
  }

  async find(id: string, db: Tx | PrismaClient = this.db): Promise<FenceRow | null> {
    return db.fence.findUnique({ where: { id }, select });
  }

  async lock(tx: Tx, id: string): Promise<FenceRow | null> {
    await tx.$queryRaw`SELECT id FROM fences WHERE id = ${id}::uuid FOR UPDATE`;
    return this.find(id, tx);
  }

  async lift(tx: Tx, id: string, reason: string, at: Date): Promise<FenceRow> {
    return tx.fence.update({
      where: { id },
      data: { status: 'lifted', liftedAt: at, liftReason: reason },
      select,
    });
  }

  /** Fences and alerts of a lead or case, oldest first (the case's history). */
  async historyOf(where: { leadId?: string; caseId?: string }): Promise<FenceRow[]> {
    return this.db.fence.findMany({ where, select, orderBy: { createdAt: 'asc' } });
  }
}
