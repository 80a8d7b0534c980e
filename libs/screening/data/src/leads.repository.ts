import type { Prisma, PrismaClient, Tx } from '@ecc/shared-data';
import type { AppliedRule, ProposedPenalty, ScreeningReason } from '@ecc/screening-domain';
import { json } from './detection-screening.repository';

export interface NewLead {
  stationId: string;
  vehicleId: string | null;
  ownerUnknown: boolean;
  plate: string;
  plateColour: string | null;
  violationAt: Date;
  axleCount: number;
  grossMassKg: number;
  limitKg: number;
  toleranceKg: number;
  excessKg: number;
  penalty: ProposedPenalty;
  reasons: ScreeningReason[];
  rules: AppliedRule[];
}

/** An open trip of a vehicle at a station: what joining a detection to a lead needs. */
export interface LeadTripRow {
  id: string;
  plate: string;
  plateColour: string | null;
  violationAt: Date;
  /** The lead's earliest detection (a joining detection is recorded as its duplicate). */
  firstDetectionId: string | null;
}

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

  /** Leads of the plate at the station whose first detection lies within [from, to]. */
  async tripsNear(tx: Tx, stationId: string, plate: string, from: Date, to: Date): Promise<LeadTripRow[]> {
    const leads = await tx.lead.findMany({
      where: { stationId, plate, violationAt: { gte: from, lte: to } },
      select: {
        id: true,
        plate: true,
        plateColour: true,
        violationAt: true,
        detections: { select: { detection: { select: { id: true, detectedAt: true } } } },
      },
    });
    return leads.map((l) => ({
      id: l.id,
      plate: l.plate,
      plateColour: l.plateColour,
      violationAt: l.violationAt,
      firstDetectionId:
        l.detections
          .map((d) => d.detection)
          .sort((a, b) => a.detectedAt.getTime() - b.detectedAt.getTime())[0]?.id ?? null,
    }));
  }

  async create(tx: Tx, lead: NewLead, firstDetectionId: string): Promise<string> {
    const row = await tx.lead.create({
      data: {
        status: 'pending_review',
        stationId: lead.stationId,
        vehicleId: lead.vehicleId,
        ownerUnknown: lead.ownerUnknown,
        plate: lead.plate,
        plateColour: lead.plateColour as never,
        violationAt: lead.violationAt,
        axleCount: lead.axleCount,
        grossMassKg: lead.grossMassKg,
        limitKg: lead.limitKg,
        toleranceKg: lead.toleranceKg,
        excessKg: lead.excessKg,
        proposedPenaltyKind: lead.penalty.kind,
        proposedAmount: lead.penalty.amountYuan,
        proposedBasis: json({ basis: lead.penalty.basis, parts: lead.penalty.parts, reasons: lead.reasons }),
        rules: json(lead.rules),
        detections: { create: { detectionId: firstDetectionId } },
      },
      select: { id: true },
    });
    return row.id;
  }

  async addDetection(tx: Tx, leadId: string, detectionId: string): Promise<void> {
    await tx.leadDetection.create({ data: { leadId, detectionId } });
  }

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
