import {
  Inject,
  Injectable,
  Logger,
  type CanActivate,
  type ExecutionContext,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '@ecc/shared-config';
import { DomainError } from '@ecc/shared-kernel';
import { APP_CONFIG, REDIS, RedisTokenBucket, type RedisConnection } from '@ecc/platform-nest';

/**
 * The public routes' limit: a token bucket per client address (the address Fastify resolves, through the
 * trusted proxies when TRUSTED_PROXIES names them), shared by every API instance through Redis — the same
 * bucket as the per-station intake limit. Over it: 429 `rate_limited` with Retry-After. Redis away: the request
 * is admitted (the data is public; the limit protects capacity, not secrecy).
 */
@Injectable()
export class PublicRateLimitGuard implements CanActivate, OnApplicationShutdown {
  private readonly logger = new Logger(PublicRateLimitGuard.name);
  private readonly bucket: RedisTokenBucket;
  private lastWarning = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) redis: RedisConnection,
  ) {
    this.bucket = RedisTokenBucket.failingFast(redis);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const { rateLimitPerSecond: rate, rateLimitBurst: burst } = this.config.publicRoutes;
    let result: { allowed: boolean; waitMs: number };
    try {
      result = await this.bucket.take(
        `${this.config.redis.keyPrefix}:public:rate:${request.ip}`,
        rate,
        burst,
      );
    } catch (error) {
      if (Date.now() - this.lastWarning > 10_000) {
        this.lastWarning = Date.now();
        this.logger.warn({ err: error }, 'public rate limiter unavailable, admitting requests');
      }
      return true;
    }
    if (result.allowed) return true;
    const retryAfterSeconds = Math.max(1, Math.ceil(result.waitMs / 1000));
    throw new DomainError(
      'rate_limited',
      'rate_limited',
      `more than ${rate} requests per second (burst ${burst}) from this address; retry after ${retryAfterSeconds} s`,
      { retryAfterSeconds },
    );
  }

  onApplicationShutdown(): void {
    this.bucket.disconnect();
  }
}
