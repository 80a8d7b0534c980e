import { Inject, Injectable } from '@nestjs/common';
import { AuditPartitionsRepository, monthPartitions, type EnsuredPartitions } from '@ecc/audit-data';
import type { Clock } from '@ecc/shared-kernel';
import { CLOCK, PeriodicTask } from '@ecc/platform-nest';

/** Months of `audit_events` that exist ahead of the current one. */
export const AUDIT_MONTHS_AHEAD = 3;
const EVERY_SIX_HOURS = 6 * 3600 * 1000;

/**
 * Creates the monthly partitions of `audit_events` ahead of time (at start, then every six hours; one worker at a
 * time). A month that cannot be created, or events found outside every month, is logged as an error: it means
 * the worker was away for longer than the months ahead, and the default partition must be emptied into the months
 * by hand (docs/scaling.md).
 */
@Injectable()
export class AuditPartitionMaintainer extends PeriodicTask {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly partitions: AuditPartitionsRepository,
  ) {
    super();
  }

  protected intervalMs(): number {
    return EVERY_SIX_HOURS;
  }

  async sweep(): Promise<EnsuredPartitions | null> {
    const result = await this.partitions.ensure(monthPartitions(this.clock.now(), AUDIT_MONTHS_AHEAD));
    if (!result) return null;
    if (result.created.length > 0) this.logger.log({ created: result.created }, 'audit partitions created');
    const outside = await this.partitions.eventsOutsideMonths();
    if (result.refused.length > 0 || outside > 0) {
      this.logger.error(
        { refused: result.refused, eventsInDefaultPartition: outside },
        'audit events outside their monthly partitions: move them out of audit_events_default',
      );
    }
    return result;
  }
}
