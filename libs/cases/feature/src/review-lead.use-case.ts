import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { LeadReviewRepository, type ReviewLeadRow } from '@ecc/cases-data';
import { transitionLead } from '@ecc/leads-data';
import { leadTransition } from '@ecc/leads-domain';
import { createLeadNotices } from '@ecc/notices-data';
import { responseWindowEnd } from '@ecc/legal-domain';
import { PoliciesRepository } from '@ecc/legal-data';
import { detectionFacts, permitFacts, plateSpellings } from '@ecc/screening-data';
import { screeningPolicySchema } from '@ecc/screening-domain';
import { DomainError, notFound, type Clock } from '@ecc/shared-kernel';
import type { Prisma, PrismaClient, Tx } from '@ecc/shared-data';
import { APP_CONFIG, CLOCK, PRISMA, type CommandContext } from '@ecc/platform-nest';
import type { AppConfig } from '@ecc/shared-config';
import { CASE_TRANSACTION, CaseEnvironmentProvider, type CaseEnvironment } from './case-environment';
import { NoticeSender } from './notice-sender';
import { reassessReviewedLead, vehicleCorrectionSchema, type ReassessedLead } from './review-lead.correction';

export const reviewLeadSchema = z.strictObject({
  decision: z.enum(['confirm', 'reject']),
  reason: z.string().trim().min(1).max(2000),
  checks: z.strictObject({ plateMatches: z.boolean(), axleCountMatches: z.boolean() }),
  /**
   * The vehicle as the images and the vehicle licence show it, when confirming: truck or combination, the
   * wide-base tyre axles. The limit, the excess and the proposed penalty are re-computed from it.
   */
  vehicle: vehicleCorrectionSchema.optional(),
});
export type ReviewLeadInput = z.infer<typeof reviewLeadSchema>;

export interface LeadReviewResult {
  id: string;
  status: string;
  ownerUnknown: boolean;
  noticeIds: string[];
  /**
   * The last day the owner's notice states (the response window's end if the SMS is delivered today); the
   * window itself starts when the SMS is delivered, and never ends before this.
   */
  respondBy: string | null;
}

/**
 * Writes the notices of a confirmed lead (pending rows the notices worker sends once the transaction has
 * committed), stating the response window's end as if the owner's SMS were delivered now. The window itself
 * starts when that SMS is delivered (the notices' `deliver_notice` transition), never here. Owner unknown →
 * the lead waits on the 车主信息不明 list. Shared by the review and the owner completion.
 */
