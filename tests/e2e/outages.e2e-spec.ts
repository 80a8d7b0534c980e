import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { TcpProxy } from '../support/tcp-proxy';
import {
  ADMIN,
  spawnApp,
  stopProcess,
  testEnvironment,
  tokenFor,
  waitUntilReady,
  type JsonResponse,
  type TestApi,
} from '../support/test-app';
import {
  detectionBody,
  evidenceItem,
  registerStationWithDevice,
  signedPost,
  type TestStation,
} from '../support/station-client';
import { waitFor } from '../support/wait-for';
import { TEST_REDIS_URL } from '../support/environment';

/**
 * An outage of a dependency, as the API and the worker live it: Postgres, Redis and the object store are each
 * reached through a TCP proxy that the test cuts (a dead server) or stalls (a frozen one). Every answer is a
 * 503 problem with Retry-After within the configured timeouts, never a 500 and never a request held for the
 * whole outage; readiness answers within 2 s; everything works again, without a restart, once the dependency is
 * back. Short timeouts keep the file fast.
 */
const TIMEOUTS = {
  DATABASE_CONNECT_TIMEOUT_MS: '1000',
  DATABASE_STATEMENT_TIMEOUT_MS: '1000', // the client waits 3 s for an answer
  S3_TIMEOUT_MS: '1000',
  HTTP_REQUEST_TIMEOUT_MS: '2500',
  HTTP_RETRY_AFTER_SECONDS: '2',
  HTTP_MAX_REQUESTS_IN_FLIGHT: '4',
};
/** The request deadline plus what a loaded machine adds to an answer. */
const ANSWER_WITHIN_MS = 2500 + 1500;

const hostPort = (url: string) => ({ host: new URL(url).hostname, port: Number(new URL(url).port) });

