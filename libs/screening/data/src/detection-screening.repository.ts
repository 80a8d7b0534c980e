import type { AuditRowValues } from '@ecc/audit-data';
import type { Prisma, Tx } from '@ecc/shared-data';
import type { AppliedRule, ScreeningReason } from '@ecc/screening-domain';
import type { CalibrationRow, DetectionRow, DeviceRow, PermitRow } from './screening-facts';

/** A detection as screening reads it: the row, its station's code, its device with certificates, its evidence. */
export interface DetectionForScreening extends DetectionRow {
  status: string;
  receivedAt: Date;
  stationId: string;
  stationCode: string;
  device: (DeviceRow & { certificates: CalibrationRow[] }) | null;
  evidence: { kind: string; integrityStatus: string }[];
}

/** An open trip of a vehicle at a station: what joining a detection to a lead needs. */
export interface LeadTripRow {
  id: string;
  stationId: string;
  plate: string;
  plateColour: string | null;
  violationAt: Date;
  /** The lead's detections so far (a joining detection is recorded as the duplicate of the earliest). */
  detections: { id: string; detectedAt: Date }[];
}

/** A new lead as written: its id is chosen by the caller (it is referenced in the same statement). */
export interface NewLeadRow {
  id: string;
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
  penaltyKind: string;
  amountYuan: number | null;
  /** `proposed_basis` and `rules` as stored. */
  basis: unknown;
  rules: AppliedRule[];
}

/** Everything one screening transaction writes, for any number of detections. */
export interface ScreeningWrites {
  screenedAt: Date;
  outcomes: {
    detectionId: string;
    outcome: string;
    reasons: ScreeningReason[];
    rules: AppliedRule[];
    duplicateOfId: string | null;
  }[];
  leads: NewLeadRow[];
  links: { leadId: string; detectionId: string }[];
  /** Outbox rows to mark processed (every detection of the transaction, screened now or before). */
  processed: string[];
  /** In the order they are to be numbered. */
  audits: AuditRowValues[];
}

/** The key of the per-trip advisory lock: one vehicle at one station. */
export const tripLockKey = (stationId: string, plate: string): string => `screening:${stationId}:${plate}`;

const jsonText = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));
const day = (d: string | null): Date | null => (d === null ? null : new Date(`${d}T00:00:00Z`));

/**
 * What screening reads and writes of detections, always inside the screening transaction, in as few
 * statements as possible (each one is a round trip; the rules themselves cost next to nothing): one to lock
 * the detections, one to read them, one to write every outcome, lead, link, outbox row and audit event; for leads,
 * one to take the trip locks (with permits and registered vehicles) and one to read the open trips.
 */
export class DetectionScreeningRepository {
  /**
   * Locks the detections' rows for the rest of the transaction (in id order, so that two transactions
   * locking overlapping sets cannot deadlock): a job run twice (redelivery, sweeper) waits here and then sees
   * its detection screened. Returns the status of each detection found.
   */
  async lock(tx: Tx, detectionIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await tx.$queryRaw<{ id: string; status: string }[]>`
      SELECT id::text AS id, status::text AS status FROM detections
       WHERE id = ANY(${detectionIds}::uuid[])
       ORDER BY id
         FOR UPDATE`;
    return new Map(rows.map((r) => [r.id, r.status]));
  }

