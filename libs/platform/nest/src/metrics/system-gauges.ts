import { Inject, Injectable, Logger, Module, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Gauge } from 'prom-client';
import type { AppConfig } from '@ecc/shared-config';
import type { PrismaClient } from '@ecc/shared-data';
import { QUEUE_NAMES } from '@ecc/shared-queues';
import { logThrottle } from '../observability/log-throttle';
import { QueueProducer } from '../queues/queue-producer';
import { APP_CONFIG, PRISMA, REDIS } from '../tokens';
import { metricsRegistry } from './metrics';

/** The longest a scrape waits for Postgres or Redis; a slower answer leaves the previous values. */
export const GAUGE_QUERY_TIMEOUT_MS = 2_000;

/**
 * What the system holds right now, counted by Postgres in one transaction (with NOTICES_24H_SQL). Each count reads an index on the
 * column it filters (tests/integration/metrics-queries.e2e-spec.ts checks every plan with EXPLAIN): no table is
 * scanned, and each count covers a bounded set — what waits (unscreened detections, the outbox, unsealed
 * audit events, pending notices), what is open (fences, alerts, deadlines), or a recent window (missed
 * deadlines of the last 7 days) — never the whole history.
 */
export const DATABASE_GAUGES_SQL = `
SELECT
  (SELECT count(*) FROM detections WHERE status = 'accepted') AS "detectionsUnscreened",
  (SELECT min(received_at) FROM detections WHERE status = 'accepted') AS "oldestUnscreenedAt",
  (SELECT count(*) FROM intake_outbox WHERE processed_at IS NULL) AS "outboxPending",
  (SELECT count(*) FROM audit_events WHERE chain_seq IS NULL) AS "auditUnsealed",
  (SELECT count(*) FROM fences WHERE status = 'active' AND lifted_at IS NULL) AS "fencesActive",
  (SELECT count(*) FROM interception_alerts WHERE status = 'open') AS "alertsOpen",
  (SELECT count(*) FROM interception_alerts WHERE status = 'acknowledged') AS "alertsAcknowledged",
  (SELECT count(*) FROM deadlines WHERE status = 'open' AND approaching_at <= now() AND due_at > now())
    AS "deadlinesApproaching",
  (SELECT count(*) FROM deadlines WHERE status = 'open' AND due_at <= now()) AS "deadlinesOverdue",
  (SELECT count(*) FROM deadlines WHERE status = 'missed' AND due_at > now() - interval '7 days')
    AS "deadlinesMissed7d",
  (SELECT count(*) FROM evidence_objects WHERE integrity_status = 'mismatch') AS "evidenceMismatch",
  (SELECT count(*) FROM evidence_objects WHERE integrity_status = 'missing') AS "evidenceMissing",
  (SELECT count(*) FROM notices WHERE status = 'pending' AND channel = 'sms') AS "noticesPendingSms",
  (SELECT count(*) FROM notices WHERE status = 'pending' AND channel = 'push') AS "noticesPendingPush"
`;

/** Notices of the last 24 hours by channel and current status (a window of the (created_at) index). */
export const NOTICES_24H_SQL = `
SELECT channel::text AS channel, status::text AS status, count(*)::int AS notices
FROM notices WHERE created_at > now() - interval '24 hours' GROUP BY channel, status
`;
const NOTICE_CHANNELS = ['sms', 'push'] as const;
const NOTICE_STATUSES = ['pending', 'sent', 'delivered', 'failed'] as const;

type DatabaseGauges = {
  detectionsUnscreened: bigint;
  oldestUnscreenedAt: Date | null;
  outboxPending: bigint;
  auditUnsealed: bigint;
  fencesActive: bigint;
  alertsOpen: bigint;
  alertsAcknowledged: bigint;
  deadlinesApproaching: bigint;
  deadlinesOverdue: bigint;
  deadlinesMissed7d: bigint;
  evidenceMismatch: bigint;
  evidenceMissing: bigint;
  noticesPendingSms: bigint;
  noticesPendingPush: bigint;
  notices24h: { channel: string; status: string; notices: number }[];
};

type QueueGauges = { queue: string; counts: Record<string, number>; oldestWaitingAt: number | null };

