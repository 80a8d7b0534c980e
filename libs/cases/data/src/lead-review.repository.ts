import type { PlateColour, Prisma, PrismaClient, Tx } from '@ecc/shared-data';

const leadInclude = {
  station: true,
  vehicle: { include: { owner: true, enterprise: { include: { party: true } } } },
} satisfies Prisma.LeadInclude;

export type ReviewLeadRow = Prisma.LeadGetPayload<{ include: typeof leadInclude }>;

export interface OwnerInput {
  kind: 'person' | 'organisation';
  name: string;
  idNumber: string;
  phone?: string;
  address?: string;
}

/** Leads as the case workflow sees them: review, owner lookup in the vehicle registry, owner completion. */
export class LeadReviewRepository {
  constructor(private readonly db: PrismaClient) {}

  /** Locks the lead for the transaction (one review, one filing at a time). */
  async lock(tx: Tx, id: string): Promise<ReviewLeadRow | null> {
    await tx.$queryRaw`SELECT id FROM leads WHERE id = ${id}::uuid FOR UPDATE`;
    return tx.lead.findUnique({ where: { id }, include: leadInclude });
  }

  async find(id: string, db: Tx | PrismaClient = this.db): Promise<ReviewLeadRow | null> {
    return db.lead.findUnique({ where: { id }, include: leadInclude });
  }

  /** The registry vehicle of the lead: linked at screening, else by plate (and colour when known). */
  async vehicleOf(tx: Tx, lead: ReviewLeadRow) {
    if (lead.vehicle) return lead.vehicle;
    return tx.vehicle.findFirst({
      where: { plate: lead.plate, ...(lead.plateColour ? { plateColour: lead.plateColour } : {}) },
      include: { owner: true, enterprise: { include: { party: true } } },
      orderBy: { createdAt: 'asc' },
    });
  }

  /** Columns other than the status: a lead's status changes only through its lifecycle (transitionLead). */
  async update(
    tx: Tx,
    id: string,
    data: Omit<Prisma.LeadUncheckedUpdateInput, 'status' | 'version'>,
  ): Promise<void> {
    await tx.lead.update({ where: { id }, data: { ...data, version: { increment: 1 } } });
  }

  /**
   * Completes the registry for a lead whose owner was unknown: the party (found by its ID number or
   * created), the vehicle (found by plate and colour or created) now owned by it.
   */
  async completeOwner(
    tx: Tx,
    lead: ReviewLeadRow,
    owner: OwnerInput,
    vehicle: { plateColour: PlateColour; vehicleType?: string; homeAuthority?: string },
  ): Promise<{ vehicleId: string; partyId: string }> {
    const party =
      (await tx.party.findUnique({ where: { idNumber: owner.idNumber } })) ??
      (await tx.party.create({
        data: {
          kind: owner.kind,
          name: owner.name,
          idNumber: owner.idNumber,
          phone: owner.phone ?? null,
          address: owner.address ?? null,
        },
      }));
    if (owner.phone && party.phone !== owner.phone) {
      await tx.party.update({ where: { id: party.id }, data: { phone: owner.phone } });
    }
    const existing = await tx.vehicle.findUnique({
      where: { plate_plateColour: { plate: lead.plate, plateColour: vehicle.plateColour } },
    });
    const row = existing
      ? await tx.vehicle.update({
          where: { id: existing.id },
          data: {
            ownerPartyId: party.id,
            ...(vehicle.vehicleType ? { vehicleType: vehicle.vehicleType } : {}),
            ...(vehicle.homeAuthority ? { homeAuthority: vehicle.homeAuthority } : {}),
          },
        })
      : await tx.vehicle.create({
          data: {
            plate: lead.plate,
            plateColour: vehicle.plateColour,
            ownerPartyId: party.id,
            axleCount: lead.axleCount,
            vehicleType: vehicle.vehicleType ?? null,
            homeAuthority: vehicle.homeAuthority ?? null,
          },
        });
    return { vehicleId: row.id, partyId: party.id };
  }

  /** 车主信息不明: confirmed leads waiting for an officer to complete the owner, oldest first. */
  async ownerUnknown(limit: number, after?: { createdAt: Date; id: string }) {
    const rows = await this.db.lead.findMany({
      where: {
        ownerUnknown: true,
        status: 'confirmed',
        ...(after
          ? {
              OR: [
                { createdAt: { gt: after.createdAt } },
                { createdAt: after.createdAt, id: { gt: after.id } },
              ],
            }
          : {}),
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: limit + 1,
      include: { station: true },
    });
    return { rows: rows.slice(0, limit), more: rows.length > limit };
  }
}
