import { recordAudit } from '@ecc/audit-data';
import type { Actor } from '@ecc/identity-domain';
import type { PublicationContent, WithdrawalGround } from '@ecc/publicity-domain';
import type { Prisma, PrismaClient, Tx } from '@ecc/shared-data';
import { DomainError, notFound } from '@ecc/shared-kernel';

export type PublicationStatus = 'published' | 'not_published' | 'held' | 'withdrawn';

export interface PublicationRow {
  id: string;
  caseId: string;
  status: PublicationStatus;
  rule: string;
  content: PublicationContent;
  decidedAt: Date;
  dueAt: Date;
  publishedAt: Date | null;
  withdrawnAt: Date | null;
  withdrawalGround: WithdrawalGround | null;
  withdrawalReason: string | null;
  withdrawalReference: string | null;
  revokedAt: Date | null;
  withdrawalDueAt: Date | null;
}

export interface NewPublication {
  caseId: string;
  status: Exclude<PublicationStatus, 'withdrawn'>;
  rule: string;
  policy: unknown;
  content: PublicationContent;
  decidedAt: Date;
  dueAt: Date;
}

export interface Withdrawal {
  ground: WithdrawalGround;
  reason: string;
  reference: string | null;
  revokedAt: Date;
  dueAt: Date;
  late: boolean;
}

export interface FeedEvent {
  seq: bigint;
  kind: 'published' | 'withdrawn';
  occurredAt: Date;
  publicationId: string;
  body: unknown;
}

const select = {
  id: true,
  caseId: true,
  status: true,
  rule: true,
  content: true,
  decidedAt: true,
  dueAt: true,
  publishedAt: true,
  withdrawnAt: true,
  withdrawalGround: true,
  withdrawalReason: true,
  withdrawalReference: true,
  revokedAt: true,
  withdrawalDueAt: true,
} as const;

const asRow = (row: unknown) => row as PublicationRow;

/**
 * Feed events are numbered in commit order: every writer takes this transaction-level lock before it draws a
 * sequence number and keeps it to its commit, so a reader that saw event N has seen every event before N and
 * a `since` cursor never skips one committed late. Decisions are few (dozens a day), so the wait is short.
 */
async function appendEvent(
  tx: Tx,
  publicationId: string,
  kind: 'published' | 'withdrawn',
  at: Date,
  body: unknown,
): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('ecc.publication_feed'))`;
  await tx.publicationEvent.create({
    data: { publicationId, kind, occurredAt: at, body: body as Prisma.InputJsonValue },
  });
}

/** Locks a case's publication row; 404 without one, 409 unless it is in `expected`. */
async function lockPublication(
  tx: Tx,
  caseId: string,
  expected: PublicationStatus,
): Promise<{ id: string; status: PublicationStatus }> {
  const [locked] = await tx.$queryRaw<{ id: string; status: PublicationStatus }[]>`
    SELECT id, status::text AS status FROM publications WHERE case_id = ${caseId}::uuid FOR UPDATE`;
  if (!locked) throw notFound('publication', caseId);
  if (locked.status === expected) return locked;
  const code =
    locked.status === 'withdrawn'
      ? 'publication_already_withdrawn'
      : locked.status === 'published'
        ? 'publication_already_published'
        : `publication_${locked.status}`;
  throw new DomainError('conflict', code, `the decision's publication is ${locked.status}, not ${expected}`);
}

/**
 * Publications of penalty decisions (行政处罚法 Art. 48) and the disclosure feed. Every write takes the
 * caller's transaction and writes its audit event in it.
 */
export class PublicationsRepository {
  constructor(private readonly db: PrismaClient) {}

  /**
   * Records what became of a decision's publication, in the decision's own transaction; a published one goes
   * into the feed. A case has one publication: a second call returns the first untouched.
   */
  async record(
    tx: Tx,
    input: NewPublication,
    audit: { actor: Actor; requestId?: string; at: Date },
  ): Promise<{ row: PublicationRow; created: boolean }> {
    const existing = await tx.publication.findUnique({ where: { caseId: input.caseId }, select });
    if (existing) return { row: asRow(existing), created: false };
    const published = input.status === 'published';
    const row = asRow(
      await tx.publication.create({
        data: {
          caseId: input.caseId,
          status: input.status,
          rule: input.rule,
          policy: input.policy as Prisma.InputJsonValue,
          content: input.content as unknown as Prisma.InputJsonValue,
          decidedAt: input.decidedAt,
          dueAt: input.dueAt,
          publishedAt: published ? audit.at : null,
        },
        select,
      }),
    );
    if (published) await appendEvent(tx, row.id, 'published', audit.at, input.content);
    await recordAudit(
      tx,
      {
        actor: audit.actor,
        action: `publication.${input.status}`,
        entityType: 'case',
        entityId: input.caseId,
        requestId: audit.requestId,
        changes: {
          publicationId: row.id,
          status: input.status,
          rule: input.rule,
          dueAt: input.dueAt,
          publishedAt: row.publishedAt,
          content: input.content,
        },
      },
      audit.at,
    );
    return { row, created: true };
  }

