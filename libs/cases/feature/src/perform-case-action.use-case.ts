import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import {
  CASE_ACTION_TYPES,
  caseActionDefinition,
  decide,
  expectedVersionSchema,
  transition,
  type CaseActionBodyOf,
  type CaseActionInput,
  type CaseActionOf,
  type CaseActionType,
  type CaseActor,
  type DeadlineKind,
  type StartedDeadline,
} from '@ecc/cases-domain';
import { CasesRepository, DeadlinesRepository, type LoadedCase } from '@ecc/cases-data';
import { recordAudit } from '@ecc/audit-data';
import { DomainError, notFound, type Clock } from '@ecc/shared-kernel';
import { Prisma, type PrismaClient, type Tx } from '@ecc/shared-data';
import { CLOCK, PRISMA, type CommandContext } from '@ecc/platform-nest';
import { CASE_TRANSACTION, CaseEnvironmentProvider, type CaseEnvironment } from './case-environment';
import { CaseDocumentService, type GeneratedDocument } from './case-document.service';
import type { CitedBasis, DocumentFacts } from './case-document-templates';
import { DeadlineScheduler, type ScheduledDeadline } from './deadline-scheduler';
import { CaseClosingChecks } from './case-closing-checks';
import { CaseAfterActionHooks } from './case-after-action-hooks';
import type { ActionScope, AppliedScope, DocumentScope } from './actions/action-effects';
import { effectsOf } from './actions/case-action-effects';

export const caseActionTypeSchema = z.enum(CASE_ACTION_TYPES as [CaseActionType, ...CaseActionType[]]);

/**
 * What the route reads before the action's own schema (chosen by the path) parses it: an object, or nothing
 * for an action without fields (request_filing, archive...). The API document shows each action's schema.
 */
export const caseActionBodySchema = z.record(z.string(), z.unknown()).default({});

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

const invalidBody = (path: string, message: string, code = 'invalid_case_action') =>
  new DomainError('validation', code, message, { errors: [{ path, message }] });

/** The refusals that need no case: another action named in the body, a field the system fills, a bad version. */
function precheck(type: CaseActionType, body: Record<string, unknown>, ifMatch?: string): number | undefined {
  const raw =
    body['expectedVersion'] ?? (ifMatch ? ifMatch.replace(/^W\//, '').replace(/"/g, '') : undefined);
  const version = expectedVersionSchema.safeParse(raw);
  if (!version.success) throw invalidBody('body.expectedVersion', version.error.issues[0]!.message);
  if ('type' in body && body['type'] !== type) throw invalidBody('body.type', `must be ${type} or absent`);
  for (const [field, refusal] of Object.entries(caseActionDefinition(type).systemRefusals)) {
    if (field in body) throw invalidBody(`body.${field}`, refusal.message, refusal.code);
  }
  return version.data;
}

/** The body parsed by the action's own strict schema: its input, its extras, nothing else. */
function parseBody<T extends CaseActionType>(type: T, body: Record<string, unknown>): CaseActionBodyOf<T> {
  const parsed = caseActionDefinition(type).body.safeParse(body);
  if (parsed.success) return parsed.data as CaseActionBodyOf<T>;
  throw new DomainError('validation', 'invalid_case_action', '案件操作参数无效', {
    errors: parsed.error.issues.map((i) => ({
      path: ['body', ...i.path.map(String)].join('.'),
      message: i.message,
    })),
  });
}

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
    private readonly deadlines: DeadlinesRepository,
    private readonly env: CaseEnvironmentProvider,
    private readonly documents: CaseDocumentService,
    private readonly scheduler: DeadlineScheduler,
    private readonly closingChecks: CaseClosingChecks,
    private readonly afterActionHooks: CaseAfterActionHooks,
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
      };
      const def = caseActionDefinition(type);
      let input = {
        type,
        ...Object.fromEntries(
          def.inputKeys.filter((k) => k in body).map((k) => [k, body[k as keyof typeof body]]),
        ),
        ...(await effects.prepare?.(scope, body)),
      } as CaseActionOf<T>;
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
      await effects.documents?.(this.documentScope(applied, basis, generated), body, input);
      snapshot.documents.push(
        ...generated.map((d) => ({
          documentId: d.id,
          kind: d.kind,
          version: d.version,
          createdAt: d.createdAt,
        })),
      );
      const scheduled = await this.syncDeadlines(applied, outcome.effects.deadlinesStarted, type);
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

  /** How an action's documents are generated: from their templates, with the facts read once. */
  private documentScope(c: AppliedScope, basis: CitedBasis[], generated: GeneratedDocument[]): DocumentScope {
    let facts: DocumentFacts | undefined;
    return {
      ...c,
      make: async (kind, extra = {}, target = {}) => {
        facts ??= await this.documents.facts(c.tx, c.loaded, c.next, c.env, c.now, basis);
        const doc = await this.documents.generate(c.tx, {
          caseId: c.caseId,
          kind,
          facts,
          extra,
          authorId: c.actorId,
          at: c.now,
          ...target,
        });
        generated.push(doc);
        return doc;
      },
      latest: (kind) => c.loaded.row.documents.filter((d) => d.kind === kind).at(-1),
      refreshFacts: () => {
        facts = undefined;
      },
    };
  }

  /**
   * Deadline rows follow the snapshot: kinds the action stopped (or that no longer run) end, a restarted
   * kind's earlier row is cancelled, and each started deadline gets a row with its approaching instant.
   */
  private async syncDeadlines(
    c: AppliedScope,
    started: readonly StartedDeadline[],
    type: CaseActionType,
  ): Promise<ScheduledDeadline[]> {
    const { tx, caseId, next, now } = c;
    const openNow = new Set(next.deadlines.filter((d) => d.stoppedAt === undefined).map((d) => d.kind));
    const rows = await this.deadlines.ofCase(caseId, tx);
    const terminal = ['terminated', 'not_filed', 'archived'].includes(next.state);
    const ended = [
      ...new Set(
        rows.filter((r) => r.status === 'open' && !openNow.has(r.kind as DeadlineKind)).map((r) => r.kind),
      ),
    ];
    if (ended.length)
      await this.deadlines.stop(tx, { caseId }, ended, now, type, terminal ? 'cancelled' : 'met');
    const restarted = [...new Set(started.map((d) => d.kind))];
    if (restarted.length)
      await this.deadlines.stop(tx, { caseId }, restarted, now, `${type}:superseded`, 'cancelled');
    const out: ScheduledDeadline[] = [];
    for (const d of started) {
      // A party's own window (statement, hearing request) lapses by itself: no staff alert ahead of it.
      const partyWindow = d.kind === 'statement_window' || d.kind === 'hearing_request_window';
      const row = await this.deadlines.start(tx, {
        caseId,
        kind: d.kind,
        startedAt: d.startedAt,
        dueAt: d.dueAt,
        approachingAt: partyWindow ? null : this.env.approachingAt(d.startedAt, d.dueAt, c.env),
      });
      out.push({ id: row.id, dueAt: row.dueAt, approachingAt: row.approachingAt });
    }
    return out;
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
