import { NestFactory } from '@nestjs/core';
import { Logger as NestLogger, type INestApplicationContext } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { describeConfig, type AppConfig } from '@ecc/shared-config';
import { WorkerModule } from './worker.module';

export async function startWorker(config: AppConfig): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  new NestLogger('Configuration').log({ config: describeConfig(config) }, 'configuration (secrets masked)');
  await app.init();
  return app;
}
