import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import { APP_CONFIG, PeriodicTask } from '@ecc/platform-nest';
import { DetectionCountsRepository } from '@ecc/statistics-data';

/**
 * Keeps the statistics' kept counts (detections, leads, notices) small to read: folds the deltas the triggers
 * append, and recounts everything once when BUREAU_TIMEZONE no longer matches the zone the counts were kept in.
 */
@Injectable()
export class DetectionCountsTask extends PeriodicTask {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly counts: DetectionCountsRepository,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.statistics.foldIntervalMs;
  }

  async sweep(): Promise<{ deltas: number; rebuilt: boolean }> {
    const zone = this.config.bureau.timeZone;
    if ((await this.counts.timeZone()) !== zone) {
      this.logger.warn({ zone }, 'recounting the statistics kept counts in the configured time zone');
      const { rows } = await this.counts.rebuild(zone);
      this.logger.log({ zone, rows }, 'statistics kept counts rebuilt');
      return { deltas: 0, rebuilt: true };
    }
    return { ...(await this.counts.fold()), rebuilt: false };
  }
}
