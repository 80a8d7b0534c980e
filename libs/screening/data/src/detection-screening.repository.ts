import type { PoolClient } from 'pg';
import type { AuditRowValues } from '@ecc/audit-data';
import { pgPoolOf, type Prisma, type PrismaClient } from '@ecc/shared-data';
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

/** The connection of one screening transaction (see `DetectionScreeningRepository.transaction`). */
export type ScreeningDb = Pick<PoolClient, 'query'>;

/** A named statement: Postgres parses and plans it once per connection, not on every execution. */
async function run<R extends object>(
  db: ScreeningDb,
  name: string,
  text: string,
  values: unknown[],
): Promise<R[]> {
  const { rows } = await db.query<R>({ name: `screening.${name}.v1`, text, values });
  return rows;
}

/**
 * What screening reads and writes of detections, always inside the screening transaction, in as few
 * statements as possible (each one is a round trip; the rules themselves cost next to nothing): one to lock
 * the detections, one to read them, one to write every outcome, lead, link, outbox row and audit event; for leads,
 * one to take the trip locks (with permits and registered vehicles) and one to read the open trips.
 *
 * The statements are named (prepared): they run hundreds of times a second, and Prisma sends every query unnamed,
 * so Postgres parsed and planned each of them every time — inside Prisma's interactive transaction, whose own
 * machinery cost the worker more than the rules. The transaction is therefore one of node-postgres's on the Prisma
 * client's pool (`transaction`): same connections, same limits (statement and idle-in-transaction timeouts).
 */
