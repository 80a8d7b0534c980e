import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { concatMap, type Observable } from 'rxjs';
import { PERSONAL_DATA_READ, recordAudit } from '@ecc/audit-data';
import type { PrismaClient } from '@ecc/shared-data';
import { hasAnyRole, type Role } from '@ecc/identity-domain';
import { personalDataMarkOf, PRISMA } from '@ecc/platform-nest';

/** The roles whose reads of personal data are themselves audited (监督: the auditors are audited too). */
export const AUDITED_READER_ROLES: readonly Role[] = ['auditor'];

/**
 * Global interceptor (registered by AuditModule): records auditors' successful reads of routes marked @PersonalData, in the request's
 * own small transaction, and only then lets the answer go (fails closed: no audit row, no data).
 */
@Injectable()
export class ReadAuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(PRISMA) private readonly db: PrismaClient,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const mark = personalDataMarkOf(this.reflector, context.getHandler());
    if (!mark) return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const actor = request.actor;
    if (!actor || !hasAnyRole(actor, AUDITED_READER_ROLES)) return next.handle();
    return next.handle().pipe(
      concatMap(async (body: unknown) => {
        const params = (request.params ?? {}) as Record<string, string>;
        const entityId = mark.idParams.length
          ? mark.idParams.map((name) => params[name] ?? '').join('/')
          : '*';
        await this.db.$transaction((tx) =>
          recordAudit(tx, {
            actor,
            action: PERSONAL_DATA_READ,
            entityType: mark.entityType,
            entityId,
            requestId: String(request.id),
            changes: {
              route: request.routeOptions.url,
              params,
              query: (request.query ?? {}) as Record<string, unknown>,
            },
          }),
        );
        return body;
      }),
    );
  }
}
