import type { Prisma, PrismaClient, Tx } from '@ecc/shared-data';
import type { DetectionBody, DetectionStatusView, EvidenceKind } from '@ecc/intake-domain';
import { fromStoredEvidenceKind, toStoredEvidenceKind } from './evidence-kind';

export interface StoredEvidence {
  kind: EvidenceKind;
  contentType: string;
  sha256: string;
  sizeBytes: number;
  bucket: string;
  key: string;
}

export interface NewDetection {
  stationId: string;
  deviceId: string | null;
  body: DetectionBody;
  bodyDigest: string;
  /** The body as kept (evidence without its bytes). */
  raw: unknown;
  receivedAt: Date;
  evidence: StoredEvidence[];
}

export interface DetectionIdentity {
  id: string;
  bodyDigest: string;
}

/** Detections as received from stations, with their evidence rows and outbox entry. */
export class DetectionsRepository {
  constructor(private readonly db: PrismaClient) {}

  async findIdentity(
    db: Tx | PrismaClient,
    stationId: string,
    stationDetectionId: string,
  ): Promise<DetectionIdentity | null> {
    return db.detection.findUnique({
      where: { stationId_stationDetectionId: { stationId, stationDetectionId } },
      select: { id: true, bodyDigest: true },
    });
  }

  /** The id of a device by its code at a station, or null when the station has no such device. */
  async findDeviceId(stationId: string, code: string): Promise<string | null> {
    const row = await this.db.device.findUnique({
      where: { stationId_code: { stationId, code } },
      select: { id: true },
    });
    return row?.id ?? null;
  }

  /**
   * The detection, its evidence rows and its outbox row, in the caller's transaction. A concurrent insert
   * of the same (station, detection id) fails on the unique index (P2002); the caller answers it.
   */
  async create(tx: Tx, d: NewDetection): Promise<{ id: string }> {
    const { body } = d;
    const row = await tx.detection.create({
      data: {
        stationId: d.stationId,
        deviceId: d.deviceId,
        stationDetectionId: body.detectionId,
        bodyDigest: d.bodyDigest,
        plate: body.plate.number,
        plateColour: body.plate.color,
        detectedAt: new Date(body.detectedAt),
        receivedAt: d.receivedAt,
        laneNo: body.lane,
        speedKmh: body.weighing.speedKmh.toFixed(1),
        vehicleType: body.vehicle.combination ? 'combination' : 'truck',
        axleCount: body.vehicle.axleCount,
        grossMassKg: body.weighing.grossKg,
        axleLoadsKg: body.weighing.axleLoadsKg,
        lengthMm: body.vehicle.lengthMm,
        widthMm: body.vehicle.widthMm,
        heightMm: body.vehicle.heightMm,
        raw: d.raw as Prisma.InputJsonValue,
        outbox: { create: { enqueuedAt: d.receivedAt } },
        evidence: {
          createMany: {
            data: d.evidence.map((e) => ({
              bucket: e.bucket,
              key: e.key,
              sha256: e.sha256,
              sizeBytes: BigInt(e.sizeBytes),
              contentType: e.contentType,
              kind: toStoredEvidenceKind(e.kind),
              createdAt: d.receivedAt,
            })),
          },
        },
      },
      select: { id: true },
    });
    return row;
  }

  /** What staff see of a detection: screening status, outcome, reasons, the lead it fed. */
  async findStatus(stationCode: string, stationDetectionId: string): Promise<DetectionStatusView | null> {
    const row = await this.db.detection.findFirst({
      where: { stationDetectionId, station: { code: stationCode } },
      select: {
        id: true,
        status: true,
        outcome: true,
        reasons: true,
        receivedAt: true,
        screenedAt: true,
        leadLink: { select: { leadId: true } },
        evidence: { select: { kind: true, sha256: true, sizeBytes: true }, orderBy: { createdAt: 'asc' } },
      },
    });
    if (!row) return null;
    return {
      receiptId: row.id,
      stationCode,
      detectionId: stationDetectionId,
      status: row.status,
      // A detection collapsed into an existing trip (duplicate) fed that trip's lead.
      outcome: row.outcome === 'duplicate' ? 'lead' : (row.outcome ?? null),
      reasons: Array.isArray(row.reasons) ? row.reasons : [],
      leadId: row.leadLink?.leadId ?? null,
      receivedAt: row.receivedAt.toISOString(),
      screenedAt: row.screenedAt?.toISOString() ?? null,
      evidence: row.evidence.map((e) => ({
        kind: fromStoredEvidenceKind(e.kind),
        sha256: e.sha256,
        sizeBytes: Number(e.sizeBytes),
      })),
    };
  }
}
