import { Injectable, Logger } from '@nestjs/common';
import { ScreenDetectionUseCase, type ScreeningReport } from './screen-detection.use-case';

/** How long the first detection of a batch waits for others, and how many one transaction screens at most. */
const BATCH_WAIT_MS = 3;
const BATCH_MAX = 50;

interface Waiting {
  detectionId: string;
  resolve: (report: ScreeningReport) => void;
  reject: (error: unknown) => void;
}

/**
 * Screens the detections of jobs that arrive together (within a few milliseconds, up to 50) in one
 * transaction: its round trips (BEGIN, the read, the write, COMMIT) are shared instead of paid per detection.
 * Each job still waits for its own detection and fails on its own: a detection that cannot be screened gets
 * its error alone, and should the transaction itself fail (a deadlock, a lost connection) every detection of
 * the batch is screened again on its own, so one bad detection never fails the others.
 */
@Injectable()
export class ScreeningBatcher {
  private readonly logger = new Logger(ScreeningBatcher.name);
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly useCase: ScreenDetectionUseCase) {}

  screen(detectionId: string): Promise<ScreeningReport> {
    return new Promise<ScreeningReport>((resolve, reject) => {
      this.waiting.push({ detectionId, resolve, reject });
      if (this.waiting.length >= BATCH_MAX) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), BATCH_WAIT_MS);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.waiting.splice(0, BATCH_MAX);
    if (this.waiting.length > 0) this.timer = setTimeout(() => this.flush(), BATCH_WAIT_MS);
    if (batch.length > 0) void this.run(batch);
  }

  private async run(batch: Waiting[]): Promise<void> {
    let results;
    try {
      results = await this.useCase.executeMany(batch.map((w) => w.detectionId));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      this.logger.warn(
        { err: error, detections: batch.length },
        'a screening batch failed: screening its detections one by one',
      );
      await Promise.all(
        batch.map((w) =>
          this.useCase.execute(w.detectionId).then(
            (report) => w.resolve(report),
            (e: unknown) => w.reject(e),
          ),
        ),
      );
      return;
    }
    for (const w of batch) {
      const result = results.get(w.detectionId)!;
      if ('error' in result) w.reject(result.error);
      else w.resolve(result.report);
    }
  }
}
