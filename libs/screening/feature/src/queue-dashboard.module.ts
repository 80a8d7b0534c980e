import { createHash } from 'node:crypto';
import { Inject, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '@ecc/shared-config';
import type { PrismaClient } from '@ecc/shared-data';
import { recordAudit } from '@ecc/audit-data';
import { DomainError } from '@ecc/shared-kernel';
import { QUEUE_NAMES } from '@ecc/shared-queues';
import type { Actor } from '@ecc/identity-domain';
import {
  APP_CONFIG,
  cookieOf,
  PRISMA,
  problem,
  QueueProducer,
  sendProblem,
  TokenService,
  toProblem,
} from '@ecc/platform-nest';

/** Where the dashboard lives, under the API's prefix. */
export const QUEUE_DASHBOARD_PATH = '/api/v1/admin/queues';
/** The dashboard's sign-in page and the session a browser keeps for it. */
export const QUEUE_DASHBOARD_LOGIN_PATH = `${QUEUE_DASHBOARD_PATH}/login`;
export const QUEUE_DASHBOARD_SESSION_PATH = `${QUEUE_DASHBOARD_PATH}/session`;
export const QUEUE_DASHBOARD_COOKIE = 'ecc_queue_dashboard';

/**
 * The queue dashboard (bull-board) for admins: waiting, active, failed jobs of every declared queue, with
 * their errors. It is a Fastify plugin outside Nest's router, so Nest's guard does not see it; an onRequest
 * hook on its prefix checks the admin's token instead, answering in problem+json.
 *
 * A browser cannot send a bearer header when it opens a page, so the dashboard also takes the same token from
 * a cookie that only it receives: the sign-in page (`/login`, no token needed) gets a token from
 * `POST /auth/token` and hands it to `POST /session`, which (for an admin) sets the cookie — HttpOnly,
 * SameSite=Strict (no other site's page can make the browser send it, so the dashboard's retry and clean
 * buttons cannot be triggered from elsewhere), Secure in production, limited to the dashboard's path and to
 * the token's lifetime. `DELETE /session` signs out. A browser opening the dashboard without a valid session
 * is sent to the sign-in page; API clients keep getting 401/403 problems.
 *
 * Every action taken on the dashboard (retry, clean, pause, resume, promote, empty, add …: any request but a
 * read) is audited before it runs — `queue_dashboard.<action>` on the queue, with the admin, the route's
 * parameters and body — and does not run when its event cannot be written.
 */
@Module({})
export class QueueDashboardModule implements OnModuleInit {
  constructor(
    private readonly http: HttpAdapterHost,
    private readonly producer: QueueProducer,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
  ) {}

  private readonly logger = new Logger(QueueDashboardModule.name);

  onModuleInit(): void {
    const board = new FastifyAdapter();
    createBullBoard({
      queues: QUEUE_NAMES.map((name) => new BullMQAdapter(this.producer.queue(name) as never)),
      // @bull-board/fastify pins its own patch release of @bull-board/api: same shape, separate declarations.
      serverAdapter: board as never,
      options: { uiConfig: { boardTitle: '办案中心 队列' } },
    });
    board.setBasePath(QUEUE_DASHBOARD_PATH);
    const fastify = this.http.httpAdapter.getInstance<FastifyInstance>();
    // Not awaited: awaiting would make Fastify load the routes Nest registered so far before Nest installs its
    // error handler (after this hook), and their errors would no longer become problem+json.
    void fastify.register(async (scope) => {
      scope.get(QUEUE_DASHBOARD_LOGIN_PATH, (_request, reply) =>
        reply
          .header('content-type', 'text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .header('content-security-policy', LOGIN_PAGE_CSP)
          .send(LOGIN_PAGE),
      );
      scope.post(QUEUE_DASHBOARD_SESSION_PATH, async (request, reply) => {
        const token = bearerOf(request);
        const actor = await this.admin(request, reply, token);
        if (!actor || !token) return reply;
        const cookie = [
          `${QUEUE_DASHBOARD_COOKIE}=${token}`,
          `Path=${QUEUE_DASHBOARD_PATH}`,
          `Max-Age=${secondsLeft(token)}`,
          'HttpOnly',
          'SameSite=Strict',
          ...(this.config.env === 'production' ? ['Secure'] : []),
        ].join('; ');
        return reply.header('set-cookie', cookie).header('cache-control', 'no-store').code(204).send();
      });
      scope.delete(QUEUE_DASHBOARD_SESSION_PATH, (_request, reply) =>
        reply
          .header(
            'set-cookie',
            `${QUEUE_DASHBOARD_COOKIE}=; Path=${QUEUE_DASHBOARD_PATH}; Max-Age=0; HttpOnly; SameSite=Strict`,
          )
          .code(204)
          .send(),
      );
      // The check guards the dashboard itself; the sign-in page and the session routes above stay outside it.
      await scope.register(async (dashboard) => {
        dashboard.addHook('onRequest', async (request, reply) => {
          const bearer = bearerOf(request);
          const token = bearer ?? cookieOf(request, QUEUE_DASHBOARD_COOKIE);
          // A browser opening a page without a session (or with an expired one) goes to the sign-in page.
          if (request.method === 'GET' && wantsPage(request) && !bearer) {
            const actor = token ? await this.tokens.verify(token).catch(() => null) : null;
            if (!actor || !isAdmin(actor)) {
              const next = encodeURIComponent(request.url);
              return reply.redirect(`${QUEUE_DASHBOARD_LOGIN_PATH}?next=${next}`, 303);
            }
            request.actor = actor;
            return undefined;
          }
          return (await this.admin(request, reply, token)) ? undefined : reply;
        });
        dashboard.addHook('preHandler', async (request) => {
          if (request.method === 'GET' || request.method === 'HEAD') return;
          await this.audit(request);
        });
        await dashboard.register(board.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
      });
    });
  }

  /** The dashboard action about to run, audited first: no event, no action. */
  private async audit(request: FastifyRequest): Promise<void> {
    const route = (request.routeOptions.url ?? request.url).replace(QUEUE_DASHBOARD_PATH, '');
    const params = (request.params ?? {}) as Record<string, string>;
    const action = route
      .replace(/^\/api\/queues\/?/, '')
      .split('/')
      .filter((part) => part && !part.startsWith(':'))
      .join('_');
    await this.prisma.$transaction((tx) =>
      recordAudit(tx, {
        actor: request.actor!,
        action: `queue_dashboard.${action || 'action'}`,
        entityType: 'queue',
        entityId: params['queueName'] ?? '*',
        requestId: String(request.id),
        changes: { method: request.method, route, params, body: request.body ?? null },
      }),
    );
    this.logger.log({ action, params }, 'queue dashboard action');
  }

  /** The admin the token names, or null after answering 401/403 in problem+json. */
  private async admin(
    request: FastifyRequest,
    reply: FastifyReply,
    token: string | null,
  ): Promise<Actor | null> {
    const deny = (body: ReturnType<typeof problem>) => {
      sendProblem(reply, { ...body, instance: request.url.split('?')[0] });
      return null;
    };
    if (!token) {
      return deny(
        problem(401, 'missing_token', 'an Authorization: Bearer token (or a dashboard session) is required', {
          requestId: String(request.id),
        }),
      );
    }
    try {
      const actor = await this.tokens.verify(token);
      if (!isAdmin(actor)) {
        throw new DomainError('forbidden', 'role_not_allowed', 'the queue dashboard is for admins');
      }
      request.actor = actor;
      return actor;
    } catch (error) {
      return deny(toProblem(error, String(request.id)));
    }
  }
}

const isAdmin = (actor: Actor) => actor.kind === 'user' && actor.roles.includes('admin');

function bearerOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  return (typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined) ?? null;
}

/** A browser navigating (it asks for HTML), not a script asking for JSON. */
const wantsPage = (request: FastifyRequest) => /text\/html/.test(request.headers.accept ?? '');

/** Seconds until the token expires (its signature was verified just before). */
function secondsLeft(token: string): number {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      exp?: number;
    };
    return Math.max(0, Math.floor((payload.exp ?? 0) - Date.now() / 1000));
  } catch {
    return 0;
  }
}

