import { ensureBucketWhenReachable } from './ensure-bucket';

describe('the evidence bucket at start', () => {
  it('is made once the store answers, however long it was away, without failing the start', async () => {
    let calls = 0;
    const storage = {
      bucket: 'ecc-evidence',
      ensureBucket: async () => {
        calls += 1;
        if (calls < 4) throw new Error('the object store: unreachable');
      },
    };
    const logged: string[] = [];
    const logger = { log: (m: string) => logged.push(m), warn: (m: string) => logged.push(m) };
    await ensureBucketWhenReachable(storage, logger, 1);
    expect(calls).toBe(4);
    expect(logged).toEqual([
      'bucket ecc-evidence not ready yet (the object store: unreachable); retrying',
      'bucket ecc-evidence ready after 4 attempts',
    ]);
  });
});
