import type { AuditRowValues } from '@ecc/audit-data';
import { pgPoolOf, uuidv7, type PrismaClient, type Tx } from '@ecc/shared-data';
import type { DetectionForm, DetectionStatusView } from '@ecc/intake-domain';
import { stationEvidenceKindOf, type StationEvidenceKind } from '@ecc/shared-kernel';

export interface StoredEvidence {
  kind: StationEvidenceKind;
  contentType: string;
  sha256: string;
  sizeBytes: number;
  bucket: string;
  key: string;
}

export interface NewDetection {
  stationId: string;
  deviceId: string | null;
  /** The fields of the body (its evidence bytes, if any, are not read here). */
  body: DetectionForm;
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

/**
 * The id of a detection received at `at`: a UUIDv7 (shared-data's uuidv7.ts), so that the detections of a month are
 * a range of ids — the partition key of `detections` (migration 20261207020000) — and an interval of receipt is an
 * interval of ids (fences' interception alerts rely on it).
 */
export const newDetectionId = (at: Date): string => uuidv7(at);

/** Detections as received from stations, with their evidence rows and outbox entry. */
export class DetectionsRepository {
  constructor(private readonly db: PrismaClient) {}

  async findIdentity(
    db: Tx | PrismaClient,
    stationId: string,
    stationDetectionId: string,
  ): Promise<DetectionIdentity | null> {
    const key = await db.detectionKey.findUnique({
      where: { stationId_stationDetectionId: { stationId, stationDetectionId } },
      select: { detection: { select: { id: true, bodyDigest: true } } },
    });
    return key?.detection ?? null;
  }

  /**
   * The same as `findIdentity(this.db, …)`, as a named statement on the client's pool: intake asks it before
   * storing the evidence of every detection that carries some, and Prisma's query path cost the API more than
   * the question costs Postgres.
   */
  async findIdentityNow(stationId: string, stationDetectionId: string): Promise<DetectionIdentity | null> {
    const { rows } = await pgPoolOf(this.db).query<DetectionIdentity>({
      name: 'intake.find_identity.v2',
      // The key first (one index probe), then the detection by id: one partition.
      text: `SELECT d.id::text AS id, d.body_digest AS "bodyDigest"
               FROM detection_keys k JOIN detections d ON d.id = k.detection_id
              WHERE k.station_id = $1::uuid AND k.station_detection_id = $2`,
      values: [stationId, stationDetectionId],
    });
    return rows[0] ?? null;
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
   * Detections with their evidence rows, outbox rows and audit events, in ONE statement (the hot path of
   * intake: one round trip for all the detections of concurrent requests, no interactive transaction; a
   * single statement is atomic, so either all rows are committed or none). A detection already stored under
   * the same (station, detection id) — a repeat, or a concurrent one, in this statement too — inserts
   * nothing, audit event included: the detection's key is claimed first (`detection_keys`, whose primary key is
   * the idempotency key — detections are partitioned and cannot hold a unique key of their own), and only the
   * detections whose key was claimed are inserted. Returns the ids of the detections inserted. Runs on its own (a prepared
   * statement on the client's pool), never inside a caller's transaction.
   */
  async createMany(
    detections: readonly (NewDetection & { id: string; outboxId: string; audit: AuditRowValues })[],
  ): Promise<Set<string>> {
    const input = detections.map((d) => {
      const { body, audit: a } = d;
      return {
        id: d.id,
        outbox_id: d.outboxId,
        station_id: d.stationId,
        device_id: d.deviceId,
        station_detection_id: body.detectionId,
        body_digest: d.bodyDigest,
        plate: body.plate.number,
        plate_colour: body.plate.color,
        detected_at: new Date(body.detectedAt).toISOString(),
        received_at: d.receivedAt.toISOString(),
        lane_no: body.lane,
        speed_kmh: body.weighing.speedKmh.toFixed(1),
        vehicle_type: body.vehicle.combination ? 'combination' : 'truck',
        axle_count: body.vehicle.axleCount,
        gross_mass_kg: body.weighing.grossKg,
        axle_loads_kg: body.weighing.axleLoadsKg,
        length_mm: body.vehicle.lengthMm,
        width_mm: body.vehicle.widthMm,
        height_mm: body.vehicle.heightMm,
        raw: d.raw,
        evidence: d.evidence.map((x) => ({
          bucket: x.bucket,
          key: x.key,
          sha256: x.sha256,
          size_bytes: x.sizeBytes,
          content_type: x.contentType,
          kind: x.kind,
        })),
        audit: {
          occurred_at: a.occurredAt.toISOString(),
          actor_id: a.actorId,
          actor_kind: a.actorKind,
          action: a.action,
          entity_type: a.entityType,
          entity_id: a.entityId,
          request_id: a.requestId,
          digest: a.digest,
          payload: a.payload ?? null,
        },
      };
    });
    // A named statement: prepared once per connection, then executed without planning it again (its plan is a
    // good part of its cost at the rate it runs).
    const { rows } = await pgPoolOf(this.db).query<{ id: string }>({
      name: 'intake.create_detections.v2',
      text: CREATE_DETECTIONS_SQL,
      values: [JSON.stringify(input)],
    });
    return new Set(rows.map((r) => r.id));
  }

  /** What staff see of a detection: screening status, outcome, reasons, the lead it fed. */
  async findStatus(stationCode: string, stationDetectionId: string): Promise<DetectionStatusView | null> {
    const key = await this.db.detectionKey.findFirst({
      where: { stationDetectionId, detection: { station: { code: stationCode } } },
      select: { detectionId: true },
    });
    if (!key) return null;
    const row = await this.db.detection.findUnique({
      where: { id: key.detectionId },
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
        kind: stationEvidenceKindOf(e.kind),
        sha256: e.sha256,
        sizeBytes: Number(e.sizeBytes),
      })),
    };
  }
}

