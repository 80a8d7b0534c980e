import { Inject, Injectable } from '@nestjs/common';
import { recordAudit } from '@ecc/audit-data';
import { liftFencesForLead, LeadResponsesRepository } from '@ecc/fences-data';
import { transitionLead } from '@ecc/leads-data';
import { LEAD_AWAITING_RESPONSE } from '@ecc/leads-domain';
import type { RecordResponseInput } from '@ecc/fences-domain';
import { DomainError, notFound, validationError, type Clock } from '@ecc/shared-kernel';
import type { PrismaClient } from '@ecc/shared-data';
import { CLOCK, PRISMA, type CommandContext } from '@ecc/platform-nest';
import { FenceBus } from './fence-bus';

/** A response may be dated a little ahead of the server clock (an officer's device), no more. */
const FUTURE_SKEW_MS = 5 * 60_000;

export interface LeadResponseResult {
  id: string;
  leadId: string;
  respondedAt: string;
  channel: string;
  note: string | null;
  /** true: the response window was still running and is now stopped (no fence will follow). */
  responseWindowStopped: boolean;
  /** fences lifted because the party came forward after the window had ended */
  liftedFenceIds: string[];
}

/**
 * 当事人到案: the party came forward (in person, by phone, ...). Recorded with the officer, it stops the lead's
 * response window, so the vehicle is not fenced; after the window it lifts the lead's fence. One per lead.
 */
@Injectable()
export class RecordLeadResponseUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly responses: LeadResponsesRepository,
    private readonly bus: FenceBus,
  ) {}

  async execute(
    leadId: string,
    input: RecordResponseInput,
    ctx: CommandContext,
  ): Promise<LeadResponseResult> {
    const now = this.clock.now();
    const respondedAt = new Date(input.respondedAt);
    if (respondedAt.getTime() > now.getTime() + FUTURE_SKEW_MS) {
      throw validationError('respondedAt lies in the future', [
        { path: 'body.respondedAt', message: 'lies in the future' },
      ]);
    }
    if (ctx.actor.kind !== 'user')
      throw new DomainError('forbidden', 'user_required', 'an officer records a response');
    const officerId = ctx.actor.id;
    const result = await this.prisma.$transaction(async (tx) => {
      const lead = await this.responses.lockLead(tx, leadId);
      if (!lead) throw notFound('lead', leadId);
      if (!LEAD_AWAITING_RESPONSE.includes(lead.status)) {
        throw new DomainError(
          'conflict',
          'lead_not_awaiting_response',
          `the lead is ${lead.status}: only a reviewed lead not yet filed awaits the party's response`,
        );
      }
      if (lead.responses.length > 0)
        throw new DomainError(
          'conflict',
          'lead_already_responded',
          'a response is already recorded for this lead',
        );
      if (lead.reviewedAt && respondedAt < lead.reviewedAt) {
        throw validationError('respondedAt precedes the lead review', [
          {
            path: 'body.respondedAt',
            message: `lies before the lead's review (${lead.reviewedAt.toISOString()})`,
          },
        ]);
      }
      const row = await this.responses.create(tx, {
        leadId,
        respondedAt,
        channel: input.channel,
        note: input.note ?? null,
        recordedById: officerId,
        at: now,
      });
      const stopped = await this.responses.stopResponseWindow(tx, leadId, respondedAt);
      const lifted = await liftFencesForLead(tx, leadId, '当事人已到案接受处理', {
        actor: ctx.actor,
        requestId: ctx.requestId,
        at: now,
      });
      if (lead.status === 'fenced')
        await transitionLead(tx, {
          leadId,
          transition: 'lift_fence',
          actor: ctx.actor,
          at: now,
          requestId: ctx.requestId,
          changes: { responseId: row.id, liftedFenceIds: lifted.map((f) => f.id) },
        });
      await recordAudit(
        tx,
        {
          actor: ctx.actor,
          action: 'lead.responded',
          entityType: 'lead',
          entityId: leadId,
          requestId: ctx.requestId,
          changes: {
            responseId: row.id,
            ...input,
            responseWindowStopped: stopped > 0,
            liftedFenceIds: lifted.map((f) => f.id),
          },
        },
        now,
      );
      return {
        result: {
          id: row.id,
          leadId,
          respondedAt: row.respondedAt.toISOString(),
          channel: row.channel,
          note: row.note,
          responseWindowStopped: stopped > 0,
          liftedFenceIds: lifted.map((f) => f.id),
        },
        lifted,
      };
    });
    // After commit: every API drops the plate from its watch list (the periodic reload would, later).
    for (const f of result.lifted) {
      await this.bus.publishChanged({ kind: 'lifted', fenceId: f.id, plate: f.plate }).catch(() => undefined);
    }
    return result.result;
  }
}
