import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { CaseActionType } from '@ecc/cases-domain';
import { CaseAfterActionHooks, type CaseAfterActionHook } from '@ecc/cases-feature';
import { FourPenaltiesRepository, readStoredPlan } from '@ecc/penalties-data';
import { subCaseDecisionReadiness } from '@ecc/penalties-domain';
import { DomainError } from '@ecc/shared-kernel';
import type { Tx } from '@ecc/shared-data';

/**
 * A sub-case of a counted Art. 66 measure (stop transport, certificate revocation, suspension) is decided only
 * once the trips it counts are decided — above all the trip that crossed the threshold, which is a confirmed
 * violation only with its own decision (《公路安全保护条例》 Art. 66 counts 违法超限运输, i.e. decided ones).
 * Run in the decision's transaction: a premature `approve_decision` (alone or in a batch) fails and nothing of
 * it is written.
 */
@Injectable()
export class SubCaseDecisionGate implements CaseAfterActionHook, OnModuleInit {
  readonly actions: readonly CaseActionType[] = ['approve_decision'];

  constructor(
    private readonly registry: CaseAfterActionHooks,
    private readonly repo: FourPenaltiesRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async afterAction(tx: Tx, input: { caseId: string }): Promise<void> {
    const c = await tx.case.findUnique({
      where: { id: input.caseId },
      select: { parentCaseId: true, penalties: true },
    });
    if (!c?.parentCaseId) return;
    const plans = c.penalties.map(readStoredPlan).flatMap((s) => (s?.plan.counts ? [s.plan] : []));
    if (!plans.length) return;
    const needed = plans.flatMap((p) => [p.parentCaseId, ...(p.counts?.caseIds ?? [])]);
    const decided = await this.repo.decidedAmong([...new Set(needed)], tx);
    for (const plan of plans) {
      const readiness = subCaseDecisionReadiness(plan, decided);
      if (!readiness.ready) {
        throw new DomainError(
          'rule_violation',
          readiness.code,
          '引起计数超过法定次数的那次违法超限运输尚未作出处罚决定，本关联案件暂不能决定（《公路安全保护条例》第六十六条）',
          { waitsFor: readiness.waitsFor },
        );
      }
    }
  }
}
