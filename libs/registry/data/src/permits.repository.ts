import type { PlateColour, Prisma, PrismaClient, Tx } from '@ecc/shared-data';
import type { CreatePermitInput, PermitView } from '@ecc/registry-domain';
import { dateColumn, isoDateOf } from './dates';

const permitSelect = {
  id: true,
  permitNo: true,
  plate: true,
  plateColour: true,
  validFrom: true,
  validTo: true,
  maxGrossMassKg: true,
  route: true,
  issuer: true,
  createdAt: true,
} as const satisfies Prisma.OversizePermitSelect;

type PermitRow = Prisma.OversizePermitGetPayload<{ select: typeof permitSelect }>;

const toView = (row: PermitRow): PermitView => ({
  id: row.id,
  permitNo: row.permitNo,
  plate: row.plate,
  plateColour: row.plateColour,
  validFrom: isoDateOf(row.validFrom),
  validTo: isoDateOf(row.validTo),
  maxGrossKg: row.maxGrossMassKg,
  route: row.route,
  issuer: row.issuer,
  createdAt: row.createdAt.toISOString(),
});

/** Oversize-transport permits (大件运输许可), by plate as screening looks them up. */
export class PermitsRepository {
  constructor(private readonly db: PrismaClient) {}

  async listByPlate(plate: string): Promise<PermitView[]> {
    const rows = await this.db.oversizePermit.findMany({
      where: { plate },
      select: permitSelect,
      orderBy: [{ validFrom: 'desc' }, { createdAt: 'desc' }],
    });
    return rows.map(toView);
  }

  async permitNoTaken(tx: Tx, permitNo: string): Promise<boolean> {
    return (await tx.oversizePermit.count({ where: { permitNo } })) > 0;
  }

  /** The registered vehicle the permit is for, when the plate (and colour, if given) names exactly one. */
  async vehicleIdFor(tx: Tx, plate: string, plateColour?: PlateColour): Promise<string | null> {
    const vehicles = await tx.vehicle.findMany({
      where: { plate, ...(plateColour ? { plateColour } : {}) },
      select: { id: true },
      take: 2,
    });
    return vehicles.length === 1 ? vehicles[0]!.id : null;
  }

  async create(tx: Tx, input: CreatePermitInput, vehicleId: string | null): Promise<PermitView> {
    const row = await tx.oversizePermit.create({
      data: {
        permitNo: input.permitNo ?? null,
        vehicleId,
        plate: input.plate,
        plateColour: input.plateColour ?? null,
        validFrom: dateColumn(input.validFrom),
        validTo: dateColumn(input.validTo),
        maxGrossMassKg: input.maxGrossKg,
        route: input.route ?? null,
        issuer: input.issuer ?? null,
      },
      select: permitSelect,
    });
    return toView(row);
  }
}
