import 'reflect-metadata';
import { ConfigError, loadConfig } from '@ecc/shared-config';
import { startWorker } from './start-worker';

startWorker(loadConfig(process.env)).catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
