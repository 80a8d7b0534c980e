import { AdaptiveBatcher, type BatchResult } from './adaptive-batcher';

function batcher(options: { failMany?: boolean; bad?: number[] } = {}) {
  const calls: number[][] = [];
  const failures: number[] = [];
  const b = new AdaptiveBatcher<number, string>({
    maxBatch: 3,
    maxRunning: 1,
    runMany: async (items) => {
      calls.push([...items]);
      if (options.failMany && items.length > 1) throw new Error('the statement failed');
      return items.map((i): BatchResult<string> =>
        options.bad?.includes(i) ? { error: new Error(`bad ${i}`) } : { value: `v${i}` },
      );
    },
    runOne: async (item) => {
      calls.push([item]);
      if (options.bad?.includes(item)) throw new Error(`bad ${item}`);
      return `one ${item}`;
    },
    onBatchFailure: (_error, size) => failures.push(size),
  });
  return { b, calls, failures };
}

describe('AdaptiveBatcher', () => {
  it('shares a call among items arriving together, up to the batch size, each caller getting its own value', async () => {
    const { b, calls } = batcher();
    const values = await Promise.all([1, 2, 3, 4, 5].map((i) => b.submit(i)));
    expect(values).toEqual(['v1', 'v2', 'v3', 'v4', 'v5']);
    expect(calls).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it("fails an item's caller alone with its own error", async () => {
    const { b } = batcher({ bad: [2] });
    const settled = await Promise.allSettled([1, 2, 3].map((i) => b.submit(i)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason.message).toBe('bad 2');
  });

  it('does each item alone when the batch call fails as a whole, and says so once', async () => {
    const { b, calls, failures } = batcher({ failMany: true, bad: [3] });
    const settled = await Promise.allSettled([1, 2, 3].map((i) => b.submit(i)));
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : 'rejected'))).toEqual([
      'one 1',
      'one 2',
      'rejected',
    ]);
    expect(calls).toEqual([[1, 2, 3], [1], [2], [3]]);
    expect(failures).toEqual([3]);
  });

  describe('with a linger (background work)', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    function lingering() {
      const calls: number[][] = [];
      const b = new AdaptiveBatcher<number, number>({
        maxBatch: 3,
        maxRunning: 1,
        lingerMs: 50,
        runMany: async (items) => {
          calls.push([...items]);
          return items.map((value) => ({ value }));
        },
        runOne: async (item) => item,
      });
      return { b, calls };
    }

    it('holds a batch that is not full back for up to the linger, gathering what arrives meanwhile', async () => {
      const { b, calls } = lingering();
      const first = b.submit(1);
      await jest.advanceTimersByTimeAsync(20);
      const second = b.submit(2);
      await jest.advanceTimersByTimeAsync(29);
      expect(calls).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      expect(calls).toEqual([[1, 2]]);
      expect(await Promise.all([first, second])).toEqual([1, 2]);
    });

    it('starts a full batch at once, without waiting out the linger', async () => {
      const { b, calls } = lingering();
      const done = Promise.all([b.submit(1), b.submit(2)]);
      await jest.advanceTimersByTimeAsync(10);
      const full = b.submit(3);
      await jest.advanceTimersByTimeAsync(0);
      expect(calls).toEqual([[1, 2, 3]]);
      expect(await Promise.all([done, full])).toEqual([[1, 2], 3]);
    });
  });
});
