import { execFileSync } from 'node:child_process';
import autocannon from 'autocannon';
import { processCpuMs } from './cpu';
import { startInfrastructure } from './stack';
import { ADMIN, startTestApi, tokenFor } from '../support/test-app';

/**
 * `npm run bench:auth`: what the per-request check of the token's user costs. The real API (LOG_LEVEL=warn)
 * answers `GET /api/v1/users/me` to one admin's bearer token, 32 connections, autocannon, after a warm-up;
 * three rounds of 8 s. Printed per round: requests/s, latency p50/p99, the API's CPU per request (from /proc).
 * Run it on two commits (before and after a change) on the same machine, one right after the other.
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
  } finally {
    await api.close();
    await infra.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
