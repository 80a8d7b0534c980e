import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import { createPrismaClient, type PrismaClient } from '@ecc/shared-data';
import { APP_CONFIG, PRISMA } from '@ecc/platform-nest';

/**
 * The Postgres the statistics, the exports and the annual report read from: STATISTICS_DATABASE_URL (a read-only
 * replica of the primary, through a small pool of its own) or, unset, the primary's shared client. Only reads go
 * through it: what these routes write (the audit of a read of personal data) goes to the primary.
 */
export const STATISTICS_PRISMA = Symbol('STATISTICS_PRISMA');

export const statisticsDatabase: Provider = {
  provide: STATISTICS_PRISMA,
  useFactory: (config: AppConfig, primary: PrismaClient): PrismaClient =>
    config.statistics.databaseUrl
      ? createPrismaClient(config.statistics.databaseUrl, {
          poolSize: config.statistics.poolSize,
          applicationName: 'ecc-statistics',
          connectTimeoutMs: config.database.connectTimeoutMs,
          statementTimeoutMs: config.database.statementTimeoutMs,
          idleInTransactionTimeoutMs: config.database.idleInTransactionTimeoutMs,
        })
      : primary,
  inject: [APP_CONFIG, PRISMA],
};

/** Closes the statistics' own pool at shutdown (the primary's client is closed by the infrastructure). */
@Injectable()
export class StatisticsDatabaseShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(STATISTICS_PRISMA) private readonly statistics: PrismaClient,
    @Inject(PRISMA) private readonly primary: PrismaClient,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.statistics !== this.primary) await this.statistics.$disconnect();
  }
}
