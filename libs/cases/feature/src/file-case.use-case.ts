import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { newCaseDraft, penaltyFromProposal } from '@ecc/cases-domain';
import { CasesRepository, LeadReviewRepository } from '@ecc/cases-data';
import { recordAudit } from '@ecc/audit-data';
import { transitionLead } from '@ecc/leads-data';
import { leadTransitionRefusal } from '@ecc/leads-domain';
import { DomainError, localDate, notFound, type Clock } from '@ecc/shared-kernel';
import type { PrismaClient, Tx } from '@ecc/shared-data';
import { CLOCK, PRISMA, type CommandContext } from '@ecc/platform-nest';
import { SelfRegisteringAfterActionHook, type CaseAfterActionHook } from './case-after-action-hooks';
import { CASE_TRANSACTION, CaseEnvironmentProvider } from './case-environment';
import { loadCaseOfficers } from './case-officers';

export const fileCaseSchema = z.strictObject({
  leadId: z.string().uuid(),
  /** At least two officers holding an enforcement certificate (行政处罚法 Art. 42); checked as a rule (422). */
  officerIds: z.array(z.string().uuid()).min(1).max(20),
  /** 简要案情; generated from the lead when absent. */
  facts: z.string().trim().min(1).max(4000).optional(),
});
export type FileCaseInput = z.infer<typeof fileCaseSchema>;

/**
 * A case draft (待立案) of the vehicle from a confirmed lead: violation date = local day of the detection,
 * parties from the registry (owner, enterprise), the proposed penalty of screening. Filing itself is the
 * state machine's request_filing / approve_filing; its approval files the lead (LeadFiledOnApproval).
 */
@Injectable()
export class FileCaseUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly cases: CasesRepository,
    private readonly leads: LeadReviewRepository,
    private readonly env: CaseEnvironmentProvider,
  ) {}

  async execute(
    input: FileCaseInput,
    ctx: CommandContext,
  ): Promise<{ id: string; state: string; version: number }> {
    const now = this.clock.now();
    const env = await this.env.at(now);
    return this.prisma.$transaction(async (tx) => {
      const lead = await this.leads.lock(tx, input.leadId);
      if (!lead) throw notFound('lead', input.leadId);
      // The lifecycle's refusals (unreviewed, rejected: 422); a lead with a case, open or filed: 409.
      const refusal = leadTransitionRefusal(lead.status, 'file', lead.id);
      if (refusal && refusal.category !== 'conflict') throw refusal;
      const open = await tx.case.findFirst({
        where: { leadId: lead.id, state: { notIn: ['not_filed', 'terminated'] } },
        select: { id: true },
      });
      if (open || refusal) {
        throw new DomainError(
          'conflict',
          'lead_already_filed',
          `lead ${lead.id} already has case ${open?.id ?? ''}`.trim(),
          {
            caseId: open?.id ?? null,
          },
        );
      }
      const officers = await loadCaseOfficers(tx, input.officerIds);
      const certified = officers.filter((o) => (o.enforcementCertificateNo ?? '').trim() !== '');
      if (certified.length < 2) {
        throw new DomainError(
          'rule_violation',
          'fewer_than_two_officers',
          '执法人员不得少于两人，且须持有执法证件（行政处罚法第四十二条）',
        );
      }
      const vehicle = await this.leads.vehicleOf(tx, lead);
      if (!vehicle?.owner) {
        throw new DomainError('rule_violation', 'owner_unknown', '车主信息不明：请先补全车辆所有人');
      }
      const id = randomUUID();
      // A weight warning beside a size fine stays a warning and the fine (超限规定 Art. 43(1)(二), 43(2)).
      const parts = (lead.proposedBasis as { parts?: unknown } | null)?.parts;
      const penalty = penaltyFromProposal({
        kind: lead.proposedPenaltyKind,
        amountYuan: Number(lead.proposedAmount ?? 0),
        parts: Array.isArray(parts) ? (parts as { kind: string }[]) : [],
      });
      const snapshot = newCaseDraft({
        id,
        caseType: 'vehicle',
        createdAt: now,
        officers,
        proposedPenalty: penalty,
        warningByLaw:
          Array.isArray(parts) && (parts as { kind?: unknown }[]).some((p) => p.kind === 'warning'),
      });
      const parties: { partyId: string; role: 'owner' | 'enterprise' }[] = [
        { partyId: vehicle.owner.id, role: 'owner' },
      ];
      if (vehicle.enterprise && vehicle.enterprise.partyId !== vehicle.owner.id) {
        parties.push({ partyId: vehicle.enterprise.partyId, role: 'enterprise' });
      }
      const violationDay = localDate(lead.violationAt, env.timeZone);
      await this.cases.create(tx, {
        id,
        type: 'vehicle',
        leadId: lead.id,
        vehicleId: vehicle.id,
        enterpriseId: vehicle.enterpriseId,
        violationDate: new Date(`${violationDay}T00:00:00Z`),
        facts: input.facts ?? null,
        snapshot,
        officerIds: officers.map((o) => o.userId),
        parties,
        createdAt: now,
      });
      if (!lead.vehicleId) await tx.lead.update({ where: { id: lead.id }, data: { vehicleId: vehicle.id } });
      await recordAudit(
        tx,
        {
          actor: ctx.actor,
          action: 'case.created',
          entityType: 'case',
          entityId: id,
          requestId: ctx.requestId,
          changes: {
            leadId: lead.id,
            type: 'vehicle',
            officerIds: input.officerIds,
            violationDate: violationDay,
            proposedPenalty: penalty,
            parties,
          },
        },
        now,
      );
      return { id, state: 'draft', version: 0 };
    }, CASE_TRANSACTION);
  }
}

/**
 * 立案: the approval of the filing files the case's lead (the lifecycle's `file`, audited as `lead.filed`) in
 * the approval's own transaction — an after-action hook, so the case action itself knows nothing of leads.
 */
@Injectable()
export class LeadFiledOnApproval extends SelfRegisteringAfterActionHook {
  readonly actions = ['approve_filing'] as const;

  async afterAction(
    tx: Tx,
    { caseId, ctx, now }: Parameters<CaseAfterActionHook['afterAction']>[1],
  ): Promise<void> {
    const row = await tx.case.findUnique({
      where: { id: caseId },
      select: { leadId: true, caseNumber: true },
    });
    if (!row?.leadId) return;
    await transitionLead(tx, {
      leadId: row.leadId,
      transition: 'file',
      actor: ctx.actor,
      at: now,
      requestId: ctx.requestId,
      changes: { caseId, caseNumber: row.caseNumber },
    });
  }
}
