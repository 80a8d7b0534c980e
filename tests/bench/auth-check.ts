import { execFileSync } from 'node:child_process';
import autocannon from 'autocannon';
import { jwtVerify } from 'jose';
import { loadConfig } from '@ecc/shared-config';
import { createPrismaClient } from '@ecc/shared-data';
import { TokenService, UserSessions } from '@ecc/platform-nest';
import { processCpuMs } from './cpu';
import { startInfrastructure } from './stack';
import { ADMIN, startTestApi, tokenFor } from '../support/test-app';

/**
 * `npm run bench:auth`: what the per-request check of the token's user costs. The real API (LOG_LEVEL=warn)
 * answers `GET /api/v1/users/me` to one admin's bearer token, 32 connections, autocannon, after a warm-up;
 * three rounds of 8 s. Printed per round: requests/s, latency p50/p99, the API's CPU per request (from /proc).
 * Run it on two commits (before and after a change) on the same machine, one right after the other.
 *
 * Then, in this process (less noise than a loaded machine's HTTP figures): CPU per call of the whole token check
 * (`TokenService.authenticate`: signature, claims, the user's state through the 1 s cache) against the
 * signature check alone (`jwtVerify`, what the guard did before), 50,000 calls each, alternately, three times.
 */
const ROUNDS = 3;
const SECONDS = 8;

async function main(): Promise<void> {
  const infra = await startInfrastructure();
  const api = await startTestApi('authbench', { LOG_LEVEL: 'warn', DATABASE_POOL_SIZE: '10' });
  try {
    const token = await tokenFor(api, ADMIN.username, ADMIN.password);
    const listening = execFileSync('ss', ['-ltnpH', `sport = :${api.env['PORT']}`]).toString();
    const pid = Number(/pid=(\d+)/.exec(listening)![1]);
    const run = (duration: number) =>
      autocannon({
        url: `${api.url}/api/v1/users/me`,
        connections: 32,
        duration,
        headers: { authorization: `Bearer ${token}` },
      });
    await run(3);
    const rounds = [];
    for (let i = 0; i < ROUNDS; i++) {
      const cpuBefore = processCpuMs(pid);
      const result = await run(SECONDS);
      const cpuMs = processCpuMs(pid) - cpuBefore;
      if (result.non2xx > 0 || result.errors > 0)
        throw new Error(`failures: ${result.non2xx} non-2xx, ${result.errors} errors`);
      rounds.push({
        requestsPerSecond: Math.round(result.requests.average),
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        apiCpuMsPerRequest: Number((cpuMs / result.requests.total).toFixed(3)),
      });
    }
    console.log(JSON.stringify({ route: 'GET /api/v1/users/me', connections: 32, rounds }, null, 2));
    if (typeof (TokenService.prototype as { authenticate?: unknown }).authenticate === 'function') {
      console.log(JSON.stringify({ inProcess: await inProcess(api.env, token) }, null, 2));
    }
  } finally {
    await api.close();
    await infra.close();
  }
}

/** µs of CPU per call: the full check (cache warm) and the signature check alone. */
async function inProcess(env: Record<string, string>, token: string) {
  const config = loadConfig(env);
  const prisma = createPrismaClient(config.database.url, { poolSize: 2 });
  const tokens = new TokenService(config, new UserSessions(prisma, config));
  const key = new TextEncoder().encode(config.auth.jwtSecret);
  const CALLS = 50_000;
  const time = async (call: () => Promise<unknown>) => {
    const start = process.cpuUsage();
    for (let i = 0; i < CALLS; i++) await call();
    const used = process.cpuUsage(start);
    return Number(((used.user + used.system) / CALLS).toFixed(2));
  };
  const authenticate = () =>
    (tokens as unknown as { authenticate(t: string): Promise<unknown> }).authenticate(token);
  const signatureOnly = () => jwtVerify(token, key, { issuer: config.auth.jwtIssuer, algorithms: ['HS256'] });
  await time(authenticate);
  await time(signatureOnly);
  const rounds = [];
  for (let i = 0; i < 3; i++) {
    rounds.push({ fullCheckUs: await time(authenticate), signatureOnlyUs: await time(signatureOnly) });
  }
  await prisma.$disconnect();
  return rounds;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
