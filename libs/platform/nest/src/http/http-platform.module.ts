import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { HealthController } from '../health/health.controller';
import { AuthGuard, TokenService } from './auth';
import { LiveSessions, UserSessions } from './sessions';

/**
 * What every HTTP app shares: bearer-token authentication on every route (with the user's state checked on
 * each request) and the health endpoints. (The audit of auditors' reads of personal data is the audit
 * context's: AuditModule registers its interceptor.)
 */
@Global()
@Module({
  controllers: [HealthController],
  providers: [UserSessions, LiveSessions, TokenService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TokenService, UserSessions, LiveSessions],
})
export class HttpPlatformModule {}
