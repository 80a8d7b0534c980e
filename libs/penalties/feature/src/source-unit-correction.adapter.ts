import { Injectable, type OnModuleInit } from '@nestjs/common';
import { SourceUnitCorrection, type SourceUnitCorrectionRules } from '@ecc/cases-feature';
import { FourPenaltiesRepository, readStoredPlan } from '@ecc/penalties-data';
import {
  correctionOrder,
  correctionOutcome,
  DEFAULT_PENALTY_BASIS,
  FOUR_PENALTIES_RULES,
  sourceUnitFineAfterCheck,
  type CorrectionOrder,
} from '@ecc/penalties-domain';
import type { DeadlineContext } from '@ecc/legal-domain';
import { DomainError } from '@ecc/shared-kernel';
import type { Tx } from '@ecc/shared-data';

/**
 * The source unit's order to correct as the case workflow drives it (湖南条例 Arts. 13, 30): its period from
 * the sub-case's stored plan (the policy in force when it was planned), the outcome of the check and the fine
 * within 10,000-30,000 yuan, by the rules of `source-unit-correction.ts`.
 */
@Injectable()
export class SourceUnitCorrectionAdapter implements SourceUnitCorrectionRules, OnModuleInit {
  constructor(
    private readonly registry: SourceUnitCorrection,
    private readonly repo: FourPenaltiesRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  private async orderOf(
    tx: Tx,
    caseId: string,
    servedAt: Date,
    ctx: DeadlineContext,
  ): Promise<CorrectionOrder> {
    const rows = await this.repo.penaltiesOf(caseId, tx);
    const plan = rows
      .map(readStoredPlan)
      .find((p) => p?.plan.ruleCode === FOUR_PENALTIES_RULES.sourceUnitLoading)?.plan;
    if (!plan?.correction) {
      throw new DomainError(
        'rule_violation',
        'correction_not_planned',
        '本案不是责令限期改正的货运源头单位案件（《湖南省治理货物运输车辆超限超载条例》第三十条）',
      );
    }
    const [obligation, loading] = plan.correction.basis;
    return correctionOrder(servedAt, ctx, {
      sourceUnitCorrection: { periodDays: plan.correction.periodDays, counting: plan.correction.counting },
      basis: {
        ...DEFAULT_PENALTY_BASIS,
        ...(obligation ? { sourceUnitObligation: obligation } : {}),
        ...(loading ? { sourceUnitLoading: loading } : {}),
      },
    });
  }

  async order(tx: Tx, input: { caseId: string; servedAt: Date; ctx: DeadlineContext }) {
    const order = await this.orderOf(tx, input.caseId, input.servedAt, input.ctx);
    return {
      servedOn: order.servedOn,
      periodDays: order.periodDays,
      counting: order.counting,
      lastDay: order.deadline.lastDay,
      dueAt: order.deadline.due,
    };
  }

  async check(tx: Tx, input: Parameters<SourceUnitCorrectionRules['check']>[1]) {
    const order = await this.orderOf(tx, input.caseId, input.servedAt, input.ctx);
    const { check } = input;
    const outcome = correctionOutcome(
      order,
      check.corrected
        ? { corrected: true, correctedOn: check.correctedOn ?? check.checkedOn, checkedOn: check.checkedOn }
        : { corrected: false, checkedOn: check.checkedOn },
    );
    // A fine only after a failed check, within its range and with reasons (refused after a correction in time).
    if (input.fine) sourceUnitFineAfterCheck(outcome, input.fine);
    return { outcome: outcome.outcome };
  }
}
