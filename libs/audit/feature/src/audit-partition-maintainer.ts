import { Inject, Injectable } from '@nestjs/common';
import { AuditPartitionsRepository } from '@ecc/audit-data';
import type { Clock } from '@ecc/shared-kernel';
import { CLOCK, MonthlyPartitionMaintainer } from '@ecc/platform-nest';

/** Months of `audit_events` that exist ahead of the current one. */
export const AUDIT_MONTHS_AHEAD = 3;

/** Creates the monthly partitions of `audit_events` ahead of time (MonthlyPartitionMaintainer). */
@Injectable()
export class AuditPartitionMaintainer extends MonthlyPartitionMaintainer {
  constructor(@Inject(CLOCK) clock: Clock, partitions: AuditPartitionsRepository) {
    super(clock, partitions, AUDIT_MONTHS_AHEAD);
  }
}
