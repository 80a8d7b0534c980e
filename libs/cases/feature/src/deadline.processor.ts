import { Inject, Injectable } from '@nestjs/common';
import { DeadlinesRepository } from '@ecc/cases-data';
import type { AppConfig } from '@ecc/shared-config';
import type { Clock } from '@ecc/shared-kernel';
import { JOBS, type PayloadOf } from '@ecc/shared-queues';
import { APP_CONFIG, CLOCK, JobHandler, PeriodicTask } from '@ecc/platform-nest';
import { HandleDeadlineUseCase } from './handle-deadline.use-case';

/** The worker's handler of `deadlines/deadline-due`: the use case does the work. */
@Injectable()
export class DeadlineDueProcessor {
  constructor(private readonly handle: HandleDeadlineUseCase) {}

  @JobHandler(JOBS.deadlineDue)
  async run(payload: PayloadOf<typeof JOBS.deadlineDue>): Promise<string> {
    return this.handle.execute(payload.deadlineId, payload.phase);
  }
}

const BATCH = 200;

/**
 * The periodic sweep (DEADLINE_SWEEP_INTERVAL_MS): every open deadline past its due instant, or whose
 * approaching alert is due, is handled whether or not its delayed job still exists — a flushed Redis or a
 * lost job cannot lose a deadline.
 */
@Injectable()
export class DeadlineSweeper extends PeriodicTask {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly deadlines: DeadlinesRepository,
    private readonly handle: HandleDeadlineUseCase,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.cases.deadlineSweepIntervalMs;
  }

  async sweep(): Promise<number> {
    const { due, approaching } = await this.deadlines.needingAttention(this.clock.now(), BATCH);
    let done = 0;
    for (const id of approaching) {
      if (this.stopped) break;
      if ((await this.handle.execute(id, 'approaching')) === 'done') done++;
    }
    for (const id of due) {
      if (this.stopped) break;
      if ((await this.handle.execute(id, 'due')) === 'done') done++;
    }
    if (done > 0) this.logger.log({ count: done }, 'deadline sweep handled deadlines');
    return done;
  }
}
