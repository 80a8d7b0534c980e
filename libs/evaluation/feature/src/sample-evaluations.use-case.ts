import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { recordAudit } from '@ecc/audit-data';
import { CaseEvaluationsRepository } from '@ecc/evaluation-data';
import type { EvaluationAxis } from '@ecc/evaluation-domain';
import { DomainError } from '@ecc/shared-kernel';
import type { PrismaClient } from '@ecc/shared-data';
import { PRISMA, type CommandContext } from '@ecc/platform-nest';
import { CaseFileEvaluator, type CaseEvaluationView, type FindingView } from './case-file-evaluator';

export const sampleEvaluationsSchema = z
  .strictObject({
    sample: z.number().int().min(1).max(200),
    from: z.coerce.date(),
    to: z.coerce.date(),
  })
  .refine((v) => v.from.getTime() < v.to.getTime(), { message: 'from must be before to', path: ['to'] });
export type SampleEvaluationsInput = z.infer<typeof sampleEvaluationsSchema>;

const AXES: EvaluationAxis[] = ['completeness', 'consistency', 'legal_basis'];

export interface SampledCase {
  caseId: string;
  caseNumber: string | null;
  score: number;
  grade: CaseEvaluationView['grade'];
  findingsByAxis: Record<EvaluationAxis, FindingView[]>;
}

/**
 * The province's spot check (抽查): a random sample of the cases closed in [from, to), each scored as it
 * stands. Case data is only read; the run itself is kept (one `review` row per case in case_evaluations)
 * and audited.
 */
@Injectable()
export class SampleEvaluationsUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly evaluator: CaseFileEvaluator,
    private readonly evaluations: CaseEvaluationsRepository,
  ) {}

  async execute(input: SampleEvaluationsInput, ctx: CommandContext) {
    const ids = await this.evaluations.sampleClosed(input.sample, input.from, input.to);
    const scored: CaseEvaluationView[] = [];
    for (const id of ids) scored.push(await this.evaluator.evaluate(id));
    const runId = randomUUID();
    const now = new Date();
    const evaluatorId = ctx.actor.kind === 'user' ? ctx.actor.id : null;
    if (ctx.actor.kind !== 'user') throw new DomainError('forbidden', 'not_a_user', 'only staff evaluate');
    await this.prisma.$transaction(async (tx) => {
      for (const e of scored) {
        await this.evaluations.record(tx, {
          caseId: e.caseId,
          kind: 'review',
          evaluatorId,
          score: e.score,
          findings: { runId, findings: e.findings },
          at: now,
        });
      }
      await recordAudit(
        tx,
        {
          actor: ctx.actor,
          action: 'evaluation.sampled',
          entityType: 'evaluation_run',
          entityId: runId,
          requestId: ctx.requestId,
          changes: {
            sample: input.sample,
            from: input.from.toISOString(),
            to: input.to.toISOString(),
            cases: scored.map((e) => ({ caseId: e.caseId, score: e.score })),
          },
        },
        now,
      );
    });
    const cases: SampledCase[] = scored.map((e) => ({
      caseId: e.caseId,
      caseNumber: e.caseNumber,
      score: e.score,
      grade: e.grade,
      findingsByAxis: Object.fromEntries(
        AXES.map((axis) => [axis, e.findings.filter((f) => f.axis === axis)]),
      ) as Record<EvaluationAxis, FindingView[]>,
    }));
    return {
      id: runId,
      from: input.from.toISOString(),
      to: input.to.toISOString(),
      requested: input.sample,
      drawn: cases.length,
      averageScore: cases.length
        ? Math.round((cases.reduce((s, c) => s + c.score, 0) / cases.length) * 10) / 10
        : null,
      byAxis: Object.fromEntries(
        AXES.map((axis) => {
          const found = scored.flatMap((e) => e.findings.filter((f) => f.axis === axis));
          return [axis, { findings: found.length, deducted: found.reduce((s, f) => s + f.deduction, 0) }];
        }),
      ),
      cases,
    };
  }
}