/**
 * Detections, outbox rows, evidence rows and audit events of a batch, from one jsonb array ($1). Exported for
 * the benchmark, which measures what preparing it saves Postgres.
 */
export const CREATE_DETECTIONS_SQL = `
      WITH input AS (
        SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, outbox_id uuid,
          station_id uuid, device_id uuid, station_detection_id text, body_digest text, plate text,
          plate_colour text, detected_at timestamptz, received_at timestamptz, lane_no int, speed_kmh numeric,
          vehicle_type text, axle_count int, gross_mass_kg int, axle_loads_kg int[], length_mm int, width_mm int,
          height_mm int, raw jsonb, evidence jsonb, audit jsonb)
      ), claimed AS (
        INSERT INTO detection_keys (station_id, station_detection_id, detection_id)
        SELECT station_id, station_detection_id, id FROM input
        ON CONFLICT (station_id, station_detection_id) DO NOTHING
        RETURNING detection_id
      ), detection AS (
        INSERT INTO detections (id, station_id, device_id, station_detection_id, body_digest, plate, plate_colour,
          detected_at, received_at, lane_no, speed_kmh, vehicle_type, axle_count, gross_mass_kg, axle_loads_kg,
          length_mm, width_mm, height_mm, raw)
        SELECT id, station_id, device_id, station_detection_id, body_digest, plate, plate_colour::plate_colour,
               detected_at, received_at, lane_no, speed_kmh, vehicle_type, axle_count, gross_mass_kg,
               axle_loads_kg, length_mm, width_mm, height_mm, raw
          FROM input JOIN claimed c ON c.detection_id = input.id
        RETURNING id
      ), outbox AS (
        INSERT INTO intake_outbox (id, detection_id, enqueued_at)
        SELECT i.outbox_id, d.id, i.received_at FROM detection d JOIN input i ON i.id = d.id
      ), evidence AS (
        INSERT INTO evidence_objects (id, bucket, key, sha256, size_bytes, content_type, kind, detection_id, created_at)
        SELECT gen_random_uuid(), e.bucket, e.key, e.sha256, e.size_bytes, e.content_type, e.kind::evidence_kind,
               d.id, i.received_at
          FROM detection d JOIN input i ON i.id = d.id,
               jsonb_to_recordset(i.evidence) AS e(bucket text, key text, sha256 text, size_bytes bigint,
                                                  content_type text, kind text)
      ), audit AS (
        INSERT INTO audit_events (occurred_at, actor_id, actor_kind, action, entity_type, entity_id, request_id,
          digest, payload)
        SELECT (i.audit->>'occurred_at')::timestamptz, (i.audit->>'actor_id')::uuid,
               (i.audit->>'actor_kind')::actor_kind, i.audit->>'action', i.audit->>'entity_type',
               i.audit->>'entity_id', i.audit->>'request_id', i.audit->>'digest',
               CASE WHEN jsonb_typeof(i.audit->'payload') = 'null' THEN NULL ELSE i.audit->'payload' END
          FROM detection d JOIN input i ON i.id = d.id
         ORDER BY i.received_at, d.id
      )
      SELECT id::text AS id FROM detection`;
