import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { CaseActionType } from '@ecc/cases-domain';
import { CaseAfterActionHooks, type CaseAfterActionHook } from '@ecc/cases-feature';
import type { CommandContext } from '@ecc/platform-nest';
import type { Tx } from '@ecc/shared-data';
import { PlanFourPenaltiesUseCase } from './plan-four-penalties.use-case';

/**
 * 一超四罚 as part of filing (issue 5: "when a vehicle case is filed, the four parties are identified"): after
 * `approve_filing`, and again after `record_investigation` (which may identify the driver and the cargo source
 * unit), the vehicle case is planned in the action's own transaction, so its sub-cases and their audit commit
 * with the action. Re-planning never duplicates a sub-case; a role not identified yet is simply not planned.
 * A sub-case (or a non-vehicle case) is not planned. Any other planning failure fails the action.
 */
@Injectable()
export class FourPenaltiesAfterAction implements CaseAfterActionHook, OnModuleInit {
  readonly actions: readonly CaseActionType[] = ['approve_filing', 'record_investigation'];

  constructor(
    private readonly registry: CaseAfterActionHooks,
    private readonly plan: PlanFourPenaltiesUseCase,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async afterAction(
    tx: Tx,
    input: { caseId: string; type: CaseActionType; ctx: CommandContext; now: Date },
  ): Promise<void> {
    const c = await tx.case.findUnique({
      where: { id: input.caseId },
      select: { type: true, parentCaseId: true },
    });
    if (!c || c.type !== 'vehicle' || c.parentCaseId) return;
    await this.plan.executeIn(tx, input.caseId, {}, input.ctx, { now: input.now });
  }
}