  /**
   * What screening needs of each detection, read once its row is locked (a statement of its own: it then sees
   * all that a transaction holding the lock before, such as a late evidence upload, committed): the row, its
   * station's code, its device with certificates, its evidence.
   */
  async load(tx: Tx, detectionIds: readonly string[]): Promise<DetectionForScreening[]> {
    const rows = await tx.$queryRaw<RawDetection[]>`
      SELECT d.id::text AS id, d.status::text AS status, d.station_id::text AS station_id, s.code AS station_code,
             d.station_detection_id, d.plate, d.plate_colour::text AS plate_colour, d.detected_at, d.received_at,
             d.axle_count,
             d.gross_mass_kg, d.axle_loads_kg, d.length_mm, d.width_mm, d.height_mm, d.raw,
             (SELECT json_build_object(
                       'code', v.code, 'accuracyClass', v.accuracy_class,
                       'tolerancePercent', v.tolerance_percent::text,
                       'legalReviewDate', v.legal_review_date, 'technicalReviewDate', v.technical_review_date,
                       'publishedDate', v.published_date,
                       'certificates', (SELECT coalesce(json_agg(json_build_object(
                                                 'certificateNo', c.certificate_no, 'validFrom', c.valid_from,
                                                 'validTo', c.valid_to)), '[]'::json)
                                          FROM calibration_certificates c WHERE c.device_id = v.id))
                FROM devices v WHERE v.id = d.device_id) AS device,
             (SELECT coalesce(json_agg(json_build_object('kind', e.kind, 'integrityStatus', e.integrity_status)),
                              '[]'::json)
                FROM evidence_objects e WHERE e.detection_id = d.id) AS evidence
        FROM detections d JOIN stations s ON s.id = d.station_id
       WHERE d.id = ANY(${detectionIds}::uuid[])`;
    return rows.map((r) => ({
      id: r.id,
      status: r.status,
      stationId: r.station_id,
      stationCode: r.station_code,
      stationDetectionId: r.station_detection_id,
      plate: r.plate,
      plateColour: r.plate_colour,
      detectedAt: r.detected_at,
      receivedAt: r.received_at,
      axleCount: r.axle_count,
      grossMassKg: r.gross_mass_kg,
      axleLoadsKg: r.axle_loads_kg,
      lengthMm: r.length_mm,
      widthMm: r.width_mm,
      heightMm: r.height_mm,
      raw: r.raw,
      device: r.device && {
        code: r.device.code,
        accuracyClass: r.device.accuracyClass,
        tolerancePercent: r.device.tolerancePercent,
        legalReviewDate: day(r.device.legalReviewDate),
        technicalReviewDate: day(r.device.technicalReviewDate),
        publishedDate: day(r.device.publishedDate),
        certificates: r.device.certificates.map((c) => ({
          certificateNo: c.certificateNo,
          validFrom: day(c.validFrom)!,
          validTo: day(c.validTo)!,
        })),
      },
      evidence: r.evidence,
    }));
  }

  /**
   * Takes the trip locks (until commit; in the order of the lock values, so that two transactions taking
   * overlapping sets cannot deadlock), so that two detections of one trip screened at once cannot both find
   * no lead and create two; and reads, in the same round trip, the permits on record for `permitPlates` and
   * the registered vehicles of `vehiclePlates` (neither is what the locks protect).
   */
  async lockTripsAndRead(
    tx: Tx,
    tripKeys: readonly string[],
    permitPlates: readonly string[],
    vehiclePlates: readonly string[],
  ): Promise<{
    permits: PermitRow[];
    vehicles: { id: string; plate: string; plateColour: string; ownerPartyId: string | null }[];
  }> {
    const [row] = await tx.$queryRaw<{ locks: number; permits: RawPermit[]; vehicles: RawVehicle[] }[]>`
      SELECT (SELECT count(*)::int FROM (
                SELECT pg_advisory_xact_lock(h) FROM (
                  SELECT DISTINCT hashtext(k) AS h FROM unnest(${tripKeys}::text[]) AS k ORDER BY 1) ordered) taken
             ) AS locks,
             (SELECT coalesce(json_agg(json_build_object('permitNo', p.permit_no, 'plate', p.plate,
                       'validFrom', p.valid_from, 'validTo', p.valid_to, 'maxGrossMassKg', p.max_gross_mass_kg)),
                     '[]'::json)
                FROM oversize_permits p WHERE p.plate = ANY(${permitPlates}::text[])) AS permits,
             (SELECT coalesce(json_agg(json_build_object('id', v.id, 'plate', v.plate,
                       'plateColour', v.plate_colour, 'ownerPartyId', v.owner_party_id)), '[]'::json)
                FROM vehicles v WHERE v.plate = ANY(${vehiclePlates}::text[])) AS vehicles`;
    return {
      permits: row!.permits.map((p) => ({ ...p, validFrom: day(p.validFrom)!, validTo: day(p.validTo)! })),
      vehicles: row!.vehicles,
    };
  }

