import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import type { PrismaClient } from '@ecc/shared-data';
import { UsersRepository, type SessionState } from '@ecc/identity-data';
import { APP_CONFIG, PRISMA } from '../tokens';

/** Bound on cached users: a token names its user, and only valid signatures get this far. */
const MAX_ENTRIES = 50_000;

interface Entry {
  readAt: number;
  value: Promise<SessionState | null>;
}

/**
 * The state of a token's user (exists, active, roles, token version), read once per user and per
 * AUTH_SESSION_CACHE_MS (1 s) on each API: concurrent requests of one user share one read, so the check costs a
 * Map lookup on almost every request. A change made by this process is seen at once (`forget`); one made by
 * another API instance within the cache time.
 */
@Injectable()
export class UserSessions {
  private readonly users: UsersRepository;
  private readonly cache = new Map<string, Entry>();

  constructor(
    @Inject(PRISMA) prisma: PrismaClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.users = new UsersRepository(prisma);
  }

  state(userId: string): Promise<SessionState | null> {
    const now = Date.now();
    const entry = this.cache.get(userId);
    if (entry && now - entry.readAt < this.config.auth.sessionCacheMs) return entry.value;
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    const value = this.users.findSessionState(userId);
    this.cache.set(userId, { readAt: now, value });
    value.catch(() => this.cache.delete(userId));
    return value;
  }

  /** After a change of the user in this process: the next request reads it again. */
  forget(userId: string): void {
    this.cache.delete(userId);
  }
}

/** The session a request was authenticated with: its user and the token version it carried. */
export interface RequestSession {
  userId: string;
  tokenVersion: number;
}

/** How often open streams re-check their user: with the 1 s cache, a revocation ends them within 2 s. */
const STREAM_CHECK_MS = 1_000;

/**
 * Long-lived responses (server-sent events) outlive the request's authentication: each is re-checked every
 * second and ended when its user is disabled or deleted or its token revoked (sign-out, password change).
 */
@Injectable()
export class LiveSessions implements OnApplicationShutdown {
  private readonly byRequest = new WeakMap<IncomingMessage, RequestSession>();
  private readonly streams = new Map<ServerResponse, RequestSession>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly sessions: UserSessions) {}

  /** Called by the authentication for every request it lets through. */
  remember(request: IncomingMessage, session: RequestSession): void {
    this.byRequest.set(request, session);
  }

  /** Ends `res` once its request's session is no longer valid; a response of an unauthenticated request is left alone. */
  closeWhenRevoked(res: ServerResponse): void {
    const session = res.req ? this.byRequest.get(res.req) : undefined;
    if (!session) return;
    this.streams.set(res, session);
    res.once('close', () => this.streams.delete(res));
    this.timer ??= setInterval(() => void this.check(), STREAM_CHECK_MS).unref();
  }

  get size(): number {
    return this.streams.size;
  }

  private async check(): Promise<void> {
    if (this.streams.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    for (const [res, session] of [...this.streams]) {
      const state = await this.sessions.state(session.userId).catch(() => undefined);
      // A failed read (database away) keeps the stream: it is not evidence of a revocation.
      if (state === undefined) continue;
      if (!state || !state.active || state.tokenVersion !== session.tokenVersion) {
        this.streams.delete(res);
        res.end();
      }
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
