/** The outcome of one item of a batch: its value, or the error of that item alone. */
export type BatchResult<O> = { value: O } | { error: unknown };

export interface AdaptiveBatcherOptions<I, O> {
  /** Does the work of several items in one go (one transaction, one statement); a result per item, in order. */
  runMany: (items: readonly I[]) => Promise<readonly BatchResult<O>[]>;
  /** Does one item alone: when `runMany` failed as a whole, for each item of that batch again. */
  runOne: (item: I) => Promise<O>;
  /** The most items in one batch, and the most batches running at once. */
  maxBatch: number;
  maxRunning: number;
  /**
   * For background work only: a batch that could start with fewer than `maxBatch` items waits up to this long
   * for more (default 0: starts at once). Fewer, fuller batches when the work trickles in, at the price of this
   * much added delay per item.
   */
  lingerMs?: number;
  /** Told when a whole batch failed and its items are being done one by one (for the log). */
  onBatchFailure?: (error: unknown, size: number) => void;
}

/**
 * Work that arrives together shares one round trip, without a timer: an item starts at once while fewer than
 * `maxRunning` batches run; otherwise it waits for one of them to end, together with whatever else arrives
 * meanwhile (up to `maxBatch`). So batches stay at one item (no added wait) when the work keeps up easily and
 * grow with the load. Background work that may wait can set `lingerMs` to gather fuller batches. Each caller waits for its own item and fails on its own: an item's error goes to it
 * alone, and should the batch itself fail (a deadlock, a lost connection, a constraint of one row failing the
 * statement) every item of it is done again on its own, so one bad item never fails the others.
 */
export class AdaptiveBatcher<I, O> {
  private waiting: { item: I; resolve: (value: O) => void; reject: (error: unknown) => void }[] = [];
  private running = 0;
  private scheduled = false;
  private lingering: NodeJS.Timeout | undefined;

  constructor(private readonly options: AdaptiveBatcherOptions<I, O>) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** After the current I/O events, so that the items handed over by one poll of the event loop share a batch. */
  private schedule(): void {
    if (this.running >= this.options.maxRunning) return;
    const linger = this.options.lingerMs ?? 0;
    if (linger > 0 && this.waiting.length >= this.options.maxBatch && this.lingering) {
      // Full: no reason to wait any longer.
      clearTimeout(this.lingering);
      this.lingering = undefined;
      this.scheduled = false;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    const start = () => {
      this.scheduled = false;
      this.lingering = undefined;
      this.flush();
    };
    if (linger > 0 && this.waiting.length < this.options.maxBatch) this.lingering = setTimeout(start, linger);
    else setImmediate(start);
  }

  private flush(): void {
    while (this.running < this.options.maxRunning && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxBatch);
      this.running++;
      void this.run(batch).finally(() => {
        this.running--;
        if (this.waiting.length > 0) this.schedule();
      });
    }
  }

  private async run(batch: AdaptiveBatcher<I, O>['waiting']): Promise<void> {
    let results: readonly BatchResult<O>[];
    try {
      results = await this.options.runMany(batch.map((w) => w.item));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      this.options.onBatchFailure?.(error, batch.length);
      await Promise.all(batch.map((w) => this.options.runOne(w.item).then(w.resolve, w.reject)));
      return;
    }
    batch.forEach((w, i) => {
      const result = results[i];
      if (!result) w.reject(new Error(`the batch returned no result for item ${i}`));
      else if ('error' in result) w.reject(result.error);
      else w.resolve(result.value);
    });
  }
}
