import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from '@nestjs/common';
import { describeConfig, type AppConfig } from '@ecc/shared-config';
import { migrate } from '@ecc/shared-data';
import { collectProcessMetrics, createHttpApp, instrumentHttp, serveMetrics } from '@ecc/platform-nest';
import { AppModule } from './app.module';

/** Migrates (when configured) and starts the API; used by main.ts, the dev stack and the end-to-end tests. */
export async function startApi(
  config: AppConfig,
  log: (message: string) => void = () => undefined,
): Promise<NestFastifyApplication> {
  if (config.database.migrateOnStart) {
    const { applied } = await migrate(config.database.url, log);
    if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
  }
  const app = await createHttpApp(AppModule.forRoot(config), config);
  // Before the routes are ready: every route is timed; GET /metrics is served only with METRICS_TOKEN.
  const fastify = app.getHttpAdapter().getInstance();
  instrumentHttp(fastify);
  serveMetrics(fastify, config.metrics.token);
  collectProcessMetrics();
  new Logger('Configuration').log({ config: describeConfig(config) }, 'configuration (secrets masked)');
  await app.listen({ port: config.http.port, host: config.http.host });
  return app;
}
