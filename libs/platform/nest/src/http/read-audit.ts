import {
  applyDecorators,
  Inject,
  Injectable,
  SetMetadata,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtension } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { concatMap, type Observable } from 'rxjs';
import { PERSONAL_DATA_READ, recordAudit } from '@ecc/audit-data';
import type { PrismaClient } from '@ecc/shared-data';
import { hasAnyRole, type Role } from '@ecc/identity-domain';
import { PRISMA } from '../tokens';

const READ_AUDIT = 'ecc:read-audit';

/** The roles whose reads of personal data are themselves audited (监督: the auditors are audited too). */
export const AUDITED_READER_ROLES: readonly Role[] = ['auditor'];

/** What a route returns, for the audit of its reads: the entity type and the path parameters naming it. */
export interface PersonalDataMark {
  entityType: string;
  idParams: readonly string[];
}

/**
 * A read route that returns personal data (plates, names, phone numbers, addresses, photographs): a
 * successful read by an auditor writes a `personal_data.read` audit event before the answer leaves. The
 * entity id is the named path parameters joined by '/', or '*' for a list (the query is in the payload).
 * Every GET route carries either this or @NoPersonalData() (the auditor route walk checks it through the
 * `x-personal-data` extension of the OpenAPI document).
 */
export const PersonalData = (entityType: string, ...idParams: string[]) =>
  applyDecorators(
    SetMetadata(READ_AUDIT, { entityType, idParams } satisfies PersonalDataMark),
    ApiExtension('x-personal-data', { entityType, idParams }),
  );

/** A read route declared free of personal data (catalogues, policies, stations, one's own account). */
export const NoPersonalData = () =>
  applyDecorators(SetMetadata(READ_AUDIT, false), ApiExtension('x-personal-data', false));

/**
 * Global interceptor: records auditors' successful reads of routes marked @PersonalData, in the request's
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
    const mark = this.reflector.get<PersonalDataMark | false | undefined>(READ_AUDIT, context.getHandler());
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
