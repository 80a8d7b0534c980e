import { PrismaPg } from '@prisma/adapter-pg';
import { Pool, type PoolClient } from 'pg';
import { PrismaClient, type Prisma } from './generated/prisma/client';

export interface CreatePrismaClientOptions {
  /** Connection pool size (node-postgres default: 10). */
  poolSize?: number;
  /** Application name shown in pg_stat_activity. */
  applicationName?: string;
  /** Longest wait for a connection: opening one, or a free one of the pool (none: unbounded). */
  connectTimeoutMs?: number;
  /**
   * Postgres's `statement_timeout`: the server cancels a statement running longer (SQLSTATE 57014). The client
   * also stops waiting for an answer `STATEMENT_ANSWER_MARGIN_MS` after it and drops the connection: a frozen
   * server never answers, and cancels nothing.
   */
  statementTimeoutMs?: number;
  /** Postgres's `idle_in_transaction_session_timeout`: ends a session that holds a transaction open and idle. */
  idleInTransactionTimeoutMs?: number;
}

/** How much longer than the server's statement timeout the client waits for an answer. */
export const STATEMENT_ANSWER_MARGIN_MS = 2_000;

const pools = new WeakMap<PrismaClient, Pool>();

/**
 * The Rust-free Prisma client over a node-postgres pool. Call `$disconnect()` to close the pool (the adapter
 * ends it).
 */
export function createPrismaClient(
  databaseUrl: string,
  options: CreatePrismaClientOptions = {},
): PrismaClient {
  const pool = createPool(databaseUrl, options);
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(client, pool);
  return client;
}

function createPool(databaseUrl: string, options: CreatePrismaClientOptions): Pool {
  const pool = new Pool({
    connectionString: databaseUrl,
    ...(options.poolSize === undefined ? {} : { max: options.poolSize }),
    ...(options.applicationName === undefined ? {} : { application_name: options.applicationName }),
    ...(options.connectTimeoutMs === undefined ? {} : { connectionTimeoutMillis: options.connectTimeoutMs }),
    ...(options.statementTimeoutMs === undefined
      ? {}
      : {
          statement_timeout: options.statementTimeoutMs,
          query_timeout: options.statementTimeoutMs + STATEMENT_ANSWER_MARGIN_MS,
        }),
    ...(options.idleInTransactionTimeoutMs === undefined
      ? {}
      : { idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs }),
  });
  pool.on('connect', (connection) => {
    oneQueryAtATime(connection);
    // A connection's own error events (a reset while idle or under pg-pool's query) reach callers too.
    connection.on('error', markConnectionFailure);
  });
  // An idle connection the server closed (a restart): the pool drops it; without a listener the process would die.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Runs the queries given to one connection one after another. Prisma's query interpreter sends the parts of
 * some queries concurrently on the connection of an interactive transaction; node-postgres queues them but
 * warns that pg 9 will refuse to. And a query whose answer never came (the client's read timeout: a frozen
 * server) leaves the connection mid-protocol, so it is ended: its pool drops it instead of lending it again
 * (a transaction's connection is released without an error, so the pool could not tell).
 */
function oneQueryAtATime(connection: PoolClient): void {
  const query = connection.query.bind(connection) as (config: unknown, values?: unknown) => Promise<unknown>;
  let previous: Promise<unknown> = Promise.resolve();
  const serialized = (config: unknown, values?: unknown, callback?: unknown): unknown => {
    // Query objects (cursors, streams) manage their own life cycle.
    if (typeof (config as { submit?: unknown } | null)?.submit === 'function') {
      return (query as (...args: unknown[]) => unknown)(config, values, callback);
    }
    const done = typeof values === 'function' ? values : callback;
    const args = typeof values === 'function' ? undefined : values;
    const run = () => query(config, args);
    const result = previous.then(run, run);
    previous = result.catch(() => undefined);
    result.catch((error: unknown) => {
      if ((error as Error)?.message === 'Query read timeout') connection.end().catch(() => undefined);
      markConnectionFailure(error);
    });
    if (typeof done !== 'function') return result;
    result.then(
      (value) => (done as (error: unknown, value?: unknown) => void)(null, value),
      (error: unknown) => (done as (error: unknown) => void)(error),
    );
    return undefined;
  };
  connection.query = serialized as PoolClient['query'];
}

/**
 * An error of a connection of ours that is not the server's answer (no SQLSTATE): a socket reset, a broken pipe,
 * a terminated connection. Socket errors of an established connection name no address, so the error is marked
 * `dependency: 'database'` here, where it is known to be the database's — the platform's problem filter answers
 * it 503 (Prisma maps such errors itself; the pool's direct users get them as they are).
 */
function markConnectionFailure(error: unknown): void {
  if (!error || typeof error !== 'object' || 'severity' in error) return;
  Object.defineProperty(error, 'dependency', { value: 'database', configurable: true });
}

/**
 * The node-postgres pool under a client made by `createPrismaClient`, for the few hot statements worth a
 * prepared (named) statement: Prisma sends every query unnamed, so Postgres plans it on every execution, and
 * for a large statement run hundreds of times a second planning is a good part of its cost. Same connections,
 * same limit; outside any transaction of the caller.
 */
export function pgPoolOf(client: PrismaClient): Pool {
  const pool = pools.get(client);
  if (!pool) throw new Error('not a client made by createPrismaClient: no pool to prepare statements on');
  return pool;
}

/** The client handed to `$transaction(async (tx) => ...)`: repositories take it to join the caller's transaction. */
export type Tx = Prisma.TransactionClient;
