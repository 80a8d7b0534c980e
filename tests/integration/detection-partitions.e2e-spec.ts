import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'pg';
import { auditRow } from '@ecc/audit-data';
import { missedAlertsStatement } from '@ecc/fences-data';
import { systemActor } from '@ecc/identity-domain';
import { DetectionRetentionRepository, DetectionsRepository, newDetectionId } from '@ecc/intake-data';
import { DetectionPartitionMaintainer, DetectionRetentionTask } from '@ecc/intake-feature';
import type { DetectionForm } from '@ecc/intake-domain';
import { MinioObjectStorage, startLocalS3Server, type LocalS3Server } from '@ecc/platform-nest';
import type { AppConfig } from '@ecc/shared-config';
import {
  createPrismaClient,
  DETECTIONS_BY_MONTH,
  dropDatabase,
  migrate,
  monthPartitions,
  MonthlyPartitionsRepository,
  Prisma,
  uuidv7Floor,
  type PrismaClient,
} from '@ecc/shared-data';
import { createScratchDatabase, MIGRATIONS_DIR, withClient } from '../support/database';

/**
 * `detections` partitioned by month of receipt (migration 20261207020000): the migration on a database that
 * already holds detections, the worker's months ahead (also around the old random ids), idempotent intake across
 * a month's end, and the retention — which removes an expired no-violation detection with its photograph and
 * keeps a lead's detection, its evidence and the statistics of the past.
 */
