import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { z } from 'zod';
import { recordAudit } from '@ecc/audit-data';
import type { CaseActionType } from '@ecc/cases-domain';
import {
  CASE_DOCUMENT_PRINTER,
  PerformCaseActionUseCase,
  type CaseActionResult,
  type CaseDocumentPrinter,
  type ScheduledDeadline,
} from '@ecc/cases-feature';
import { decodeSnapshot } from '@ecc/cases-data';
import { NOTICE_SERVICE_METHODS, noticeServiceIssues } from '@ecc/penalties-domain';
import type { PrismaClient, Tx } from '@ecc/shared-data';
import { DomainError, validationError, type Clock } from '@ecc/shared-kernel';
import { CLOCK, PRISMA, type CommandContext } from '@ecc/platform-nest';

export const BATCH_ACTIONS = {
  /** 行政处罚告知书 (行政处罚法 Art. 44), one per case. */
  issue_notices: 'issue_pre_penalty_notice',
  /** 行政处罚决定书 (Art. 59), after legal review (Art. 58), one per case. */
  issue_decisions: 'approve_decision',
} as const satisfies Record<string, CaseActionType>;

const noticeServiceSchema = z.strictObject({
  caseId: z.string().uuid(),
  servedAt: z.coerce
    .date()
    .describe('when the party received the notice (the day on the postal receipt for post)'),
  method: z.enum(NOTICE_SERVICE_METHODS).describe('how it was served'),
});

export const penaltyBatchSchema = z
  .strictObject({
    caseIds: z
      .array(z.string().uuid())
      .min(1)
      .max(200)
      .refine((ids) => new Set(ids).size === ids.length, { message: 'a case may be listed only once' }),
    action: z.enum(['issue_notices', 'issue_decisions']),
    service: z
      .array(noticeServiceSchema)
      .max(200)
      .optional()
      .describe(
        'issue_notices, when every notice was already served: when and how each was. Without it the notices are ' +
          'issued and each waits for its service, recorded per case (record_notice_service); the statement and ' +
          'hearing windows run from that service (行政处罚法 Arts. 44, 61, 64, 85), not from the batch',
      ),
  })
  .superRefine((b, ctx) => {
    if (b.action !== 'issue_notices') {
      if (b.service) ctx.addIssue({ code: 'custom', path: ['service'], message: 'only with issue_notices' });
      return;
    }
    if (!b.service) return;
    const listed = b.service.map((s) => s.caseId);
    if (new Set(listed).size !== listed.length) {
      ctx.addIssue({ code: 'custom', path: ['service'], message: 'a case may be listed only once' });
    }
    const missing = b.caseIds.filter((id) => !listed.includes(id));
    const extra = listed.filter((id) => !b.caseIds.includes(id));
    if (missing.length || extra.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['service'],
        message:
          `one entry per listed case` +
          (missing.length ? `; missing: ${missing.join(', ')}` : '') +
          (extra.length ? `; not in caseIds: ${extra.join(', ')}` : ''),
      });
    }
  });
export type PenaltyBatchInput = z.infer<typeof penaltyBatchSchema>;

export interface BatchCaseError {
  caseId: string;
  category: string;
  code: string;
  message: string;
}

const BATCH_TRANSACTION = { maxWait: 15_000, timeout: 120_000 } as const;

/**
 * 同步处罚 (POST /penalties/batches): the same state-machine action on every listed 一超四罚 case — the
 * pre-penalty notices, or after legal review the decisions — in ONE database transaction: every case gets
 * its own document, records, deadlines and audit event exactly as through its own route, and either all
 * of them commit or none does; once committed, every document version written is queued for printing. A refusal lists every case that refused and why (422 `batch_refused`).
 *
 * The notices are issued as an officer sends them (generated, dated and numbered now) and each case waits for its
 * service, recorded per case when the receipt comes back (record_notice_service): the statement window and the 5
 * working days to request a hearing run from the party's receipt (行政处罚法 Arts. 44, 61, 64(1), 85), which for
 * notices sent by post to four companies is days after they were sent. Notices already served may say so
 * (`service`): a service in the future, or before the investigation or the proposal the notice states, is refused
 * with 400 before anything is written.
 */
