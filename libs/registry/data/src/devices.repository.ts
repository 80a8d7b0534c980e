import { Prisma, type PrismaClient, type Tx } from '@ecc/shared-data';
import type { CalibrationInput, CalibrationView, CreateDeviceInput, DeviceView } from '@ecc/registry-domain';
import { dateColumn, isoDateOf, isoDateOrNull } from './dates';

const calibrationSelect = { certificateNo: true, issuer: true, validFrom: true, validTo: true } as const;
const deviceSelect = {
  id: true,
  code: true,
  kind: true,
  serialNo: true,
  manufacturer: true,
  model: true,
  accuracyClass: true,
  tolerancePercent: true,
  legalReviewDate: true,
  technicalReviewDate: true,
  publishedDate: true,
  active: true,
  createdAt: true,
  station: { select: { code: true } },
  certificates: {
    select: calibrationSelect,
    orderBy: [{ validFrom: 'desc' }, { createdAt: 'desc' }],
  },
} as const satisfies Prisma.DeviceSelect;

type DeviceRow = Prisma.DeviceGetPayload<{ select: typeof deviceSelect }>;
type CalibrationRow = Prisma.CalibrationCertificateGetPayload<{ select: typeof calibrationSelect }>;

export interface DeviceRecord extends DeviceView {
  id: string;
}

const toCalibrationView = (c: CalibrationRow): CalibrationView => ({
  certificateNo: c.certificateNo,
  issuer: c.issuer,
  validFrom: isoDateOf(c.validFrom),
  validTo: isoDateOf(c.validTo),
});

const toRecord = (row: DeviceRow): DeviceRecord => ({
  id: row.id,
  code: row.code,
  stationCode: row.station.code,
  kind: row.kind,
  serialNo: row.serialNo,
  manufacturer: row.manufacturer,
  model: row.model,
  accuracyClass: row.accuracyClass,
  tolerancePercent: row.tolerancePercent === null ? null : row.tolerancePercent.toNumber(),
  legalReviewedAt: isoDateOrNull(row.legalReviewDate),
  technicalReviewedAt: isoDateOrNull(row.technicalReviewDate),
  publishedAt: isoDateOrNull(row.publishedDate),
  active: row.active,
  calibrations: row.certificates.map(toCalibrationView),
  createdAt: row.createdAt.toISOString(),
});

export const toDeviceView = ({ id: _id, ...view }: DeviceRecord): DeviceView => view;

const calibrationData = (c: CalibrationInput) => ({
  certificateNo: c.certificateNo,
  issuer: c.issuer ?? null,
  validFrom: dateColumn(c.validFrom),
  validTo: dateColumn(c.validTo),
});

/** Electronic monitoring devices of the stations and their calibration certificates. */
export class DevicesRepository {
  constructor(private readonly db: PrismaClient) {}

  async listByStation(stationId: string): Promise<DeviceRecord[]> {
    const rows = await this.db.device.findMany({
      where: { stationId },
      select: deviceSelect,
      orderBy: { code: 'asc' },
    });
    return rows.map(toRecord);
  }

  async findByCode(
    stationId: string,
    code: string,
    client: Tx | PrismaClient = this.db,
  ): Promise<DeviceRecord | null> {
    const row = await client.device.findUnique({
      where: { stationId_code: { stationId, code } },
      select: deviceSelect,
    });
    return row ? toRecord(row) : null;
  }

  async create(tx: Tx, stationId: string, input: CreateDeviceInput): Promise<DeviceRecord> {
    const row = await tx.device.create({
      data: {
        stationId,
        code: input.code,
        kind: input.kind,
        serialNo: input.serialNo ?? null,
        manufacturer: input.manufacturer ?? null,
        model: input.model ?? null,
        accuracyClass: input.accuracyClass ?? null,
        tolerancePercent:
          input.tolerancePercent == null ? null : new Prisma.Decimal(input.tolerancePercent.toFixed(2)),
        legalReviewDate: input.legalReviewedAt ? dateColumn(input.legalReviewedAt) : null,
        technicalReviewDate: input.technicalReviewedAt ? dateColumn(input.technicalReviewedAt) : null,
        publishedDate: input.publishedAt ? dateColumn(input.publishedAt) : null,
        ...(input.calibration ? { certificates: { create: [calibrationData(input.calibration)] } } : {}),
      },
      select: deviceSelect,
    });
    return toRecord(row);
  }

  async hasCalibration(tx: Tx, deviceId: string, certificateNo: string): Promise<boolean> {
    return (await tx.calibrationCertificate.count({ where: { deviceId, certificateNo } })) > 0;
  }

  async addCalibration(tx: Tx, deviceId: string, input: CalibrationInput): Promise<CalibrationView> {
    const row = await tx.calibrationCertificate.create({
      data: { deviceId, ...calibrationData(input) },
      select: calibrationSelect,
    });
    return toCalibrationView(row);
  }
}