/** The sign-in page: a token from POST /auth/token, handed to POST /session, then on to the dashboard. */
export const LOGIN_PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>办案中心 队列 — 登录 / sign in</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 22rem; margin: 4rem auto; }
label { display: block; margin: 0.75rem 0 0.25rem; }
input { width: 100%; padding: 0.4rem; box-sizing: border-box; }
button { margin-top: 1rem; padding: 0.5rem 1rem; }
#error { color: #b00020; min-height: 1.5rem; }
</style>
</head>
<body>
<h1>队列看板 / Queue dashboard</h1>
<p>管理员登录 / Sign in as an admin.</p>
<form id="login">
<label for="username">用户名 / Username</label>
<input id="username" name="username" autocomplete="username" required>
<label for="password">密码 / Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">登录 / Sign in</button>
<p id="error" role="alert"></p>
</form>
<script>
const form = document.getElementById('login');
const error = document.getElementById('error');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.textContent = '';
  try {
    const tokenResponse = await fetch('/api/v1/auth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: form.username.value, password: form.password.value }),
    });
    const token = await tokenResponse.json();
    if (!tokenResponse.ok) throw new Error(token.detail || tokenResponse.statusText);
    const session = await fetch('${QUEUE_DASHBOARD_SESSION_PATH}', {
      method: 'POST',
      headers: { authorization: 'Bearer ' + token.accessToken },
    });
    if (!session.ok) throw new Error((await session.json()).detail || session.statusText);
    const next = new URLSearchParams(location.search).get('next');
    location.assign(next && next.startsWith('${QUEUE_DASHBOARD_PATH}') ? next : '${QUEUE_DASHBOARD_PATH}');
  } catch (e) {
    error.textContent = e.message;
  }
});
</script>
</body>
</html>
`;

const inlineHash = (tag: 'script' | 'style') => {
  const body = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(LOGIN_PAGE)![1]!;
  return `'sha256-${createHash('sha256').update(body).digest('base64')}'`;
};

/** The page's own script and style by their hashes: no other inline code runs, nothing from another origin. */
const LOGIN_PAGE_CSP = [
  "default-src 'none'",
  `script-src ${inlineHash('script')}`,
  `style-src ${inlineHash('style')}`,
  "connect-src 'self'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');
