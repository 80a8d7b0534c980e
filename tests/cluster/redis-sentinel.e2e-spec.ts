import {
  ADMIN,
  call,
  makeUser,
  startTestStack,
  tokenFor,
  type TestApi,
  type TestStack,
} from '../support/test-app';
import {
  detectionBody,
  evidenceItem,
  registerStationWithDevice,
  signedPost,
  type TestStation,
} from '../support/station-client';
import { redisCli, startRedisSentinel, type TestRedisSentinel } from '../support/redis-servers';
import { waitFor } from '../support/wait-for';

/**
 * The system on Redis behind a Sentinel (`redis+sentinel://…/ecc-master`): a master, its replica and a Sentinel
 * of the test's own. The API and the worker find the master through the Sentinel; after a failover (the replica
 * promoted, the old master demoted and its clients disconnected) they find the new one, and detections go on
 * being taken in and screened.
 */

jest.setTimeout(120_000);

describe('on Redis behind a Sentinel', () => {
  let sentinel: TestRedisSentinel;
  let stack: TestStack;
  let api: TestApi;
  let station: TestStation;
  let officer: string;

  const logs = () => `${stack?.worker.output() ?? ''}${stack?.api.output() ?? ''}`;

  /** A detection over the limit, with its photographs, taken in and screened into a lead. */
  async function detectionBecomesLead(): Promise<void> {
    const photos = ['plate_front', 'plate_rear', 'side'].map((kind) =>
      evidenceItem(kind, Buffer.from(`JPEG ${kind} ${Math.random()}`)),
    );
    const body = detectionBody({ evidence: photos });
    expect((await signedPost(api, station, body)).status).toBe(202);
    const screened = await waitFor(
      'the detection screened',
      async () => {
        const r = await call(api, 'GET', `/api/v1/detections/${station.code}/${body['detectionId']}`, {
          token: officer,
        });
        return r.status === 200 && r.body.status === 'screened' ? r.body : null;
      },
      { timeoutMs: 30_000, output: logs },
    );
    expect(screened).toMatchObject({ outcome: 'lead', leadId: expect.any(String) });
  }

  beforeAll(async () => {
    sentinel = await startRedisSentinel();
    stack = await startTestStack('sentinel', { REDIS_URL: sentinel.url });
    api = stack.api;
    const admin = await tokenFor(api, ADMIN.username, ADMIN.password);
    officer = (
      await makeUser(api, admin, 'sentinel.officer', ['officer'], { enforcementCertificateNo: 'HN-S-0001' })
    ).token;
    station = await registerStationWithDevice(api, admin, `SN${Date.now().toString(36).toUpperCase()}`);
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    await sentinel?.close();
  });

  it('finds the master through the Sentinel: detections are screened through its queue', async () => {
    expect(await sentinel.masterPort()).toBe(sentinel.ports[0]);
    await detectionBecomesLead();
    // The queue lives on the master (untagged keys: a single server needs no hash tags).
    const prefix = api.env['QUEUE_PREFIX']!;
    const keys = await redisCli(sentinel.ports[0], '--scan', '--pattern', `${prefix}:screening:*`);
    expect(keys.split('\n').filter(Boolean).length).toBeGreaterThan(0);
  });

  it('follows a failover to the promoted replica', async () => {
    await redisCli(sentinel.sentinelPort, 'sentinel', 'failover', sentinel.masterName);
    await waitFor(
      'the replica promoted',
      async () => (await sentinel.masterPort()) === sentinel.ports[1],
      30_000,
    );
    await waitFor(
      'the old master demoted',
      async () => /role:slave/.test(await redisCli(sentinel.ports[0], 'info', 'replication')),
      30_000,
    );
    // Both processes are ready again on the new master, and the pipeline goes on.
    await waitFor(
      'the API and the worker ready',
      async () => {
        const [a, w] = await Promise.all([
          fetch(`${api.url}/health/ready`),
          fetch(`http://127.0.0.1:${api.env['WORKER_HEALTH_PORT']}/health/ready`),
        ]);
        return a.ok && w.ok;
      },
      { timeoutMs: 30_000, output: logs },
    );
    await detectionBecomesLead();
    expect((await tokenFor(api, ADMIN.username, ADMIN.password)).length).toBeGreaterThan(0);
  });
});
