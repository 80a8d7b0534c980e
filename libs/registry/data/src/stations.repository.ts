import { Prisma, type PrismaClient, type Tx } from '@ecc/shared-data';
import type { CreateStationInput, StationDetailView, StationView } from '@ecc/registry-domain';

const stationSelect = {
  id: true,
  code: true,
  name: true,
  road: true,
  stake: true,
  direction: true,
  latitude: true,
  longitude: true,
  active: true,
  createdAt: true,
} as const;

type StationRow = Prisma.StationGetPayload<{ select: typeof stationSelect }>;

export interface StationRecord extends StationView {
  id: string;
}

const toRecord = (row: StationRow): StationRecord => ({
  id: row.id,
  code: row.code,
  name: row.name,
  road: row.road,
  stake: row.stake,
  direction: row.direction,
  lat: row.latitude === null ? null : row.latitude.toNumber(),
  lng: row.longitude === null ? null : row.longitude.toNumber(),
  active: row.active,
  createdAt: row.createdAt.toISOString(),
});

export const toStationView = ({ id: _id, ...view }: StationRecord): StationView => view;

/** Stations (检测点) in Postgres. Their secrets are handled by StationCredentialsRepository only. */
export class StationsRepository {
  constructor(private readonly db: PrismaClient) {}

  async findByCode(code: string, client: Tx | PrismaClient = this.db): Promise<StationRecord | null> {
    const row = await client.station.findUnique({ where: { code }, select: stationSelect });
    return row ? toRecord(row) : null;
  }

  /** The station's id and code, its row locked until the transaction ends (serialises secret rotations). */
  async lockByCode(tx: Tx, code: string): Promise<{ id: string; code: string } | null> {
    const rows = await tx.$queryRaw<{ id: string; code: string }[]>`
      SELECT id::text AS id, code FROM stations WHERE code = ${code} FOR UPDATE`;
    return rows[0] ?? null;
  }

  async list(): Promise<StationRecord[]> {
    const rows = await this.db.station.findMany({ select: stationSelect, orderBy: { code: 'asc' } });
    return rows.map(toRecord);
  }

  /** The station with what is known of its secrets (never a secret), newest first. */
  async detail(code: string): Promise<StationDetailView | null> {
    const row = await this.db.station.findUnique({
      where: { code },
      select: {
        ...stationSelect,
        secrets: {
          select: { keyId: true, algorithm: true, activeFrom: true, retiredAt: true },
          orderBy: [{ activeFrom: 'desc' }, { createdAt: 'desc' }],
        },
      },
    });
    if (!row) return null;
    return {
      ...toStationView(toRecord(row)),
      credentials: row.secrets.map((s) => ({
        keyId: s.keyId,
        algorithm: s.algorithm,
        activeFrom: s.activeFrom.toISOString(),
        retiredAt: s.retiredAt?.toISOString() ?? null,
      })),
    };
  }

  async create(tx: Tx, input: CreateStationInput): Promise<StationRecord> {
    const row = await tx.station.create({
      data: {
        code: input.code,
        name: input.name,
        road: input.road,
        stake: input.stake,
        direction: input.direction,
        latitude: new Prisma.Decimal(input.lat.toFixed(6)),
        longitude: new Prisma.Decimal(input.lng.toFixed(6)),
      },
      select: stationSelect,
    });
    return toRecord(row);
  }
}
