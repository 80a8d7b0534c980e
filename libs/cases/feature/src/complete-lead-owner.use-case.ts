import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { LeadReviewRepository } from '@ecc/cases-data';
import { partyIdNumberSchema, partyIdNumberValid } from '@ecc/registry-domain';
import { recordAudit } from '@ecc/audit-data';
import { DomainError, notFound, type Clock } from '@ecc/shared-kernel';
import type { PrismaClient } from '@ecc/shared-data';
import { CLOCK, PRISMA, type CommandContext } from '@ecc/platform-nest';
import { CASE_TRANSACTION, CaseEnvironmentProvider } from './case-environment';
import { LeadNotification, type LeadReviewResult } from './review-lead.use-case';

const PLATE_COLOURS = ['blue', 'yellow', 'green', 'yellow_green', 'white', 'black'] as const;

export const completeLeadOwnerSchema = z.strictObject({
  owner: z
    .strictObject({
      kind: z.enum(['person', 'organisation']),
      name: z.string().trim().min(1).max(200),
      /** 身份证号 or 统一社会信用代码 */
      idNumber: partyIdNumberSchema,
      /** the SMS notice goes to it */
      phone: z
        .string()
        .trim()
        .regex(/^\+?\d{5,20}$/, 'digits, optionally with a leading +'),
      address: z.string().trim().min(1).max(500).optional(),
    })
    .superRefine(partyIdNumberValid),
  /** needed when the detection did not read the plate colour */
  plateColour: z.enum(PLATE_COLOURS).optional(),
  vehicleType: z.string().trim().min(1).max(100).optional(),
  /** 车籍地 road-transport authority (抄告) */
  homeAuthority: z.string().trim().min(1).max(200).optional(),
});
export type CompleteLeadOwnerInput = z.infer<typeof completeLeadOwnerSchema>;

/** 补全车主信息: a confirmed lead of an unknown owner gets its registry entry, then its notices. */
@Injectable()
export class CompleteLeadOwnerUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly leads: LeadReviewRepository,
    private readonly env: CaseEnvironmentProvider,
    private readonly notification: LeadNotification,
  ) {}

  async execute(
    leadId: string,
    input: CompleteLeadOwnerInput,
    ctx: CommandContext,
  ): Promise<LeadReviewResult> {
    const now = this.clock.now();
    const env = await this.env.at(now);
    const result = await this.prisma.$transaction(async (tx) => {
      const lead = await this.leads.lock(tx, leadId);
      if (!lead) throw notFound('lead', leadId);
      // A known owner first: a repeated completion is answered the same whether or not the notices it
      // started have moved the lead on meanwhile.
      if (!lead.ownerUnknown)
        throw new DomainError('conflict', 'owner_already_known', 'the owner of this lead is known');
      if (lead.status !== 'confirmed') {
        throw new DomainError(
          'rule_violation',
          'lead_not_confirmed',
          `lead ${leadId} is ${lead.status}: only a confirmed lead is completed`,
        );
      }
      const plateColour = lead.plateColour ?? input.plateColour;
      if (!plateColour) {
        throw new DomainError(
          'validation',
          'plate_colour_required',
          'the detection has no plate colour: give plateColour',
          {
            errors: [{ path: 'body.plateColour', message: 'required for this lead' }],
          },
        );
      }
      if (lead.plateColour && input.plateColour && input.plateColour !== lead.plateColour) {
        throw new DomainError(
          'validation',
          'plate_colour_mismatch',
          `the detection read a ${lead.plateColour} plate`,
          {
            errors: [{ path: 'body.plateColour', message: `must be ${lead.plateColour}` }],
          },
        );
      }
      const { vehicleId, partyId } = await this.leads.completeOwner(tx, lead, input.owner, {
        plateColour,
        vehicleType: input.vehicleType,
        homeAuthority: input.homeAuthority,
      });
      await this.leads.update(tx, leadId, { vehicleId, ownerUnknown: false });
      const refreshed = (await this.leads.find(leadId, tx))!;
      const n = await this.notification.notify(tx, refreshed, env, now);
      await recordAudit(
        tx,
        {
          actor: ctx.actor,
          action: 'lead.owner_completed',
          entityType: 'lead',
          entityId: leadId,
          requestId: ctx.requestId,
          changes: {
            ...input,
            vehicleId,
            partyId,
            noticeIds: n.noticeIds,
            respondBy: n.respondBy?.toISOString() ?? null,
          },
        },
        now,
      );
      return {
        id: leadId,
        status: 'confirmed',
        ownerUnknown: n.respondBy === null,
        noticeIds: n.noticeIds,
        respondBy: n.respondBy?.toISOString() ?? null,
      };
    }, CASE_TRANSACTION);
    await this.notification.afterCommit(result.noticeIds);
    return result;
  }
}
