import { Prisma, type PrismaClient } from '@ecc/shared-data';

/** A month of `audit_events`: its partition's name and bounds (UTC months, `from` inclusive, `to` exclusive). */
export interface MonthPartition {
  name: string;
  from: Date;
  to: Date;
}

/** The month of `at` and the `ahead` months after it. */
export function monthPartitions(at: Date, ahead: number): MonthPartition[] {
  return Array.from({ length: ahead + 1 }, (_, i) => {
    const from = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + i, 1));
    const to = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1));
    const month = String(from.getUTCMonth() + 1).padStart(2, '0');
    return { name: `audit_events_${from.getUTCFullYear()}_${month}`, from, to };
  });
}

/** One worker at a time creates partitions. */
const PARTITIONS_LOCK = 'ecc.audit-partitions';

export interface EnsuredPartitions {
  created: string[];
  /**
   * Months that could not be created: events of that month already sit in `audit_events_default` (the worker
   * was away longer than the months created ahead), which Postgres refuses to leave there behind a new month.
   */
  refused: { name: string; reason: string }[];
}

/**
 * The monthly partitions of `audit_events` (migration 20261206100000): the worker creates each month ahead of
 * time, so that events never pile up in the default partition.
 */
export class AuditPartitionsRepository {
  constructor(private readonly db: PrismaClient) {}

  /** Creates the partitions among `months` that do not exist yet; null when another worker is at it. */
  async ensure(months: readonly MonthPartition[]): Promise<EnsuredPartitions | null> {
    return this.db.$transaction(
      async (tx) => {
        const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`
          SELECT pg_try_advisory_xact_lock(hashtext(${PARTITIONS_LOCK})) AS locked`;
        if (!lock?.locked) return null;
        const existing = new Set(
          (
            await tx.$queryRaw<{ name: string }[]>`
              SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
              WHERE i.inhparent = 'audit_events'::regclass`
          ).map((r) => r.name),
        );
        const result: EnsuredPartitions = { created: [], refused: [] };
        for (const month of months) {
          if (!/^audit_events_\d{4}_\d{2}$/.test(month.name))
            throw new Error(`not a month partition: ${month.name}`);
          if (existing.has(month.name)) continue;
          // Each in a savepoint: a month refused (events already in the default partition) does not stop the next.
          await tx.$executeRaw`SAVEPOINT partition`;
          try {
            // The name is ours (audit_events_YYYY_MM), the bounds are dates.
            await tx.$executeRaw(
              Prisma.raw(
                `CREATE TABLE "${month.name}" PARTITION OF "audit_events" FOR VALUES FROM ('${month.from.toISOString()}') TO ('${month.to.toISOString()}')`,
              ),
            );
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

  /** Events in the default partition (outside every month created): none while the worker keeps ahead. */
  async eventsOutsideMonths(): Promise<number> {
    const [row] = await this.db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM audit_events_default`;
    return row?.n ?? 0;
  }
}
