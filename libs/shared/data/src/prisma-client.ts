import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, type Prisma } from './generated/prisma/client';

export interface CreatePrismaClientOptions {
  /** Connection pool size (node-postgres default: 10). */
  poolSize?: number;
  /** Application name shown in pg_stat_activity. */
  applicationName?: string;
}

/** The Rust-free Prisma client over a node-postgres pool. Call `$disconnect()` to close the pool. */
export function createPrismaClient(
  databaseUrl: string,
  options: CreatePrismaClientOptions = {},
): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    ...(options.poolSize === undefined ? {} : { max: options.poolSize }),
    ...(options.applicationName === undefined ? {} : { application_name: options.applicationName }),
  });
  return new PrismaClient({ adapter });
}

/** The client handed to `$transaction(async (tx) => ...)`: repositories take it to join the caller's transaction. */
export type Tx = Prisma.TransactionClient;
