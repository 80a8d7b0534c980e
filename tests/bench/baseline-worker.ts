import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { Pool } from 'pg';

/**
 * Ceiling (b) of TOOLCHAIN.md: a BullMQ worker doing one Postgres INSERT per job (concurrency 50, pool 10),
 * draining a queue filled beforehand with `addBulk` — what screening costs without its reads, rules and
 * lead writes. Not product code.
 */
export async function measureBaselineWorker(options: {
  redisUrl: string;
  prefix: string;
  databaseUrl: string;
  jobs: number;
  timeoutMs: number;
}): Promise<{ jobs: number; seconds: number; jobsPerSecond: number }> {
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const pool = new Pool({ connectionString: options.databaseUrl, max: 10 });
  const queue = new Queue('baseline-insert', { connection, prefix: options.prefix });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_baseline_jobs (id text PRIMARY KEY, payload jsonb, at timestamptz DEFAULT now())',
  );
  try {
    for (let i = 0; i < options.jobs; i += 1000) {
      const count = Math.min(1000, options.jobs - i);
      await queue.addBulk(
        Array.from({ length: count }, (_, k) => ({
          name: 'insert',
          data: { detectionId: `d-${i + k}`, grossKg: 30_000 + k },
          opts: { jobId: `d-${i + k}`, removeOnComplete: true },
        })),
      );
    }
    let done = 0;
    const started = performance.now();
    const finished = new Promise<void>((resolve) => {
      const worker = new Worker(
        'baseline-insert',
        async (job) => {
          await pool.query('INSERT INTO bench_baseline_jobs (id, payload) VALUES ($1, $2)', [
            job.id,
            job.data,
          ]);
        },
        { connection: connection.duplicate(), prefix: options.prefix, concurrency: 50 },
      );
      worker.on('completed', () => {
        if (++done === options.jobs) void worker.close().then(() => resolve());
      });
      setTimeout(() => void worker.close(true).then(() => resolve()), options.timeoutMs).unref();
    });
    await finished;
    const seconds = (performance.now() - started) / 1000;
    return { jobs: done, seconds, jobsPerSecond: done / seconds };
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await pool.query('DROP TABLE IF EXISTS bench_baseline_jobs');
    await pool.end();
    connection.disconnect();
  }
}