export class DetectionScreeningRepository {
  /**
   * `work` in one transaction on a connection of the client's pool: committed when it resolves, rolled back when
   * it throws (and the error rethrown). A connection that failed under it is dropped, not lent again.
   */
  async transaction<T>(prisma: PrismaClient, work: (db: ScreeningDb) => Promise<T>): Promise<T> {
    const client = await pgPoolOf(prisma).connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // After a failed COMMIT no transaction is open and ROLLBACK only warns; a ROLLBACK that fails is a
      // connection that failed.
      await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** The versions of a policy (the screening policy's provider reads them inside the transaction). */
  async policyVersions(
    db: ScreeningDb,
    key: string,
  ): Promise<{ value: unknown; validFrom: Date; validTo: Date | null }[]> {
    const rows = await run<{ value: unknown; valid_from: Date; valid_to: Date | null }>(
      db,
      'policy_versions',
      'SELECT value, valid_from, valid_to FROM policies WHERE key = $1 ORDER BY valid_from DESC',
      [key],
    );
    return rows.map((r) => ({ value: r.value, validFrom: r.valid_from, validTo: r.valid_to }));
  }

  /**
   * Locks the detections' rows for the rest of the transaction (in id order, so that two transactions
   * locking overlapping sets cannot deadlock): a job run twice (redelivery, sweeper) waits here and then sees
   * its detection screened. Returns the status of each detection found.
   */
  async lock(db: ScreeningDb, detectionIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await run<{ id: string; status: string }>(
      db,
      'lock',
      `SELECT id::text AS id, status::text AS status FROM detections
        WHERE id = ANY($1::uuid[])
        ORDER BY id
          FOR UPDATE`,
      [detectionIds],
    );
    return new Map(rows.map((r) => [r.id, r.status]));
  }

  /**
   * What screening needs of each detection, read once its row is locked (a statement of its own: it then sees
   * all that a transaction holding the lock before, such as a late evidence upload, committed): the row, its
   * station's code, its device with certificates, its evidence.
   */
  async load(db: ScreeningDb, detectionIds: readonly string[]): Promise<DetectionForScreening[]> {
    const rows = await run<RawDetection>(
      db,
      'load',
      `
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
       WHERE d.id = ANY($1::uuid[])`,
      [detectionIds],
    );
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
    db: ScreeningDb,
    tripKeys: readonly string[],
    permitPlates: readonly string[],
    vehiclePlates: readonly string[],
  ): Promise<{
    permits: PermitRow[];
    vehicles: { id: string; plate: string; plateColour: string; ownerPartyId: string | null }[];
  }> {
    const [row] = await run<{ locks: number; permits: RawPermit[]; vehicles: RawVehicle[] }>(
      db,
      'lock_trips',
      `
      SELECT (SELECT count(*)::int FROM (
                SELECT pg_advisory_xact_lock(h) FROM (
                  SELECT DISTINCT hashtext(k) AS h FROM unnest($1::text[]) AS k ORDER BY 1) ordered) taken
             ) AS locks,
             (SELECT coalesce(json_agg(json_build_object('permitNo', p.permit_no, 'plate', p.plate,
                       'validFrom', p.valid_from, 'validTo', p.valid_to, 'maxGrossMassKg', p.max_gross_mass_kg)),
                     '[]'::json)
                FROM oversize_permits p WHERE p.plate = ANY($2::text[])) AS permits,
             (SELECT coalesce(json_agg(json_build_object('id', v.id, 'plate', v.plate,
                       'plateColour', v.plate_colour, 'ownerPartyId', v.owner_party_id)), '[]'::json)
                FROM vehicles v WHERE v.plate = ANY($3::text[])) AS vehicles`,
      [tripKeys, permitPlates, vehiclePlates],
    );
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
    db: ScreeningDb,
    trips: readonly { stationId: string; plate: string; from: Date; to: Date }[],
  ): Promise<LeadTripRow[]> {
    const rows = await run<RawTrip>(
      db,
      'trips_near',
      `SELECT DISTINCT ON (l.id) l.id::text AS id, l.station_id::text AS station_id, l.plate,
             l.plate_colour::text AS plate_colour, l.violation_at,
             (SELECT coalesce(json_agg(json_build_object('id', d.id, 'detectedAt', d.detected_at)), '[]'::json)
                FROM lead_detections ld JOIN detections d ON d.id = ld.detection_id
               WHERE ld.lead_id = l.id) AS detections
        FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[])
               AS t(station_id, plate, "from", "to")
        JOIN leads l ON l.station_id = t.station_id AND l.plate = t.plate
                    AND l.violation_at >= t."from" AND l.violation_at <= t."to"`,
      [
        trips.map((t) => t.stationId),
        trips.map((t) => t.plate),
        trips.map((t) => t.from),
        trips.map((t) => t.to),
      ],
    );
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
  async write(db: ScreeningDb, w: ScreeningWrites): Promise<void> {
    const o = w.outcomes;
    const l = w.leads;
    const a = w.audits;
    await run(
      db,
      'write',
      `
      WITH outcome AS (
        UPDATE detections d
           SET status = 'screened', outcome = x.outcome::detection_outcome, reasons = x.reasons::jsonb,
               rules = x.rules::jsonb, screened_at = $1::timestamptz, duplicate_of_id = x.duplicate_of
          FROM unnest($2::uuid[], $3::text[],
                      $4::text[], $5::text[],
                      $6::uuid[])
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
          FROM unnest($7::uuid[], $8::uuid[],
                      $9::uuid[], $10::boolean[],
                      $11::text[], $12::text[],
                      $13::timestamptz[], $14::int[],
                      $15::int[], $16::int[],
                      $17::int[], $18::int[],
                      $19::text[],
                      $20::numeric[],
                      $21::text[], $22::text[])
                 AS x(id, station_id, vehicle_id, owner_unknown, plate, plate_colour, violation_at, axle_count,
                      gross_mass_kg, limit_kg, tolerance_kg, excess_kg, penalty_kind, amount, basis, rules)
      ), link AS (
        INSERT INTO lead_detections (lead_id, detection_id)
        SELECT x.lead_id, x.detection_id
          FROM unnest($23::uuid[], $24::uuid[])
                 AS x(lead_id, detection_id)
      ), outbox AS (
        UPDATE intake_outbox SET processed_at = $25::timestamptz
         WHERE detection_id = ANY($26::uuid[]) AND processed_at IS NULL
      ), audit AS (
        INSERT INTO audit_events (occurred_at, actor_id, actor_kind, action, entity_type, entity_id, request_id,
          digest, payload)
        SELECT x.occurred_at, x.actor_id, x.actor_kind::actor_kind, x.action, x.entity_type, x.entity_id,
               x.request_id, x.digest, x.payload::jsonb
          FROM unnest($27::timestamptz[], $28::uuid[],
                      $29::text[], $30::text[],
                      $31::text[], $32::text[],
                      $33::text[], $34::text[],
                      $35::text[])
                 WITH ORDINALITY
                 AS x(occurred_at, actor_id, actor_kind, action, entity_type, entity_id, request_id, digest,
                      payload, n)
         ORDER BY x.n
      )
      SELECT 1`,
      [
        w.screenedAt,
        o.map((x) => x.detectionId),
        o.map((x) => x.outcome),
        o.map((x) => jsonText(x.reasons)),
        o.map((x) => jsonText(x.rules)),
        o.map((x) => x.duplicateOfId),
        l.map((x) => x.id),
        l.map((x) => x.stationId),
        l.map((x) => x.vehicleId),
        l.map((x) => x.ownerUnknown),
        l.map((x) => x.plate),
        l.map((x) => x.plateColour),
        l.map((x) => x.violationAt),
        l.map((x) => x.axleCount),
        l.map((x) => x.grossMassKg),
        l.map((x) => x.limitKg),
        l.map((x) => x.toleranceKg),
        l.map((x) => x.excessKg),
        l.map((x) => x.penaltyKind),
        l.map((x) => (x.amountYuan === null ? null : String(x.amountYuan))),
        l.map((x) => jsonText(x.basis)),
        l.map((x) => jsonText(x.rules)),
        w.links.map((x) => x.leadId),
        w.links.map((x) => x.detectionId),
        w.screenedAt,
        w.processed,
        a.map((x) => x.occurredAt),
        a.map((x) => x.actorId),
        a.map((x) => x.actorKind),
        a.map((x) => x.action),
        a.map((x) => x.entityType),
        a.map((x) => x.entityId),
        a.map((x) => x.requestId),
        a.map((x) => x.digest),
        a.map((x) => (x.payload === null ? null : JSON.stringify(x.payload))),
      ],
    );
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