@Injectable()
export class IssuePenaltyBatchUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly perform: PerformCaseActionUseCase,
    @Optional() @Inject(CASE_DOCUMENT_PRINTER) private readonly printer?: CaseDocumentPrinter,
  ) {}

  async execute(input: PenaltyBatchInput, ctx: CommandContext) {
    const action = BATCH_ACTIONS[input.action];
    const held: ScheduledDeadline[] = [];
    const batchId = randomUUID();
    const service = new Map((input.service ?? []).map((s) => [s.caseId, s]));
    const results = await this.prisma.$transaction(async (tx) => {
      // A service the officer could not have recorded is bad input (400), refused before anything is written.
      if (input.service) {
        const issues = noticeServiceIssues(
          input.service,
          this.clock.now(),
          await this.prerequisites(tx, input),
        );
        if (issues.length) throw validationError('a notice cannot have been served then', issues);
      }
      const errors: BatchCaseError[] = [];
      const done: CaseActionResult[] = [];
      for (const caseId of input.caseIds) {
        const belongs = await tx.case.findFirst({
          where: { id: caseId, OR: [{ parentCaseId: { not: null } }, { penalties: { some: {} } }] },
          select: { id: true, penalties: { select: { id: true }, take: 1 } },
        });
        if (!belongs || belongs.penalties.length === 0) {
          const exists = await tx.case.count({ where: { id: caseId } });
          errors.push({
            caseId,
            category: exists ? 'rule_violation' : 'not_found',
            code: exists ? 'not_a_four_penalties_case' : 'case_not_found',
            message: exists ? '不是一超四罚已评估的案件' : `case ${caseId} does not exist`,
          });
          continue;
        }
        // A savepoint per case: a refusal that failed a statement (a unique clash) does not abort the rest,
        // so that every case's answer is reported; any refusal then rolls the whole batch back.
        await tx.$executeRawUnsafe('SAVEPOINT batch_case');
        try {
          const served = service.get(caseId);
          const body =
            input.action !== 'issue_notices'
              ? {}
              : served
                ? { servedAt: served.servedAt.toISOString(), method: served.method }
                : { serveLater: true };
          const { result, scheduled } = await this.perform.executeIn(tx, caseId, action, body, ctx);
          done.push(result);
          held.push(...scheduled);
          await tx.$executeRawUnsafe('RELEASE SAVEPOINT batch_case');
        } catch (error) {
          await tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT batch_case');
          if (!(error instanceof DomainError)) throw error;
          errors.push({ caseId, category: error.category, code: error.code, message: error.message });
        }
      }
      if (errors.length) {
        throw new DomainError(
          'rule_violation',
          'batch_refused',
          `${errors.length} of ${input.caseIds.length} cases refused ${action}: nothing was issued`,
          { cases: errors },
        );
      }
      await recordAudit(
        tx,
        {
          actor: ctx.actor,
          action: `four_penalties.batch_${input.action}`,
          entityType: 'penalty_batch',
          entityId: batchId,
          requestId: ctx.requestId,
          changes: {
            action,
            caseIds: input.caseIds,
            ...(input.service
              ? {
                  service: input.service.map((s) => ({
                    caseId: s.caseId,
                    servedAt: s.servedAt.toISOString(),
                    method: s.method,
                  })),
                }
              : {}),
            states: done.map((d) => ({ id: d.id, state: d.state })),
          },
        },
        this.clock.now(),
      );
      return done;
    }, BATCH_TRANSACTION);
    // Deadline jobs of committed deadlines only; a lost one is found by the worker's deadline sweep.
    await this.perform.scheduleAfterCommit(held);
    // Each case's new document versions are printed off the request path, as after a case's own action.
    for (const done of results) {
      if (done.documents.length) await this.printer?.versionsWritten(done.id, done.documents);
    }
    return { batchId, action: input.action, caseAction: action, count: results.length, cases: results };
  }

  /** When each listed case's notice could first have been served: its last investigation and its proposal. */
  private async prerequisites(tx: Tx, input: PenaltyBatchInput) {
    const rows = await tx.case.findMany({
      where: { id: { in: input.caseIds } },
      select: { id: true, workflow: true },
    });
    return new Map(
      rows.map((r) => {
        const s = r.workflow ? decodeSnapshot(r.workflow) : null;
        return [
          r.id,
          {
            lastInvestigationAt: s?.investigationRecords.at(-1)?.recordedAt ?? null,
            proposedPenaltyChangedAt: s?.proposedPenaltyChangedAt ?? null,
          },
        ] as const;
      }),
    );
  }
}
