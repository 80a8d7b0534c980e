import { recordAudit, type AuditEntry } from '@ecc/audit-data';
import {
  DETECTIONS_BY_MONTH,
  MonthlyPartitionsRepository,
  pgPoolOf,
  type PartitionRange,
  type PrismaClient,
} from '@ecc/shared-data';

/** What one run of the retention removed. */
export interface RetentionCounts {
  /** Detections deleted (no violation, nothing pointing at them, received before the horizon). */
  detections: number;
  /** Their evidence rows. */
  evidenceRows: number;
  /** Objects no remaining evidence row names, removed from the store. */
  objectsRemoved: number;
  /** Objects that should have been removed but the store refused (left in the store; see the log). */
  objectsFailed: number;
  /** Monthly partitions emptied by the run (or before it) and dropped. */
  partitionsDropped: string[];
}

export interface RetentionOptions {
  /** Detections per transaction. */
  batchSize: number;
  /** Removes objects from the evidence store (after the rows naming them are gone). */
  removeObjects(keys: string[]): Promise<void>;
  /** Asked between batches: a worker shutting down stops there (the next run goes on). */
  stopped(): boolean;
  /** Where the counts are kept as the run goes (so that a run stopped by an error still tells what it did). */
  progress?: RetentionCounts;
}

/** One worker at a time runs the retention. */
const RETENTION_LOCK = 'ecc.detection-retention';

/**
 * A detection the retention may delete: no violation, received before the horizon, and nothing refers to it —
 * no lead (a lead's detections are its evidence), no interception alert, no duplicate pointing at it, no evidence
 * row of a case. `d` is the partition's row.
 */
const DELETABLE = `
  d.outcome = 'no_violation' AND d.received_at < $2::timestamptz
  AND NOT EXISTS (SELECT 1 FROM lead_detections ld WHERE ld.detection_id = d.id)
  AND NOT EXISTS (SELECT 1 FROM interception_alerts a WHERE a.detection_id = d.id)
  AND NOT EXISTS (SELECT 1 FROM detections x WHERE x.duplicate_of_id = d.id)
  AND NOT EXISTS (SELECT 1 FROM evidence_objects e WHERE e.detection_id = d.id AND e.case_id IS NOT NULL)`;

/**
 * The retention of raw no-violation detections (docs/scaling.md, "Retention"). A detection is removed from the
 * partition it is stored in, by the partition's own name: the statistics triggers count statements on
 * `detections` itself, so the kept counts of the past do not change when the rows behind them go. Each batch is
 * one transaction (its evidence rows, then the detections; their outbox rows and idempotency keys follow by
 * cascade), walked in id order so that no row is read twice; the objects no remaining row names are removed from
 * the store after the commit. A monthly partition left empty is detached and dropped.
 */
export class DetectionRetentionRepository {
  readonly partitions: MonthlyPartitionsRepository;

  constructor(private readonly db: PrismaClient) {
    this.partitions = new MonthlyPartitionsRepository(db, DETECTIONS_BY_MONTH);
  }

  /**
   * Removes what the policy no longer keeps: detections received before `horizon`, from the months that ended
   * before it and from the default partition (detections older than time-ordered ids). Null when another worker
   * is at it.
   */
  async purge(horizon: Date, options: RetentionOptions): Promise<RetentionCounts | null> {
    const client = await pgPoolOf(this.db).connect();
    let locked = false;
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        `SELECT pg_try_advisory_lock(hashtext($1)) AS locked`,
        [RETENTION_LOCK],
      );
      locked = rows[0]?.locked === true;
      if (!locked) return null;
      const counts: RetentionCounts = options.progress ?? {
        detections: 0,
        evidenceRows: 0,
        objectsRemoved: 0,
        objectsFailed: 0,
        partitionsDropped: [],
      };
      const expired = (await this.partitions.list()).filter(
        (p) => p.isDefault || (p.to !== null && p.to.getTime() <= horizon.getTime()),
      );
      for (const partition of expired) {
        if (options.stopped()) break;
        await this.purgePartition(client, partition, horizon, options, counts);
      }
      return counts;
    } finally {
      if (locked) await client.query(`SELECT pg_advisory_unlock(hashtext($1))`, [RETENTION_LOCK]);
      client.release();
    }
  }

  private async purgePartition(
    client: import('pg').PoolClient,
    partition: PartitionRange,
    horizon: Date,
    options: RetentionOptions,
    counts: RetentionCounts,
  ): Promise<void> {
    if (!/^detections_(default|\d{4}_\d{2}(_\d+)?)$/.test(partition.name))
      throw new Error(`not a partition of detections: ${partition.name}`);
    const table = `"${partition.name}"`;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      if (options.stopped()) return;
      await client.query('BEGIN');
      let keys: string[];
      let done: boolean;
      try {
        const { rows: batch } = await client.query<{ id: string }>(
          `SELECT d.id::text AS id FROM ${table} d
            WHERE d.id > $1::uuid AND ${DELETABLE}
            ORDER BY d.id LIMIT $3
              FOR UPDATE SKIP LOCKED`,
          [after, horizon, options.batchSize],
        );
        done = batch.length < options.batchSize;
        const ids = batch.map((r) => r.id);
        after = ids[ids.length - 1] ?? after;
        const { rows: evidence } = await client.query<{ key: string }>(
          `DELETE FROM evidence_objects WHERE detection_id = ANY($1::uuid[]) RETURNING key`,
          [ids],
        );
        const deleted = await client.query(`DELETE FROM ${table} WHERE id = ANY($1::uuid[])`, [ids]);
        const removedKeys = [...new Set(evidence.map((e) => e.key))];
        const { rows: named } = await client.query<{ key: string }>(
          `SELECT DISTINCT key FROM evidence_objects WHERE key = ANY($1::text[])`,
          [removedKeys],
        );
        const stillNamed = new Set(named.map((r) => r.key));
        keys = removedKeys.filter((k) => !stillNamed.has(k));
        await client.query('COMMIT');
        counts.detections += deleted.rowCount ?? 0;
        counts.evidenceRows += evidence.length;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      if (keys.length > 0) {
        try {
          await options.removeObjects(keys);
          counts.objectsRemoved += keys.length;
        } catch {
          counts.objectsFailed += keys.length;
        }
      }
      if (done) break;
    }
    if (!partition.isDefault) await this.dropIfEmpty(client, partition.name, counts);
  }

  /** A month with nothing left is detached and dropped (the rows of a later month never fall in its range). */
  private async dropIfEmpty(
    client: import('pg').PoolClient,
    name: string,
    counts: RetentionCounts,
  ): Promise<void> {
    await client.query('BEGIN');
    try {
      const { rows } = await client.query<{ empty: boolean }>(
        `SELECT NOT EXISTS (SELECT 1 FROM "${name}") AS empty`,
      );
      if (rows[0]?.empty) {
        await client.query(`ALTER TABLE detections DETACH PARTITION "${name}"`);
        await client.query(`DROP TABLE "${name}"`);
        counts.partitionsDropped.push(name);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  }

  /** The run's audit event (one per run, with its counts). */
  async record(entry: AuditEntry, at: Date): Promise<void> {
    await this.db.$transaction((tx) => recordAudit(tx, entry, at));
  }
}
