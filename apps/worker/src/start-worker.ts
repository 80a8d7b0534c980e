import { getPriority, setPriority } from 'node:os';
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
  lowerCpuPriority(config.worker.cpuNice);
  await app.init();
  return app;
}

/**
 * Screening, notices, sweeps and sealing are background work: where the worker shares cores with the API, the
 * stations' requests should go first. Raises the nice value of the worker's main thread (where its JavaScript
 * runs) to `nice`, never lowers one it was started with; lowering needs a privilege a container rarely has.
 */
function lowerCpuPriority(nice: number): void {
  const logger = new NestLogger('Worker');
  try {
    const current = getPriority();
    if (nice > current) {
      setPriority(nice);
      logger.log({ nice, was: current }, 'CPU priority lowered for background work (WORKER_CPU_NICE)');
    }
  } catch (error) {
    logger.warn({ err: error, nice }, 'could not lower the CPU priority; running at the one started with');
  }
}
