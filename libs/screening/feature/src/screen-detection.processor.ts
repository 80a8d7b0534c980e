import { Injectable, Logger } from '@nestjs/common';
import { JobHandler } from '@ecc/platform-nest';
import { IntakeOutboxRepository } from '@ecc/screening-data';
import { JOBS, type PayloadOf } from '@ecc/shared-queues';
import type { ScreeningReport } from './screen-detection.use-case';
import { ScreeningBatcher } from './screening-batcher';

/**
 * The worker's handlers of `screening/screen-detection` and `screening/screen-detections` (an intake batch): the
 * use case does the work, for the detections of jobs running at the same time in one transaction
 * (ScreeningBatcher).
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
      await this.recordError(payload.detectionId, error);
      throw error;
    }
  }

  /**
   * An intake batch: its detections go to the batcher together (they share its transactions). If any fails,
   * the job fails and is retried whole; the detections screened meanwhile are then found screened (no-ops).
   */
  @JobHandler(JOBS.screenDetections)
  async handleBatch(payload: PayloadOf<typeof JOBS.screenDetections>): Promise<{ screened: number }> {
    const ids = payload.detectionIds;
    const results = await Promise.allSettled(ids.map((id) => this.screen.screen(id)));
    const failed: { id: string; error: unknown }[] = [];
    results.forEach((r, i) => {
      if (r.status === 'rejected') failed.push({ id: ids[i]!, error: r.reason });
    });
    for (const f of failed) await this.recordError(f.id, f.error);
    if (failed.length > 0) {
      const first = failed[0]!.error;
      throw new Error(
        `${failed.length} of ${ids.length} detections could not be screened; the first: ${first instanceof Error ? first.message : String(first)}`,
      );
    }
    return { screened: ids.length };
  }

  /** BullMQ retries with backoff and keeps the failure; the outbox row says why it is still pending. */
  private async recordError(detectionId: string, error: unknown): Promise<void> {
    await this.outbox
      .recordError(detectionId, (error as Error)?.message ?? String(error))
      .catch((e: unknown) => this.logger.warn({ err: e }, 'could not record the screening error'));
  }
}
