import type { EnsuredPartitions, MonthlyPartitionsRepository } from '@ecc/shared-data';
import { monthPartitions } from '@ecc/shared-data';
import type { Clock } from '@ecc/shared-kernel';
import { PeriodicTask } from './periodic-task';

const EVERY_SIX_HOURS = 6 * 3600 * 1000;

/**
 * Creates the monthly partitions of a table ahead of time (at start, then every six hours; one worker at a time).
 * A month that cannot be created, or rows found in the default partition that belong in a month, is logged as an
 * error: it means the worker was away for longer than the months ahead, and the default partition must be
 * emptied into the months by hand (docs/scaling.md). Each partitioned table's maintainer is one of these.
 */
export abstract class MonthlyPartitionMaintainer extends PeriodicTask {
  constructor(
    private readonly clock: Clock,
    private readonly partitions: MonthlyPartitionsRepository,
    private readonly monthsAhead: number,
  ) {
    super();
  }

  protected intervalMs(): number {
    return EVERY_SIX_HOURS;
  }

  async sweep(): Promise<EnsuredPartitions | null> {
    const { table } = this.partitions.spec;
    const result = await this.partitions.ensure(monthPartitions(table, this.clock.now(), this.monthsAhead));
    if (!result) return null;
    if (result.created.length > 0)
      this.logger.log({ created: result.created }, `${table} partitions created`);
    const outside = await this.partitions.rowsOutsideMonths();
    if (result.refused.length > 0 || outside > 0) {
      this.logger.error(
        { refused: result.refused, rowsInDefaultPartition: outside },
        `${table} rows outside their monthly partitions: move them out of ${table}_default`,
      );
    }
    return result;
  }
}
