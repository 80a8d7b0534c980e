import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { recordAudit } from '@ecc/audit-data';
import { CasesRepository } from '@ecc/cases-data';
import { FourPenaltiesRepository } from '@ecc/penalties-data';
import type { PrismaClient } from '@ecc/shared-data';
import { DomainError, type Clock } from '@ecc/shared-kernel';
import { CLOCK, PRISMA, type CommandContext } from '@ecc/platform-nest';
import { PLAN_TRANSACTION } from './plan-four-penalties.use-case';
import { lockSubCaseBeforeNotice, setProposedPenalty } from './sub-case-penalty';
import { sameRoleCodes } from './penalty-vocabulary';

export const sourceUnitFineSchema = z.strictObject({
  amountYuan: z.number().int().positive().max(100_000_000),
  /** 自由裁量理由: why this amount within the range. */
  reasons: z.string().trim().min(10).max(4000),
});
export type SourceUnitFineInput = z.infer<typeof sourceUnitFineSchema>;

/**
 * 自由裁量: the officer chooses the fine of a cargo source unit that instructed or forced the overload (条例
 * Art. 68, up to 30,000 yuan), with reasons, before the pre-penalty notice. It becomes the sub-case's proposed
 * fine. A unit that only loaded the vehicle is ordered to correct (湖南条例 Art. 30): no fine is chosen for it
 * here until its correction has been checked and found wanting.
 */
@Injectable()
export class ChooseSourceUnitFineUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repo: FourPenaltiesRepository,
    private readonly cases: CasesRepository,
  ) {}

  async execute(subCaseId: string, input: SourceUnitFineInput, ctx: CommandContext) {
    const now = this.clock.now();
    return this.prisma.$transaction(async (tx) => {
      if (!(await this.repo.isOfficerOf(subCaseId, ctx.actor.id, tx))) {
        throw new DomainError('forbidden', 'not_case_officer', '只有本案执法人员可以确定罚款数额');
      }
      const { sub, stored } = await lockSubCaseBeforeNotice(tx, this.repo, subCaseId, 'source_unit');
      const plan = stored.plan;
      if (plan.outcome !== 'fine' || !plan.amountRange) {
        // 湖南条例 Art. 30: the unit is ordered to correct; a fine follows only a failed check of the correction.
        throw new DomainError(
          'rule_violation',
          'source_unit_fine_before_correction_check',
          '货运源头单位先责令限期改正；逾期不改正的，方可处一万元以上三万元以下罚款（《湖南省治理货物运输车辆超限超载条例》第三十条）',
        );
      }
      const range = plan.amountRange;
      if (input.amountYuan < range.minYuan || input.amountYuan > range.maxYuan) {
        throw new DomainError(
          'rule_violation',
          'source_unit_fine_out_of_range',
          `罚款数额 ${input.amountYuan} 元超出裁量范围 ${range.minYuan}–${range.maxYuan} 元`,
          {
            errors: [
              { path: 'body.amountYuan', message: `must lie within ${range.minYuan}–${range.maxYuan}` },
            ],
          },
        );
      }
      const next = { ...plan, amountYuan: input.amountYuan, amountReasons: input.reasons };
      await this.repo.upsertPenalty(
        tx,
        sub.id,
        plan.ruleCode,
        {
          penaltyKind: 'fine',
          stored: { ...stored, plan: next },
          threshold: null,
          amountYuan: input.amountYuan,
          legalBasisCode: plan.basis[0]?.code ?? null,
          at: now,
        },
        sameRoleCodes(plan.ruleCode),
      );
      const version = await setProposedPenalty(
        tx,
        this.cases,
        sub.id,
        { kind: 'fine', amountYuan: input.amountYuan },
        now,
      );
      await recordAudit(
        tx,
        {
          actor: ctx.actor,
          action: 'four_penalties.source_unit_fine_chosen',
          entityType: 'case',
          entityId: sub.id,
          requestId: ctx.requestId,
          changes: {
            parentCaseId: sub.parentCaseId,
            ruleCode: plan.ruleCode,
            range,
            from: plan.amountYuan,
            amountYuan: input.amountYuan,
            reasons: input.reasons,
          },
        },
        now,
      );
      return {
        id: sub.id,
        version,
        ruleCode: plan.ruleCode,
        amountYuan: input.amountYuan,
        amountRange: range,
        reasons: input.reasons,
      };
    }, PLAN_TRANSACTION);
  }
}
