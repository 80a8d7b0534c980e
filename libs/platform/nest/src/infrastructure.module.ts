import {
  Global,
  Inject,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import { createPrismaClient, type PrismaClient } from '@ecc/shared-data';
import { systemClock } from '@ecc/shared-kernel';
import { APP_CONFIG, CLOCK, OBJECT_STORAGE, PRISMA, REDIS } from './tokens';
import { MinioObjectStorage } from './storage/minio-object-storage';
import { ensureBucketWhenReachable } from './storage/ensure-bucket';
import { logConnectionErrors } from './redis/connection-errors';
import { connectRedis, type RedisConnection } from './redis/redis-connection';

/**
 * Configuration, Postgres (Prisma), Redis, object storage and the clock, built once from the parsed
 * configuration and shared by every module of an app (API or worker).
 */
@Global()
@Module({})
export class InfrastructureModule implements OnApplicationShutdown {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: systemClock },
        {
          provide: PRISMA,
          useFactory: () =>
            createPrismaClient(config.database.url, {
              poolSize: config.database.poolSize,
              connectTimeoutMs: config.database.connectTimeoutMs,
              statementTimeoutMs: config.database.statementTimeoutMs,
              idleInTransactionTimeoutMs: config.database.idleInTransactionTimeoutMs,
            }),
        },
        {
          provide: REDIS,
          // BullMQ workers need maxRetriesPerRequest: null; one connection option set serves all.
          useFactory: () =>
            logConnectionErrors(connectRedis(config.redis.target, { maxRetriesPerRequest: null }), 'shared'),
        },
        {
          provide: OBJECT_STORAGE,
          useFactory: () => {
            const storage = MinioObjectStorage.fromConfig(config.storage);
            void ensureBucketWhenReachable(storage, new Logger('ObjectStorage'));
            return storage;
          },
        },
      ],
      exports: [APP_CONFIG, CLOCK, PRISMA, REDIS, OBJECT_STORAGE],
    };
  }

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(REDIS) private readonly redis: RedisConnection,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.prisma.$disconnect(), this.redis.quit()]);
  }
}
