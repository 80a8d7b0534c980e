import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import {
  CASE_ACTION_TYPES,
  decide,
  transition,
  type CaseActionInput,
  type CaseActionType,
  type CaseSnapshot,
  type DeadlineKind,
} from '@ecc/cases-domain';
import { CasesRepository, DeadlinesRepository, type CasePartyInput, type LoadedCase } from '@ecc/cases-data';
import { recordAudit } from '@ecc/audit-data';
import { formatCaseNumber, parseCaseNumberPattern } from '@ecc/cases-domain';
import { lateFee } from '@ecc/legal-domain';
import { DomainError, localDate, notFound, type Clock } from '@ecc/shared-kernel';
import { Prisma, type DocumentKind, type PrismaClient, type Tx } from '@ecc/shared-data';
import { CLOCK, PRISMA, type CommandContext } from '@ecc/platform-nest';
import { CASE_TRANSACTION, CaseEnvironmentProvider, type CaseEnvironment } from './case-environment';
import { CaseDocumentService, type GeneratedDocument } from './case-document.service';
import type { CitedBasis, DocumentFacts } from './case-document-templates';
import { loadCaseOfficers } from './case-officers';
import { DeadlineScheduler, type ScheduledDeadline } from './deadline-scheduler';
import { CaseClosingChecks } from './case-closing-checks';
import { CaseAfterActionHooks } from './case-after-action-hooks';

export const caseActionTypeSchema = z.enum(CASE_ACTION_TYPES as [CaseActionType, ...CaseActionType[]]);

const text = z.string().trim().min(1).max(4000);

/**
 * Fields a route body may carry besides the state machine's own (caseActionSchema): what the records and
 * documents of the action need. `expectedVersion` (or If-Match) guards against a stale read.
 */
const EXTRAS: Partial<Record<CaseActionType, z.ZodObject>> = {
  assign_officers: z.strictObject({ officerIds: z.array(z.string().uuid()).min(1).max(20) }),
  record_investigation: z.strictObject({
    summary: text,
    location: z.string().trim().min(1).max(200).optional(),
    documentsChecked: z
      .array(
        z.enum([
          'driving_licence',
          'vehicle_licence',
          'transport_certificate',
          'qualification_certificate',
          'other',
        ]),
      )
      .max(10)
      .optional(),
    /** Parties the investigation identified: the driver, the cargo source unit (一超四罚), an agent. */
    parties: z
      .array(
        z.strictObject({
          role: z.enum(['driver', 'source_unit', 'agent']),
          kind: z.enum(['person', 'organisation']),
          name: z.string().trim().min(1).max(200),
          idNumber: z.string().trim().min(6).max(32),
          phone: z.string().trim().min(5).max(20).optional(),
          address: z.string().trim().min(1).max(500).optional(),
          qualificationCertificateNo: z.string().trim().min(1).max(64).optional(),
          loadingSlipNo: z.string().trim().min(1).max(64).optional(),
        }),
      )
      .max(5)
      .optional(),
  }),
  record_statement: z.strictObject({
    kind: z.enum(['statement', 'defence']).optional(),
    content: text.optional(),
  }),
  record_waiver: z.strictObject({ content: text.optional() }),
  request_hearing: z.strictObject({ content: text.optional() }),
  /** Where the hearing is held (听证通知书 Art. 64(2): time and place). */
  schedule_hearing: z.strictObject({ location: z.string().trim().min(1).max(200).optional() }),
  /** What the hearing record (听证笔录, Art. 64(8)) says: who took part, what was argued. */
  record_hearing: z.strictObject({
    participants: z.string().trim().min(1).max(500).optional(),
    summary: text.optional(),
  }),
  record_service: z.strictObject({ recipient: z.string().trim().min(1).max(200).optional() }),
  /** The approver's reason to close a case file that fails a closing check (case-file evaluation). */
  close_case: z.strictObject({ overrideReason: text.optional() }),
};
const EXTRA_KEYS = (type: CaseActionType) => Object.keys(EXTRAS[type]?.shape ?? {});

