import type { Prisma, PrismaClient } from '@ecc/shared-data';

const leadView = {
  station: { select: { code: true } },
  detections: {
    select: {
      detection: {
        select: {
          id: true,
          stationDetectionId: true,
          detectedAt: true,
          plate: true,
          axleCount: true,
          grossMassKg: true,
          laneNo: true,
          outcome: true,
          evidence: {
            select: { id: true, kind: true, key: true, sha256: true, sizeBytes: true, contentType: true },
            orderBy: { createdAt: 'asc' },
          },
        },
      },
    },
  },
} satisfies Prisma.LeadInclude;

export type LeadRecord = Prisma.LeadGetPayload<{ include: typeof leadView }>;

export interface LeadFilter {
  status?: string;
  stationCode?: string;
  plate?: string;
  from?: Date;
  to?: Date;
}

/** Position in the list: leads are listed newest first by (createdAt, id). */
export interface LeadCursor {
  createdAt: Date;
  id: string;
}

export class LeadsRepository {
  constructor(private readonly db: PrismaClient) {}

  findById(id: string): Promise<LeadRecord | null> {
    return this.db.lead.findUnique({ where: { id }, include: leadView });
  }

  /** One page, newest first; `limit + 1` rows are read to know whether another page follows. */
  async list(
    filter: LeadFilter,
    limit: number,
    after?: LeadCursor,
  ): Promise<{ items: LeadRecord[]; next: LeadCursor | null }> {
    const where: Prisma.LeadWhereInput = {
      ...(filter.status ? { status: filter.status as never } : {}),
      ...(filter.stationCode ? { station: { code: filter.stationCode } } : {}),
      ...(filter.plate ? { plate: filter.plate } : {}),
      ...(filter.from || filter.to
        ? {
            violationAt: {
              ...(filter.from ? { gte: filter.from } : {}),
              ...(filter.to ? { lt: filter.to } : {}),
            },
          }
        : {}),
      ...(after
        ? {
            OR: [
              { createdAt: { lt: after.createdAt } },
              { createdAt: after.createdAt, id: { lt: after.id } },
            ],
          }
        : {}),
    };
    const rows = await this.db.lead.findMany({
      where,
      include: leadView,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items,
      next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null,
    };
  }
}
