import {
  applyDecorators,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { jwtVerify, SignJWT } from 'jose';
import type { AppConfig } from '@ecc/shared-config';
import { DomainError } from '@ecc/shared-kernel';
import { ROLES, type Actor, type Role } from '@ecc/identity-domain';
import { APP_CONFIG } from '../tokens';
import { ApiPublic, ApiRoles } from './openapi';

const PUBLIC = 'ecc:public';
const ROLES_KEY = 'ecc:roles';

/** A route anyone may call (token issuance, health, station routes that carry their own signature). */
export const Public = () => applyDecorators(SetMetadata(PUBLIC, true), ApiPublic());

/** The roles allowed on a route; a user needs at least one of them. Routes without it need any signed-in user. */
export const Roles = (...roles: Role[]) => applyDecorators(SetMetadata(ROLES_KEY, roles), ApiRoles(roles));

/** The context of a command: who, and which request (carried into every audit event). */
export interface CommandContext {
  actor: Actor;
  requestId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
}

export const Ctx = createParamDecorator((_data: unknown, context: ExecutionContext): CommandContext => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  if (!request.actor) throw new DomainError('unauthenticated', 'unauthenticated', 'authentication required');
  return { actor: request.actor, requestId: String(request.id) };
});

@Injectable()
export class TokenService {
  private readonly key: Uint8Array;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.key = new TextEncoder().encode(config.auth.jwtSecret);
  }

  async issue(user: {
    id: string;
    username: string;
    roles: readonly Role[];
  }): Promise<{ token: string; ttl: number }> {
    const ttl = this.config.auth.jwtTtlSeconds;
    const token = await new SignJWT({ username: user.username, roles: [...user.roles] })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(this.config.auth.jwtIssuer)
      .setIssuedAt()
      .setExpirationTime(`${ttl}s`)
      .sign(this.key);
    return { token, ttl };
  }

  async verify(token: string): Promise<Actor> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: this.config.auth.jwtIssuer,
        algorithms: ['HS256'],
      });
      const roles = (Array.isArray(payload['roles']) ? payload['roles'] : []).filter((r): r is Role =>
        (ROLES as readonly string[]).includes(r as string),
      );
      if (!payload.sub || typeof payload['username'] !== 'string') throw new Error('incomplete token');
      return { kind: 'user', id: payload.sub, username: payload['username'], roles };
    } catch {
      throw new DomainError('unauthenticated', 'invalid_token', 'the bearer token is invalid or expired');
    }
  }
}

/** Global guard: every route needs a valid bearer token unless marked @Public(); @Roles narrows it. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) {
      throw new DomainError('unauthenticated', 'missing_token', 'an Authorization: Bearer token is required');
    }
    const actor = await this.tokens.verify(match[1]!);
    request.actor = actor;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !(actor.kind === 'user' && actor.roles.some((r) => roles.includes(r)))) {
      throw new DomainError(
        'forbidden',
        'role_not_allowed',
        `this action needs one of the roles: ${roles.join(', ')}`,
      );
    }
    return true;
  }
}
