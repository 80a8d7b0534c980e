import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import { APP_CONFIG, PeriodicTask } from '@ecc/platform-nest';
import { EvidenceIntegrityService } from './evidence-integrity.service';

/**
 * The worker's scheduled integrity check: every EVIDENCE_CHECK_INTERVAL_MS it re-hashes
 * EVIDENCE_CHECK_SAMPLE_SIZE stored objects (never verified or verified longest ago first, a quarter at
 * random), marking and alerting exactly as the per-case check does.
 */
@Injectable()
export class EvidenceIntegritySampler extends PeriodicTask {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly integrity: EvidenceIntegrityService,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.evidenceIntegrity.checkIntervalMs;
  }

  async sweep() {
    const result = await this.integrity.checkSample(this.config.evidenceIntegrity.sampleSize);
    if (result.damaged > 0) this.logger.warn(result, 'evidence sample: damaged objects found');
    return result;
  }
}
