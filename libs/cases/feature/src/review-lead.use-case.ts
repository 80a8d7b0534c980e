import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { LeadReviewRepository, DeadlinesRepository, type ReviewLeadRow } from '@ecc/cases-data';
import { recordAudit } from '@ecc/audit-data';
import { createLeadNotices } from '@ecc/notices-data';
import { responseWindowEnd } from '@ecc/legal-domain';
import { DomainError, notFound, type Clock } from '@ecc/shared-kernel';
import type { PrismaClient, Tx } from '@ecc/shared-data';
import { CLOCK, PRISMA, type CommandContext } from '@ecc/platform-nest';
import { CASE_TRANSACTION, CaseEnvironmentProvider, type CaseEnvironment } from './case-environment';
import { DeadlineScheduler, type ScheduledDeadline } from './deadline-scheduler';
import { NoticeSender } from './notice-sender';

export const reviewLeadSchema = z.strictObject({
  decision: z.enum(['confirm', 'reject']),
  reason: z.string().trim().min(1).max(2000),
  checks: z.strictObject({ plateMatches: z.boolean(), axleCountMatches: z.boolean() }),
});
export type ReviewLeadInput = z.infer<typeof reviewLeadSchema>;

export interface LeadReviewResult {
  id: string;
  status: string;
  ownerUnknown: boolean;
  noticeIds: string[];
  respondBy: string | null;
}

/**
 * Notifies the owner of a confirmed lead and starts its response window (policy `case.responseWindowDays`):
 * the notices are pending rows the notices worker sends; owner unknown → the lead waits on the
 * 车主信息不明 list. Shared by the review and the owner completion.
 */
@Injectable()
export class LeadNotification {
  constructor(
    private readonly leads: LeadReviewRepository,
    private readonly deadlines: DeadlinesRepository,
    private readonly scheduler: DeadlineScheduler,
    private readonly noticeSender: NoticeSender,
  ) {}

  /** Once the notifying transaction has committed: the response window's job, and the notices sent now. */
  async afterCommit(sent: {
    noticeIds: readonly string[];
    deadline: ScheduledDeadline | null;
  }): Promise<void> {
    if (sent.deadline) await this.scheduler.schedule([sent.deadline]);
    await this.noticeSender.enqueueAfterCommit(sent.noticeIds);
  }

  async notify(
    tx: Tx,
    lead: ReviewLeadRow,
    env: CaseEnvironment,
    now: Date,
  ): Promise<{ noticeIds: string[]; respondBy: Date | null; deadline: ScheduledDeadline | null }> {
    const respondBy = responseWindowEnd(now, {
      timeZone: env.timeZone,
      calendar: env.calendar,
      policy: env.policy,
    }).due;
    let noticeIds: string[];
    try {
      ({ noticeIds } = await createLeadNotices(tx, {
        leadId: lead.id,
        respondBy,
        timeZone: env.timeZone,
        at: now,
      }));
    } catch (error) {
      if (error instanceof DomainError && error.code === 'owner_unknown') {
        await this.leads.update(tx, lead.id, { ownerUnknown: true });
        return { noticeIds: [], respondBy: null, deadline: null };
      }
      throw error;
    }
    const open = await this.deadlines.openOfLead(tx, lead.id, 'response_window');
    if (open) return { noticeIds, respondBy: open.dueAt, deadline: null };
    const row = await this.deadlines.start(tx, {
      leadId: lead.id,
      kind: 'response_window',
      startedAt: now,
      dueAt: respondBy,
      approachingAt: null,
    });
    return { noticeIds, respondBy, deadline: { id: row.id, dueAt: row.dueAt, approachingAt: null } };
  }
}

/** 线索审核 (行政处罚法 Art. 41): an officer confirms the images match, or rejects with a reason. */
@Injectable()
export class ReviewLeadUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly leads: LeadReviewRepository,
    private readonly env: CaseEnvironmentProvider,
    private readonly notification: LeadNotification,
  ) {}

  async execute(leadId: string, input: ReviewLeadInput, ctx: CommandContext): Promise<LeadReviewResult> {
    if (input.decision === 'confirm' && !(input.checks.plateMatches && input.checks.axleCountMatches)) {
      throw new DomainError(
        'rule_violation',
        'review_checks_failed',
        '号牌与轴数须与图像核对一致方可确认线索；不一致的应驳回',
        { checks: input.checks },
      );
    }
    const now = this.clock.now();
    const env = await this.env.at(now);
    let scheduled: ScheduledDeadline | null = null;
    const result = await this.prisma.$transaction(async (tx) => {
      const lead = await this.leads.lock(tx, leadId);
      if (!lead) throw notFound('lead', leadId);
      if (lead.status !== 'pending_review') {
        throw new DomainError(
          'conflict',
          'lead_already_reviewed',
          `lead ${leadId} is already ${lead.status}`,
        );
      }
      const reviewer = ctx.actor.id;
      if (input.decision === 'reject') {
        await this.leads.update(tx, leadId, {
          status: 'rejected',
          rejectReason: input.reason,
          reviewedById: reviewer,
          reviewedAt: now,
        });
        await recordAudit(
          tx,
          {
            actor: ctx.actor,
            action: 'lead.rejected',
            entityType: 'lead',
            entityId: leadId,
            requestId: ctx.requestId,
            changes: input,
          },
          now,
        );
        return {
          id: leadId,
          status: 'rejected',
          ownerUnknown: lead.ownerUnknown,
          noticeIds: [],
          respondBy: null,
        };
      }
      const vehicle = await this.leads.vehicleOf(tx, lead);
      await this.leads.update(tx, leadId, {
        status: 'confirmed',
        reviewNote: input.reason,
        reviewedById: reviewer,
        reviewedAt: now,
        ...(vehicle && !lead.vehicleId ? { vehicleId: vehicle.id } : {}),
      });
      let outcome: { noticeIds: string[]; respondBy: Date | null } = { noticeIds: [], respondBy: null };
      let ownerUnknown = false;
      if (vehicle?.owner) {
        const n = await this.notification.notify(tx, lead, env, now);
        outcome = n;
        scheduled = n.deadline;
        ownerUnknown = n.respondBy === null;
      } else {
        await this.leads.update(tx, leadId, { ownerUnknown: true });
        ownerUnknown = true;
      }
      await recordAudit(
        tx,
        {
          actor: ctx.actor,
          action: 'lead.confirmed',
          entityType: 'lead',
          entityId: leadId,
          requestId: ctx.requestId,
          changes: {
            ...input,
            ownerUnknown,
            noticeIds: outcome.noticeIds,
            respondBy: outcome.respondBy?.toISOString() ?? null,
          },
        },
        now,
      );
      return {
        id: leadId,
        status: 'confirmed',
        ownerUnknown,
        noticeIds: outcome.noticeIds,
        respondBy: outcome.respondBy?.toISOString() ?? null,
      };
    }, CASE_TRANSACTION);
    await this.notification.afterCommit({ noticeIds: result.noticeIds, deadline: scheduled });
    return result;
  }
}