interface Snapshot {
  at: number;
  database?: DatabaseGauges;
  queues?: QueueGauges[];
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;

type Values = Array<[Record<string, string>, number]>;
interface GaugeDefinition {
  name: string;
  help: string;
  labels?: string[];
  values(s: Snapshot): Values;
}

const ageSeconds = (at: number | null | undefined): number =>
  at === null || at === undefined ? 0 : Math.max(0, (Date.now() - at) / 1000);

/** A gauge of the database snapshot (left out of a scrape whose database read failed). */
const fromDatabase = (
  name: string,
  help: string,
  labels: string[],
  pick: (d: DatabaseGauges) => Values,
): GaugeDefinition => ({ name, help, labels, values: (s) => (s.database ? pick(s.database) : []) });

const GAUGES: GaugeDefinition[] = [
  {
    name: 'ecc_metrics_source_up',
    help: 'Whether the last read of a source of the gauges answered (1) or not (0)',
    labels: ['source'],
    values: (s) => [
      [{ source: 'postgres' }, s.database ? 1 : 0],
      [{ source: 'redis' }, s.queues ? 1 : 0],
    ],
  },
  fromDatabase('ecc_detections_unscreened', 'Detections accepted and not screened yet', [], (d) => [
    [{}, Number(d.detectionsUnscreened)],
  ]),
  fromDatabase(
    'ecc_detections_oldest_unscreened_age_seconds',
    'Age of the oldest detection accepted and not screened yet (0: none waits)',
    [],
    (d) => [[{}, ageSeconds(d.oldestUnscreenedAt?.getTime())]],
  ),
  fromDatabase(
    'ecc_intake_outbox_pending',
    'Detections not handed to screening yet (outbox rows)',
    [],
    (d) => [[{}, Number(d.outboxPending)]],
  ),
  fromDatabase('ecc_audit_events_unsealed', 'Audit events not linked into the hash chain yet', [], (d) => [
    [{}, Number(d.auditUnsealed)],
  ]),
  fromDatabase('ecc_fences_active', 'Electronic fences in force', [], (d) => [[{}, Number(d.fencesActive)]]),
  fromDatabase('ecc_interception_alerts', 'Interception alerts not resolved, by status', ['status'], (d) => [
    [{ status: 'open' }, Number(d.alertsOpen)],
    [{ status: 'acknowledged' }, Number(d.alertsAcknowledged)],
  ]),
  fromDatabase(
    'ecc_deadlines',
    'Deadlines by state: approaching (alert phase reached), overdue (open past due), missed_7d (missed, due in the last 7 days)',
    ['state'],
    (d) => [
      [{ state: 'approaching' }, Number(d.deadlinesApproaching)],
      [{ state: 'overdue' }, Number(d.deadlinesOverdue)],
      [{ state: 'missed_7d' }, Number(d.deadlinesMissed7d)],
    ],
  ),
  fromDatabase(
    'ecc_evidence_integrity_failures',
    'Evidence objects whose re-hash failed, by status (mismatch, missing)',
    ['status'],
    (d) => [
      [{ status: 'mismatch' }, Number(d.evidenceMismatch)],
      [{ status: 'missing' }, Number(d.evidenceMissing)],
    ],
  ),
  fromDatabase(
    'ecc_notices_created_24h',
    'Notices created in the last 24 hours, by channel and current status (pending, sent, delivered, failed)',
    ['channel', 'status'],
    (d) =>
      NOTICE_CHANNELS.flatMap((channel) =>
        NOTICE_STATUSES.map((status): [Record<string, string>, number] => [
          { channel, status },
          d.notices24h.find((n) => n.channel === channel && n.status === status)?.notices ?? 0,
        ]),
      ),
  ),
  fromDatabase(
    'ecc_notices_pending',
    'Notices not sent yet (first attempt or a retry), by channel',
    ['channel'],
    (d) => [
      [{ channel: 'sms' }, Number(d.noticesPendingSms)],
      [{ channel: 'push' }, Number(d.noticesPendingPush)],
    ],
  ),
  {
    name: 'ecc_queue_jobs',
    help: 'Jobs in each queue, by state (failed: the failed jobs kept)',
    labels: ['queue', 'state'],
    values: (s) =>
      (s.queues ?? []).flatMap((q) =>
        QUEUE_STATES.map((state): [Record<string, string>, number] => [
          { queue: q.queue, state },
          q.counts[state] ?? 0,
        ]),
      ),
  },
  {
    name: 'ecc_queue_oldest_waiting_age_seconds',
    help: 'Age of the oldest job waiting in each queue (0: none waits)',
    labels: ['queue'],
    values: (s) => (s.queues ?? []).map((q) => [{ queue: q.queue }, ageSeconds(q.oldestWaitingAt)]),
  },
];

/** The names and labels of the worker's gauges (for the checks of the alert rules and the dashboard). */
export const SYSTEM_GAUGES: readonly { name: string; labels: readonly string[] }[] = GAUGES.map((g) => ({
  name: g.name,
  labels: g.labels ?? [],
}));

/**
 * The gauges read on a scrape (the worker's /metrics): one snapshot of Postgres and Redis, reused for
 * METRICS_CACHE_MS, so that however often and by however many scrapers the worker is scraped, the database
 * answers at most one query per interval; concurrent scrapes share the one in flight. A source that fails or
 * does not answer within GAUGE_QUERY_TIMEOUT_MS is reported by `ecc_metrics_source_up` = 0 and its gauges are
 * left out of that scrape (a stale value would look like a healthy one). While a source's previous read has not
 * ended (a frozen Postgres holds its connection) no other is started, and Redis is not asked while disconnected
 * (the command would wait in the client's offline queue): scrapes during an outage cost nothing that piles up.
 */
@Injectable()
export class SystemGauges implements OnModuleInit {
  private readonly logger = new Logger('Metrics');
  private cached?: Snapshot;
  private inFlight?: Promise<Snapshot>;
  /** Reads not ended yet, by source (a bounded wait may give up on a read that still holds a connection). */
  private readonly busy = new Set<string>();
  /** An outage fails every scrape alike: one line per source per minute. */
  private readonly warnings = new Map<string, ReturnType<typeof logThrottle>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly queues: QueueProducer,
  ) {}

