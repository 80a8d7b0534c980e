import { Inject, Injectable, Optional } from '@nestjs/common';
import { z } from 'zod';
import {
  decide,
  transition,
  type CaseActionInput,
  type CaseActionOf,
  type CaseActionType,
  type CaseActor,
} from '@ecc/cases-domain';
import { CasesRepository, type LoadedCase } from '@ecc/cases-data';
import { recordAudit } from '@ecc/audit-data';
import { DomainError, notFound, type Clock } from '@ecc/shared-kernel';
import { Prisma, type PrismaClient, type Tx } from '@ecc/shared-data';
import { CLOCK, PRISMA, type CommandContext } from '@ecc/platform-nest';
import { CASE_TRANSACTION, CaseEnvironmentProvider, type CaseEnvironment } from './case-environment';
import { CaseDocumentService, type GeneratedDocument } from './case-document.service';
import type { CitedBasis } from './case-document-templates';
import { CaseDeadlineRows } from './case-deadline-rows';
import { DeadlineScheduler, type ScheduledDeadline } from './deadline-scheduler';
import { CaseClosingChecks } from './case-closing-checks';
import { CaseDecisionPublicity } from './case-decision-publicity';
import { CaseAfterActionHooks } from './case-after-action-hooks';
import { CASE_DOCUMENT_PRINTER, type CaseDocumentPrinter } from './case-document-printer.port';
import { SourceUnitCorrection } from './source-unit-correction';
import type { ActionScope, AppliedScope } from './actions/action-effects';
import { effectsOf } from './actions/case-action-effects';
import { machineInput, parseBody, precheck } from './actions/case-action-request';

export { caseActionBodySchema, caseActionTypeSchema } from './actions/case-action-request';

export const caseActionResultSchema = z.object({
  id: z.string().uuid(),
  state: z.string().describe('the state after the action'),
  version: z.number().int().describe('the case version after the action (send it as expectedVersion next)'),
  caseNumber: z.string().nullable(),
  outcome: z.object({
    action: z.string(),
    from: z.string(),
    next: z.string(),
    deadlinesStarted: z.array(z.object({ kind: z.string(), dueAt: z.string().describe('ISO instant') })),
    deadlinesStopped: z.array(z.string()),
    flags: z.array(z.object({ code: z.string(), message: z.string() })),
  }),
  documents: z
    .array(z.object({ id: z.string().uuid(), kind: z.string(), version: z.number().int() }))
    .describe('the documents the action generated (new ones, or new versions)'),
});
export type CaseActionResult = z.infer<typeof caseActionResultSchema>;

interface Prepared {
  raw: Record<string, unknown>;
  expectedVersion: number | undefined;
  now: Date;
  env: CaseEnvironment;
  actor: CaseActor;
  basis: CitedBasis[];
}

/**
 * One action on a case (POST /cases/{id}/actions/{action}), as a pipeline: lock and load → version guard →
 * parse with the action's schema → prepare → decide → complete (case number, closing checks) → transition →
 * the action's records and documents → deadlines → save → audit → after-action hooks, in ONE transaction
 * guarded by the case's version. What each action does is declared beside it: its rules in the domain's
 * `actions/<stage>.actions.ts`, its effects in `actions/<stage>.effects.ts`.
 */
