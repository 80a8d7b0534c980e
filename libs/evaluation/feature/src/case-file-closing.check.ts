import { Injectable, type OnModuleInit } from '@nestjs/common';
import { recordAudit } from '@ecc/audit-data';
import { CaseClosingChecks, type CaseClosingCheck } from '@ecc/cases-feature';
import { CaseEvaluationsRepository } from '@ecc/evaluation-data';
import { DomainError } from '@ecc/shared-kernel';
import type { Tx } from '@ecc/shared-data';
import type { CommandContext } from '@ecc/platform-nest';
import { CaseFileEvaluator } from './case-file-evaluator';

/**
 * Closing a case whose file scores below the policy threshold (default 90) is refused with the findings
 * (422 case_file_below_threshold), unless an approver closes it with `overrideReason`: the override, the
 * score and the findings are kept (case_evaluations, audited). Each closing records its precheck.
 */
@Injectable()
export class CaseFileClosingCheck implements CaseClosingCheck, OnModuleInit {
  constructor(
    private readonly registry: CaseClosingChecks,
    private readonly evaluator: CaseFileEvaluator,
    private readonly evaluations: CaseEvaluationsRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async beforeClose(
    tx: Tx,
    input: { caseId: string; ctx: CommandContext; overrideReason?: string; now: Date },
  ): Promise<Record<string, unknown>> {
    const { caseId, ctx, overrideReason, now } = input;
    const actor = ctx.actor;
    const user =
      actor.kind === 'user'
        ? await tx.user.findUnique({ where: { id: actor.id }, select: { displayName: true } })
        : null;
    const evaluation = await this.evaluator.evaluate(caseId, tx, {
      at: now,
      approverName: user?.displayName ?? actor.id,
    });
    const below = !evaluation.meetsThreshold;
    if (below && !overrideReason) {
      throw new DomainError(
        'rule_violation',
        'case_file_below_threshold',
        `案卷评查得分 ${evaluation.score}，低于结案要求的 ${evaluation.threshold} 分：请补正，或由负责人说明理由后结案`,
        { score: evaluation.score, threshold: evaluation.threshold, findings: evaluation.findings },
      );
    }
    if (below && !(actor.kind === 'user' && actor.roles.includes('approver'))) {
      throw new DomainError(
        'forbidden',
        'evaluation_override_needs_approver',
        'only an approver may close a case file below the threshold',
      );
    }
    const override = below && overrideReason ? { reason: overrideReason, by: actor.id } : null;
    const row = await this.evaluations.record(tx, {
      caseId,
      kind: 'precheck',
      evaluatorId: actor.kind === 'user' ? actor.id : null,
      score: evaluation.score,
      findings: { findings: evaluation.findings, threshold: evaluation.threshold, override },
      at: now,
    });
    // A passing precheck is audited with the closing itself (its `closingChecks`); an override also on its own.
    if (override) {
      await recordAudit(
        tx,
        {
          actor,
          action: 'case.evaluation_overridden',
          entityType: 'case',
          entityId: caseId,
          requestId: ctx.requestId,
          changes: {
            evaluationId: row.id,
            score: evaluation.score,
            threshold: evaluation.threshold,
            findings: evaluation.findings.map((f) => f.code),
            overrideReason: override.reason,
          },
        },
        now,
      );
    }
    return {
      evaluation: {
        id: row.id,
        score: evaluation.score,
        threshold: evaluation.threshold,
        findings: evaluation.findings.map((f) => f.code),
        ...(override ? { overrideReason: override.reason } : {}),
      },
    };
  }
}
