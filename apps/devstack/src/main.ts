import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '@ecc/shared-config';
import { createDatabase, migrate } from '@ecc/shared-data';
import { startLocalS3Server, type LocalS3Server } from '@ecc/platform-nest';
import { ensureLocalKeys } from './local-keys';

/**
 * `npm start`: the whole backend on a developer machine. Migrates the database, starts a local S3 server
 * when no S3_ENDPOINT is configured, then runs the API and the worker as two processes, as in production.
 * Ctrl-C stops everything.
 */
const root = resolve(__dirname, '../../..');
const log = (message: string) => console.log(`[devstack] ${message}`);

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  // Keys of this installation, generated once: no public development keys, and none that die with a restart.
  const keysFile = resolve(root, config.localKeysFile);
  const { keys, generated } = ensureLocalKeys(keysFile, process.env);
  if (generated.length > 0) log(`generated ${generated.join(', ')} in ${config.localKeysFile} (mode 600)`);
  const env: NodeJS.ProcessEnv = { ...process.env, ...keys, MIGRATE_ON_START: 'false' };

  let s3: LocalS3Server | undefined;
  if (!config.storage.endpoint) {
    const directory = resolve(root, config.storage.local.dir);
    s3 = await startLocalS3Server({ directory, port: config.storage.local.port });
    env['S3_ENDPOINT'] = s3.endpoint;
    log(
      `no S3_ENDPOINT configured: started a local S3 server on ${s3.endpoint} (data in ${config.storage.local.dir})`,
    );
  }

  await createDatabase(config.database.url);
  const { applied } = await migrate(config.database.url, log);
  log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');

  const children: ChildProcess[] = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping...');
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.all(
      children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)),
    );
    await s3?.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  for (const app of ['api', 'worker']) {
    const child = spawn(
      process.execPath,
      ['--conditions=@ecc/source', '-r', '@swc-node/register', `apps/${app}/src/main.ts`],
      { cwd: root, env, stdio: 'inherit' },
    );
    child.once('exit', (code, signal) => {
      if (!stopping) {
        log(`${app} exited (${signal ?? code}); stopping the stack`);
        void stop(code ?? 1);
      }
    });
    children.push(child);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
