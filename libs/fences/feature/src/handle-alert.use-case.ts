import { Inject, Injectable } from '@nestjs/common';
import { recordAudit } from '@ecc/audit-data';
import { InterceptionAlertsRepository } from '@ecc/fences-data';
import { assertAlertTransition, type InterceptionAlertView } from '@ecc/fences-domain';
import { DomainError, notFound, type Clock } from '@ecc/shared-kernel';
import type { PrismaClient, Tx } from '@ecc/shared-data';
import { CLOCK, PRISMA, type CommandContext } from '@ecc/platform-nest';

/** The duty team's handling of an interception alert: acknowledge (已接警), then resolve with what was done. */
@Injectable()
export class HandleAlertUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly alerts: InterceptionAlertsRepository,
  ) {}

  acknowledge(id: string, ctx: CommandContext): Promise<InterceptionAlertView> {
    return this.change(id, 'acknowledge', ctx, async (tx, userId, now) => {
      await this.alerts.acknowledge(tx, id, userId, now);
      return {};
    });
  }

  resolve(id: string, resolution: string, ctx: CommandContext): Promise<InterceptionAlertView> {
    return this.change(id, 'resolve', ctx, async (tx, _userId, now) => {
      await this.alerts.resolve(tx, id, resolution, now);
      return { resolution };
    });
  }

  private async change(
    id: string,
    action: 'acknowledge' | 'resolve',
    ctx: CommandContext,
    apply: (tx: Tx, userId: string, now: Date) => Promise<object>,
  ): Promise<InterceptionAlertView> {
    if (ctx.actor.kind !== 'user')
      throw new DomainError('forbidden', 'user_required', 'an officer handles alerts');
    const userId = ctx.actor.id;
    const now = this.clock.now();
    return this.prisma.$transaction(async (tx) => {
      const alert = await this.alerts.lock(tx, id);
      if (!alert) throw notFound('interception_alert', id);
      const next = assertAlertTransition(alert.status, action);
      const extra = await apply(tx, userId, now);
      await recordAudit(
        tx,
        {
          actor: ctx.actor,
          action:
            action === 'acknowledge' ? 'interception_alert.acknowledged' : 'interception_alert.resolved',
          entityType: 'interception_alert',
          entityId: id,
          requestId: ctx.requestId,
          changes: { status: { before: alert.status, after: next }, fenceId: alert.fenceId, ...extra },
        },
        now,
      );
      return (await this.alerts.find(id, tx))!;
    });
  }
}
