import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { recordAudit } from '@ecc/audit-data';
import { CasesRepository } from '@ecc/cases-data';
import { FourPenaltiesRepository } from '@ecc/penalties-data';
import { exceeds, FOUR_PENALTIES_RULES, type SubCasePlan } from '@ecc/penalties-domain';
import type { AppConfig } from '@ecc/shared-config';
import type { PrismaClient } from '@ecc/shared-data';
import { DomainError, localDate, type Clock } from '@ecc/shared-kernel';
import { APP_CONFIG, CLOCK, PRISMA, type CommandContext } from '@ecc/platform-nest';
import { PLAN_TRANSACTION, subCaseFactsOf } from './plan-four-penalties.use-case';
import { lockSubCaseBeforeNotice, setProposedPenalty } from './sub-case-penalty';
import { casePenaltyKindOf, sameRoleCodes } from './penalty-vocabulary';

export const escalationSchema = z.strictObject({
  /** 情节严重的理由 (《公路安全保护条例》 Art. 66): required. */
  reasons: z.string().trim().min(10).max(4000),
});
export type EscalationInput = z.infer<typeof escalationSchema>;

/**
 * 情节严重 (《公路安全保护条例》 Art. 66): the approver decides, with reasons, that an enterprise already over
 * the 10% threshold is a serious case — the sub-case's proposed penalty becomes revocation of the road
 * transport business licence, made public. Only before the pre-penalty notice; below the threshold refused.
 */
@Injectable()
export class EscalateEnterpriseUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: FourPenaltiesRepository,
    private readonly cases: CasesRepository,
  ) {}

  async execute(subCaseId: string, input: EscalationInput, ctx: CommandContext) {
    const now = this.clock.now();
    return this.prisma.$transaction(async (tx) => {
      const { sub, stored } = await lockSubCaseBeforeNotice(tx, this.repo, subCaseId, 'enterprise');
      const plan = stored.plan;
      if (plan.escalation) throw new DomainError('conflict', 'already_escalated', '已认定情节严重');
      if (!plan.counts || !exceeds(plan.counts)) {
        throw new DomainError(
          'rule_violation',
          'serious_escalation_below_threshold',
          '企业违法超限运输车辆未超过货运车辆总数的10%，不能认定情节严重（《公路安全保护条例》第六十六条）',
        );
      }
      const escalation = {
        approverId: ctx.actor.id,
        reasons: input.reasons,
        decidedOn: localDate(now, this.config.bureau.timeZone),
      };
      const next: SubCasePlan = {
        ...plan,
        ruleCode: FOUR_PENALTIES_RULES.enterpriseSerious,
        outcome: 'licence_revocation',
        escalation,
        publicise: true,
      };
      const kind = casePenaltyKindOf(next);
      await this.repo.upsertPenalty(
        tx,
        sub.id,
        next.ruleCode,
        {
          penaltyKind: kind,
          stored: { ...stored, plan: next },
          threshold: next.counts?.threshold ?? null,
          amountYuan: null,
          legalBasisCode: next.basis[0]?.code ?? null,
          at: now,
        },
        sameRoleCodes(next.ruleCode),
      );
      // 违法事实 stay what happened, with the circumstances the approver found serious; the measure is the penalty.
      const parent = sub.parentCaseId ? await this.repo.loadViolation(sub.parentCaseId, tx) : null;
      const facts = parent ? await subCaseFactsOf(tx, this.repo, parent, next, input.reasons) : null;
      if (facts) await this.repo.updateFacts(tx, sub.id, facts);
      const version = await setProposedPenalty(
        tx,
        this.cases,
        sub.id,
        { kind: kind ?? 'licence_revocation' },
        now,
      );
      await recordAudit(
        tx,
        {
          actor: ctx.actor,
          action: 'four_penalties.enterprise_escalated',
          entityType: 'case',
          entityId: sub.id,
          requestId: ctx.requestId,
          changes: {
            parentCaseId: sub.parentCaseId,
            from: { ruleCode: plan.ruleCode, outcome: plan.outcome },
            to: { ruleCode: next.ruleCode, outcome: next.outcome, penaltyKind: kind },
            counts: {
              count: plan.counts.count,
              threshold: plan.counts.threshold,
              caseIds: plan.counts.caseIds,
            },
            reasons: input.reasons,
            facts,
          },
        },
        now,
      );
      return { id: sub.id, version, ruleCode: next.ruleCode, penaltyKind: kind, escalation, publicise: true };
    }, PLAN_TRANSACTION);
  }
}
