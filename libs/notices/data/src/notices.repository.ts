import type { Prisma, PrismaClient, Tx } from '@ecc/shared-data';

const noticeView = {
  attempts: { orderBy: { attemptNo: 'asc' } },
  lead: { select: { plate: true, violationAt: true } },
  resentAs: { select: { id: true } },
} satisfies Prisma.NoticeInclude;

export type NoticeRecord = Prisma.NoticeGetPayload<{ include: typeof noticeView }>;

export interface NoticeFilter {
  status?: 'pending' | 'sent' | 'delivered' | 'failed';
  channel?: 'sms' | 'push';
  leadId?: string;
  caseId?: string;
  limit: number;
  /** the last notice of the previous page: the next page starts after it (newest first) */
  after?: { createdAt: Date; id: string };
}

export type AttemptOutcome =
  { status: 'sent' | 'delivered'; providerMessageId: string } | { status: 'failed'; error: string };

/** Notices and their delivery attempts (短信告知 / 信息推送). */
export class NoticesRepository {
  constructor(private readonly db: PrismaClient) {}

  /**
   * The notices the worker's sweeper sends now, oldest first: pending ones never tried that were created
   * before `staleBefore` (an enqueue lost after the creating transaction committed), and pending ones whose
   * retry is due at `now`.
   */
  async dueIds(
    limit: number,
    at: { staleBefore: Date; now: Date },
    db: Tx | PrismaClient = this.db,
  ): Promise<string[]> {
    const rows = await db.notice.findMany({
      where: {
        status: 'pending',
        OR: [{ nextAttemptAt: null, createdAt: { lte: at.staleBefore } }, { nextAttemptAt: { lte: at.now } }],
      },
      orderBy: { createdAt: 'asc' },
      take: limit,
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  /** SMS accepted by the vendor before `sentBefore` and never reported delivered (or failed), oldest first. */
  async undeliveredIds(limit: number, sentBefore: Date): Promise<string[]> {
    const rows = await this.db.notice.findMany({
      where: { status: 'sent', channel: 'sms', sentAt: { lte: sentBefore } },
      orderBy: { sentAt: 'asc' },
      take: limit,
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  async get(id: string, db: Tx | PrismaClient = this.db): Promise<NoticeRecord | null> {
    return db.notice.findUnique({ where: { id }, include: noticeView });
  }

  async list(filter: NoticeFilter): Promise<NoticeRecord[]> {
    return this.db.notice.findMany({
      where: {
        status: filter.status,
        channel: filter.channel,
        leadId: filter.leadId,
        caseId: filter.caseId,
        // (createdAt, id) order: notices of one transaction share their createdAt
        ...(filter.after
          ? {
              OR: [
                { createdAt: { lt: filter.after.createdAt } },
                { createdAt: filter.after.createdAt, id: { lt: filter.after.id } },
              ],
            }
          : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: filter.limit,
      include: noticeView,
    });
  }

  /**
   * Locks the notice for the rest of the transaction (one sender at a time decides the next attempt
   * number) and returns it with its last attempt.
   */
  async lockForSend(tx: Tx, id: string): Promise<NoticeRecord | null> {
    const locked = await tx.$queryRaw<
      { id: string }[]
    >`SELECT id FROM notices WHERE id = ${id}::uuid FOR UPDATE`;
    if (locked.length === 0) return null;
    return this.get(id, tx);
  }

  /** Recorded (and committed) before the provider is called: a crash mid-call leaves the attempt `sending`. */
  async startAttempt(
    tx: Tx,
    noticeId: string,
    attemptNo: number,
    provider: string,
    at: Date,
  ): Promise<{ id: string }> {
    return tx.noticeDeliveryAttempt.create({
      data: { noticeId, attemptNo, provider, status: 'sending', attemptedAt: at },
      select: { id: true },
    });
  }

  async completeAttempt(tx: Tx, attemptId: string, outcome: AttemptOutcome, at: Date): Promise<void> {
    await tx.noticeDeliveryAttempt.update({
      where: { id: attemptId },
      data:
        outcome.status === 'failed'
          ? { status: 'failed', error: outcome.error.slice(0, 2000), completedAt: at }
          : { status: outcome.status, providerMessageId: outcome.providerMessageId, completedAt: at },
    });
  }

  async markSent(tx: Tx, id: string, at: Date): Promise<void> {
    await tx.notice.update({ where: { id }, data: { status: 'sent', sentAt: at, nextAttemptAt: null } });
  }

  async markDelivered(tx: Tx, id: string, at: Date, sentAt: Date | null): Promise<void> {
    await tx.notice.update({
      where: { id },
      data: { status: 'delivered', deliveredAt: at, sentAt: sentAt ?? at, nextAttemptAt: null },
    });
  }

  async markFailed(tx: Tx, id: string): Promise<void> {
    await tx.notice.update({ where: { id }, data: { status: 'failed', nextAttemptAt: null } });
  }

  /** The provider failed, the notice stays pending: the sweeper sends it again at `at`. */
  async scheduleRetry(tx: Tx, id: string, at: Date): Promise<void> {
    await tx.notice.update({ where: { id }, data: { nextAttemptAt: at } });
  }

  /** The notice an officer resent this one as, if any. */
  async resentAs(id: string, db: Tx | PrismaClient = this.db): Promise<{ id: string } | null> {
    return db.notice.findUnique({ where: { resendOfId: id }, select: { id: true } });
  }

  /** The attempts a provider reported under one message id (an idempotent resend may reuse it), locked. */
  async attemptsByProviderMessage(
    tx: Tx,
    provider: string,
    providerMessageId: string,
  ): Promise<{ id: string; noticeId: string; status: string }[]> {
    return tx.$queryRaw<{ id: string; noticeId: string; status: string }[]>`
      SELECT id, notice_id AS "noticeId", status::text AS status
        FROM notice_delivery_attempts
       WHERE provider = ${provider} AND provider_message_id = ${providerMessageId}
       ORDER BY attempt_no
         FOR UPDATE`;
  }

  async updateAttemptFromReceipt(
    tx: Tx,
    attemptId: string,
    status: 'delivered' | 'failed',
    error: string | null,
    at: Date,
  ): Promise<void> {
    await tx.noticeDeliveryAttempt.update({
      where: { id: attemptId },
      data: { status, error: error?.slice(0, 2000) ?? null, completedAt: at },
    });
  }
}
