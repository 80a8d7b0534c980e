import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Clock } from '@ecc/shared-kernel';
import { JOBS } from '@ecc/shared-queues';
import { CLOCK, QueueProducer } from '@ecc/platform-nest';

export interface ScheduledDeadline {
  id: string;
  dueAt: Date;
  approachingAt: Date | null;
}

/**
 * Enqueues the delayed `deadline-due` jobs of deadlines just committed. A failure here loses nothing: the
 * worker's sweep finds every open deadline whose instant has passed, job or not.
 */
@Injectable()
export class DeadlineScheduler {
  private readonly logger = new Logger(DeadlineScheduler.name);

  constructor(
    private readonly producer: QueueProducer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async schedule(deadlines: readonly ScheduledDeadline[]): Promise<void> {
    const now = this.clock.now().getTime();
    try {
      for (const d of deadlines) {
        if (d.approachingAt) {
          await this.producer.enqueue(
            JOBS.deadlineDue,
            { deadlineId: d.id, phase: 'approaching' },
            { delayMs: Math.max(0, d.approachingAt.getTime() - now) },
          );
        }
        // One millisecond after the last instant of the period: then it is over.
        await this.producer.enqueue(
          JOBS.deadlineDue,
          { deadlineId: d.id, phase: 'due' },
          { delayMs: Math.max(0, d.dueAt.getTime() + 1 - now) },
        );
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'could not enqueue deadline jobs; the deadline sweep will find them');
    }
  }
}