  onModuleInit(): void {
    for (const definition of GAUGES) {
      metricsRegistry.removeSingleMetric(definition.name);
      const snapshot = () => this.snapshot();
      new Gauge({
        name: definition.name,
        help: definition.help,
        labelNames: definition.labels ?? [],
        registers: [metricsRegistry],
        async collect() {
          const current = await snapshot();
          this.reset();
          for (const [labels, value] of definition.values(current)) this.set(labels, value);
        },
      });
    }
  }

  /** The current snapshot: the cached one while fresh, else one read (shared by concurrent scrapes). */
  snapshot(): Promise<Snapshot> {
    if (this.cached && Date.now() - this.cached.at < this.config.metrics.cacheMs)
      return Promise.resolve(this.cached);
    this.inFlight ??= this.read().then((s) => {
      this.cached = s;
      this.inFlight = undefined;
      return s;
    });
    return this.inFlight;
  }

  private async read(): Promise<Snapshot> {
    const [database, queues] = await Promise.all([
      this.bounded('postgres', () => this.readDatabase()),
      this.bounded('redis', () => this.readQueues()),
    ]);
    return { at: Date.now(), database, queues };
  }

  private readDatabase(): Promise<DatabaseGauges> {
    // The statement's own timeout ends the query in Postgres too, not only the wait for it here.
    return this.prisma
      .$transaction([
        this.prisma.$executeRawUnsafe(`SET LOCAL statement_timeout = ${GAUGE_QUERY_TIMEOUT_MS}`),
        this.prisma.$queryRawUnsafe<Omit<DatabaseGauges, 'notices24h'>[]>(DATABASE_GAUGES_SQL),
        this.prisma.$queryRawUnsafe<DatabaseGauges['notices24h']>(NOTICES_24H_SQL),
      ])
      .then(([, rows, notices24h]) => ({ ...rows[0]!, notices24h }));
  }

  private readQueues(): Promise<QueueGauges[]> {
    if (this.redis.status !== 'ready') throw new Error(`Redis not connected (${this.redis.status})`);
    return Promise.all(
      QUEUE_NAMES.map(async (name) => {
        const queue = this.queues.queue(name);
        const [counts, oldest] = await Promise.all([
          queue.getJobCounts(...QUEUE_STATES),
          queue.getWaiting(0, 0),
        ]);
        return { queue: name, counts, oldestWaitingAt: oldest[0]?.timestamp ?? null };
      }),
    );
  }

  private warn(source: string, error: unknown, message: string): void {
    let throttled = this.warnings.get(source);
    if (!throttled) this.warnings.set(source, (throttled = logThrottle(60_000)));
    throttled((suppressed) => this.logger.warn({ err: error, source, suppressed }, message));
  }

  private async bounded<T>(source: string, read: () => Promise<T>): Promise<T | undefined> {
    if (this.busy.has(source)) {
      this.warn(
        source,
        undefined,
        'metrics: the previous read of this source has not ended; not reading again',
      );
      return undefined;
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      const reading = Promise.resolve().then(read);
      this.busy.add(source);
      void reading.then(
        () => this.busy.delete(source),
        () => this.busy.delete(source),
      );
      return await Promise.race([
        reading,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${GAUGE_QUERY_TIMEOUT_MS} ms`)),
            GAUGE_QUERY_TIMEOUT_MS,
          );
        }),
      ]);
    } catch (error) {
      this.warn(source, error, 'metrics: a source of the gauges did not answer');
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The worker's gauges read on a scrape (Postgres and the queues). */
@Module({ providers: [SystemGauges] })
export class SystemGaugesModule {}
