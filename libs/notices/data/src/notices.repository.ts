import type { PrismaClient, Tx } from '@ecc/shared-data';

/** Notices and their delivery attempts (短信告知 / 信息推送). */
export class NoticesRepository {
  constructor(private readonly db: PrismaClient) {}

  /** Pending notices created before `olderThan` (the sweeper's catch-up of lost enqueues), oldest first. */
  async pendingIds(
    limit: number,
    olderThan: Date = new Date(),
    db: Tx | PrismaClient = this.db,
  ): Promise<string[]> {
    const rows = await db.notice.findMany({
      where: { status: 'pending', createdAt: { lte: olderThan } },
      orderBy: { createdAt: 'asc' },
      take: limit,
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }
}
