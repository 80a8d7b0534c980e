import type { PrismaClient, Tx } from '@ecc/shared-data';
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

/**
 * The audit row written with a received detection, as computed by `auditRow` of `@ecc/audit-data` (the same
 * values recordAudit writes; its entityId is the detection's id, known before the insert).
 */
export interface DetectionAuditRow {
  occurredAt: Date;
  actorKind: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  requestId: string | null;
  digest: string;
  payload: unknown;
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
   * The detection, its evidence rows, its outbox row and its audit event, in ONE statement (the hot path of
   * intake: one round trip and no interactive transaction; a single statement is atomic, so either all rows
   * are committed or none). A detection already stored under the same (station, detection id) — a repeat,
   * or a concurrent one — inserts nothing, audit event included, and returns null.
   */
  async create(
    db: Tx | PrismaClient,
    d: NewDetection & { id: string; outboxId: string; audit: DetectionAuditRow },
  ): Promise<{ id: string } | null> {
    const { body, audit: a } = d;
    const e = d.evidence;
    const rows = await db.$queryRaw<{ id: string }[]>`
      WITH detection AS (
        INSERT INTO detections (id, station_id, device_id, station_detection_id, body_digest, plate, plate_colour,
          detected_at, received_at, lane_no, speed_kmh, vehicle_type, axle_count, gross_mass_kg, axle_loads_kg,
          length_mm, width_mm, height_mm, raw)
        VALUES (${d.id}::uuid, ${d.stationId}::uuid, ${d.deviceId}::uuid, ${body.detectionId}, ${d.bodyDigest},
          ${body.plate.number}, ${body.plate.color}::plate_colour, ${new Date(body.detectedAt)}::timestamptz,
          ${d.receivedAt}::timestamptz, ${body.lane}, ${body.weighing.speedKmh.toFixed(1)}::numeric,
          ${body.vehicle.combination ? 'combination' : 'truck'}, ${body.vehicle.axleCount}, ${body.weighing.grossKg},
          ${body.weighing.axleLoadsKg}::int[], ${body.vehicle.lengthMm}, ${body.vehicle.widthMm},
          ${body.vehicle.heightMm}, ${JSON.stringify(d.raw)}::jsonb)
        ON CONFLICT (station_id, station_detection_id) DO NOTHING
        RETURNING id
      ), outbox AS (
        INSERT INTO intake_outbox (id, detection_id, enqueued_at)
        SELECT ${d.outboxId}::uuid, id, ${d.receivedAt}::timestamptz FROM detection
      ), evidence AS (
        INSERT INTO evidence_objects (id, bucket, key, sha256, size_bytes, content_type, kind, detection_id, created_at)
        SELECT gen_random_uuid(), x.bucket, x.key, x.sha256, x.size_bytes, x.content_type, x.kind::evidence_kind,
               detection.id, ${d.receivedAt}::timestamptz
          FROM detection,
               unnest(${e.map((x) => x.bucket)}::text[], ${e.map((x) => x.key)}::text[],
                      ${e.map((x) => x.sha256)}::text[], ${e.map((x) => x.sizeBytes)}::bigint[],
                      ${e.map((x) => x.contentType)}::text[], ${e.map((x) => toStoredEvidenceKind(x.kind))}::text[])
                 AS x(bucket, key, sha256, size_bytes, content_type, kind)
      ), audit AS (
        INSERT INTO audit_events (occurred_at, actor_id, actor_kind, action, entity_type, entity_id, request_id,
          digest, payload)
        SELECT ${a.occurredAt}::timestamptz, ${a.actorId}::uuid, ${a.actorKind}::actor_kind, ${a.action},
               ${a.entityType}, ${a.entityId}, ${a.requestId}, ${a.digest},
               ${a.payload === null ? null : JSON.stringify(a.payload)}::jsonb
          FROM detection
      )
      SELECT id::text AS id FROM detection`;
    return rows[0] ?? null;
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
