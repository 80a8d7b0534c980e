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
import { jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { AppConfig } from '@ecc/shared-config';
import { DomainError } from '@ecc/shared-kernel';
import type { Actor, Role } from '@ecc/identity-domain';
import { APP_CONFIG } from '../tokens';
import { ApiPublic, ApiRoles } from './openapi';
import { LiveSessions, UserSessions, type RequestSession } from './sessions';

const PUBLIC = 'ecc:public';
const ROLES_KEY = 'ecc:roles';
const PASSWORD_CHANGE_EXEMPT = 'ecc:password-change-exempt';

/** A route anyone may call (token issuance, health, station routes that carry their own signature). */
export const Public = () => applyDecorators(SetMetadata(PUBLIC, true), ApiPublic());

/** A route open to a user who signed in with a one-time password and has not replaced it yet. */
export const PasswordChangeExempt = () => SetMetadata(PASSWORD_CHANGE_EXEMPT, true);

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

/** What a valid token establishes: the actor (roles as they are now) and the session it belongs to. */
export interface Authentication {
  actor: Actor & { kind: 'user' };
  session: RequestSession;
  /** A one-time password was used to sign in: only the routes marked @PasswordChangeExempt() are open. */
  mustChangePassword: boolean;
}

const invalidToken = (message = 'the bearer token is invalid or expired') =>
  new DomainError('unauthenticated', 'invalid_token', message);

@Injectable()
export class TokenService {
  private readonly key: Uint8Array;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: UserSessions,
  ) {
    this.key = new TextEncoder().encode(config.auth.jwtSecret);
  }

  async issue(user: {
    id: string;
    username: string;
    roles: readonly Role[];
    tokenVersion: number;
  }): Promise<{ token: string; ttl: number }> {
    const ttl = this.config.auth.jwtTtlSeconds;
    const token = await new SignJWT({
      username: user.username,
      roles: [...user.roles],
      ver: user.tokenVersion,
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(this.config.auth.jwtIssuer)
      .setIssuedAt()
      .setExpirationTime(`${ttl}s`)
      .sign(this.key);
    return { token, ttl };
  }

  /**
   * A token is valid when its signature, issuer and expiry hold (a token without `exp` is refused) and its
   * user still exists, is active and has not revoked it (the token's `ver` is the user's token version).
   * The roles are the user's roles now, not those written into the token.
   */
  async authenticate(token: string): Promise<Authentication> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        issuer: this.config.auth.jwtIssuer,
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'iat', 'sub'],
      }));
    } catch {
      throw invalidToken();
    }
    const version = payload['ver'];
    if (!payload.sub || !Number.isInteger(version)) throw invalidToken();
    const state = await this.sessions.state(payload.sub);
    if (!state) throw invalidToken();
    if (!state.active) {
      throw new DomainError('unauthenticated', 'user_inactive', 'this account is disabled');
    }
    if (state.tokenVersion !== version) {
      throw new DomainError(
        'unauthenticated',
        'token_revoked',
        'this token was revoked (signed out, or the password changed)',
      );
    }
    return {
      actor: { kind: 'user', id: state.id, username: state.username, roles: state.roles },
      session: { userId: state.id, tokenVersion: state.tokenVersion },
      mustChangePassword: state.mustChangePassword,
    };
  }

  /** The actor of a token for a fully signed-in user (a pending password change is refused). */
  async verify(token: string): Promise<Actor> {
    const auth = await this.authenticate(token);
    if (auth.mustChangePassword) throw passwordChangeRequired();
    return auth.actor;
  }
}

const passwordChangeRequired = () =>
  new DomainError(
    'forbidden',
    'password_change_required',
    'signed in with a one-time password: change it first (POST /api/v1/users/me/password)',
  );

/** Global guard: every route needs a valid bearer token unless marked @Public(); @Roles narrows it. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly live: LiveSessions,
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
    const auth = await this.tokens.authenticate(match[1]!);
    if (
      auth.mustChangePassword &&
      !this.reflector.getAllAndOverride<boolean>(PASSWORD_CHANGE_EXEMPT, targets)
    ) {
      throw passwordChangeRequired();
    }
    const actor = auth.actor;
    request.actor = actor;
    this.live.remember(request.raw, auth.session);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !actor.roles.some((r) => roles.includes(r))) {
      throw new DomainError(
        'forbidden',
        'role_not_allowed',
        `this action needs one of the roles: ${roles.join(', ')}`,
        { roles },
      );
    }
    return true;
  }
}
