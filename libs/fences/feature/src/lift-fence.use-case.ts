import { Inject, Injectable } from '@nestjs/common';
import { recordAudit } from '@ecc/audit-data';
import { FencesRepository, type FenceRow } from '@ecc/fences-data';
import { transitionLead } from '@ecc/leads-data';
import { assertFenceLiftable, type LiftFenceInput } from '@ecc/fences-domain';
import { notFound, type Clock } from '@ecc/shared-kernel';
import type { PrismaClient } from '@ecc/shared-data';
import { CLOCK, PRISMA, type CommandContext } from '@ecc/platform-nest';
import { FenceBus } from './fence-bus';

/** 撤销布控 by an officer or approver, with the reason; the row stays (lifted) as history. */
@Injectable()
export class LiftFenceUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly fences: FencesRepository,
    private readonly bus: FenceBus,
  ) {}

  async execute(id: string, input: LiftFenceInput, ctx: CommandContext): Promise<FenceRow> {
    const now = this.clock.now();
    const lifted = await this.prisma.$transaction(async (tx) => {
      const fence = await this.fences.lock(tx, id);
      if (!fence) throw notFound('fence', id);
      assertFenceLiftable(fence.status);
      const row = await this.fences.lift(tx, id, input.reason, now);
      if (fence.leadId) {
        // The lead is no longer 'fenced' once none of its fences is active.
        const others = await tx.fence.count({ where: { leadId: fence.leadId, status: 'active' } });
        if (others === 0)
          await transitionLead(tx, {
            leadId: fence.leadId,
            transition: 'lift_fence',
            actor: ctx.actor,
            at: now,
            requestId: ctx.requestId,
            changes: { fenceId: id, reason: input.reason },
            onlyIfAllowed: true,
          });
      }
      await recordAudit(
        tx,
        {
          actor: ctx.actor,
          action: 'fence.lifted',
          entityType: fence.caseId ? 'case' : fence.leadId ? 'lead' : 'fence',
          entityId: fence.caseId ?? fence.leadId ?? fence.id,
          requestId: ctx.requestId,
          changes: { fenceId: id, leadId: fence.leadId, plate: fence.plate, reason: input.reason },
        },
        now,
      );
      return row;
    });
    await this.bus
      .publishChanged({ kind: 'lifted', fenceId: id, plate: lifted.plate })
      .catch(() => undefined);
    return lifted;
  }
}
