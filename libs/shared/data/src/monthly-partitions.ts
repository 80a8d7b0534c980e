import { Prisma, type PrismaClient } from './generated/prisma/client';
import { nextUuid, uuidv7Floor, uuidv7Instant } from './uuidv7';

/**
 * Tables partitioned by month (declarative RANGE partitioning) whose months the worker creates ahead of time:
 * `audit_events` by `occurred_at` (migration 20261206100000), `detections` by their time-ordered ids (UUIDv7, the
 * instant of receipt; migration 20261207020000). One implementation for both: what differs is the partition key's
 * value at an instant, and what to do with rows that already sit in the default partition.
 */
export interface MonthlyPartitionedTable {
  table: string;
  /** The SQL type of the partition key (`timestamptz`, `uuid`). */
  keyType: 'timestamptz' | 'uuid';
  /** The lowest key value of an instant (the bound of a partition starting then). */
  bound(at: Date): string;
  /** The instant of a key value (to tell which months a partition covers). */
  instantOf(key: string): Date;
  /**
   * A month whose range already holds rows of the default partition: `refuse` it (Postgres will not leave them
   * behind a new month) and report it, or create the month `around` those rows — its range in pieces that leave
   * them out, for keys of rows that belong to no month at all (detections' ids from before the ids were
   * time-ordered: random UUIDv4, spread over every month's range).
   */
  defaultRows: 'refuse' | { around: string; next(key: string): string };
  /** Rows of the default partition that mean a month was missing (SQL condition; every row when absent). */
  strayCondition?: string;
}

/** A month of a partitioned table: its partition's name and bounds (UTC months, `from` inclusive, `to` exclusive). */
export interface MonthPartition {
  name: string;
  from: Date;
  to: Date;
}

/** The month of `at` and the `ahead` months after it, of `table`. */
export function monthPartitions(table: string, at: Date, ahead: number): MonthPartition[] {
  return Array.from({ length: ahead + 1 }, (_, i) => {
    const from = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + i, 1));
    const to = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1));
    const month = String(from.getUTCMonth() + 1).padStart(2, '0');
    return { name: `${table}_${from.getUTCFullYear()}_${month}`, from, to };
  });
}

export interface EnsuredPartitions {
  created: string[];
  /**
   * Months that could not be created: rows of that month already sit in the default partition (the worker was
   * away longer than the months created ahead), which Postgres refuses to leave there behind a new month.
   */
  refused: { name: string; reason: string }[];
}

/** A partition as the catalogue has it: the instants its key range covers (null bounds: the default partition). */
export interface PartitionRange {
  name: string;
  from: Date | null;
  to: Date | null;
  isDefault: boolean;
}

const SAFE_NAME = /^[a-z_]+$/;

/** The monthly partitions of one table: created ahead, listed with the instants they cover. */
export class MonthlyPartitionsRepository {
  constructor(
    private readonly db: PrismaClient,
    readonly spec: MonthlyPartitionedTable,
  ) {
    if (!SAFE_NAME.test(spec.table)) throw new Error(`not a table name: ${spec.table}`);
  }

  private get defaultPartition(): string {
    return `${this.spec.table}_default`;
  }