  /**
   * Leads at the given stations and plates whose first detection lies within [from, to] of the trip, with
   * their detections. Read after the trip locks are held (a statement of its own: it must see what the
   * transaction that held a lock before committed).
   */
  async tripsNear(
    tx: Tx,
    trips: readonly { stationId: string; plate: string; from: Date; to: Date }[],
  ): Promise<LeadTripRow[]> {
    const rows = await tx.$queryRaw<RawTrip[]>`
      SELECT DISTINCT ON (l.id) l.id::text AS id, l.station_id::text AS station_id, l.plate,
             l.plate_colour::text AS plate_colour, l.violation_at,
             (SELECT coalesce(json_agg(json_build_object('id', d.id, 'detectedAt', d.detected_at)), '[]'::json)
                FROM lead_detections ld JOIN detections d ON d.id = ld.detection_id
               WHERE ld.lead_id = l.id) AS detections
        FROM unnest(${trips.map((t) => t.stationId)}::uuid[], ${trips.map((t) => t.plate)}::text[],
                    ${trips.map((t) => t.from)}::timestamptz[], ${trips.map((t) => t.to)}::timestamptz[])
               AS t(station_id, plate, "from", "to")
        JOIN leads l ON l.station_id = t.station_id AND l.plate = t.plate
                    AND l.violation_at >= t."from" AND l.violation_at <= t."to"`;
    return rows.map((r) => ({
      id: r.id,
      stationId: r.station_id,
      plate: r.plate,
      plateColour: r.plate_colour,
      violationAt: r.violation_at,
      detections: r.detections.map((d) => ({ id: d.id, detectedAt: new Date(d.detectedAt) })),
    }));
  }

