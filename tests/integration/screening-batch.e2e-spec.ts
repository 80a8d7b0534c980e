import { createHash } from 'node:crypto';
import { createPrismaClient, dropDatabase, type PrismaClient } from '@ecc/shared-data';
import type { AppConfig } from '@ecc/shared-config';
import { systemClock } from '@ecc/shared-kernel';
import { LegalBasisRepository } from '@ecc/legal-data';
import { DetectionScreeningRepository } from '@ecc/screening-data';
import {
  LegalCatalogueProvider,
  ScreenDetectionUseCase,
  ScreeningPolicyProvider,
  type ScreeningResultOf,
} from '@ecc/screening-feature';
import { createTestDatabase } from '../support/test-app';

/**
 * Several detections screened in one transaction (the worker batches the jobs that arrive together), against
 * a real database: each gets the outcome, lead and audit events it would get alone, detections of one trip
 * collapse into one lead within the batch and across concurrent batches, and a detection that cannot be
 * screened does not hold back the others.
 */
describe('screening several detections in one transaction', () => {
  let url: string;
  let db: PrismaClient;
  let useCase: ScreenDetectionUseCase;
  let stationId: string;
  let deviceId: string;
  let seq = 0;

  const sha = (s: string) => createHash('sha256').update(s).digest('hex');

  async function detection(plate: string, grossKg: number, detectedAt: string): Promise<string> {
    const stationDetectionId = `BATCH-${++seq}`;
    const raw = {
      detectionId: stationDetectionId,
      deviceCode: 'WIM-01',
      detectedAt,
      plate: { number: plate, color: 'yellow' },
      vehicle: { axleCount: 6, combination: true, singleDriveAxle: false, singleTyreAxles: 0 },
    };
    const loads = [grossKg - 5 * Math.floor(grossKg / 6), ...Array(5).fill(Math.floor(grossKg / 6))];
    const [row] = await db.$queryRawUnsafe<{ id: string }[]>(
      `INSERT INTO detections (id, station_id, device_id, station_detection_id, body_digest, plate, plate_colour,
         detected_at, axle_count, gross_mass_kg, axle_loads_kg, length_mm, width_mm, height_mm, lane_no, raw)
       VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3, $4, $5, 'yellow', $6::timestamptz, 6, $7, $8::int[],
               16500, 2550, 3950, 2, $9::jsonb)
       RETURNING id::text AS id`,
      stationId,
      deviceId,
      stationDetectionId,
      sha(stationDetectionId),
      plate,
      detectedAt,
      grossKg,
      loads,
      JSON.stringify(raw),
    );
    const id = row!.id;
    for (const kind of ['plate_front', 'plate_rear', 'side']) {
      await db.$executeRawUnsafe(
        `INSERT INTO evidence_objects (id, bucket, key, sha256, size_bytes, content_type, kind, integrity_status,
           detection_id)
         VALUES (gen_random_uuid(), 'b', $1, $2, 10, 'image/jpeg', $3::evidence_kind, 'intact', $4::uuid)`,
        `k/${id}/${kind}`,
        sha(`${id}${kind}`),
        kind,
        id,
      );
    }
    await db.$executeRawUnsafe(
      `INSERT INTO intake_outbox (id, detection_id, enqueued_at) VALUES (gen_random_uuid(), $1::uuid, now())`,
      id,
    );
    return id;
  }

  const report = (results: Map<string, ScreeningResultOf>, id: string) => {
    const result = results.get(id);
    if (!result || 'error' in result) throw new Error(`no report for ${id}: ${JSON.stringify(result)}`);
    return result.report;
  };

  async function stored(id: string) {
    const [row] = await db.$queryRawUnsafe<
      {
        status: string;
        outcome: string;
        duplicate_of_id: string | null;
        lead_id: string | null;
        processed: boolean;
      }[]
    >(
      `SELECT d.status::text AS status, d.outcome::text AS outcome, d.duplicate_of_id::text AS duplicate_of_id,
              ld.lead_id::text AS lead_id, o.processed_at IS NOT NULL AS processed
         FROM detections d LEFT JOIN lead_detections ld ON ld.detection_id = d.id
         JOIN intake_outbox o ON o.detection_id = d.id WHERE d.id = $1::uuid`,
      id,
    );
    return row!;
  }

  async function auditsOf(...entityIds: string[]) {
    return db.$queryRawUnsafe<{ action: string; entity_id: string }[]>(
      `SELECT action, entity_id FROM audit_events WHERE entity_id = ANY($1::text[]) ORDER BY id`,
      entityIds,
    );
  }

  beforeAll(async () => {
    url = await createTestDatabase('screeningbatch');
    db = createPrismaClient(url, { poolSize: 4 });
    const [station] = await db.$queryRawUnsafe<{ id: string }[]>(
      `INSERT INTO stations (id, code, name, updated_at) VALUES (gen_random_uuid(), 'S-BATCH', 'batch', now())
       RETURNING id::text AS id`,
    );
    stationId = station!.id;
    const [device] = await db.$queryRawUnsafe<{ id: string }[]>(
      `INSERT INTO devices (id, station_id, code, kind, accuracy_class, legal_review_date, technical_review_date,
         published_date, updated_at)
       VALUES (gen_random_uuid(), $1::uuid, 'WIM-01', 'wim', '5', '2024-01-10', '2024-01-12', '2024-01-15', now())
       RETURNING id::text AS id`,
      stationId,
    );
    deviceId = device!.id;
    await db.$executeRawUnsafe(
      `INSERT INTO calibration_certificates (id, device_id, certificate_no, issuer, valid_from, valid_to)
       VALUES (gen_random_uuid(), $1::uuid, 'JD-BATCH', 'issuer', '2024-01-01', '2025-12-31')`,
      deviceId,
    );
    const config = { bureau: { timeZone: 'Asia/Shanghai' } } as AppConfig;
    useCase = new ScreenDetectionUseCase(
      db,
      systemClock,
      new DetectionScreeningRepository(),
      new ScreeningPolicyProvider(config, systemClock),
      new LegalCatalogueProvider(systemClock, new LegalBasisRepository(db)),
    );
  });

  afterAll(async () => {
    await db?.$disconnect();
    if (url) await dropDatabase(url);
  });

  it('gives each detection of a batch its own outcome, one lead per trip, and fails only a missing one', async () => {
    const first = await detection('湘F10001', 58_200, '2024-11-05T08:31:12+08:00');
    const second = await detection('湘F10001', 57_000, '2024-11-05T08:33:00+08:00');
    const third = await detection('湘F10001', 59_000, '2024-11-05T08:29:00+08:00');
    const under = await detection('湘F10002', 40_000, '2024-11-05T08:31:12+08:00');
    const missing = '00000000-0000-4000-8000-000000000001';

    const results = await useCase.executeMany([second, first, under, missing, third, first]);

    expect(results.size).toBe(5);
    expect(results.get(missing)).toEqual({ error: expect.objectContaining({ code: 'detection_not_found' }) });
    expect(report(results, under)).toMatchObject({
      screenedNow: true,
      outcome: 'no_violation',
      leadId: null,
    });
    // Earliest detection first: the lead is the 08:29 detection's, the two later ones join it.
    const lead = report(results, third);
    expect(lead).toMatchObject({ screenedNow: true, outcome: 'lead', joinedLead: false, plate: '湘F10001' });
    for (const id of [first, second]) {
      expect(report(results, id)).toMatchObject({ outcome: 'lead', joinedLead: true, leadId: lead.leadId });
      expect(await stored(id)).toEqual({
        status: 'screened',
        outcome: 'lead',
        duplicate_of_id: third,
        lead_id: lead.leadId,
        processed: true,
      });
    }
    expect(await stored(under)).toMatchObject({
      status: 'screened',
      outcome: 'no_violation',
      processed: true,
    });
    const [row] = await db.$queryRawUnsafe<{ gross_mass_kg: number; n: number }[]>(
      `SELECT l.gross_mass_kg, (SELECT count(*)::int FROM lead_detections WHERE lead_id = l.id) AS n
         FROM leads l WHERE l.plate = '湘F10001'`,
    );
    expect(row).toEqual({ gross_mass_kg: 59_000, n: 3 });
    expect(await auditsOf(third, lead.leadId!)).toEqual([
      { action: 'lead.created', entity_id: lead.leadId },
      { action: 'detection.screened', entity_id: third },
    ]);
    expect((await auditsOf(first, second, under)).map((a) => a.action)).toEqual([
      'detection.screened',
      'detection.screened',
      'detection.screened',
    ]);

    // Screened again (a redelivered job): nothing changes, no audit event is added.
    const again = await useCase.executeMany([first, under]);
    expect(report(again, first)).toMatchObject({ screenedNow: false, leadId: null });
    expect(await auditsOf(first, under)).toHaveLength(2);
  });

  it('collapses one trip screened in two concurrent batches into one lead, without deadlocking', async () => {
    const a1 = await detection('湘F20001', 60_000, '2024-11-06T10:00:00+08:00');
    const a2 = await detection('湘F20001', 60_500, '2024-11-06T10:02:00+08:00');
    const b1 = await detection('湘F20002', 60_000, '2024-11-06T10:00:00+08:00');
    const b2 = await detection('湘F20002', 60_500, '2024-11-06T10:02:00+08:00');
    // Each batch holds one detection of each trip, in opposite orders.
    const [x, y] = await Promise.all([useCase.executeMany([a1, b2]), useCase.executeMany([b1, a2])]);
    const leadOf = (id: string) => report(x.has(id) ? x : y, id).leadId;
    expect(leadOf(a1)).toBe(leadOf(a2));
    expect(leadOf(b1)).toBe(leadOf(b2));
    const [{ n }] = (await db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM leads WHERE plate IN ('湘F20001', '湘F20002')`,
    )) as [{ n: number }];
    expect(n).toBe(2);
  });
});