describe('outages of a dependency', () => {
  const proxies = {} as Record<'database' | 'redis' | 'storage', TcpProxy>;
  let api: TestApi;
  let worker: ReturnType<typeof spawnApp>;
  let station: TestStation;

  beforeAll(async () => {
    const env = await testEnvironment('outages', {
      ...TIMEOUTS,
      OUTBOX_SWEEP_INTERVAL_MS: '1000',
      OUTBOX_STALE_AFTER_MS: '2000',
    });
    proxies.database = await new TcpProxy(hostPort(env['DATABASE_URL']!)).start();
    proxies.redis = await new TcpProxy(hostPort(TEST_REDIS_URL)).start();
    proxies.storage = await new TcpProxy(hostPort(env['S3_ENDPOINT']!)).start();
    const appEnv: Record<string, string> = {
      ...env,
      DATABASE_URL: proxies.database.url(env['DATABASE_URL']!),
      REDIS_URL: proxies.redis.url(TEST_REDIS_URL).replace(/\/$/, ''),
      S3_ENDPOINT: proxies.storage.url(env['S3_ENDPOINT']!).replace(/\/$/, ''),
    };
    const url = `http://127.0.0.1:${appEnv['PORT']}`;
    const apiProcess = spawnApp('api', appEnv);
    await waitUntilReady(url, apiProcess.child, apiProcess.output);
    worker = spawnApp('worker', appEnv);
    await waitUntilReady(`http://127.0.0.1:${appEnv['WORKER_HEALTH_PORT']}`, worker.child, worker.output);
    const db = new Client({ connectionString: env['DATABASE_URL'] });
    await db.connect();
    api = {
      env: appEnv,
      url,
      db,
      output: apiProcess.output,
      close: async () => {
        await db.end();
        await stopProcess(apiProcess.child);
      },
    };
    station = await registerStationWithDevice(
      api,
      await tokenFor(api, ADMIN.username, ADMIN.password),
      'OUT-1',
    );
  });

  afterAll(async () => {
    await stopProcess(worker?.child);
    await api?.close();
    await Promise.all(Object.values(proxies).map((p) => p.close()));
  });

  afterEach(() => Object.values(proxies).forEach((p) => p.restore()));

  /** A signed detection, timed. */
  async function post(body = detectionBody()): Promise<JsonResponse & { ms: number }> {
    const started = Date.now();
    const response = await signedPost(api, station, body);
    return { ...response, ms: Date.now() - started };
  }

  function expectUnavailable(response: JsonResponse & { ms: number }, codes: string[], dependency?: string) {
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(codes).toContain(response.body.code);
    if (dependency && response.body.code === 'dependency_unavailable') {
      expect(response.body.dependency).toBe(dependency);
    }
    expect(response.ms).toBeLessThan(ANSWER_WITHIN_MS);
    // No internal detail: no stack, no driver message, no host.
    expect(JSON.stringify(response.body)).not.toMatch(/stack|127\.0\.0\.1|Connection terminated|ECONN/);
  }

  async function readiness(port: string): Promise<{ status: number; ms: number; body: unknown }> {
    const started = Date.now();
    const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
    return { status: response.status, ms: Date.now() - started, body: await response.json() };
  }

  /** The API's and the worker's readiness: 503, answered within 2 s. */
  async function expectNotReady(ports = [api.env['PORT']!, api.env['WORKER_HEALTH_PORT']!]) {
    for (const port of ports) {
      const ready = await readiness(port);
      expect(ready.status).toBe(503);
      expect(ready.ms).toBeLessThan(2000);
    }
  }

  const screenedOnce = (detectionId: string) =>
    waitFor(
      `detection ${detectionId} screened`,
      async () => {
        const { rows } = await api.db.query(
          `SELECT d.screened_at, (SELECT count(*)::int FROM audit_events a
              WHERE a.entity_id = d.id::text AND a.action = 'detection.screened') AS screenings
             FROM detections d WHERE d.station_detection_id = $1`,
          [detectionId],
        );
        return rows.length === 1 && rows[0].screened_at ? rows : null;
      },
      { timeoutMs: 30_000, output: () => worker.output() },
    );

  it('answers 503 dependency_unavailable (database) with Retry-After while Postgres refuses, and recovers', async () => {
    proxies.database.cut();
    expectUnavailable(await post(), ['dependency_unavailable'], 'database');
    await expectNotReady();

    proxies.database.restore();
    const body = detectionBody();
    const accepted = await waitFor('a detection accepted again', async () => {
      const response = await post(body);
      return response.status === 202 || response.status === 200 ? response : null;
    });
    expect(accepted.body.detectionId).toBe(body['detectionId']);
    await screenedOnce(body['detectionId'] as string);
    expect(api.output()).not.toMatch(/"statusCode":500/);
  });

  it('answers a frozen Postgres within the timeouts, and a retry of a detection that was stored is a duplicate', async () => {
    // A first detection caches the station's credentials and device: the next one's only statement is its insert.
    expect((await post()).status).toBe(202);
    const body = detectionBody();
    // The insert reaches Postgres and commits; its answer never comes back.
    proxies.database.stall('answers');
    expectUnavailable(await post(body), ['dependency_unavailable', 'request_timeout'], 'database');
    await expectNotReady();

    proxies.database.restore();
    const retried = await waitFor('the retry answered', async () => {
      const response = await post(body);
      return response.status === 503 ? null : response;
    });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ detectionId: body['detectionId'], status: 'duplicate' });
    const rows = await screenedOnce(body['detectionId'] as string);
    expect(rows).toHaveLength(1);
    expect(rows[0].screenings).toBe(1);
  });

  it('answers 503 dependency_unavailable (storage) while the object store is frozen or gone, and recovers', async () => {
    const withPhoto = () =>
      detectionBody({ evidence: [evidenceItem('plate_front', randomBytes(2048), 'image/jpeg')] });
    proxies.storage.stall('both');
    expectUnavailable(await post(withPhoto()), ['dependency_unavailable', 'request_timeout'], 'storage');
    await expectNotReady([api.env['PORT']!]);
    expect(((await readiness(api.env['PORT']!)).body as any).checks.storage.status).toBe('down');
    // A detection without evidence does not need the store.
    expect((await post()).status).toBe(202);

    proxies.storage.cut();
    expectUnavailable(await post(withPhoto()), ['dependency_unavailable'], 'storage');

    proxies.storage.restore();
    const body = withPhoto();
    const accepted = await waitFor('a detection with evidence accepted again', async () => {
      const response = await post(body);
      return response.status === 202 ? response : null;
    });
    expect(accepted.body.detectionId).toBe(body['detectionId']);
  });

  it('sheds the requests beyond the bound in flight at once, while the ones admitted wait out the timeouts', async () => {
    expect((await post()).status).toBe(202);
    proxies.database.stall('both');
    const answers = await Promise.all(Array.from({ length: 10 }, () => post()));
    const shed = answers.filter((a) => a.body.code === 'overloaded');
    expect(shed.length).toBeGreaterThanOrEqual(6);
    for (const answer of shed) expectUnavailable(answer, ['overloaded']);
    for (const answer of answers.filter((a) => a.body.code !== 'overloaded')) {
      expectUnavailable(answer, ['dependency_unavailable', 'request_timeout'], 'database');
    }
    // Orchestrators still get an answer.
    await expectNotReady([api.env['PORT']!]);
    proxies.database.restore();
    await waitFor('a detection accepted again', async () => (await post()).status === 202);
  });

  it('keeps accepting detections while Redis is gone (the outbox has them); readiness says so within 2 s', async () => {
    proxies.redis.cut();
    const body = detectionBody();
    const accepted = await post(body);
    expect(accepted.status).toBe(202);
    await expectNotReady();

    proxies.redis.restore();
    await waitFor(
      'the worker ready again',
      async () => (await readiness(api.env['WORKER_HEALTH_PORT']!)).status === 200,
    );
    await screenedOnce(body['detectionId'] as string);
    // Every connection listens to its errors: ioredis would print "Unhandled error event" otherwise.
    expect(api.output() + worker.output()).not.toContain('Unhandled error event');
  });
});
