import 'reflect-metadata';
import { ConfigError, loadConfig } from '@ecc/shared-config';
import { startApi } from './start-api';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await startApi(config, (message) => console.log(message));
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost');
  console.log(`API listening on ${url}/api/v1 (docs: ${url}/api/docs, readiness: ${url}/health/ready)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
