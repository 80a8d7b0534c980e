import { Injectable, Logger } from '@nestjs/common';
import { JobHandler } from '@ecc/platform-nest';
import { IntakeOutboxRepository } from '@ecc/screening-data';
import { JOBS, type PayloadOf } from '@ecc/shared-queues';
import type { ScreeningReport } from './screen-detection.use-case';
import { ScreeningBatcher } from './screening-batcher';

/**
 * The worker's handler of `screening/screen-detection`: the use case does the work, for the detections of jobs
 * running at the same time in one transaction (ScreeningBatcher).
 */
@Injectable()
export class ScreenDetectionProcessor {
  private readonly logger = new Logger(ScreenDetectionProcessor.name);

  constructor(
    private readonly screen: ScreeningBatcher,
    private readonly outbox: IntakeOutboxRepository,
  ) {}

  @JobHandler(JOBS.screenDetection)
  async handle(payload: PayloadOf<typeof JOBS.screenDetection>): Promise<ScreeningReport> {
    try {
      return await this.screen.screen(payload.detectionId);
    } catch (error) {
      // BullMQ retries with backoff and keeps the failure; the outbox row says why it is still pending.
      await this.outbox
        .recordError(payload.detectionId, (error as Error).message ?? String(error))
        .catch((e: unknown) => this.logger.warn({ err: e }, 'could not record the screening error'));
      throw error;
    }
  }
}
