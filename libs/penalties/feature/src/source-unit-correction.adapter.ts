import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
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
import { DomainError, type Clock } from '@ecc/shared-kernel';
import { CLOCK } from '@ecc/platform-nest';
import type { Tx } from '@ecc/shared-data';
import { FourPenaltiesQueries } from './four-penalties.queries';

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
    private readonly queries: FourPenaltiesQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  /** The sub-case's Penalty row of the order to correct, with the plan it stores. */
  private async loadingRow(tx: Tx, caseId: string) {
    for (const row of await this.repo.penaltiesOf(caseId, tx)) {
      const stored = readStoredPlan(row);
      if (stored?.plan.ruleCode === FOUR_PENALTIES_RULES.sourceUnitLoading) return { row, stored };
    }
    return null;
  }

  private async orderOf(
    tx: Tx,
    caseId: string,
    servedAt: Date,
    ctx: DeadlineContext,
  ): Promise<CorrectionOrder> {
    const plan = (await this.loadingRow(tx, caseId))?.stored.plan;
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

  /** The later trips recorded on the order's row, labelled against its service (as `GET …/four-penalties` shows them). */
  async recordedTrips(tx: Tx, caseId: string) {
    const stored = (await this.loadingRow(tx, caseId))?.stored;
    if (!stored?.recordedTripCaseIds?.length) return [];
    return this.queries.recordedTrips(caseId, stored, tx);
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
    if (!input.fine) return { outcome: outcome.outcome };
    const { amountYuan, reasons, basis } = sourceUnitFineAfterCheck(outcome, input.fine);
    const penalty = await this.recordFine(tx, input.caseId, { amountYuan, reasons, basis }, check.checkedOn);
    return { outcome: outcome.outcome, penalty };
  }

  /**
   * 逾期不改正: the fine lands on the sub-case's Penalty row as any case's penalty does (kind, amount, the
   * article it rests on), in the check's transaction; the check's audit event names the change.
   */
  private async recordFine(
    tx: Tx,
    caseId: string,
    fine: { amountYuan: number; reasons: string; basis: { code: string }[] },
    checkedOn: string,
  ) {
    const found = await this.loadingRow(tx, caseId);
    if (!found) return undefined; // orderOf above has refused a sub-case without the order's plan
    const { row, stored } = found;
    const plan = { ...stored.plan, amountYuan: fine.amountYuan, amountReasons: fine.reasons };
    const legalBasisCode = fine.basis.at(-1)?.code ?? plan.basis[0]?.code ?? null;
    const written = await this.repo.upsertPenalty(tx, caseId, plan.ruleCode, {
      penaltyKind: 'fine',
      stored: {
        ...stored,
        plan,
        correctionFine: { amountYuan: fine.amountYuan, reasons: fine.reasons, checkedOn },
      },
      threshold: null,
      amountYuan: fine.amountYuan,
      legalBasisCode,
      at: this.clock.now(),
    });
    return {
      id: written.id,
      ruleCode: plan.ruleCode,
      before: { penaltyKind: row.penaltyKind, amountYuan: row.amount === null ? null : Number(row.amount) },
      after: { penaltyKind: 'fine', amountYuan: fine.amountYuan, legalBasisCode },
    };
  }
}