  /** Creates the partitions among `months` that do not exist yet; null when another worker is at it. */
  async ensure(months: readonly MonthPartition[]): Promise<EnsuredPartitions | null> {
    const { table, keyType } = this.spec;
    return this.db.$transaction(
      async (tx) => {
        const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`
          SELECT pg_try_advisory_xact_lock(hashtext(${`ecc.partitions.${table}`})) AS locked`;
        if (!lock?.locked) return null;
        const existing = (
          await tx.$queryRaw<{ name: string }[]>`
            SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = ${table}::regclass`
        ).map((r) => r.name);
        const result: EnsuredPartitions = { created: [], refused: [] };
        for (const month of months) {
          if (!new RegExp(`^${table}_\\d{4}_\\d{2}$`).test(month.name))
            throw new Error(`not a month partition of ${table}: ${month.name}`);
          if (existing.some((name) => name === month.name || name.startsWith(`${month.name}_`))) continue;
          const from = this.spec.bound(month.from);
          const to = this.spec.bound(month.to);
          let pieces: [string, string][] = [[from, to]];
          const { defaultRows } = this.spec;
          if (defaultRows !== 'refuse') {
            // Rows of no month inside this month's range stay in the default partition: the month is made of
            // the ranges between them.
            const inside = await tx.$queryRaw<{ key: string }[]>(
              Prisma.raw(
                `SELECT ${defaultRows.around}::text AS key FROM "${this.defaultPartition}"
                  WHERE ${defaultRows.around} >= '${from}'::${keyType} AND ${defaultRows.around} < '${to}'::${keyType}
                  ORDER BY 1`,
              ),
            );
            pieces = [];
            let start = from;
            for (const { key } of inside) {
              if (key !== start) pieces.push([start, key]);
              start = defaultRows.next(key);
            }
            if (start !== to) pieces.push([start, to]);
          }
          // Each in a savepoint: a month refused (rows already in the default partition) does not stop the next.
          await tx.$executeRaw`SAVEPOINT partition`;
          try {
            for (const [i, [lower, upper]] of pieces.entries()) {
              // The name is ours (<table>_YYYY_MM[_n]), the bounds are dates or uuids we computed.
              await tx.$executeRaw(
                Prisma.raw(
                  `CREATE TABLE "${i === 0 ? month.name : `${month.name}_${i}`}" PARTITION OF "${table}"
                     FOR VALUES FROM ('${lower}') TO ('${upper}')`,
                ),
              );
            }
            await tx.$executeRaw`RELEASE SAVEPOINT partition`;
            result.created.push(month.name);
          } catch (error) {
            await tx.$executeRaw`ROLLBACK TO SAVEPOINT partition`;
            result.refused.push({ name: month.name, reason: (error as Error).message });
          }
        }
        return result;
      },
      { timeout: 60_000 },
    );
  }

  /** Rows in the default partition that belong in a month (none while the worker keeps ahead). */
  async rowsOutsideMonths(): Promise<number> {
    const [row] = await this.db.$queryRaw<{ n: number }[]>(
      Prisma.raw(
        `SELECT count(*)::int AS n FROM "${this.defaultPartition}" WHERE ${this.spec.strayCondition ?? 'true'}`,
      ),
    );
    return row?.n ?? 0;
  }

  /** The partitions with the instants their key ranges cover, oldest first, the default partition last. */
  async list(): Promise<PartitionRange[]> {
    const rows = await this.db.$queryRaw<{ name: string; bound: string }[]>`
      SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = ${this.spec.table}::regclass`;
    const ranges = rows.map(({ name, bound }): PartitionRange => {
      const values = /FROM \('([^']+)'\) TO \('([^']+)'\)/.exec(bound);
      if (!values) return { name, from: null, to: null, isDefault: true };
      return {
        name,
        from: this.spec.instantOf(values[1]!),
        to: this.spec.instantOf(values[2]!),
        isDefault: false,
      };
    });
    return ranges.sort((a, b) =>
      a.isDefault !== b.isDefault
        ? a.isDefault
          ? 1
          : -1
        : (a.from?.getTime() ?? 0) - (b.from?.getTime() ?? 0) || a.name.localeCompare(b.name),
    );
  }
}

/** `audit_events` by month of `occurred_at`; a month whose events sit in the default partition is refused. */
export const AUDIT_EVENTS_BY_MONTH: MonthlyPartitionedTable = {
  table: 'audit_events',
  keyType: 'timestamptz',
  bound: (at) => at.toISOString(),
  instantOf: (key) => new Date(key),
  defaultRows: 'refuse',
};

/**
 * `detections` by month of receipt: their ids are UUIDv7 made at receipt, so a month is a range of ids and the
 * primary key, the foreign keys to it and every lookup by id stay as they were. Detections stored before the
 * ids were time-ordered keep their random ids in the default partition, and a month is made around those of
 * them its range happens to hold; a time-ordered id (version 7) in the default partition means a missing month.
 */
export const DETECTIONS_BY_MONTH: MonthlyPartitionedTable = {
  table: 'detections',
  keyType: 'uuid',
  bound: uuidv7Floor,
  instantOf: uuidv7Instant,
  defaultRows: { around: 'id', next: nextUuid },
  strayCondition: `substr(id::text, 15, 1) = '7'`,
};
