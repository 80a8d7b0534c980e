import { Injectable, Logger } from '@nestjs/common';
import { ScreenDetectionUseCase, unchanged, type ScreeningReport } from './screen-detection.use-case';

/** How many detections one transaction screens at most, and how many such transactions run at once. */
const BATCH_MAX = 50;
const MAX_RUNNING = 2;

interface Waiting {
  detectionId: string;
  resolve: (report: ScreeningReport) => void;
  reject: (error: unknown) => void;
}

/**
 * Screens the detections of jobs that arrive together in one transaction (up to 50): its round trips (BEGIN,
 * the lock, the read, the write, COMMIT) are shared instead of paid per detection. A detection is screened at
 * once when fewer than two transactions are running; otherwise it waits for one of them to end, together with
 * whatever else arrives meanwhile — so batches stay small (no added wait) when screening keeps up easily and
 * grow with the backlog. Each job still waits for its own detection and fails on its own: a detection that
 * cannot be screened gets its error alone, and should the transaction itself fail (a deadlock, a lost
 * connection) every detection of the batch is screened again on its own, so one bad detection never fails
 * the others.
 */
@Injectable()
export class ScreeningBatcher {
  private readonly logger = new Logger(ScreeningBatcher.name);
  private waiting: Waiting[] = [];
  private running = 0;
  private scheduled = false;

  constructor(private readonly useCase: ScreenDetectionUseCase) {}

  screen(detectionId: string): Promise<ScreeningReport> {
    return new Promise<ScreeningReport>((resolve, reject) => {
      this.waiting.push({ detectionId, resolve, reject });
      this.schedule();
    });
  }

  /** After the current I/O events, so that the jobs handed over by one poll of the queue share a batch. */
  private schedule(): void {
    if (this.scheduled || this.running >= MAX_RUNNING) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.running < MAX_RUNNING && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, BATCH_MAX);
      this.running++;
      void this.run(batch).finally(() => {
        this.running--;
        if (this.waiting.length > 0) this.schedule();
      });
    }
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
    const reported = new Set<string>();
    for (const w of batch) {
      const result = results.get(w.detectionId)!;
      if ('error' in result) w.reject(result.error);
      // Two jobs of one detection in one batch: as one after the other, the second finds it screened.
      else if (reported.has(w.detectionId)) w.resolve(unchanged(w.detectionId));
      else w.resolve(result.report);
      reported.add(w.detectionId);
    }
  }
}
