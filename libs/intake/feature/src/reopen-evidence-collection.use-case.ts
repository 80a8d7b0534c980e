import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { DomainError, notFound, type Clock } from '@ecc/shared-kernel';
import type { PrismaClient } from '@ecc/shared-data';
import { recordAudit } from '@ecc/audit-data';
import { CLOCK, PRISMA, type CommandContext } from '@ecc/platform-nest';

export const reopenSchema = z.strictObject({
  reason: z.string().trim().min(1, 'required').max(500, 'at most 500 characters'),
  hours: z
    .number()
    .int()
    .min(1)
    .max(168)
    .default(24)
    .describe('how long stations may add evidence (1-168, default 24)'),
});
export type ReopenInput = z.infer<typeof reopenSchema>;

export const reopeningSchema = z.object({
  id: z.string().uuid(),
  leadId: z.string().uuid(),
  reason: z.string(),
  openedAt: z.string(),
  closesAt: z.string(),
  closedAt: z.string().nullable(),
});
export type ReopeningView = z.infer<typeof reopeningSchema>;

const CASE_DONE = ['closed', 'archived'];

/**
 * Once a lead is filed into a case, its evidence belongs to the case file and stations may add none (the
 * upload answers 409). An officer who needs a station's late photographs or video reopens collection for a
 * while, with a reason; the uploads in that time name the reopening in their audit events. A case that is
 * closed or archived cannot be reopened this way.
 */
@Injectable()
export class EvidenceCollectionUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async reopen(leadId: string, input: ReopenInput, ctx: CommandContext): Promise<ReopeningView> {
    return this.prisma.$transaction(async (tx) => {
      const lead = await tx.$queryRaw<{ case_state: string | null }[]>`
        SELECT (SELECT c.state::text FROM cases c
                 WHERE c.lead_id = l.id AND c.parent_case_id IS NULL AND c.state NOT IN ('not_filed', 'terminated')
                 ORDER BY c.created_at DESC LIMIT 1) AS case_state
          FROM leads l WHERE l.id = ${leadId}::uuid FOR UPDATE`;
      if (!lead[0]) throw notFound('lead', leadId);
      if (!lead[0].case_state) {
        throw new DomainError(
          'conflict',
          'evidence_collection_open',
          'the lead is not filed into a case: stations may still add evidence, nothing to reopen',
        );
      }
      if (lead[0].case_state && CASE_DONE.includes(lead[0].case_state)) {
        throw new DomainError(
          'conflict',
          'case_closed',
          `the case is ${lead[0].case_state}: its file is final`,
        );
      }
      const now = this.clock.now();
      const row = await tx.evidenceReopening.create({
        data: {
          leadId,
          reason: input.reason,
          openedById: ctx.actor.id,
          openedAt: now,
          closesAt: new Date(now.getTime() + input.hours * 3_600_000),
        },
      });
      const view = toView(row);
      await recordAudit(tx, {
        actor: ctx.actor,
        action: 'lead.evidence_collection_reopened',
        entityType: 'lead',
        entityId: leadId,
        requestId: ctx.requestId,
        changes: view,
      });
      return view;
    });
  }

  /** Ends the reopenings of a lead still in force, before their time. */
  async close(leadId: string, ctx: CommandContext): Promise<{ closed: number }> {
    return this.prisma.$transaction(async (tx) => {
      const now = this.clock.now();
      const { count } = await tx.evidenceReopening.updateMany({
        where: { leadId, closedAt: null, closesAt: { gt: now } },
        data: { closedAt: now },
      });
      if (count === 0) {
        throw new DomainError(
          'conflict',
          'evidence_collection_not_reopened',
          'no reopening of this lead is in force',
        );
      }
      await recordAudit(tx, {
        actor: ctx.actor,
        action: 'lead.evidence_collection_closed',
        entityType: 'lead',
        entityId: leadId,
        requestId: ctx.requestId,
        changes: { closed: count },
      });
      return { closed: count };
    });
  }
}

const toView = (row: {
  id: string;
  leadId: string;
  reason: string;
  openedAt: Date;
  closesAt: Date;
  closedAt: Date | null;
}): ReopeningView => ({
  id: row.id,
  leadId: row.leadId,
  reason: row.reason,
  openedAt: row.openedAt.toISOString(),
  closesAt: row.closesAt.toISOString(),
  closedAt: row.closedAt?.toISOString() ?? null,
});
