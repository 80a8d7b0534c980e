import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';

/**
 * A sweep that runs once at start, then every `intervalMs`, never two at once, and is awaited at shutdown.
 * The sweeps are what make the queues safe to lose (outbox, notices, deadlines): a failed run is logged and
 * simply tried again at the next interval.
 */
export abstract class PeriodicTask implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  /** Set at shutdown: a long sweep checks it between batches. */
  protected stopped = false;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  protected abstract intervalMs(): number;

  /** One run; what it returns is only for tests and logs. */
  abstract sweep(): Promise<unknown>;

  onApplicationBootstrap(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.intervalMs());
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running || this.stopped) return;
    this.running = this.sweep()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'sweep failed; retrying next interval'))
      .finally(() => (this.running = undefined));
  }
}