@Injectable()
export class LeadNotification {
  constructor(
    private readonly leads: LeadReviewRepository,
    private readonly noticeSender: NoticeSender,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Once the notifying transaction has committed: the notices are sent now (the sweeper would, later). */
  async afterCommit(noticeIds: readonly string[]): Promise<void> {
    await this.noticeSender.enqueueAfterCommit(noticeIds);
  }

  async notify(
    tx: Tx,
    lead: ReviewLeadRow,
    env: CaseEnvironment,
    now: Date,
  ): Promise<{ noticeIds: string[]; respondBy: Date | null }> {
    const respondBy = responseWindowEnd(now, {
      timeZone: env.timeZone,
      calendar: env.calendar,
      policy: env.policy,
    }).due;
    try {
      const { noticeIds } = await createLeadNotices(tx, {
        leadId: lead.id,
        respondBy,
        timeZone: env.timeZone,
        at: now,
        defaults: this.config.notices.defaults,
      });
      return { noticeIds, respondBy };
    } catch (error) {
      if (error instanceof DomainError && error.code === 'owner_unknown') {
        await this.leads.update(tx, lead.id, { ownerUnknown: true });
        return { noticeIds: [], respondBy: null };
      }
      throw error;
    }
  }
}

/** The lead's columns as a correction at review leaves them (stored the way screening stores them). */
const leadColumns = ({ columns: c }: ReassessedLead) => ({
  limitKg: c.limitKg,
  excessKg: c.excessKg,
  proposedPenaltyKind: c.proposedPenaltyKind,
  proposedAmount: c.proposedAmount,
  proposedBasis: c.proposedBasis as Prisma.InputJsonValue,
  rules: c.rules as Prisma.InputJsonValue,
});

/** 线索审核 (行政处罚法 Art. 41): an officer confirms the images match, or rejects with a reason. */
@Injectable()
export class ReviewLeadUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly leads: LeadReviewRepository,
    private readonly env: CaseEnvironmentProvider,
    private readonly notification: LeadNotification,
    private readonly policies: PoliciesRepository,
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
    const result = await this.prisma.$transaction(async (tx) => {
      const lead = await this.leads.lock(tx, leadId);
      if (!lead) throw notFound('lead', leadId);
      const review = { leadId, actor: ctx.actor, at: now, requestId: ctx.requestId, changes: input };
      const reviewed = { reviewedById: ctx.actor.id, reviewedAt: now };
      if (input.decision === 'reject') {
        await transitionLead(tx, {
          ...review,
          transition: 'reject',
          set: { ...reviewed, rejectReason: input.reason },
        });
        return {
          id: leadId,
          status: 'rejected',
          ownerUnknown: lead.ownerUnknown,
          noticeIds: [],
          respondBy: null,
        };
      }
      // Refused before the registry is searched.
      leadTransition(lead.status, 'confirm', leadId);
      const reassessed = input.vehicle ? await this.reassess(tx, lead, input.vehicle, env) : null;
      const vehicle = await this.leads.vehicleOf(tx, lead);
      let outcome: { noticeIds: string[]; respondBy: Date | null } = { noticeIds: [], respondBy: null };
      await transitionLead(tx, {
        ...review,
        transition: 'confirm',
        set: {
          ...reviewed,
          reviewNote: input.reason,
          ...(vehicle && !lead.vehicleId ? { vehicleId: vehicle.id } : {}),
          // the figures as the corrected vehicle gives them: the notices below state these
          ...(reassessed ? leadColumns(reassessed) : {}),
        },
        // what the correction changed, before and after, in the confirmation's audit event
        ...(reassessed ? { changes: { ...input, correction: reassessed.correction } } : {}),
        // the owner's notices are part of the confirmation, recorded in its audit event
        effects: async () => {
          if (vehicle?.owner) outcome = await this.notification.notify(tx, lead, env, now);
          else await this.leads.update(tx, leadId, { ownerUnknown: true });
          return {
            ownerUnknown: outcome.respondBy === null,
            noticeIds: outcome.noticeIds,
            respondBy: outcome.respondBy?.toISOString() ?? null,
          };
        },
      });
      return {
        id: leadId,
        status: 'confirmed',
        ownerUnknown: outcome.respondBy === null,
        noticeIds: outcome.noticeIds,
        respondBy: outcome.respondBy?.toISOString() ?? null,
      };
    }, CASE_TRANSACTION);
    await this.notification.afterCommit(result.noticeIds);
    return result;
  }

  /**
   * The vehicle as the reviewer found it (truck or combination, wide-base tyre axles, GB 1589 attributes): the
   * limit, excess and penalty re-computed from the lead's detection, with the permits on record and the
   * screening policy in force when the vehicle passed. A vehicle that is no overload once corrected is not
   * confirmed: the lead is rejected with that reason.
   */
  private async reassess(
    tx: Tx,
    lead: ReviewLeadRow,
    correction: NonNullable<ReviewLeadInput['vehicle']>,
    env: CaseEnvironment,
  ): Promise<ReassessedLead> {
    const links = await tx.leadDetection.findMany({
      where: { leadId: lead.id },
      include: { detection: true },
    });
    const detections = links.map((l) => l.detection);
    const row =
      detections.find(
        (d) => d.grossMassKg === lead.grossMassKg && d.detectedAt.getTime() === lead.violationAt.getTime(),
      ) ?? detections.sort((a, b) => a.detectedAt.getTime() - b.detectedAt.getTime())[0];
    if (!row) {
      throw new DomainError(
        'conflict',
        'lead_without_detection',
        `lead ${lead.id} has no detection to re-assess`,
      );
    }
    const stored = await this.policies.current('screening', lead.violationAt, tx);
    const value = stored?.value && typeof stored.value === 'object' ? stored.value : {};
    const policy = screeningPolicySchema.safeParse({ timeZone: env.timeZone, ...value });
    if (!policy.success) {
      throw new DomainError(
        'unavailable',
        'screening_policy_invalid',
        'the stored screening policy does not parse',
      );
    }
    const permits = await tx.oversizePermit.findMany({
      where: { plate: { in: plateSpellings(lead.plate) } },
    });
    const result = reassessReviewedLead({
      detection: detectionFacts(row, lead.station.code, []),
      lead: {
        grossMassKg: lead.grossMassKg,
        toleranceKg: lead.toleranceKg,
        limitKg: lead.limitKg,
        excessKg: lead.excessKg,
        proposedPenalty: {
          kind: lead.proposedPenaltyKind === 'fine' ? 'fine' : 'warning',
          amountYuan: Number(lead.proposedAmount ?? 0),
        },
      },
      correction,
      permits: permitFacts(permits),
      policy: policy.data,
    });
    if (result.outcome !== 'lead') {
      throw new DomainError(
        'rule_violation',
        'no_overload_after_correction',
        '按核对后的车型、轮胎计算，该车未超过限定标准：应驳回线索而不是确认',
        { correction: result.correction },
      );
    }
    return result;
  }
}