  /**
   * Withdraws a published decision (Art. 48 ¶2): it leaves the public list, and the feed carries the
   * withdrawal with its public reason. Refused unless the publication is published now.
   */
  async withdraw(
    tx: Tx,
    caseId: string,
    withdrawal: Withdrawal,
    audit: { actor: Actor; requestId?: string; at: Date },
  ): Promise<PublicationRow> {
    const locked = await lockPublication(tx, caseId, 'published');
    const row = asRow(
      await tx.publication.update({
        where: { id: locked.id },
        data: {
          status: 'withdrawn',
          withdrawnAt: audit.at,
          withdrawnBy: audit.actor.kind === 'user' ? audit.actor.id : null,
          withdrawalGround: withdrawal.ground,
          withdrawalReason: withdrawal.reason,
          withdrawalReference: withdrawal.reference,
          revokedAt: withdrawal.revokedAt,
          withdrawalDueAt: withdrawal.dueAt,
        },
        select,
      }),
    );
    await appendEvent(tx, row.id, 'withdrawn', audit.at, {
      decisionNumber: row.content.decisionNumber,
      authority: row.content.authority,
      ground: withdrawal.ground,
      reason: withdrawal.reason,
      reference: withdrawal.reference,
    });
    await recordAudit(
      tx,
      {
        actor: audit.actor,
        action: 'publication.withdrawn',
        entityType: 'case',
        entityId: caseId,
        requestId: audit.requestId,
        changes: {
          publicationId: row.id,
          ground: withdrawal.ground,
          reason: withdrawal.reason,
          reference: withdrawal.reference,
          revokedAt: withdrawal.revokedAt,
          dueAt: withdrawal.dueAt,
          late: withdrawal.late,
        },
      },
      audit.at,
    );
    return row;
  }

  /**
   * Publishes a held publication with content built again from the corrected records (the caller has checked
   * it); it enters the list and the feed. Refused unless the publication is held.
   */
  async publishHeld(
    tx: Tx,
    caseId: string,
    content: PublicationContent,
    audit: { actor: Actor; requestId?: string; at: Date },
  ): Promise<PublicationRow> {
    const locked = await lockPublication(tx, caseId, 'held');
    const row = asRow(
      await tx.publication.update({
        where: { id: locked.id },
        data: {
          status: 'published',
          content: content as unknown as Prisma.InputJsonValue,
          publishedAt: audit.at,
        },
        select,
      }),
    );
    await appendEvent(tx, row.id, 'published', audit.at, content);
    await recordAudit(
      tx,
      {
        actor: audit.actor,
        action: 'publication.published',
        entityType: 'case',
        entityId: caseId,
        requestId: audit.requestId,
        changes: {
          publicationId: row.id,
          status: 'published',
          wasHeld: true,
          publishedAt: audit.at,
          content,
        },
      },
      audit.at,
    );
    return row;
  }

  async byCase(caseId: string): Promise<PublicationRow | null> {
    const row = await this.db.publication.findUnique({ where: { caseId }, select });
    return row ? asRow(row) : null;
  }

  /** The decisions published now, newest first; `after` is the last row of the previous page. */
  async listPublished(
    limit: number,
    after?: { publishedAt: Date; id: string },
  ): Promise<{ id: string; publishedAt: Date; content: PublicationContent }[]> {
    const rows = await this.db.publication.findMany({
      where: {
        status: 'published',
        ...(after
          ? {
              OR: [
                { publishedAt: { lt: after.publishedAt } },
                { publishedAt: after.publishedAt, id: { lt: after.id } },
              ],
            }
          : {}),
      },
      orderBy: [{ publishedAt: 'desc' }, { id: 'desc' }],
      take: limit,
      select: { id: true, publishedAt: true, content: true },
    });
    return rows.map((r) => ({
      id: r.id,
      publishedAt: r.publishedAt!,
      content: r.content as unknown as PublicationContent,
    }));
  }

  /** Feed events after `since`, oldest first. */
  async feed(since: bigint, limit: number): Promise<FeedEvent[]> {
    const rows = await this.db.publicationEvent.findMany({
      where: { seq: { gt: since } },
      orderBy: { seq: 'asc' },
      take: limit,
    });
    return rows.map((r) => ({
      seq: r.seq,
      kind: r.kind,
      occurredAt: r.occurredAt,
      publicationId: r.publicationId,
      body: r.body,
    }));
  }
}
