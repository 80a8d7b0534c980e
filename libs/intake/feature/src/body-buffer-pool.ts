/**
 * Reusable buffers for the bodies of detection forms (three photos: ~300 KB each).
 *
 * Why: every buffer of that size is memory outside V8's heap, and V8 runs a full (mark-compact) collection of the
 * API's whole heap each time such memory has grown by 64 MB since the last one — with a fresh 300 KB buffer per
 * form, every ~200 forms, each collection a few hundred milliseconds of one core marking a heap of ~200 MB. A
 * buffer handed back after its request is done is used again instead.
 *
 * A buffer is taken for one request and given back only once nothing uses it any more (the request handled, its
 * uploads answered and their bytes sent); one not given back (a request that failed half-way, whose uploads may
 * still be sending) is simply left to the garbage collector. Bytes of an earlier request are never exposed: the
 * caller sees exactly the bytes it wrote (`view`).
 */
export class BodyBufferPool {
  private readonly free = new Map<number, Buffer[]>();

  constructor(
    /** Bodies larger than this are not pooled (allocated per request). */
    private readonly maxPooledBytes = 1024 * 1024,
    /** Buffers kept per size class. */
    private readonly keepPerClass = 16,
    /** Size classes are multiples of this. */
    private readonly granule = 64 * 1024,
  ) {}

  /** A buffer of at least `length` bytes (its content undefined). */
  take(length: number): Buffer {
    const capacity = Math.max(this.granule, Math.ceil(length / this.granule) * this.granule);
    if (capacity > this.maxPooledBytes) return Buffer.allocUnsafeSlow(length);
    return this.free.get(capacity)?.pop() ?? Buffer.allocUnsafeSlow(capacity);
  }

  /** Gives a buffer from `take` back; the caller must hold no view of it any more. */
  give(buffer: Buffer): void {
    const capacity = buffer.buffer.byteLength;
    if (
      buffer.byteOffset !== 0 ||
      capacity > this.maxPooledBytes ||
      capacity % this.granule !== 0 ||
      buffer.length !== capacity
    )
      return;
    const list = this.free.get(capacity) ?? [];
    if (list.length >= this.keepPerClass || list.includes(buffer)) return;
    list.push(buffer);
    this.free.set(capacity, list);
  }

  /** Buffers kept (for tests and metrics). */
  get size(): number {
    let n = 0;
    for (const list of this.free.values()) n += list.length;
    return n;
  }
}
