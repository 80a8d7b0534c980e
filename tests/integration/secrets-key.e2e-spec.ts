import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { detectionBody, signedPost } from '../support/station-client';
import { registerStationWithDevice } from '../support/station-client';
import { ADMIN, spawnApp, startTestApi, stopProcess, tokenFor, type TestApi } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * SECRETS_KEY (issue 14): an API started with a key that does not open the stored station secrets stops at
 * once, naming the variable, instead of answering every station with a 500; `npm run secrets:reseal`
 * re-seals them under a new key, after which the API starts with that key and the stations still sign.
 */
const root = resolve(__dirname, '../..');

function reseal(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=@ecc/source',
        '-r',
        '@swc-node/register',
        'libs/registry/data/src/reseal-secrets.cli.ts',
      ],
      { cwd: root, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => done({ code, output }));
  });
}

async function startFails(env: Record<string, string>): Promise<string> {
  const { child, output } = spawnApp('api', env);
  await waitFor('the API to stop', async () => child.exitCode !== null, { timeoutMs: 45_000, output });
  expect(child.exitCode).not.toBe(0);
  return output();
}

describe('the secrets key: start-up canary and re-sealing', () => {
  const keyA = randomBytes(32).toString('hex');
  const keyB = randomBytes(32).toString('hex');
  let api: TestApi | undefined;

  afterAll(async () => {
    await api?.close();
  });

  it('stops a start with the wrong key naming SECRETS_KEY, re-seals under a new key, and the stations still sign', async () => {
    api = await startTestApi('secretskey', { SECRETS_KEY: keyA });
    const admin = await tokenFor(api, ADMIN.username, ADMIN.password);
    const station = await registerStationWithDevice(api, admin, 'KEY-S308');
    expect((await signedPost(api, station, detectionBody())).status).toBe(202);
    const env = api.env;
    await api.close();
    api = undefined;

    const refused = await startFails({ ...env, SECRETS_KEY: keyB });
    expect(refused).toContain(
      'SECRETS_KEY: does not open the stored signing secrets of 1 station(s) (KEY-S308)',
    );
    expect(refused).not.toContain(keyB);

    // A wrong "current" key re-seals nothing.
    const wrong = await reseal({
      ...env,
      SECRETS_KEY: randomBytes(32).toString('hex'),
      NEW_SECRETS_KEY: keyB,
    });
    expect(wrong.code).not.toBe(0);
    expect(wrong.output).toContain(
      'SECRETS_KEY does not open the secret of station KEY-S308: nothing was re-sealed',
    );

    const done = await reseal({ ...env, SECRETS_KEY: keyA, NEW_SECRETS_KEY: keyB });
    expect(done.code).toBe(0);
    expect(done.output).toMatch(/re-sealed 1 station secret\(s\)/);
    expect(await startFails({ ...env, SECRETS_KEY: keyA })).toContain('SECRETS_KEY: does not open');

    const { child, output } = spawnApp('api', { ...env, SECRETS_KEY: keyB });
    try {
      const url = `http://127.0.0.1:${env['PORT']}`;
      await waitFor(
        'the API with the new key to be ready',
        async () =>
          child.exitCode === null &&
          (await fetch(`${url}/health/ready`).then(
            (r) => r.ok,
            () => false,
          )),
        { timeoutMs: 45_000, output },
      );
      expect((await signedPost({ url }, station, detectionBody())).status).toBe(202);
    } finally {
      await stopProcess(child);
    }
  }, 180_000);
});
