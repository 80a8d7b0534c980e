import type { AppConfig } from '@ecc/shared-config';
import { ScreeningBatcher } from './screening-batcher';
import type { ScreenDetectionUseCase, ScreeningReport, ScreeningResultOf } from './screen-detection.use-case';

const report = (detectionId: string): ScreeningReport => ({
  detectionId,
  screenedNow: true,
  outcome: 'no_violation',
  leadId: null,
  joinedLead: false,
  stationId: 's',
  plate: 'P',
});

/** A use case that records its calls; `failBatch` makes any call of several detections throw. */
function fakeUseCase(options: { failBatch?: boolean; broken?: string[] } = {}) {
  const calls: string[][] = [];
  const resultOf = (id: string): ScreeningResultOf =>
    options.broken?.includes(id) ? { error: new Error(`cannot screen ${id}`) } : { report: report(id) };
  const useCase = {
    async executeMany(ids: readonly string[]) {
      calls.push([...ids]);
      if (options.failBatch && ids.length > 1) throw new Error('deadlock detected');
      return new Map(ids.map((id) => [id, resultOf(id)]));
    },
    async execute(id: string) {
      calls.push([id]);
      const result = resultOf(id);
      if ('error' in result) throw result.error;
      return result.report;
    },
  };
  return { calls, batcher: new ScreeningBatcher(useCase as unknown as ScreenDetectionUseCase, config(0)) };
}

const config = (batchLingerMs: number) => ({ screening: { batchLingerMs } }) as unknown as AppConfig;

describe('screening jobs in batches', () => {
  it('screens the detections of jobs arriving together in one call, each job getting its own report', async () => {
    const { calls, batcher } = fakeUseCase();
    const reports = await Promise.all(['a', 'b', 'c'].map((id) => batcher.screen(id)));
    expect(calls).toEqual([['a', 'b', 'c']]);
    expect(reports.map((r) => r.detectionId)).toEqual(['a', 'b', 'c']);
  });

  it('reports a detection of two jobs in one batch as screened by the first only', async () => {
    const { calls, batcher } = fakeUseCase();
    const [first, second] = await Promise.all([batcher.screen('a'), batcher.screen('a')]);
    expect(calls).toEqual([['a', 'a']]);
    expect(first.screenedNow).toBe(true);
    expect(second).toMatchObject({ detectionId: 'a', screenedNow: false, outcome: null });
  });

  it('takes at most 50 detections per call', async () => {
    const { calls, batcher } = fakeUseCase();
    const ids = Array.from({ length: 120 }, (_, i) => `d${i}`);
    await Promise.all(ids.map((id) => batcher.screen(id)));
    expect(calls.map((c) => c.length)).toEqual([50, 50, 20]);
    expect(calls.flat()).toEqual(ids);
  });

  it('runs two transactions at most; what arrives meanwhile waits and goes together into the next', async () => {
    const calls: string[][] = [];
    const ends: (() => void)[] = [];
    const useCase = {
      executeMany: (ids: readonly string[]) =>
        new Promise<Map<string, ScreeningResultOf>>((resolve) => {
          calls.push([...ids]);
          ends.push(() => resolve(new Map(ids.map((id) => [id, { report: report(id) }]))));
        }),
    };
    const batcher = new ScreeningBatcher(useCase as unknown as ScreenDetectionUseCase, config(0));
    const tick = () => new Promise((r) => setImmediate(r));
    const done = [batcher.screen('a')];
    await tick();
    done.push(batcher.screen('b'));
    await tick();
    done.push(batcher.screen('c'), batcher.screen('d'));
    await tick();
    done.push(batcher.screen('e'));
    await tick();
    expect(calls).toEqual([['a'], ['b']]);
    ends[0]!();
    await tick();
    await tick();
    expect(calls).toEqual([['a'], ['b'], ['c', 'd', 'e']]);
    ends[1]!();
    ends[2]!();
    expect((await Promise.all(done)).map((r) => r.detectionId)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('fails only the job whose detection cannot be screened', async () => {
    const { batcher } = fakeUseCase({ broken: ['b'] });
    const settled = await Promise.allSettled(['a', 'b', 'c'].map((id) => batcher.screen(id)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason.message).toBe('cannot screen b');
  });

  it('screens one by one when the transaction of a batch fails, so the others are not held back', async () => {
    const { calls, batcher } = fakeUseCase({ failBatch: true, broken: ['c'] });
    const settled = await Promise.allSettled(['a', 'b', 'c'].map((id) => batcher.screen(id)));
    expect(calls).toEqual([['a', 'b', 'c'], ['a'], ['b'], ['c']]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
  });
});
