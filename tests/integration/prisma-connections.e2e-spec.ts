import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { createPrismaClient, dropDatabase, pgPoolOf } from '@ecc/shared-data';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestDatabase } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * The connections under the Prisma client (`createPrismaClient`): one query at a time per connection, and a
 * connection whose answer never came is not lent again. The first case runs in a fresh Node process, because
 * node-postgres warns of concurrent queries once per process and the run's other files share this one.
 */
const ROOT = resolve(__dirname, '../..');

function runScript(
  script: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@ecc/source', '-r', '@swc-node/register', '-e', script],
      { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => done({ code, stdout, stderr }));
  });
}

describe('the Prisma client’s connections', () => {
  let url: string;

  beforeAll(async () => {
    url = await createTestDatabase('prismaconn');
    const db = new Client({ connectionString: url });
    await db.connect();
    await db.query(
      `INSERT INTO stations (id, code, name, updated_at) VALUES (gen_random_uuid(), 'PC-1', '测试检测点', now())`,
    );
    await db.end();
  });

  afterAll(() => dropDatabase(url));

  it('never gives a transaction’s connection a second query while one runs (pg 9 refuses it)', async () => {
    // Prisma loads the relations of an `include` with one query each, all at once: in an interactive
    // transaction they share its one connection.
    const { code, stdout, stderr } = await runScript(
      `
      const { createPrismaClient } = require('@ecc/shared-data');
      const db = createPrismaClient(process.env.DATABASE_URL, { poolSize: 2 });
      db.$transaction((tx) =>
        tx.station.findFirst({
          where: { code: 'PC-1' },
          include: { devices: true, secrets: true, detections: true, leads: true },
        }),
      )
        .then((station) => console.log('found', station && station.code))
        .finally(() => db.$disconnect());
      `,
      { DATABASE_URL: url },
    );
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('found PC-1');
  });

  it('stops waiting for an answer that never comes, and lends that connection to nobody again', async () => {
    const target = new URL(url);
    const proxy = await new TcpProxy({ host: target.hostname, port: Number(target.port) }).start();
    const db = createPrismaClient(proxy.url(url), {
      poolSize: 1,
      connectTimeoutMs: 1000,
      statementTimeoutMs: 500,
    });
    const pool = pgPoolOf(db);
    const ask = () => db.$transaction((tx) => tx.$queryRaw<{ one: number }[]>`SELECT 1 AS one`);
    try {
      expect(await ask()).toEqual([{ one: 1 }]);
      const started = Date.now();
      await expect(
        db.$transaction(async (tx) => {
          await tx.$queryRaw`SELECT 1`;
          // The next query reaches the server; its answer never comes back (a server frozen mid-answer).
          proxy.stall('answers');
          await tx.$queryRaw`SELECT 2`;
        }),
      ).rejects.toThrow(/Query read timeout/);
      // 500 ms statement timeout + 2 s for the answer, not the stall's length.
      expect(Date.now() - started).toBeLessThan(4000);
      // The transaction's connection went back to the pool after its ROLLBACK: the pool must not keep it.
      await waitFor('the stalled connection dropped', async () => pool.totalCount === 0, 5000);
      proxy.restore();
      expect(await ask()).toEqual([{ one: 1 }]);
    } finally {
      await db.$disconnect();
      await proxy.close();
    }
  });

  it('marks a connection reset under a direct pool query as the database’s: a socket error names no address', async () => {
    const target = new URL(url);
    const proxy = await new TcpProxy({ host: target.hostname, port: Number(target.port) }).start();
    const db = createPrismaClient(proxy.url(url), { poolSize: 1 });
    try {
      const waiting = pgPoolOf(db).query('SELECT pg_sleep(2)');
      await waitFor('the query running', async () => {
        const admin = new Client({ connectionString: url });
        await admin.connect();
        const { rows } = await admin.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(2)'`,
        );
        await admin.end();
        return rows[0].n === 1;
      });
      proxy.cut({ reset: true });
      const error = (await waiting.catch((e: unknown) => e)) as Error & { dependency?: string };
      expect(error.message).toBe('read ECONNRESET');
      expect(error.dependency).toBe('database');
    } finally {
      await db.$disconnect();
      await proxy.close();
    }
  });
});
