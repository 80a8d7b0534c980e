import type { IncomingMessage } from 'node:http';
import { RequestMethod, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '@ecc/shared-config';
import { dependencyPorts } from '../faults/dependency-failure';
import { requestIdOf } from '../observability/logging';
import { ProblemFilter } from './problem.filter';
import { limitRequests } from './request-limits';

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
    // Behind a reverse proxy in production; the client address is used for rate limits and logs.
    trustProxy: config.env === 'production',
    // limitRequests answers the requests that arrive while closing with a problem of its own.
    return503OnClosing: false,
  });
  limitRequests(adapter.getInstance(), config.http);
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(
    new ProblemFilter({
      retryAfterSeconds: config.http.retryAfterSeconds,
      ports: dependencyPorts({
        database: config.database.url,
        redis: config.redis.url,
        storage: config.storage.endpoint ?? `http://127.0.0.1:${config.storage.local.port}`,
      }),
    }),
  );
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
    ],
  });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', async (request, reply) => {
      reply.header('x-request-id', request.id);
    });
  app.enableShutdownHooks();
  setUpOpenApi(app);
  return app;
}

function setUpOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
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
  );
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs-json',
    yamlDocumentUrl: 'api/docs-yaml',
  });
}
