import { z } from 'zod';
import { loadConfig } from '@ecc/shared-config';
import { defineJob, QUEUE_NAMES } from '@ecc/shared-queues';
import { concurrencyOf, matchHandlers } from './job-dispatcher';

const a = defineJob({
  queue: 'q',
  name: 'a',
  payload: z.object({}),
  jobId: () => 'a',
  attempts: 1,
  backoff: { type: 'fixed', delay: 1 },
});
const b = defineJob({
  queue: 'q',
  name: 'b',
  payload: z.object({}),
  jobId: () => 'b',
  attempts: 1,
  backoff: { type: 'fixed', delay: 1 },
});
const handler = async () => undefined;

describe('matching job handlers to the declared jobs', () => {
  it('pairs each declared job with its one handler', () => {
    const map = matchHandlers(
      [a, b],
      [
        { job: a, where: 'A.run', handler },
        { job: b, where: 'B.run', handler },
      ],
    );
    expect([...map.keys()]).toEqual(['q/a', 'q/b']);
  });

  it('refuses to start with a job without handler, a job with two, or a handler of an undeclared job', () => {
    expect(() => matchHandlers([a, b], [{ job: a, where: 'A.run', handler }])).toThrow(
      /job q\/b has no handler/,
    );
    expect(() =>
      matchHandlers(
        [a],
        [
          { job: a, where: 'A.run', handler },
          { job: a, where: 'A2.run', handler },
        ],
      ),
    ).toThrow(/job q\/a has two handlers: A.run and A2.run/);
    expect(() =>
      matchHandlers(
        [a],
        [
          { job: a, where: 'A.run', handler },
          { job: b, where: 'B.run', handler },
        ],
      ),
    ).toThrow(/B.run handles undeclared job q\/b/);
  });
});

describe('concurrency per queue', () => {
  it('takes each declared queue from its own setting', () => {
    const config = loadConfig({
      SCREENING_CONCURRENCY: '96',
      NOTICE_CONCURRENCY: '4',
      DEADLINE_CONCURRENCY: '2',
      DOCUMENT_RENDER_CONCURRENCY: '3',
    });
    expect(QUEUE_NAMES.map((q) => [q, concurrencyOf(q, config)])).toEqual([
      ['screening', 96],
      ['notices', 4],
      ['deadlines', 2],
      ['documents', 3],
    ]);
    expect(concurrencyOf('screening', loadConfig({}))).toBe(64);
  });
});
