import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { StaffAlertsRepository } from '@ecc/alerts-data';
import { recordAudit } from '@ecc/audit-data';
import { notFound, type Clock } from '@ecc/shared-kernel';
import type { PrismaClient } from '@ecc/shared-data';
import { CLOCK, PRISMA, type CommandContext } from '@ecc/platform-nest';

export const listAlertsQuerySchema = z.strictObject({
  unread: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const instant = z.string().datetime();

/** One alert as the API shows it. */
export const staffAlertSchema = z.object({
  id: z.string().uuid(),
  kind: z.string().describe('deadline_approaching, deadline_missed, response_window_ended, notice_failed, …'),
  message: z.string(),
  caseId: z.string().uuid().nullable(),
  leadId: z.string().uuid().nullable(),
  deadlineId: z.string().uuid().nullable(),
  noticeId: z.string().uuid().nullable(),
  createdAt: instant,
  readAt: instant.nullable(),
});
export const staffAlertListSchema = z.object({ items: z.array(staffAlertSchema) });

const view = (a: {
  id: string;
  kind: string;
  message: string;
  caseId: string | null;
  leadId: string | null;
  deadlineId: string | null;
  noticeId: string | null;
  createdAt: Date;
  readAt: Date | null;
}) => ({
  id: a.id,
  kind: a.kind,
  message: a.message,
  caseId: a.caseId,
  leadId: a.leadId,
  deadlineId: a.deadlineId,
  noticeId: a.noticeId,
  createdAt: a.createdAt.toISOString(),
  readAt: a.readAt?.toISOString() ?? null,
});

/** The signed-in user's alerts (期限预警, failed notices, checks), newest first, and marking one read. */
@Injectable()
export class StaffAlertsUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly alerts: StaffAlertsRepository,
  ) {}

  async list(userId: string, query: z.infer<typeof listAlertsQuerySchema>) {
    const rows = await this.alerts.listFor(userId, { unread: query.unread === 'true', limit: query.limit });
    return { items: rows.map(view) };
  }

  async markRead(id: string, ctx: CommandContext) {
    const now = this.clock.now();
    return this.prisma.$transaction(async (tx) => {
      const alert = await this.alerts.markRead(tx, ctx.actor.id, id, now);
      if (!alert) throw notFound('alert', id);
      await recordAudit(
        tx,
        {
          actor: ctx.actor,
          action: 'staff_alert.read',
          entityType: 'staff_alert',
          entityId: id,
          requestId: ctx.requestId,
          changes: { readAt: now.toISOString() },
        },
        now,
      );
      return view(alert);
    });
  }
}
