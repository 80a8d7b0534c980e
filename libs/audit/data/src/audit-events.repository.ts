import type { PrismaClient } from '@ecc/shared-data';

export interface AuditEventFilter {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  actorKind?: 'user' | 'station' | 'system';
  action?: string;
  /** occurredAt >= from */
  from?: Date;
  /** occurredAt < to */
  to?: Date;
  /** Only events with a smaller id (the previous page's last). */
  beforeId?: bigint;
  limit: number;
}

export interface AuditEventRecord {
  id: bigint;
  chainSeq: bigint | null;
  occurredAt: Date;
  actorKind: 'user' | 'station' | 'system';
  actorId: string | null;
  /** The user's username or the station's code (null for the system or an actor gone since). */
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string;
  requestId: string | null;
  digest: string;
  payload: unknown;
  prevHash: string | null;
  hash: string | null;
}

/** The audit trail as auditors read it: newest first (by id), filtered, one page at a time. */
export class AuditEventsRepository {
  constructor(private readonly db: PrismaClient) {}

  async list(filter: AuditEventFilter): Promise<AuditEventRecord[]> {
    const rows = await this.db.auditEvent.findMany({
      where: {
        ...(filter.entityType === undefined ? {} : { entityType: filter.entityType }),
        ...(filter.entityId === undefined ? {} : { entityId: filter.entityId }),
        ...(filter.actorId === undefined ? {} : { actorId: filter.actorId }),
        ...(filter.actorKind === undefined ? {} : { actorKind: filter.actorKind }),
        ...(filter.action === undefined ? {} : { action: filter.action }),
        ...(filter.from || filter.to
          ? {
              occurredAt: {
                ...(filter.from ? { gte: filter.from } : {}),
                ...(filter.to ? { lt: filter.to } : {}),
              },
            }
          : {}),
        ...(filter.beforeId === undefined ? {} : { id: { lt: filter.beforeId } }),
      },
      orderBy: { id: 'desc' },
      take: filter.limit,
    });
    const ids = (kind: string) => [
      ...new Set(rows.flatMap((r) => (r.actorKind === kind && r.actorId ? [r.actorId] : []))),
    ];
    const userIds = ids('user');
    const stationIds = ids('station');
    const [users, stations] = await Promise.all([
      userIds.length
        ? this.db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, username: true } })
        : [],
      stationIds.length
        ? this.db.station.findMany({ where: { id: { in: stationIds } }, select: { id: true, code: true } })
        : [],
    ]);
    const names = new Map<string, string>([
      ...users.map((u) => [`user:${u.id}`, u.username] as const),
      ...stations.map((s) => [`station:${s.id}`, s.code] as const),
    ]);
    return rows.map((r) => ({
      id: r.id,
      chainSeq: r.chainSeq,
      occurredAt: r.occurredAt,
      actorKind: r.actorKind,
      actorId: r.actorId,
      actorName: r.actorId ? (names.get(`${r.actorKind}:${r.actorId}`) ?? null) : null,
      action: r.action,
      entityType: r.entityType,
      entityId: r.entityId,
      requestId: r.requestId,
      digest: r.digest,
      payload: r.payload,
      prevHash: r.prevHash,
      hash: r.hash,
    }));
  }
}
