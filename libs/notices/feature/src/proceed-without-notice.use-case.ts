import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { transitionLead } from '@ecc/leads-data';
import type { Clock } from '@ecc/shared-kernel';
import type { PrismaClient } from '@ecc/shared-data';
import { CLOCK, PRISMA, type CommandContext } from '@ecc/platform-nest';
import { LeadNoticeOutcomes } from './lead-notice-outcomes';

export const proceedWithoutNoticeSchema = z.strictObject({
  /** how the owner was told otherwise (phone call, letter, in person), or why the case goes on */
  reason: z.string().trim().min(1).max(2000),
});
export type ProceedWithoutNoticeInput = z.infer<typeof proceedWithoutNoticeSchema>;

export const proceedWithoutNoticeResultSchema = z.object({
  leadId: z.string().uuid(),
  status: z.literal('notified'),
  /** the response window started now (null when the party has come forward already) */
  responseWindow: z.object({ startedAt: z.string(), dueAt: z.string() }).nullable(),
});
export type ProceedWithoutNoticeResult = z.infer<typeof proceedWithoutNoticeResultSchema>;

/**
 * 以其他方式告知后继续: the owner's SMS failed for good and an officer, having told the owner another way,
 * decides to go on — the lead becomes `notified` and its response window starts now, from the decision,
 * never from the confirmation. Only a lead in `notice_failed` (409 `lead_not_awaiting_notice_decision`).
 */
@Injectable()
export class ProceedWithoutNoticeUseCase {
  constructor(
    @Inject(PRISMA) private readonly db: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly outcomes: LeadNoticeOutcomes,
  ) {}

  async execute(
    leadId: string,
    input: ProceedWithoutNoticeInput,
    ctx: CommandContext,
  ): Promise<ProceedWithoutNoticeResult> {
    const now = this.clock.now();
    return this.db.$transaction(async (tx) => {
      const result = (await transitionLead(tx, {
        leadId,
        transition: 'proceed_without_notice',
        actor: ctx.actor,
        at: now,
        requestId: ctx.requestId,
        changes: { reason: input.reason },
        responseWindowDueAt: await this.outcomes.responseWindowEnd(tx, now),
      }))!;
      return {
        leadId,
        status: 'notified' as const,
        responseWindow: result.responseWindow
          ? { startedAt: now.toISOString(), dueAt: result.responseWindow.dueAt.toISOString() }
          : null,
      };
    });
  }
}
