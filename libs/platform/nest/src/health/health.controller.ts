import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { RedisConnection } from '../redis/redis-connection';
import type { PrismaClient } from '@ecc/shared-data';
import type { ObjectStorage } from '@ecc/shared-kernel';
import { z } from 'zod';
import { Public } from '../http/auth';
import { ApiZodResponse } from '../http/zod';
import { NoPersonalData } from '../http/read-audit';
import { OBJECT_STORAGE, PRISMA, REDIS } from '../tokens';
import { readiness, readinessChecks } from './readiness';

const dependencySchema = z.object({
  status: z.enum(['up', 'down']),
  latencyMs: z.number().int(),
  error: z.string().optional(),
});
const readinessSchema = z.object({
  status: z.enum(['up', 'down']),
  checks: z.object({ database: dependencySchema, redis: dependencySchema, storage: dependencySchema }),
});

/** Liveness (the process answers) and readiness (Postgres, Redis and object storage reachable). */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(REDIS) private readonly redis: RedisConnection,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  @Get('live')
  @NoPersonalData()
  @ApiZodResponse(200, z.object({ status: z.literal('up') }), 'the process answers')
  live() {
    return { status: 'up' };
  }

  @Get('ready')
  @NoPersonalData()
  @ApiZodResponse(200, readinessSchema, 'Postgres, Redis and object storage answer')
  @ApiZodResponse(503, readinessSchema, 'not ready: the checks say which dependency is down')
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const { ready, checks } = await readiness({
      database: readinessChecks.database(this.prisma),
      redis: readinessChecks.redis(this.redis),
      storage: readinessChecks.storage(this.storage),
    });
    reply.status(ready ? 200 : 503);
    return { status: ready ? 'up' : 'down', checks };
  }
}
