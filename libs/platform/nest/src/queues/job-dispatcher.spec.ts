import { z } from 'zod';
import { defineJob } from '@ecc/shared-queues';
import { matchHandlers } from './job-dispatcher';

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
