import {
  AUDIT_EVENTS_BY_MONTH,
  MonthlyPartitionsRepository,
  monthPartitions as monthPartitionsOf,
  type MonthPartition,
  type PrismaClient,
} from '@ecc/shared-data';

export type { EnsuredPartitions, MonthPartition } from '@ecc/shared-data';

/** The month of `at` and the `ahead` months after it, of `audit_events`. */
export const monthPartitions = (at: Date, ahead: number): MonthPartition[] =>
  monthPartitionsOf(AUDIT_EVENTS_BY_MONTH.table, at, ahead);

/**
 * The monthly partitions of `audit_events` (migration 20261206100000): the worker creates each month ahead of
 * time, so that events never pile up in the default partition; a month whose events already sit there is refused
 * and reported.
 */
export class AuditPartitionsRepository extends MonthlyPartitionsRepository {
  constructor(db: PrismaClient) {
    super(db, AUDIT_EVENTS_BY_MONTH);
  }

  /** Events in the default partition (outside every month created): none while the worker keeps ahead. */
  eventsOutsideMonths(): Promise<number> {
    return this.rowsOutsideMonths();
  }
}
