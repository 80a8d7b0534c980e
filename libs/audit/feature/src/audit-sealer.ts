import { Inject, Injectable } from '@nestjs/common';
import { AuditChainRepository } from '@ecc/audit-data';
import type { AppConfig } from '@ecc/shared-config';
import { APP_CONFIG, PeriodicTask } from '@ecc/platform-nest';

/** Events sealed per transaction. */
export const SEAL_BATCH = 2000;

/**
 * Links committed audit events into the hash chain (AUDIT_SEAL_INTERVAL_MS), batch after batch while full
 * batches come back. Writers never hash: the chain order is the seal order, one sealer at a time over all
 * workers (a transaction-level advisory lock; a worker that does not get it skips the run).
 */
@Injectable()
export class AuditSealer extends PeriodicTask {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly chain: AuditChainRepository,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.audit.sealIntervalMs;
  }

  /** How many events this run sealed (0 when another worker holds the sealer's lock). */
  async sweep(): Promise<number> {
    let total = 0;
    while (!this.stopped) {
      const sealed = await this.chain.sealBatch(SEAL_BATCH);
      if (sealed === null) break;
      total += sealed;
      if (sealed < SEAL_BATCH) break;
    }
    if (total > 0) this.logger.debug({ count: total }, 'sealed audit events');
    return total;
  }
}
