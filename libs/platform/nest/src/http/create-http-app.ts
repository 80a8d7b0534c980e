import type { IncomingMessage } from 'node:http';
import { RequestMethod, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from '@fastify/helmet';
import { Logger } from 'nestjs-pino';
import { redisNodeUrls, type AppConfig } from '@ecc/shared-config';
import { dependencyPorts } from '../faults/dependency-failure';
import { requestIdOf } from '../observability/logging';
import { completeOpenApiDocument } from './openapi';
import { problem } from './problem';
import { ProblemFilter, sendProblem } from './problem.filter';
import { limitRequests } from './request-limits';
import { RouteTable } from './route-table';

export const API_PREFIX = 'api/v1';

/**
 * Builds the Fastify-based Nest application the same way for `npm start`, production and the
 * end-to-end tests: request ids, body limit, a deadline per request and a bound on requests in flight,
 * problem+json errors (503 with Retry-After for an unavailable dependency), /api/v1 prefix, OpenAPI.
 */
export async function createHttpApp(
  rootModule: Type | DynamicModule,
  config: AppConfig,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    genReqId: (req: IncomingMessage) => {
      const id = requestIdOf(req);
      (req as IncomingMessage & { id?: string }).id = id;
      return id;
    },
    // Behind a reverse proxy in production: only the configured proxies may name the client (X-Forwarded-For),
    // whose address the sign-in throttle counts; anyone else could otherwise pick a fresh address per attempt.
    trustProxy: config.http.trustedProxies.length > 0 ? config.http.trustedProxies : false,
    // limitRequests answers the requests that arrive while closing with a problem of its own.
    return503OnClosing: false,
  });
  limitRequests(adapter.getInstance(), config.http);
  const routes = new RouteTable().watch(adapter.getInstance());
  // rawBody: the JSON parser keeps the buffer it parsed as `request.rawBody` (a reference, not a copy), which the
  // signed routes verify their signatures over — a tap on the body stream would copy every body a second time.
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, {
    bufferLogs: true,
    rawBody: true,
  });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(
    new ProblemFilter(
      {
        retryAfterSeconds: config.http.retryAfterSeconds,
        ports: dependencyPorts({
          database: config.database.url,
          redis: redisNodeUrls(config.redis.target),
          storage: config.storage.endpoint ?? `http://127.0.0.1:${config.storage.local.port}`,
        }),
      },
      routes,
    ),
  );
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
    ],
  });
  await registerSecurityHeaders(app, config);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request, reply) => {
    // A bearer token in a URL ends up in logs, proxies and browser history: it is refused, not read.
    if (TOKEN_IN_QUERY.test(request.url.split('?')[1] ?? '')) {
      sendProblem(
        reply,
        problem(400, 'token_in_query', 'send the token in the Authorization header, never in the URL', {
          requestId: String(request.id),
          instance: request.url.split('?')[0],
        }),
      );
      return reply;
    }
    return undefined;
  });
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // Tokens, secrets and personal data: no cache, shared or private, keeps a copy.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    const type = String(reply.getHeader('content-type') ?? '');
    if (!reply.hasHeader('content-security-policy')) {
      reply.header('content-security-policy', type.startsWith('text/html') ? HTML_CSP : API_CSP);
    }
  });
  app.enableShutdownHooks();
  setUpOpenApi(app);
  return app;
}

/** Query parameters that carry a credential (RFC 6750's name and the usual variants). */
export const TOKEN_IN_QUERY = /(^|&)(access_token|accessToken|token|id_token)=/i;

/** The API answers JSON: nothing in it may load, run or be framed. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The HTML pages (Swagger UI, the queue dashboard and its sign-in page): scripts and styles from this origin
 * only — no inline script, no other host, no framing. Inline styles stay allowed: both UIs set them, and a
 * style cannot run code.
 */
export const HTML_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Security headers on every response (@fastify/helmet): nosniff, no framing, no referrer, same-origin
 * resource policy, HSTS in production (the reverse proxy terminates TLS). The CSP is set per response (the
 * onSend hook above): API_CSP for JSON, HTML_CSP for pages, unless a route sets a stricter one of its own.
 */
async function registerSecurityHeaders(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    strictTransportSecurity: config.env === 'production' ? { maxAge: 31_536_000 } : false,
  });
}

function setUpOpenApi(app: INestApplication): void {
  const document = completeOpenApiDocument(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Enforcement case-handling center API')
        .setDescription(
          'Non-site overload enforcement (非现场执法): detections from weigh-in-motion stations, leads, cases, ' +
            'notices, legal review, decisions, the four penalties and audit. Errors are application/problem+json.',
        )
        .setVersion('1')
        .addBearerAuth()
        .build(),
    ),
  );
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs-json',
    yamlDocumentUrl: 'api/docs-yaml',
  });
}