/** The action's fields; an action without any (request_filing, archive...) may be sent without a body. */
export const caseActionBodySchema = z.record(z.string(), z.unknown()).default({});

export interface CaseActionResult {
  id: string;
  state: string;
  version: number;
  caseNumber: string | null;
  outcome: {
    action: string;
    from: string;
    next: string;
    deadlinesStarted: { kind: string; dueAt: string }[];
    deadlinesStopped: string[];
    flags: { code: string; message: string }[];
  };
  documents: { id: string; kind: string; version: number }[];
}

const invalidBody = (path: string, message: string, code = 'invalid_case_action') =>
  new DomainError('validation', code, message, { errors: [{ path, message }] });

function parseExpectedVersion(body: Record<string, unknown>, ifMatch?: string): number | undefined {
  const raw =
    body['expectedVersion'] ?? (ifMatch ? ifMatch.replace(/^W\//, '').replace(/"/g, '') : undefined);
  if (raw === undefined) return undefined;
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw invalidBody('body.expectedVersion', 'must be a non-negative integer (the case version)');
  return n;
}

/**
 * One action on a case (POST /cases/{id}/actions/{action}): the state machine decides, then the new state,
 * the records and documents the action creates, the deadlines it starts and stops, its flags and the audit
 * event are written in ONE transaction, guarded by the case's version.
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
    const input = await this.resolveInput(caseId, type, body, ctx, ifMatch);
    const { result, scheduled } = await this.prisma.$transaction(
      (tx) => this.apply(tx, caseId, type, ctx, input),
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
   * The action inside a caller's transaction — the same state machine, records, documents, deadlines and
   * audit as the route — for callers that act on several cases at once (the four-penalties batch). The
   * caller passes `scheduled` to `scheduleAfterCommit` after its own commit.
   */
  async executeIn(
    tx: Tx,
    caseId: string,
    type: CaseActionType,
    body: Record<string, unknown>,
    ctx: CommandContext,
    ifMatch?: string,
  ): Promise<{ result: CaseActionResult; scheduled: ScheduledDeadline[] }> {
    return this.apply(tx, caseId, type, ctx, await this.resolveInput(caseId, type, body, ctx, ifMatch));
  }

  private async resolveInput(
    caseId: string,
    type: CaseActionType,
    body: Record<string, unknown>,
    ctx: CommandContext,
    ifMatch?: string,
  ) {
    const expectedVersion = parseExpectedVersion(body, ifMatch);
    const extrasSchema = EXTRAS[type];
    const extraKeys = EXTRA_KEYS(type);
    const extrasRaw = Object.fromEntries(Object.entries(body).filter(([k]) => extraKeys.includes(k)));
    const actionRaw: Record<string, unknown> = Object.fromEntries(
      Object.entries(body).filter(([k]) => k !== 'expectedVersion' && k !== 'type' && !extraKeys.includes(k)),
    );
    if ('type' in body && body['type'] !== type) throw invalidBody('body.type', `must be ${type} or absent`);
    if (type === 'approve_filing' && 'caseNumber' in actionRaw) {
      throw invalidBody(
        'body.caseNumber',
        'the case number is allocated by the system',
        'case_number_assigned_by_system',
      );
    }
    if (type === 'assign_officers' && 'officers' in actionRaw) {
      throw invalidBody(
        'body.officers',
        'name the officers by officerIds; certificates come from their users',
      );
    }
    const now = this.clock.now();
    const env = await this.env.at(now);
    const actor = await this.env.caseActor(ctx.actor);
    const basis = await this.documents.basisOf(caseId, env);
    return { expectedVersion, extrasSchema, extrasRaw, actionRaw, now, env, actor, basis };
  }

  private async apply(
    tx: Tx,
    caseId: string,
    type: CaseActionType,
    ctx: CommandContext,
    input: Awaited<ReturnType<PerformCaseActionUseCase['resolveInput']>>,
  ): Promise<{ result: CaseActionResult; scheduled: ScheduledDeadline[] }> {
    const { expectedVersion, extrasSchema, extrasRaw, actionRaw, now, env, actor, basis } = input;

    const scheduled: ScheduledDeadline[] = [];
    const result = await (async () => {
      await this.cases.lock(tx, caseId);
      const loaded = await this.cases.load(caseId, tx);
      if (!loaded) throw notFound('case', caseId);
      // An archived case refuses any write before anything else is looked at (also a malformed one).
      if (loaded.snapshot.state === 'archived')
        throw new DomainError('conflict', 'case_archived', '案件已归档，只读');
      if (expectedVersion !== undefined && expectedVersion !== loaded.row.version) {
        throw new DomainError(
          'conflict',
          'case_modified',
          `the case is at version ${loaded.row.version}, not ${expectedVersion}: reload it`,
        );
      }
      let extras: Record<string, unknown> = {};
      if (extrasSchema) {
        const parsed = extrasSchema.safeParse(extrasRaw);
        if (!parsed.success) {
          throw new DomainError('validation', 'invalid_case_action', '案件操作参数无效', {
            errors: parsed.error.issues.map((i) => ({
              path: ['body', ...i.path.map(String)].join('.'),
              message: i.message,
            })),
          });
        }
        extras = parsed.data;
      }
      const action = { ...actionRaw, type } as Record<string, unknown>;
      const docIds = await this.prepare(tx, type, action, extras, loaded, now, env);
      // Decide before allocating a number, so a refused filing takes none.
      decide(loaded.snapshot, action as CaseActionInput, actor, now, env.policy, env.timeZone, env.calendar);
      let closingChecks: Record<string, unknown> | undefined;
      if (type === 'close_case') {
        const overrideReason = extras['overrideReason'] as string | undefined;
        closingChecks = await this.closingChecks.run(tx, {
          caseId,
          ctx,
          now,
          ...(overrideReason ? { overrideReason } : {}),
        });
      }
      if (type === 'approve_filing') {
        const pattern = parseCaseNumberPattern(env.numberPattern);
        const year = Number(localDate(now, env.timeZone).slice(0, 4));
        const seq = await this.cases.nextCaseSequence(tx, year, env.numberPattern);
        action['caseNumber'] = formatCaseNumber(pattern, year, seq);
      }
      const { outcome, snapshot } = transition(
        loaded.snapshot,
        action as CaseActionInput,
        actor,
        now,
        env.policy,
        env.timeZone,
        env.calendar,
      );
      const columns = await this.persistRecords(tx, type, action, extras, loaded, snapshot, now, actor.id);
      const generated = await this.generateDocuments(
        tx,
        type,
        action,
        extras,
        loaded,
        snapshot,
        env,
        now,
        actor.id,
        docIds,
        basis,
      );
      snapshot.documents.push(
        ...generated.map((d) => ({
          documentId: d.id,
          kind: d.kind,
          version: d.version,
          createdAt: d.createdAt,
        })),
      );
      scheduled.push(
        ...(await this.syncDeadlines(tx, loaded, snapshot, outcome.effects.deadlinesStarted, type, now, env)),
      );
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
            input: { ...action, ...extras },
            documents: generated.map((d) => d.id),
            ...(closingChecks ? { closingChecks } : {}),
          },
        },
        now,
      );
      // Other contexts' work that is part of this action (一超四罚 planning after filing), same transaction.
      await this.afterActionHooks.run(tx, { caseId, type, ctx, now });
      return {
        id: caseId,
        state: snapshot.state,
        version,
        caseNumber: snapshot.caseNumber ?? null,
        outcome: summary,
        documents: generated.map((d) => ({ id: d.id, kind: d.kind, version: d.version })),
      };
    })().catch((error: unknown) => {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        const target = JSON.stringify(error.meta ?? {});
        if (target.includes('receipt')) {
          throw new DomainError('conflict', 'receipt_no_taken', 'this receipt number is already recorded');
        }
        throw new DomainError(
          'conflict',
          'case_modified',
          'the case was changed concurrently: reload it and retry',
        );
      }
      throw error;
    });
    return { result, scheduled };
  }

  /** Completes the action from the database before the machine sees it: officers, late fee, document ids. */
  private async prepare(
    tx: Tx,
    type: CaseActionType,
    action: Record<string, unknown>,
    extras: Record<string, unknown>,
    loaded: LoadedCase,
    now: Date,
    env: CaseEnvironment,
  ): Promise<Record<string, string>> {
    const ids: Record<string, string> = {};
    const s = loaded.snapshot;
    if (type === 'assign_officers') {
      action['officers'] = await loadCaseOfficers(tx, extras['officerIds'] as string[]);
    }
    if (type === 'record_payment' && s.decision?.penalty.kind === 'fine' && s.state === 'served') {
      const paidAtRaw = action['paidAt'];
      const paidAt = paidAtRaw === undefined ? now : new Date(String(paidAtRaw));
      const due = [...s.deadlines].reverse().find((d) => d.kind === 'payment_due');
      if (due && !Number.isNaN(paidAt.getTime())) {
        // 行政处罚法 Art. 72(1)(一): 3% of the fine a day after the due date, capped at the fine.
        const fee = lateFee(s.decision.penalty.amountYuan ?? 0, localDate(due.dueAt, env.timeZone), paidAt, {
          timeZone: env.timeZone,
        });
        const stated = action['lateFeeDueYuan'];
        if (stated !== undefined && stated !== fee.amountYuan) {
          throw new DomainError(
            'rule_violation',
            'late_fee_mismatch',
            `the late fee owed on ${localDate(paidAt, env.timeZone)} is ${fee.amountYuan} yuan (${fee.daysLate} days late, Art. 72), not ${String(stated)}`,
            { lateFeeDueYuan: fee.amountYuan, daysLate: fee.daysLate },
          );
        }
        action['lateFeeDueYuan'] = fee.amountYuan;
      }
    }
    const inject = (field: string) => {
      if (action[field] === undefined) {
        ids[field] = randomUUID();
        action[field] = ids[field];
      }
    };
    if (type === 'record_investigation' && action['kind'] === 'inquiry') inject('documentId');
    if (type === 'record_statement' || type === 'record_waiver') inject('documentId');
    if (type === 'pass_legal_review' || type === 'return_legal_review') inject('opinionDocumentId');
    if (type === 'approve_decision') inject('documentId');
    if (type === 'record_hearing') inject('transcriptDocumentId');
    if (type === 'issue_pre_penalty_notice' && action['documentId'] === undefined) {
      const existing = loaded.row.documents.find((d) => d.kind === 'pre_penalty_notice');
      if (existing) action['documentId'] = existing.id;
      else inject('documentId');
    }
    return ids;
  }

  /** The rows each action records besides the snapshot; returns the case columns to update. */
  private async persistRecords(
    tx: Tx,
    type: CaseActionType,
    a: Record<string, unknown>,
    extras: Record<string, unknown>,
    loaded: LoadedCase,
    next: CaseSnapshot,
    now: Date,
    actorId: string,
  ): Promise<Prisma.CaseUpdateManyMutationInput> {
    const caseId = loaded.row.id;
    const ownerPartyId = loaded.row.parties.find((p) => p.role === 'owner')?.partyId ?? null;
    const at = (field: string) => (a[field] === undefined ? now : new Date(String(a[field])));
    const content = (fallback: string | null = null) => (extras['content'] as string | undefined) ?? fallback;
    // 陈述、申辩、放弃、听证: the party's records, all on the owner party of the case.
    const partyRecord = (
      kind: 'statement' | 'defence' | 'waiver' | 'hearing_request' | 'hearing',
      fields: {
        receivedAt?: Date;
        notifiedAt?: Date;
        scheduledAt?: Date;
        heldAt?: Date;
        content?: string | null;
      },
    ) => tx.statementRecord.create({ data: { caseId, kind, partyId: ownerPartyId, ...fields } });
    switch (type) {
      case 'approve_filing':
        await tx.caseApproval.create({
          data: { caseId, stage: 'filing', approverId: actorId, outcome: 'approved', decidedAt: now },
        });
        return { caseNumber: next.caseNumber ?? null, filedAt: now };
      case 'reject_filing':
        await tx.caseApproval.create({
          data: {
            caseId,
            stage: 'filing',
            approverId: actorId,
            outcome: 'rejected',
            comment: String(a['reason']),
            decidedAt: now,
          },
        });
        return {};
      case 'assign_officers':
        await this.cases.replaceOfficers(tx, caseId, extras['officerIds'] as string[], now);
        return {};
      case 'record_investigation':
        // The record itself is written with its documents (the inquiry record's document comes first).
        for (const party of (extras['parties'] as CasePartyInput[] | undefined) ?? []) {
          await this.cases.addParty(tx, caseId, party);
        }
        return {};
      case 'record_statement':
        await partyRecord((extras['kind'] as 'statement' | 'defence' | undefined) ?? 'statement', {
          receivedAt: at('receivedAt'),
          content: content(),
        });
        return {};
      case 'record_waiver':
        await partyRecord('waiver', {
          receivedAt: at('signedAt'),
          content: content(`书面放弃${a['right'] === 'hearing' ? '听证' : '陈述申辩'}权利`),
        });
        return {};
      case 'request_hearing':
        await partyRecord('hearing_request', { receivedAt: at('requestedAt'), content: content() });
        return {};
      case 'schedule_hearing':
        await partyRecord('hearing', {
          notifiedAt: at('notifiedAt'),
          scheduledAt: new Date(String(a['hearingAt'])),
        });
        return {};
      case 'record_hearing':
        await partyRecord('hearing', { heldAt: at('heldAt') });
        return {};
      case 'pass_legal_review':
      case 'return_legal_review': {
        const review = next.legalReviews[next.legalReviews.length - 1];
        await tx.legalReview.create({
          data: {
            caseId,
            reviewerId: actorId,
            outcome: type === 'pass_legal_review' ? 'passed' : 'returned',
            opinions: { text: (a['opinions'] as string | undefined) ?? null },
            submittedAt: review?.submittedAt ?? now,
            reviewedAt: now,
          },
        });
        return {};
      }
      case 'approve_decision': {
        const penalty = next.decision!.penalty;
        const basis = (loaded.row.lead?.proposedBasis as { basis?: unknown } | null)?.basis ?? [];
        await tx.caseApproval.create({
          data: { caseId, stage: 'decision', approverId: actorId, outcome: 'approved', decidedAt: now },
        });
        await tx.decision.create({
          data: {
            caseId,
            penaltyKinds: [penalty.kind],
            fineAmount: penalty.amountYuan ?? null,
            basis: basis as Prisma.InputJsonValue,
            decidedAt: now,
          },
        });
        return { decidedAt: now };
      }
      case 'send_back':
        await tx.caseApproval.create({
          data: {
            caseId,
            stage: 'decision',
            approverId: actorId,
            outcome: 'rejected',
            comment: String(a['opinions']),
            decidedAt: now,
          },
        });
        return {};
      case 'terminate_case':
        return { terminatedAt: now };
      case 'record_service': {
        const owner = loaded.row.parties.find((p) => p.role === 'owner')?.party;
        await tx.serviceRecord.create({
          data: {
            caseId,
            documentId: loaded.row.decision?.documentId ?? null,
            method: a['method'] as 'direct' | 'post' | 'electronic' | 'announcement',
            recipient: (extras['recipient'] as string | undefined) ?? owner?.name ?? '当事人',
            servedAt: next.service!.servedAt,
            consentReference: (a['consentDocumentId'] as string | undefined) ?? null,
          },
        });
        return {
          servedAt: next.service!.servedAt,
          ...(next.state === 'executed' ? { executedAt: now } : {}),
        };
      }
      case 'record_payment': {
        const p = next.payments[next.payments.length - 1]!;
        await tx.payment.create({
          data: {
            caseId,
            amount: p.amountYuan,
            lateFee: p.lateFeeDueYuan,
            receiptNo: p.receiptNo,
            paidAt: p.paidAt,
          },
        });
        return next.state === 'executed' ? { paidAt: p.paidAt, executedAt: now } : {};
      }
      case 'record_execution':
        return { executedAt: next.execution!.executedAt };
      case 'close_case':
        await tx.caseApproval.create({
          data: { caseId, stage: 'closing', approverId: actorId, outcome: 'approved', decidedAt: now },
        });
        return { closedAt: now };
      case 'record_home_authority_report':
        return { homeAuthorityReportedAt: next.homeAuthorityReport!.reportedAt };
      case 'record_publicity':
        await tx.decision.update({ where: { caseId }, data: { publishedAt: next.publicity!.publishedAt } });
        return {};
      case 'archive':
        return { archivedAt: now };
      default:
        return {};
    }
  }

  private async generateDocuments(
    tx: Tx,
    type: CaseActionType,
    a: Record<string, unknown>,
    extras: Record<string, unknown>,
    loaded: LoadedCase,
    next: CaseSnapshot,
    env: CaseEnvironment,
    now: Date,
    actorId: string,
    ids: Record<string, string>,
    basis: CitedBasis[],
  ): Promise<GeneratedDocument[]> {
    const caseId = loaded.row.id;
    const out: GeneratedDocument[] = [];
    let facts: DocumentFacts | undefined;
    const f = async () => (facts ??= await this.documents.facts(tx, loaded, next, env, now, basis));
    const make = async (
      kind: DocumentKind,
      extra: Record<string, string> = {},
      id?: string,
      versionOf?: string,
    ) => {
      const doc = await this.documents.generate(tx, {
        caseId,
        kind,
        facts: await f(),
        extra,
        authorId: actorId,
        at: now,
        id,
        versionOf,
      });
      out.push(doc);
      return doc;
    };
    const latest = (kind: DocumentKind) => loaded.row.documents.filter((d) => d.kind === kind).at(-1);
    // The hearing of the current notice as the action left it (schedule_hearing has just set its host).
    const currentHearing = () => next.prePenaltyNotices.at(-1)?.hearing;
    const hearingHost = async () => {
      const hostId = currentHearing()?.hostId;
      if (!hostId) return '';
      const host = await tx.user.findUnique({ where: { id: hostId }, select: { displayName: true } });
      return host?.displayName ?? '';
    };
    switch (type) {
      case 'approve_filing':
        await make('filing_approval');
        break;
      case 'record_investigation': {
        const conductedAt = a['recordedAt'] === undefined ? now : new Date(String(a['recordedAt']));
        let documentId = (a['documentId'] as string | undefined) ?? null;
        if (ids['documentId']) {
          await make(
            'inquiry_record',
            {
              at: conductedAt.toISOString(),
              summary: String(extras['summary']),
              location: (extras['location'] as string | undefined) ?? '',
            },
            ids['documentId'],
          );
        } else if (documentId && !(await tx.caseDocument.findFirst({ where: { id: documentId, caseId } }))) {
          documentId = null; // an outside reference (a scanned paper record): kept on the snapshot only
        }
        await tx.investigationRecord.create({
          data: {
            caseId,
            kind: a['kind'] as 'inquiry' | 'document_check' | 'site_inspection' | 'other',
            documentId,
            conductedAt,
            location: (extras['location'] as string | undefined) ?? null,
            summary: String(extras['summary']),
            documentsChecked: (extras['documentsChecked'] as string[] | undefined) ?? [],
          },
        });
        facts = undefined; // the evidence list includes the new record
        const list = latest('evidence_list');
        await make('evidence_list', {}, undefined, list?.id);
        break;
      }
      case 'issue_pre_penalty_notice': {
        const notice = next.prePenaltyNotices[next.prePenaltyNotices.length - 1]!;
        const extra = {
          statementDays: String(notice.statementDays),
          hearingRight: String(notice.hearingRight),
        };
        const existing = latest('pre_penalty_notice');
        if (existing && a['documentId'] === existing.id)
          await make('pre_penalty_notice', extra, undefined, existing.id);
        else if (ids['documentId']) await make('pre_penalty_notice', extra, ids['documentId']);
        break;
      }
      case 'record_statement':
        if (ids['documentId']) {
          const title = extras['kind'] === 'defence' ? '申辩' : '陈述';
          await make(
            'statement_record',
            { title, content: (extras['content'] as string | undefined) ?? '' },
            ids['documentId'],
          );
        }
        break;
      case 'record_waiver':
        if (ids['documentId']) {
          const right = a['right'] === 'hearing' ? '听证' : '陈述、申辩';
          await make(
            'statement_record',
            {
              title: `书面放弃${right}权利`,
              content: (extras['content'] as string | undefined) ?? `当事人书面声明放弃${right}权利。`,
            },
            ids['documentId'],
          );
        }
        break;
      case 'pass_legal_review':
      case 'return_legal_review':
        if (ids['opinionDocumentId']) {
          const reviewer = await tx.user.findUnique({
            where: { id: actorId },
            select: { displayName: true, legalQualificationNo: true },
          });
          await make(
            'legal_review_opinion',
            {
              outcome: type === 'pass_legal_review' ? 'passed' : 'returned',
              opinions:
                (a['opinions'] as string | undefined) ??
                '经审核，事实清楚，证据确凿，程序合法，适用依据正确，裁量适当。',
              reviewer: reviewer?.displayName ?? '',
              qualification: reviewer?.legalQualificationNo ?? '',
            },
            ids['opinionDocumentId'],
          );
        }
        break;
      case 'schedule_hearing':
        await make('hearing_notice', {
          hearingAt: new Date(String(a['hearingAt'])).toISOString(),
          location: (extras['location'] as string | undefined) ?? '本机关听证室',
          host: await hearingHost(),
        });
        break;
      case 'record_hearing':
        if (ids['transcriptDocumentId']) {
          await make(
            'hearing_record',
            {
              heldAt: (currentHearing()?.heldAt ?? now).toISOString(),
              host: await hearingHost(),
              participants: (extras['participants'] as string | undefined) ?? '',
              summary: (extras['summary'] as string | undefined) ?? '',
            },
            ids['transcriptDocumentId'],
          );
        }
        break;
      case 'approve_decision':
        if (ids['documentId']) {
          const doc = await make('decision', {}, ids['documentId']);
          await tx.decision.update({ where: { caseId }, data: { documentId: doc.id } });
        }
        break;
      case 'record_service':
        await make('proof_of_service', {
          method: String(a['method']),
          recipient: (extras['recipient'] as string | undefined) ?? '',
          servedAt: next.service!.servedAt.toISOString(),
        });
        break;
      case 'record_payment': {
        const p = next.payments[next.payments.length - 1]!;
        await make('payment_record', {
          amount: String(p.amountYuan),
          lateFee: String(p.lateFeeDueYuan),
          receiptNo: p.receiptNo,
          paidAt: p.paidAt.toISOString(),
        });
        break;
      }
      case 'close_case':
        await make('closing_report');
        if (next.caseType === 'vehicle') await make('home_authority_report');
        break;
      default:
        break;
    }
    return out;
  }

  /**
   * Deadline rows follow the snapshot: kinds the action stopped (or that no longer run) end, a restarted
   * kind's earlier row is cancelled, and each started deadline gets a row with its approaching instant.
   */
  private async syncDeadlines(
    tx: Tx,
    loaded: LoadedCase,
    next: CaseSnapshot,
    started: readonly { kind: DeadlineKind; startedAt: Date; dueAt: Date }[],
    type: CaseActionType,
    now: Date,
    env: CaseEnvironment,
  ): Promise<ScheduledDeadline[]> {
    const caseId = loaded.row.id;
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
        approachingAt: partyWindow ? null : this.env.approachingAt(d.startedAt, d.dueAt, env),
      });
      out.push({ id: row.id, dueAt: row.dueAt, approachingAt: row.approachingAt });
    }
    return out;
  }
}
