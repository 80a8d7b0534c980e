import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AppConfig } from '@ecc/shared-config';
import type { PrismaClient } from '@ecc/shared-data';
import { QUEUE_NAMES } from '@ecc/shared-queues';
import type { QueueProducer } from '../queues/queue-producer';
import { metricsRegistry } from './metrics';
import { GAUGE_QUERY_TIMEOUT_MS, SystemGauges } from './system-gauges';

/**
 * The cache, the bound on a read and the guards of an outage, with the sources replaced by stand-ins (their real
 * behaviour is in tests/e2e/metrics.e2e-spec.ts and the plans in tests/integration/metrics-queries.e2e-spec.ts).
 */
const ROW = {
  detectionsUnscreened: 3n,
  oldestUnscreenedAt: null,
  outboxPending: 0n,
  auditUnsealed: 0n,
  fencesActive: 2n,
  alertsOpen: 0n,
  alertsAcknowledged: 0n,
  deadlinesApproaching: 0n,
  deadlinesOverdue: 0n,
  deadlinesMissed7d: 0n,
  evidenceMismatch: 0n,
  evidenceMissing: 0n,
  noticesPendingSms: 0n,
  noticesPendingPush: 0n,
};

function gauges(options: { database: () => Promise<unknown>; redisStatus?: string }) {
  const calls = { database: 0, queues: 0 };
  const prisma = {
    $executeRawUnsafe: () => 'set',
    $queryRawUnsafe: () => 'query',
    $transaction: () => {
      calls.database++;
      return options.database();
    },
  } as unknown as PrismaClient;
  const queues = {
    queue: () => {
      calls.queues++;
      return { getJobCounts: async () => ({ waiting: 1 }), getWaiting: async () => [] };
    },
  } as unknown as QueueProducer;
  const config = { metrics: { cacheMs: 10_000 } } as AppConfig;
  const redis = { status: options.redisStatus ?? 'ready' } as Redis;
  const system = new SystemGauges(config, prisma, redis, queues);
  system.onModuleInit();
  return { system, calls };
}

const sample = async (name: string, labels = '') => {
  const text = await metricsRegistry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
};

describe('the gauges read on a scrape', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterEach(() => jest.useRealTimers());

  it('exports the database and the queues, read once per cache interval', async () => {
    const { calls } = gauges({
      database: async () => ['set', [ROW], [{ channel: 'sms', status: 'sent', notices: 4 }]],
    });
    expect(await sample('ecc_fences_active')).toBe(2);
    expect(await sample('ecc_detections_unscreened')).toBe(3);
    expect(await sample('ecc_notices_created_24h', '{channel="sms",status="sent"}')).toBe(4);
    expect(await sample('ecc_notices_created_24h', '{channel="push",status="failed"}')).toBe(0);
    expect(await sample('ecc_queue_jobs', '{queue="screening",state="waiting"}')).toBe(1);
    expect(await sample('ecc_metrics_source_up', '{source="postgres"}')).toBe(1);
    expect(calls.database).toBe(1);
  });

  it('leaves out a source that does not answer in time, and does not ask it again while its read hangs', async () => {
    jest.useFakeTimers({ now: new Date('2026-06-01T00:00:00Z') });
    const { system, calls } = gauges({ database: () => new Promise(() => undefined) });
    const first = system.snapshot();
    await jest.advanceTimersByTimeAsync(GAUGE_QUERY_TIMEOUT_MS + 1);
    expect((await first).database).toBeUndefined();
    // The database's read timed out; every queue was still read.
    expect((await first).queues).toHaveLength(QUEUE_NAMES.length);
    await jest.advanceTimersByTimeAsync(10_001);
    const second = await system.snapshot();
    expect(second.database).toBeUndefined();
    expect(calls.database).toBe(1);
  });

  it('does not ask a disconnected Redis (its commands would queue until it is back)', async () => {
    const { system, calls } = gauges({
      database: async () => ['set', [ROW], []],
      redisStatus: 'reconnecting',
    });
    const snapshot = await system.snapshot();
    expect(snapshot.queues).toBeUndefined();
    expect(snapshot.database?.fencesActive).toBe(2n);
    expect(calls.queues).toBe(0);
    expect(await sample('ecc_metrics_source_up', '{source="redis"}')).toBe(0);
  });
});