@Injectable()
export class PerformCaseActionUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly cases: CasesRepository,
    private readonly deadlineRows: CaseDeadlineRows,
    private readonly env: CaseEnvironmentProvider,
    private readonly documents: CaseDocumentService,
    private readonly scheduler: DeadlineScheduler,
    private readonly closingChecks: CaseClosingChecks,
    private readonly publicity: CaseDecisionPublicity,
    private readonly afterActionHooks: CaseAfterActionHooks,
    private readonly correction: SourceUnitCorrection,
    @Optional() @Inject(CASE_DOCUMENT_PRINTER) private readonly printer?: CaseDocumentPrinter,
  ) {}

  async execute(
    caseId: string,
    type: CaseActionType,
    body: Record<string, unknown>,
    ctx: CommandContext,
    ifMatch?: string,
  ): Promise<CaseActionResult> {
    // Read everything the action needs before the transaction opens: inside it, a second pool connection
    // would be waited for while this one is held (20 concurrent filings would exhaust the pool).
    const prepared = await this.prepare(caseId, type, body, ctx, ifMatch);
    const { result, scheduled } = await this.prisma.$transaction(
      (tx) => this.perform(tx, caseId, type, ctx, prepared),
      CASE_TRANSACTION,
    );
    await this.scheduleAfterCommit(scheduled);
    if (result.documents.length) await this.printer?.versionsWritten(caseId, result.documents);
    return result;
  }

  /** Queues the delayed jobs of the deadlines an action started; call it once the transaction has committed. */
  scheduleAfterCommit(scheduled: readonly ScheduledDeadline[]): Promise<void> {
    return this.scheduler.schedule([...scheduled]);
  }

  /**
   * The action inside a caller's transaction — the same pipeline as the route — for callers that act on
   * several cases at once (the four-penalties batch). The caller passes `scheduled` to `scheduleAfterCommit`
   * after its own commit.
   */
  async executeIn(
    tx: Tx,
    caseId: string,
    type: CaseActionType,
    body: Record<string, unknown>,
    ctx: CommandContext,
    ifMatch?: string,
  ): Promise<{ result: CaseActionResult; scheduled: ScheduledDeadline[] }> {
    return this.perform(tx, caseId, type, ctx, await this.prepare(caseId, type, body, ctx, ifMatch));
  }

  private async prepare(
    caseId: string,
    type: CaseActionType,
    raw: Record<string, unknown>,
    ctx: CommandContext,
    ifMatch?: string,
  ): Promise<Prepared> {
    const expectedVersion = precheck(type, raw, ifMatch);
    const now = this.clock.now();
    const env = await this.env.at(now);
    const actor = await this.env.caseActor(ctx.actor);
    const basis = await this.documents.basisOf(caseId, env);
    return { raw, expectedVersion, now, env, actor, basis };
  }

  private async perform<T extends CaseActionType>(
    tx: Tx,
    caseId: string,
    type: T,
    ctx: CommandContext,
    { raw, expectedVersion, now, env, actor, basis }: Prepared,
  ): Promise<{ result: CaseActionResult; scheduled: ScheduledDeadline[] }> {
    try {
      const loaded = await this.lockAndLoad(tx, caseId, expectedVersion);
      const body = parseBody(type, raw);
      const effects = effectsOf(type);
      const scope: ActionScope = {
        tx,
        caseId,
        loaded,
        now,
        env,
        actorId: actor.id,
        ctx,
        cases: this.cases,
        closingChecks: this.closingChecks,
        publicity: this.publicity,
        correction: this.correction,
        basis,
      };
      let input: CaseActionOf<T> = { ...machineInput(type, body), ...(await effects.prepare?.(scope, body)) };
      const { policy, timeZone, calendar } = env;
      decide(loaded.snapshot, input as CaseActionInput, actor, now, policy, timeZone, calendar);
      const decided = (await effects.decided?.(scope, body)) ?? {};
      input = { ...input, ...decided.input };
      const { outcome, snapshot } = transition(
        loaded.snapshot,
        input as CaseActionInput,
        actor,
        now,
        policy,
        timeZone,
        calendar,
      );
      const applied: AppliedScope = { ...scope, next: snapshot };
      const columns = (await effects.records?.(applied, body, input)) ?? {};
      const generated: GeneratedDocument[] = [];
      await effects.documents?.(this.documents.scope(applied, basis, generated), body, input);
      snapshot.documents.push(
        ...generated.map((d) => ({
          documentId: d.id,
          kind: d.kind,
          version: d.version,
          createdAt: d.createdAt,
        })),
      );
      const scheduled = await this.deadlineRows.sync(applied, outcome.effects.deadlinesStarted, type);
      const version = await this.cases.saveSnapshot(tx, caseId, loaded.row.version, snapshot, columns);
      const summary = {
        action: outcome.action,
        from: outcome.from,
        next: outcome.next,
        deadlinesStarted: outcome.effects.deadlinesStarted.map((d) => ({
          kind: d.kind,
          dueAt: d.dueAt.toISOString(),
        })),
        deadlinesStopped: outcome.effects.deadlinesStopped,
        flags: outcome.effects.flags.map((f) => ({ code: f.code, message: f.message })),
      };
      const { expectedVersion: _version, ...given } = body;
      await recordAudit(
        tx,
        {
          actor: ctx.actor,
          action: `case.${type}`,
          entityType: 'case',
          entityId: caseId,
          requestId: ctx.requestId,
          changes: {
            ...summary,
            input: { ...given, ...input },
            documents: generated.map((d) => d.id),
            ...decided.audit,
          },
        },
        now,
      );
      // Other contexts' work that is part of this action (一超四罚 planning after filing), same transaction.
      await this.afterActionHooks.run(tx, { caseId, type, ctx, now });
      const result: CaseActionResult = {
        id: caseId,
        state: snapshot.state,
        version,
        caseNumber: snapshot.caseNumber ?? null,
        outcome: summary,
        documents: generated.map((d) => ({ id: d.id, kind: d.kind, version: d.version })),
      };
      return { result, scheduled };
    } catch (error) {
      throw uniqueClash(error);
    }
  }

  /** The case locked for the action; an archived case refuses any write before anything else is looked at. */
  private async lockAndLoad(
    tx: Tx,
    caseId: string,
    expectedVersion: number | undefined,
  ): Promise<LoadedCase> {
    await this.cases.lock(tx, caseId);
    const loaded = await this.cases.load(caseId, tx);
    if (!loaded) throw notFound('case', caseId);
    if (loaded.snapshot.state === 'archived')
      throw new DomainError('conflict', 'case_archived', '案件已归档，只读');
    if (expectedVersion !== undefined && expectedVersion !== loaded.row.version) {
      throw new DomainError(
        'conflict',
        'case_modified',
        `the case is at version ${loaded.row.version}, not ${expectedVersion}: reload it`,
      );
    }
    return loaded;
  }
}

/** A unique constraint broken by a concurrent write: the receipt number is taken, or the case moved on. */
function uniqueClash(error: unknown): unknown {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') return error;
  if (JSON.stringify(error.meta ?? {}).includes('receipt')) {
    return new DomainError('conflict', 'receipt_no_taken', 'this receipt number is already recorded');
  }
  return new DomainError(
    'conflict',
    'case_modified',
    'the case was changed concurrently: reload it and retry',
  );
}
