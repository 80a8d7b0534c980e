import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { PrismaClient, type Prisma } from './generated/prisma/client';

export interface CreatePrismaClientOptions {
  /** Connection pool size (node-postgres default: 10). */
  poolSize?: number;
  /** Application name shown in pg_stat_activity. */
  applicationName?: string;
}

const pools = new WeakMap<PrismaClient, Pool>();

/**
 * The Rust-free Prisma client over a node-postgres pool. Call `$disconnect()` to close the pool (the adapter
 * ends it).
 */
export function createPrismaClient(
  databaseUrl: string,
  options: CreatePrismaClientOptions = {},
): PrismaClient {
  const pool = new Pool({
    connectionString: databaseUrl,
    ...(options.poolSize === undefined ? {} : { max: options.poolSize }),
    ...(options.applicationName === undefined ? {} : { application_name: options.applicationName }),
  });
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(client, pool);
  return client;
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
