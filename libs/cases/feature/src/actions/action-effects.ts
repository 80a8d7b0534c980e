import type { CaseActionBodyOf, CaseActionOf, CaseActionType, CaseSnapshot } from '@ecc/cases-domain';
import type { CasesRepository, LoadedCase } from '@ecc/cases-data';
import type { CommandContext } from '@ecc/platform-nest';
import type { DocumentKind, Prisma, Tx } from '@ecc/shared-data';
import type { CaseClosingChecks } from '../case-closing-checks';
import type { CaseDecisionPublicity } from '../case-decision-publicity';
import { caseDocumentTitle, type CitedBasis } from '../case-document-templates';
import type { GeneratedDocument } from '../case-document.service';
import type { CaseEnvironment } from '../case-environment';
import type { SourceUnitCorrection } from '../source-unit-correction';

/** What the effects of an action work with: the transaction, the case as read, when, who, the case's services. */
export interface ActionScope {
  tx: Tx;
  caseId: string;
  /** The case as read before the action: its rows and the machine's snapshot. */
  loaded: LoadedCase;
  now: Date;
  env: CaseEnvironment;
  actorId: string;
  ctx: CommandContext;
  cases: CasesRepository;
  closingChecks: CaseClosingChecks;
  /** The publicity policy of the decisions (the publicity context's). */
  publicity: CaseDecisionPublicity;
  correction: SourceUnitCorrection;
  /** The provisions the case cites, from the catalogue in force on the violation date (read before the transaction). */
  basis: CitedBasis[];
}

/** The scope once the machine has applied the action. */
export interface AppliedScope extends ActionScope {
  /** The snapshot after the action. */
  next: CaseSnapshot;
}

/** The scope of an action's documents. */
export interface DocumentScope extends AppliedScope {
  /** A new document of the case from its template (with `id` when the machine already names it), or the next version of `versionOf`. */
  make(
    kind: DocumentKind,
    extra?: Record<string, string>,
    target?: { id?: string; versionOf?: string },
  ): Promise<GeneratedDocument>;
  /** The newest document of a kind on the case as read. */
  latest(kind: DocumentKind): { id: string } | undefined;
  /** The facts printed by the documents are read again (a record they list was just written). */
  refreshFacts(): void;
}

/**
 * What an action does besides the machine's decision, in the order the pipeline runs it. `body` is the
 * request body parsed by the action's schema; `input` is what the machine took (body fields and prepared ones).
 */
export interface ActionEffects<T extends CaseActionType> {
  /** Completes the machine's input from the database before it decides (officers, late fee, document ids). */
  prepare?(c: ActionScope, body: CaseActionBodyOf<T>): Promise<Partial<CaseActionOf<T>>>;
  /** Once the machine allowed the action, before it is applied: its input completed, facts for the audit event. */
  decided?(
    c: ActionScope,
    body: CaseActionBodyOf<T>,
  ): Promise<{ input?: Partial<CaseActionOf<T>>; audit?: Record<string, unknown> }>;
  /** The rows the action writes besides the snapshot; returns the case columns to update. */
  records?(
    c: AppliedScope,
    body: CaseActionBodyOf<T>,
    input: CaseActionOf<T>,
  ): Promise<Prisma.CaseUpdateManyMutationInput | void>;
  /** The documents the action generates (after its records). */
  documents?(c: DocumentScope, body: CaseActionBodyOf<T>, input: CaseActionOf<T>): Promise<void>;
}

/** The effects of the actions of one stage (an action with none is simply absent). */
export type StageEffects = { [T in CaseActionType]?: ActionEffects<T> };

/** An approval of the case's approver (filing, decision, closing), approved or refused with a comment. */
export function approval(
  c: ActionScope,
  stage: 'filing' | 'decision' | 'closing',
  outcome: 'approved' | 'rejected',
  comment?: string,
) {
  return c.tx.caseApproval.create({
    data: {
      caseId: c.caseId,
      stage,
      approverId: c.actorId,
      outcome,
      ...(comment !== undefined ? { comment } : {}),
      decidedAt: c.now,
    },
  });
}

/** How a document other than the decision was served, as its 送达回证 records it. */
export interface ServedDocument {
  kind: DocumentKind;
  method: 'direct' | 'post' | 'electronic' | 'announcement';
  servedAt: Date;
  recipient?: string | undefined;
  signedBy?: string | undefined;
  receivedAt?: Date | undefined;
  /** 公告送达: why, and the day it took effect (民事诉讼法 Art. 95). */
  announcement?: { reason: string; attempts: string; effectiveAt: Date } | undefined;
}

/**
 * The 送达回证 of a served document (民事诉讼法 Art. 87, 95 as 行政处罚法 Art. 61 and 行政强制法 Art. 38 apply them):
 * the periods that run from service — the ten days of 行政强制法 Art. 54 after a 催告书, the period of an order to
 * correct (湖南条例 Art. 30), the statement and hearing periods of a 告知书 — rest on proven service.
 */
export function makeProofOfService(c: DocumentScope, d: ServedDocument) {
  return c.make('proof_of_service', {
    documentTitle: caseDocumentTitle(d.kind),
    method: d.method,
    recipient: d.recipient ?? '',
    servedAt: d.servedAt.toISOString(),
    ...(d.signedBy ? { signedBy: d.signedBy } : {}),
    ...(d.method !== 'announcement' ? { receivedAt: (d.receivedAt ?? d.servedAt).toISOString() } : {}),
    ...(d.announcement
      ? {
          announcementReason: d.announcement.reason,
          attempts: d.announcement.attempts,
          effectiveAt: d.announcement.effectiveAt.toISOString(),
        }
      : {}),
  });
}