  /**
   * Every write of the transaction in ONE statement: the outcomes on the detections, the new leads, the
   * links of detections to leads, the outbox rows marked processed and the audit events (numbered in the
   * order given).
   */
  async write(tx: Tx, w: ScreeningWrites): Promise<void> {
    const o = w.outcomes;
    const l = w.leads;
    const a = w.audits;
    await tx.$executeRaw`
      WITH outcome AS (
        UPDATE detections d
           SET status = 'screened', outcome = x.outcome::detection_outcome, reasons = x.reasons::jsonb,
               rules = x.rules::jsonb, screened_at = ${w.screenedAt}::timestamptz, duplicate_of_id = x.duplicate_of
          FROM unnest(${o.map((x) => x.detectionId)}::uuid[], ${o.map((x) => x.outcome)}::text[],
                      ${o.map((x) => jsonText(x.reasons))}::text[], ${o.map((x) => jsonText(x.rules))}::text[],
                      ${o.map((x) => x.duplicateOfId)}::uuid[])
                 AS x(id, outcome, reasons, rules, duplicate_of)
         WHERE d.id = x.id
      ), lead AS (
        INSERT INTO leads (id, status, station_id, vehicle_id, owner_unknown, plate, plate_colour, violation_at,
          axle_count, gross_mass_kg, limit_kg, tolerance_kg, excess_kg, proposed_penalty_kind, proposed_amount,
          proposed_basis, rules, updated_at)
        SELECT x.id, 'pending_review', x.station_id, x.vehicle_id, x.owner_unknown, x.plate,
               x.plate_colour::plate_colour, x.violation_at, x.axle_count, x.gross_mass_kg, x.limit_kg,
               x.tolerance_kg, x.excess_kg, x.penalty_kind::penalty_kind, x.amount, x.basis::jsonb,
               x.rules::jsonb, now()
          FROM unnest(${l.map((x) => x.id)}::uuid[], ${l.map((x) => x.stationId)}::uuid[],
                      ${l.map((x) => x.vehicleId)}::uuid[], ${l.map((x) => x.ownerUnknown)}::boolean[],
                      ${l.map((x) => x.plate)}::text[], ${l.map((x) => x.plateColour)}::text[],
                      ${l.map((x) => x.violationAt)}::timestamptz[], ${l.map((x) => x.axleCount)}::int[],
                      ${l.map((x) => x.grossMassKg)}::int[], ${l.map((x) => x.limitKg)}::int[],
                      ${l.map((x) => x.toleranceKg)}::int[], ${l.map((x) => x.excessKg)}::int[],
                      ${l.map((x) => x.penaltyKind)}::text[],
                      ${l.map((x) => (x.amountYuan === null ? null : String(x.amountYuan)))}::numeric[],
                      ${l.map((x) => jsonText(x.basis))}::text[], ${l.map((x) => jsonText(x.rules))}::text[])
                 AS x(id, station_id, vehicle_id, owner_unknown, plate, plate_colour, violation_at, axle_count,
                      gross_mass_kg, limit_kg, tolerance_kg, excess_kg, penalty_kind, amount, basis, rules)
      ), link AS (
        INSERT INTO lead_detections (lead_id, detection_id)
        SELECT x.lead_id, x.detection_id
          FROM unnest(${w.links.map((x) => x.leadId)}::uuid[], ${w.links.map((x) => x.detectionId)}::uuid[])
                 AS x(lead_id, detection_id)
      ), outbox AS (
        UPDATE intake_outbox SET processed_at = ${w.screenedAt}::timestamptz
         WHERE detection_id = ANY(${w.processed}::uuid[]) AND processed_at IS NULL
      ), audit AS (
        INSERT INTO audit_events (occurred_at, actor_id, actor_kind, action, entity_type, entity_id, request_id,
          digest, payload)
        SELECT x.occurred_at, x.actor_id, x.actor_kind::actor_kind, x.action, x.entity_type, x.entity_id,
               x.request_id, x.digest, x.payload::jsonb
          FROM unnest(${a.map((x) => x.occurredAt)}::timestamptz[], ${a.map((x) => x.actorId)}::uuid[],
                      ${a.map((x) => x.actorKind)}::text[], ${a.map((x) => x.action)}::text[],
                      ${a.map((x) => x.entityType)}::text[], ${a.map((x) => x.entityId)}::text[],
                      ${a.map((x) => x.requestId)}::text[], ${a.map((x) => x.digest)}::text[],
                      ${a.map((x) => (x.payload === null ? null : JSON.stringify(x.payload)))}::text[])
                 WITH ORDINALITY
                 AS x(occurred_at, actor_id, actor_kind, action, entity_type, entity_id, request_id, digest,
                      payload, n)
         ORDER BY x.n
      )
      SELECT 1`;
  }
}

interface RawDetection {
  id: string;
  status: string;
  station_id: string;
  station_code: string;
  station_detection_id: string;
  plate: string;
  plate_colour: string | null;
  detected_at: Date;
  received_at: Date;
  axle_count: number;
  gross_mass_kg: number;
  axle_loads_kg: number[];
  length_mm: number | null;
  width_mm: number | null;
  height_mm: number | null;
  raw: unknown;
  device: {
    code: string;
    accuracyClass: string | null;
    tolerancePercent: string | null;
    legalReviewDate: string | null;
    technicalReviewDate: string | null;
    publishedDate: string | null;
    certificates: { certificateNo: string; validFrom: string; validTo: string }[];
  } | null;
  evidence: { kind: string; integrityStatus: string }[];
}

interface RawPermit {
  permitNo: string | null;
  plate: string;
  validFrom: string;
  validTo: string;
  maxGrossMassKg: number | null;
}

interface RawVehicle {
  id: string;
  plate: string;
  plateColour: string;
  ownerPartyId: string | null;
}

interface RawTrip {
  id: string;
  station_id: string;
  plate: string;
  plate_colour: string | null;
  violation_at: Date;
  detections: { id: string; detectedAt: string }[];
}

/** Plain JSON for a Json column (drops undefined, as the audit trail does). */
export const json = (value: unknown): Prisma.InputJsonValue =>
  JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
