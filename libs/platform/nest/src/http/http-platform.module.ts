import { Global, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { HealthController } from '../health/health.controller';
import { AuthGuard, TokenService } from './auth';
import { ReadAuditInterceptor } from './read-audit';
import { LiveSessions, UserSessions } from './sessions';

/**
 * What every HTTP app shares: bearer-token authentication on every route (with the user's state checked on
 * each request), the audit of auditors' reads of personal data, health endpoints.
 */
@Global()
@Module({
  controllers: [HealthController],
  providers: [
    UserSessions,
    LiveSessions,
    TokenService,
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_INTERCEPTOR, useClass: ReadAuditInterceptor },
  ],
  exports: [TokenService, UserSessions, LiveSessions],
})
export class HttpPlatformModule {}