describe('detections by month', () => {
  const DAY = 86_400_000;
  const now = new Date();
  const monthStart = (n: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + n, 1));
  const partitionsOf = (db: Client) =>
    db
      .query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = 'detections'::regclass ORDER BY 1`,
      )
      .then((r) => r.rows.map((x) => x.name));
  /** Where a row is stored (the partition's name). */
  const partitionOf = (db: Client, id: string) =>
    db
      .query<{ p: string }>(`SELECT tableoid::regclass::text AS p FROM detections WHERE id = $1`, [id])
      .then((r) => r.rows[0]?.p ?? null);
  /** The statistics' detection counts (kept rows plus deltas not folded yet), by outcome. */
  const counted = (db: Client) =>
    db
      .query<{ outcome: string; n: string }>(
        `SELECT outcome, sum(n)::text AS n FROM (
           SELECT outcome, detections AS n FROM statistics_detection_counts
           UNION ALL SELECT outcome, delta FROM statistics_detection_deltas) x GROUP BY 1 ORDER BY 1`,
      )
      .then((r) => Object.fromEntries(r.rows.map((x) => [x.outcome, Number(x.n)])));

  const form = (detectionId: string, plate = '湘A12345'): DetectionForm =>
    ({
      detectionId,
      deviceCode: 'DEV-1',
      detectedAt: now.toISOString(),
      lane: 1,
      plate: { number: plate, color: 'yellow' },
      vehicle: { axleCount: 6, combination: true, lengthMm: 18000, widthMm: 2550, heightMm: 4000 },
      weighing: { grossKg: 40000, axleLoadsKg: [7000, 7000, 6500, 6500, 6500, 6500], speedKmh: 60 },
      evidence: [],
    }) as unknown as DetectionForm;

  describe('the migration on a database with detections', () => {
    let url: string;
    let dir: string;
    afterAll(async () => {
      await dropDatabase(url);
      rmSync(dir, { recursive: true, force: true });
    });

    it('moves every detection and its key, keeps the counts, and makes months around the old random ids', async () => {
      url = await createScratchDatabase('detections_migration');
      // The migrations before this one.
      dir = mkdtempSync(join(tmpdir(), 'ecc-migrations-'));
      cpSync(MIGRATIONS_DIR, dir, {
        recursive: true,
        filter: (src) => !/2026120702\d{4}_detections_by_month/.test(src),
      });
      await migrate(url, undefined, { migrationsDir: dir });
      const legacy: string[] = Array.from({ length: 40 }, () => randomUUID());
      // One old random id that falls inside the range of the month five ahead, as some do.
      const inFutureMonth = `${uuidv7Floor(new Date(monthStart(5).getTime() + 7 * DAY)).slice(0, 14)}4abc-8def-0123456789ab`;
      legacy.push(inFutureMonth);
      const before = await withClient(url, async (db) => {
        const station = randomUUID();
        await db.query(
          `INSERT INTO stations (id, code, name, updated_at) VALUES ($1, 'ST-M', 'ST-M', now())`,
          [station],
        );
        for (const [i, id] of legacy.entries()) {
          await db.query(
            `INSERT INTO detections (id, station_id, station_detection_id, body_digest, status, outcome, plate,
               detected_at, axle_count, gross_mass_kg, axle_loads_kg, raw)
             VALUES ($1, $2, $3, repeat('0', 64), 'screened', $4::detection_outcome, '湘A00001', now(), 6, 40000,
               '{}', '{}')`,
            [id, station, `OLD-${i}`, i % 4 === 0 ? 'invalid' : 'no_violation'],
          );
          await db.query(`INSERT INTO intake_outbox (id, detection_id) VALUES ($1, $2)`, [randomUUID(), id]);
        }
        return { station, counts: await counted(db) };
      });

      await migrate(url);

      await withClient(url, async (db) => {
        expect(
          (await db.query(`SELECT relkind FROM pg_class WHERE relname = 'detections'`)).rows[0].relkind,
        ).toBe('p');
        const stored = await db.query<{ id: string }>(`SELECT id::text AS id FROM detections ORDER BY id`);
        expect(stored.rows.map((r) => r.id)).toEqual([...legacy].sort());
        expect(Number((await db.query(`SELECT count(*) FROM detection_keys`)).rows[0].count)).toBe(
          legacy.length,
        );
        expect(Number((await db.query(`SELECT count(*) FROM intake_outbox`)).rows[0].count)).toBe(
          legacy.length,
        );
        // The random ids in the default partition (one of them outside every month made so far).
        expect(await partitionOf(db, inFutureMonth)).toBe('detections_default');
        expect(await counted(db)).toEqual(before.counts);
      });

      // Intake still answers a repeat of an old detection as the same one.
      const prisma = createPrismaClient(url, { poolSize: 2 });
      try {
        const detections = new DetectionsRepository(prisma);
        expect(await detections.findIdentityNow(before.station, 'OLD-3')).toEqual({
          id: legacy[3],
          bodyDigest: '0'.repeat(64),
        });
        // The worker makes the month five ahead around the old id in its range, which stays where it is.
        const partitions = new MonthlyPartitionsRepository(prisma, DETECTIONS_BY_MONTH);
        const ensured = await partitions.ensure(monthPartitions('detections', now, 5));
        expect(ensured?.refused).toEqual([]);
        expect(ensured?.created).toEqual(monthPartitions('detections', monthStart(4), 1).map((m) => m.name));
        await withClient(url, async (db) => {
          const fifth = monthPartitions('detections', monthStart(5), 0)[0]!.name;
          expect((await partitionsOf(db)).filter((n) => n.startsWith(fifth))).toEqual([fifth, `${fifth}_1`]);
          expect(await partitionOf(db, inFutureMonth)).toBe('detections_default');
          // A new detection of that month lands in it, not in the default partition.
          const id = newDetectionId(new Date(monthStart(5).getTime() + 9 * DAY));
          await db.query(
            `INSERT INTO detections (id, station_id, station_detection_id, body_digest, plate, detected_at,
               axle_count, gross_mass_kg, raw) VALUES ($1, $2, 'NEW-1', repeat('0', 64), '湘A1', now(), 6, 1, '{}')`,
            [id, before.station],
          );
          expect((await partitionOf(db, id))?.startsWith(fifth)).toBe(true);
        });
        expect(await partitions.rowsOutsideMonths()).toBe(0);
      } finally {
        await prisma.$disconnect();
      }
    });
  });

  describe('on a migrated database', () => {
    let url: string;
    let prisma: PrismaClient;
    let s3: LocalS3Server;
    let s3dir: string;
    let storage: MinioObjectStorage;
    let stationId: string;
    const clock = { now: () => now };

    beforeAll(async () => {
      url = await createScratchDatabase('detection_partitions');
      await migrate(url);
      prisma = createPrismaClient(url, { poolSize: 4 });
      s3dir = mkdtempSync(join(tmpdir(), 'ecc-partitions-s3-'));
      s3 = await startLocalS3Server({ directory: s3dir, port: 0 });
      storage = MinioObjectStorage.fromConfig({
        endpoint: s3.endpoint,
        accessKey: 'S3RVER',
        secretKey: 'S3RVER',
        region: 'us-east-1',
        evidenceBucket: `partitions-${randomBytes(3).toString('hex')}`,
        local: { dir: '', port: 0 },
      });
      await storage.ensureBucket();
      stationId = randomUUID();
      await withClient(url, (db) =>
        db.query(`INSERT INTO stations (id, code, name, updated_at) VALUES ($1, 'ST-P', 'ST-P', now())`, [
          stationId,
        ]),
      );
    });

    afterAll(async () => {
      await prisma?.$disconnect();
      await s3?.close();
      rmSync(s3dir, { recursive: true, force: true });
      await dropDatabase(url);
    });

    /** A detection through intake's own statement, received at `at`, with evidence objects under `keys`. */
    const receive = async (stationDetectionId: string, at: Date, keys: string[] = []) => {
      const id = newDetectionId(at);
      const inserted = await new DetectionsRepository(prisma).createMany([
        {
          id,
          outboxId: randomUUID(),
          stationId,
          deviceId: null,
          body: form(stationDetectionId),
          bodyDigest: createHash('sha256').update(stationDetectionId).digest('hex'),
          raw: {},
          receivedAt: at,
          evidence: keys.map((key, i) => ({
            kind: (['plate_front', 'side', 'plate_rear'] as const)[i]!,
            contentType: 'image/jpeg',
            sha256: key.slice(-64),
            sizeBytes: 3,
            bucket: storage.bucket,
            key,
          })) as never,
          audit: auditRow(
            {
              actor: systemActor('test'),
              action: 'detection.received',
              entityType: 'detection',
              entityId: id,
              changes: { stationDetectionId },
            },
            at,
          ).data,
        },
      ]);
      return { id, inserted: inserted.has(id) };
    };
    const screen = (id: string, outcome: string) =>
      withClient(url, (db) =>
        db.query(
          `UPDATE detections SET status = 'screened', outcome = $2::detection_outcome, screened_at = now() WHERE id = $1`,
          [id, outcome],
        ),
      );
    const putObject = async () => {
      const bytes = randomBytes(3);
      const key = `evidence/${createHash('sha256').update(bytes).digest('hex')}`;
      await storage.put(key, bytes, 'image/jpeg', bytes.length);
      return key;
    };

    it('creates the months ahead of time, once', async () => {
      const maintainer = new DetectionPartitionMaintainer(clock, new DetectionRetentionRepository(prisma));
      const ahead = monthPartitions('detections', now, 3).map((m) => m.name);
      // The migration made this month and three ahead; the worker keeps three ahead as the months pass.
      const later = new DetectionPartitionMaintainer(
        { now: () => new Date(monthStart(2).getTime() + DAY) },
        new DetectionRetentionRepository(prisma),
      );
      expect(await maintainer.sweep()).toEqual({ created: [], refused: [] });
      expect(await later.sweep()).toEqual({
        created: monthPartitions('detections', monthStart(4), 1).map((m) => m.name),
        refused: [],
      });
      expect(await later.sweep()).toEqual({ created: [], refused: [] });
      const names = await withClient(url, partitionsOf);
      for (const name of [...ahead, ...monthPartitions('detections', monthStart(4), 1).map((m) => m.name)])
        expect(names).toContain(name);
    });

    it('answers a repeat as the same detection across the end of a month, also within one statement', async () => {
      const lastMs = new Date(monthStart(1).getTime() - 1);
      const firstMs = new Date(monthStart(1).getTime() + 1);
      const first = await receive('EDGE-1', lastMs);
      const again = await receive('EDGE-1', firstMs);
      expect(first.inserted).toBe(true);
      expect(again.inserted).toBe(false);
      await withClient(url, async (db) => {
        expect(await partitionOf(db, first.id)).toBe(monthPartitions('detections', now, 0)[0]!.name);
        const keys = await db.query(
          `SELECT detection_id::text AS id FROM detection_keys WHERE station_detection_id = 'EDGE-1'`,
        );
        expect(keys.rows).toEqual([{ id: first.id }]);
        expect(
          Number(
            (await db.query(`SELECT count(*) FROM detections WHERE station_detection_id = 'EDGE-1'`)).rows[0]
              .count,
          ),
        ).toBe(1);
        // No audit event of the repeat.
        expect(
          Number(
            (await db.query(`SELECT count(*) FROM audit_events WHERE entity_id = $1`, [again.id])).rows[0]
              .count,
          ),
        ).toBe(0);
      });
      expect(await new DetectionsRepository(prisma).findIdentityNow(stationId, 'EDGE-1')).toMatchObject({
        id: first.id,
      });
      // Two of one key in one statement, on both sides of the month's end: one detection.
      const repo = new DetectionsRepository(prisma);
      const rows = [lastMs, firstMs].map((at) => {
        const id = newDetectionId(at);
        return {
          id,
          outboxId: randomUUID(),
          stationId,
          deviceId: null,
          body: form('EDGE-2'),
          bodyDigest: 'a'.repeat(64),
          raw: {},
          receivedAt: at,
          evidence: [],
          audit: auditRow(
            {
              actor: systemActor('test'),
              action: 'detection.received',
              entityType: 'detection',
              entityId: id,
              changes: {},
            },
            at,
          ).data,
        };
      });
      expect((await repo.createMany(rows)).size).toBe(1);
    });

    it('the idempotency key is an index probe, not a scan of every month', async () => {
      const plan = await withClient(url, async (db) =>
        (
          await db.query<{ 'QUERY PLAN': string }>(
            `EXPLAIN SELECT d.id FROM detection_keys k JOIN detections d ON d.id = k.detection_id
              WHERE k.station_id = $1 AND k.station_detection_id = 'EDGE-1'`,
            [stationId],
          )
        ).rows
          .map((r) => r['QUERY PLAN'])
          .join('\n'),
      );
      expect(plan).toMatch(/detection_keys_pkey/);
      expect(plan).not.toMatch(/Seq Scan/);
    });

    it("the fences' sweep reads the month or two of its window, not every month", async () => {
      /** The partitions of `detections` the plan of the sweep's statement for [since, until) reads. */
      const read = async (since: Date, until: Date) => {
        const plan = (
          await prisma.$queryRaw<{ 'QUERY PLAN': string }[]>(
            Prisma.sql`EXPLAIN ${missedAlertsStatement(now, since, until)}`,
          )
        )
          .map((r) => r['QUERY PLAN'])
          .join('\n');
        const names = await withClient(url, partitionsOf);
        expect(names.length).toBeGreaterThan(3);
        return names.filter((name) => new RegExp(`\\b${name}\\b`).test(plan));
      };
      const MINUTE = 60_000;
      const [thisMonth, nextMonth] = monthPartitions('detections', now, 1).map((m) => m.name);
      // 15 minutes inside this month, and 15 minutes across the end of it.
      const inside = new Date(monthStart(0).getTime() + DAY);
      expect(await read(new Date(inside.getTime() - 15 * MINUTE), inside)).toEqual([thisMonth]);
      expect(
        await read(
          new Date(monthStart(1).getTime() - 10 * MINUTE),
          new Date(monthStart(1).getTime() + 5 * MINUTE),
        ),
      ).toEqual([thisMonth, nextMonth]);
    });

    it('removes what the retention no longer keeps, and only that', async () => {
      // Eight months ago (expired under 180 days) and nine months ago (a month with nothing kept).
      const old = new Date(monthStart(-8).getTime() + 3 * DAY);
      const older = new Date(monthStart(-9).getTime() + 3 * DAY);
      const retention = new DetectionRetentionRepository(prisma);
      await retention.partitions.ensure([...monthPartitions('detections', monthStart(-9), 1)]);

      const shared = await putObject();
      const own = await putObject();
      const leadsOwn = await putObject();
      const expired = await receive('OLD-NV', old, [own, shared]);
      const alone = await receive('OLDER-NV', older, [await putObject()]);
      const leadDetection = await receive('OLD-LEAD', old, [leadsOwn, shared]);
      const invalid = await receive('OLD-INVALID', old);
      const recent = await receive('RECENT-NV', now);
      await screen(expired.id, 'no_violation');
      await screen(alone.id, 'no_violation');
      await screen(leadDetection.id, 'lead');
      await screen(invalid.id, 'invalid');
      await screen(recent.id, 'no_violation');
      await withClient(url, async (db) => {
        const lead = randomUUID();
        await db.query(
          `INSERT INTO leads (id, status, station_id, plate, violation_at, axle_count, gross_mass_kg, limit_kg,
             tolerance_kg, excess_kg, proposed_penalty_kind, proposed_amount, proposed_basis, rules, created_at,
             updated_at)
           VALUES ($1, 'pending_review', $2, '湘A12345', $3, 6, 56000, 49000, 2800, 4200, 'fine', 2000, '{}', '[]',
             $3, now())`,
          [lead, stationId, old],
        );
        await db.query(`INSERT INTO lead_detections (lead_id, detection_id) VALUES ($1, $2)`, [
          lead,
          leadDetection.id,
        ]);
      });
      const countsBefore = await withClient(url, counted);
      const olderMonth = monthPartitions('detections', monthStart(-9), 0)[0]!.name;

      const task = new DetectionRetentionTask(
        clock,
        { intake: { retentionDays: 180, retentionIntervalMs: 3_600_000 } } as AppConfig,
        storage,
        retention,
      );
      const counts = await task.sweep();
      expect(counts).toEqual({
        detections: 2,
        evidenceRows: 3,
        objectsRemoved: 2, // own and the one of the older month; the shared one is still named by the lead's
        objectsFailed: 0,
        partitionsDropped: [olderMonth],
      });

      await withClient(url, async (db) => {
        const left = await db.query<{ id: string }>(`SELECT id::text AS id FROM detections`);
        const ids = left.rows.map((r) => r.id);
        expect(ids).not.toContain(expired.id);
        expect(ids).not.toContain(alone.id);
        expect(ids).toEqual(expect.arrayContaining([leadDetection.id, invalid.id, recent.id]));
        // The lead's evidence rows stay; the expired detection's rows, outbox row and key are gone.
        const evidence = await db.query<{ detection_id: string; key: string }>(
          `SELECT detection_id::text, key FROM evidence_objects ORDER BY key`,
        );
        expect(
          evidence.rows
            .filter((r) => r.detection_id === leadDetection.id)
            .map((r) => r.key)
            .sort(),
        ).toEqual([leadsOwn, shared].sort());
        expect(evidence.rows.some((r) => r.detection_id === expired.id)).toBe(false);
        expect(
          Number(
            (await db.query(`SELECT count(*) FROM intake_outbox WHERE detection_id = $1`, [expired.id]))
              .rows[0].count,
          ),
        ).toBe(0);
        expect(
          Number(
            (await db.query(`SELECT count(*) FROM detection_keys WHERE detection_id = $1`, [expired.id]))
              .rows[0].count,
          ),
        ).toBe(0);
        expect(await partitionsOf(db)).not.toContain(olderMonth);
        // The statistics of the past stay as they were.
        expect(await counted(db)).toEqual(countsBefore);
        // One audit event for the run, a system action with the counts.
        const events = await db.query<{ actor_kind: string; payload: Record<string, unknown> }>(
          `SELECT actor_kind::text, payload FROM audit_events WHERE action = 'detection.retention_applied'`,
        );
        expect(events.rows).toHaveLength(1);
        expect(events.rows[0]).toMatchObject({
          actor_kind: 'system',
          payload: { retentionDays: 180, detections: 2, objectsRemoved: 2, partitionsDropped: [olderMonth] },
        });
        // The audit events of the removed detection stay.
        expect(
          Number(
            (await db.query(`SELECT count(*) FROM audit_events WHERE entity_id = $1`, [expired.id])).rows[0]
              .count,
          ),
        ).toBe(1);
      });
      // The objects: the expired detection's own photograph is gone; the lead's and the shared one are there.
      expect(await storage.stat(own)).toBeNull();
      expect(await storage.stat(shared)).not.toBeNull();
      expect(await storage.stat(leadsOwn)).not.toBeNull();

      // A second run finds nothing more to remove.
      expect(await task.sweep()).toMatchObject({ detections: 0, evidenceRows: 0, partitionsDropped: [] });
    });
  });
});
