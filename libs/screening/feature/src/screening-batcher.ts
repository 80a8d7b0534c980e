import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import { APP_CONFIG } from '@ecc/platform-nest';
import { AdaptiveBatcher } from '@ecc/shared-kernel';
import { ScreenDetectionUseCase, unchanged, type ScreeningReport } from './screen-detection.use-case';

/**
 * Screens the detections of jobs that arrive together in one transaction (up to 50, two transactions at
 * most: AdaptiveBatcher): its round trips (BEGIN, the lock, the read, the write, COMMIT) are shared instead of
 * paid per detection, and each job waits for and fails with its own detection. A batch that is not full waits
 * up to SCREENING_BATCH_LINGER_MS for more jobs, so that detections trickling in (a steady 1,000/s arrives a
 * few at a time) still share transactions.
 */
@Injectable()
export class ScreeningBatcher {
  private readonly logger = new Logger(ScreeningBatcher.name);
  private readonly batcher: AdaptiveBatcher<string, ScreeningReport>;

  constructor(useCase: ScreenDetectionUseCase, @Inject(APP_CONFIG) config: AppConfig) {
    this.batcher = new AdaptiveBatcher<string, ScreeningReport>({
      maxBatch: 50,
      maxRunning: 2,
      lingerMs: config.screening.batchLingerMs,
      runMany: async (ids) => {
        const results = await useCase.executeMany(ids);
        const reported = new Set<string>();
        return ids.map((id) => {
          const result = results.get(id)!;
          // Two jobs of one detection in one batch: as one after the other, the second finds it screened.
          const first = !reported.has(id);
          reported.add(id);
          if ('error' in result) return { error: result.error };
          return { value: first ? result.report : unchanged(id) };
        });
      },
      runOne: (id) => useCase.execute(id),
      onBatchFailure: (error, size) =>
        this.logger.warn(
          { err: error, detections: size },
          'a screening batch failed: screening its detections one by one',
        ),
    });
  }

  screen(detectionId: string): Promise<ScreeningReport> {
    return this.batcher.submit(detectionId);
  }
}
