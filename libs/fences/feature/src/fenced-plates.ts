import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { FencesRepository } from '@ecc/fences-data';
import { FenceBus } from './fence-bus';

/** Full reload of the watch list: covers a missed pub/sub message. */
export const FENCE_RELOAD_INTERVAL_MS = 30_000;
/**
 * A plate announced as fenced is kept this long even when a reload does not see it yet: the worker
 * announces inside the fencing transaction, so a reload right after may run before its commit.
 */
const ANNOUNCED_GRACE_MS = 10_000;

/**
 * The API's in-memory watch list (布控名单): every plate under an active fence. The detection hot path asks
 * it synchronously, so an unfenced plate — nearly every detection — costs no database round trip. It is a
 * filter: a plate in it only makes the alert insert look at the fences table, which decides.
 */
@Injectable()
export class FencedPlates implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(FencedPlates.name);
  private plates = new Set<string>();
  private readonly announced = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private reloading?: Promise<void>;
  private again = false;

  constructor(
    private readonly fences: FencesRepository,
    private readonly bus: FenceBus,
  ) {}

  async onModuleInit(): Promise<void> {
    this.bus.onChanged((message) => {
      if (message.kind === 'fenced') this.announced.set(message.plate, Date.now() + ANNOUNCED_GRACE_MS);
      void this.reload();
    });
    await this.reload();
    this.timer = setInterval(() => void this.reload(), FENCE_RELOAD_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  has(plate: string): boolean {
    if (this.plates.has(plate)) return true;
    const until = this.announced.get(plate);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.announced.delete(plate);
    return false;
  }

  get size(): number {
    return this.plates.size;
  }

  /** One reload at a time; a request during one runs once more after it (it may have missed a commit). */
  reload(): Promise<void> {
    if (this.reloading) {
      this.again = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      do {
        this.again = false;
        try {
          this.plates = new Set(await this.fences.activePlates());
        } catch (err) {
          this.logger.warn({ err }, 'reload of the fenced plates failed; keeping the previous list');
        }
      } while (this.again);
    })().finally(() => (this.reloading = undefined));
    return this.reloading;
  }
}
