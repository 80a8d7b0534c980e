import { Prisma, type PrismaClient, type Tx } from '@ecc/shared-data';
import {
  DEADLINE_KINDS,
  DETECTION_OUTCOMES,
  NOTICE_CHANNELS,
  PARTY_KINDS,
  PENALTY_KINDS,
  SCORE_BANDS,
  type StatisticsGroup,
} from './figures';

/** A period of whole days of the bureau: [start, end) as instants and the same days as dates. */
export interface StatisticsPeriod {
  fromDate: string;
  toDate: string;
  start: Date;
  end: Date;
  timeZone: string;
}

/** The score bounds of the grades (the case_file_evaluation policy). */
export interface GradeBounds {
  excellentFrom: number;
  goodFrom: number;
  qualifiedFrom: number;
}

export type FigureValues = Record<string, number | null>;

/** One figure source's answer: the total, and per group key when a grouping was asked and applies. */
export interface SourceResult {
  total: FigureValues;
  groups: Map<string, FigureValues> | null;
}

/** Where a grouping key comes from in a source: extra joins, the key to group by and how it reads as text. */
interface Dimension {
  join?: Prisma.Sql;
  key: Prisma.Sql;
  /** the key as text, from the grouped key (default: `key::text`) */
  text?: (key: Prisma.Sql) => Prisma.Sql;
  /** the join gives a row several keys (each officer of a case): the total is then a query of its own */
  multiplies?: boolean;
}

/** A set of figures sharing one event: its rows, the period test on its event, the aggregates, the groupings. */
interface Source {
  from: Prisma.Sql;
  where: Prisma.Sql;
  metrics: Prisma.Sql[];
  dims: Partial<Record<StatisticsGroup, Dimension>>;
}

const raw = Prisma.raw;
const sql = Prisma.sql;
const metric = (key: string, expr: Prisma.Sql) => sql`${expr} AS ${raw(`"${key}"`)}`;
const count = (key: string, filter?: Prisma.Sql) =>
  metric(key, filter ? sql`(count(*) FILTER (WHERE ${filter}))::int` : sql`count(*)::int`);
const total = (key: string, expr: Prisma.Sql, filter?: Prisma.Sql) =>
  metric(
    key,
    sql`COALESCE(sum(${expr}) ${filter ? sql`FILTER (WHERE ${filter})` : Prisma.empty}, 0)::float8`,
  );
const days = (to: Prisma.Sql, from: Prisma.Sql) => sql`(extract(epoch FROM (${to} - ${from})) / 86400.0)`;
/** Median and 90th percentile of durations in days, rounded to a tenth (null when none). */
const durations = (stage: string, value: Prisma.Sql, filter?: Prisma.Sql) => {
  const where = filter ? sql`FILTER (WHERE ${filter})` : Prisma.empty;
  return [
    count(`durations.${stage}.count`, filter),
    metric(
      `durations.${stage}.median`,
      sql`round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ${value}) ${where})::numeric, 1)::float8`,
    ),
    metric(
      `durations.${stage}.p90`,
      sql`round((percentile_cont(0.9) WITHIN GROUP (ORDER BY ${value}) ${where})::numeric, 1)::float8`,
    ),
  ];
};

/** `at` falls in the period. */
const within = (at: Prisma.Sql, p: StatisticsPeriod) =>
  sql`${at} >= ${p.start}::timestamptz AND ${at} < ${p.end}::timestamptz`;
/** The month of an instant in the bureau's zone: truncated per row, written out once per group. */
const month = (at: Prisma.Sql, p: StatisticsPeriod): Dimension => ({
  // a literal, not a parameter: GROUP BY and GROUPING() must see the very same expression as SELECT (the zone
  // is an IANA name checked when the configuration is parsed)
  key: sql`date_trunc('month', ${at} AT TIME ZONE ${raw(`'${p.timeZone.replace(/'/g, "''")}'`)})`,
  text: (key) => sql`to_char(${key}, 'YYYY-MM')`,
});

/**
 * The groupings of a figure about a case (alias `c`): the month of its event, the station of the case's lead
 * (a sub-case's: its parent's lead), the case type, and each officer of the case.
 */
function caseDims(at: Prisma.Sql, p: StatisticsPeriod, leadId: Prisma.Sql = sql`c.lead_id`) {
  return {
    month: month(at, p),
    station: {
      join: sql`LEFT JOIN cases sp ON sp.id = c.parent_case_id
        LEFT JOIN leads sl ON sl.id = COALESCE(${leadId}, sp.lead_id)`,
      key: sql`sl.station_id::text`,
    },
    caseType: { key: sql`c.type::text` },
    officer: {
      join: sql`JOIN case_officers so ON so.case_id = c.id`,
      key: sql`so.user_id::text`,
      multiplies: true,
    },
  } satisfies Record<StatisticsGroup, Dimension>;
}

/**
 * The kind of the party a case penalises (the party of the role its type names), joined by hash rather than
 * looked up per decision; null when the case has none recorded ('organisation' when it has both).
 */
const PENALISED_PARTY = sql`LEFT JOIN (
    SELECT cp.case_id, cp.role, max(pp.kind::text) AS party
    FROM case_parties cp JOIN parties pp ON pp.id = cp.party_id GROUP BY cp.case_id, cp.role
  ) pk ON pk.case_id = c.id AND pk.role = (CASE c.type WHEN 'driver' THEN 'driver' WHEN 'enterprise' THEN 'enterprise'
    WHEN 'source_unit' THEN 'source_unit' ELSE 'owner' END)::case_party_role`;

/**
 * The statistics' SQL: every figure is an aggregate computed by Postgres over an index range of its event
 * column (or over the detection counts kept by triggers), never rows loaded into Node. Run inside one
 * REPEATABLE READ transaction by the caller, so all figures describe the same instant.
 */
export class StatisticsRepository {
  constructor(private readonly db: PrismaClient) {}

  /**
   * Runs `work` in one read-only snapshot. JIT compilation is off for it: these are short aggregate scans, and
   * compiling their many FILTER expressions cost more than running them (seconds, measured by the bench).
   */
  snapshot<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SET TRANSACTION READ ONLY`;
        await tx.$executeRaw`SET LOCAL jit = off`;
        return work(tx);
      },
      { isolationLevel: 'RepeatableRead', timeout: 120_000, maxWait: 30_000 },
    );
  }

  /** Every figure source of the statistics for the period. */
  sources(p: StatisticsPeriod, bounds: GradeBounds, detectionCounts: 'summary' | 'detections'): Source[] {
    return [
      this.detections(p, detectionCounts),
      ...this.leads(p),
      this.notices(p),
      ...this.fences(p),
      ...this.cases(p),
      ...this.fines(p),
      ...this.hearingsAndReviews(p),
      this.deadlines(p),
      this.evaluations(p, bounds),
    ];
  }

  /**
   * A source's figures: the total, and by the group's key when the source has that grouping — in one pass
   * (GROUPING SETS) unless the grouping's join multiplies rows, which would count them twice in the total.
   */
  async run(tx: Tx, source: Source, group: StatisticsGroup | null): Promise<SourceResult> {
    const metrics = Prisma.join(source.metrics, ', ');
    const dim = group ? source.dims[group] : undefined;
    const totalOnly = () => tx.$queryRaw<FigureValues[]>`
      SELECT ${metrics} FROM ${source.from} WHERE ${source.where}`;
    if (!dim) return { total: (await totalOnly())[0] ?? {}, groups: null };
    const text = dim.text ? dim.text(dim.key) : sql`${dim.key}::text`;
    const from = sql`${source.from} ${dim.join ?? Prisma.empty} WHERE ${source.where}`;
    const rows = dim.multiplies
      ? await tx.$queryRaw<(FigureValues & { g: string; total: boolean })[]>`
          SELECT COALESCE(${text}, '') AS g, FALSE AS total, ${metrics} FROM ${from} GROUP BY ${dim.key}`
      : await tx.$queryRaw<(FigureValues & { g: string; total: boolean })[]>`
          SELECT COALESCE(${text}, '') AS g, GROUPING(${dim.key}) = 1 AS total, ${metrics}
          FROM ${from} GROUP BY GROUPING SETS ((), (${dim.key}))`;
    const groups = new Map<string, FigureValues>();
    let total: FigureValues = dim.multiplies ? ((await totalOnly())[0] ?? {}) : {};
    for (const { g, total: isTotal, ...values } of rows) {
      if (isTotal) total = values;
      else groups.set(g, values);
    }
    return { total, groups };
  }

  /** The most frequent reasons leads were rejected for in the period. */
  async rejectionReasons(tx: Tx, p: StatisticsPeriod, limit = 20) {
    return tx.$queryRaw<{ reason: string; count: number }[]>`
      SELECT COALESCE(l.reject_reason, '') AS reason, count(*)::int AS count
      FROM leads l WHERE l.status = 'rejected' AND ${within(sql`l.reviewed_at`, p)}
      GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${limit}`;
  }

  /** Labels of group keys: station codes and names, officers' names. */
  async labels(tx: Tx, group: StatisticsGroup, keys: string[]): Promise<Map<string, string>> {
    const ids = keys.filter((k) => /^[0-9a-f-]{36}$/.test(k));
    if (!ids.length || (group !== 'station' && group !== 'officer')) return new Map();
    const rows =
      group === 'station'
        ? await tx.$queryRaw<{ id: string; label: string }[]>`
            SELECT id::text, code || ' ' || name AS label FROM stations WHERE id = ANY(${ids}::uuid[])`
        : await tx.$queryRaw<{ id: string; label: string }[]>`
            SELECT id::text, display_name AS label FROM users WHERE id = ANY(${ids}::uuid[])`;
    return new Map(rows.map((r) => [r.id, r.label]));
  }

  private detections(p: StatisticsPeriod, from: 'summary' | 'detections'): Source {
    const rows =
      from === 'summary'
        ? sql`(SELECT day, station_id, outcome, detections AS n FROM statistics_detection_counts
               WHERE day BETWEEN ${p.fromDate}::date AND ${p.toDate}::date
             UNION ALL
             SELECT day, station_id, outcome, delta FROM statistics_detection_deltas
               WHERE day BETWEEN ${p.fromDate}::date AND ${p.toDate}::date) dc`
        : sql`(SELECT (detected_at AT TIME ZONE ${p.timeZone})::date AS day, station_id,
                 COALESCE(outcome::text, 'pending') AS outcome, 1 AS n
               FROM detections WHERE ${within(sql`detected_at`, p)}) dc`;
    return {
      from: rows,
      where: sql`TRUE`,
      metrics: [
        total('detections.total', sql`n`),
        ...Object.keys(DETECTION_OUTCOMES).map((o) => total(`detections.${o}`, sql`n`, sql`outcome = ${o}`)),
      ],
      dims: {
        month: { key: sql`date_trunc('month', dc.day)`, text: (key) => sql`to_char(${key}, 'YYYY-MM')` },
        station: { key: sql`dc.station_id::text` },
      },
    };
  }

  private leads(p: StatisticsPeriod): Source[] {
    return [
      {
        from: sql`leads l`,
        where: within(sql`l.violation_at`, p),
        metrics: [count('leads.formed')],
        dims: { month: month(sql`l.violation_at`, p), station: { key: sql`l.station_id::text` } },
      },
      {
        from: sql`leads l`,
        where: within(sql`l.reviewed_at`, p),
        metrics: [
          count('leads.confirmed', sql`l.status <> 'rejected'`),
          count('leads.rejected', sql`l.status = 'rejected'`),
        ],
        dims: {
          month: month(sql`l.reviewed_at`, p),
          station: { key: sql`l.station_id::text` },
          officer: { key: sql`l.reviewed_by_id::text` },
        },
      },
      {
        // lead → notice: the first SMS notice of a lead sent in the period, from the lead's forming. The first
        // of the period is a MIN per lead; an earlier one is looked for only for leads formed before the period.
        from: sql`(SELECT n.lead_id, min(n.sent_at) AS sent_at FROM notices n
            WHERE n.channel = 'sms' AND n.lead_id IS NOT NULL AND ${within(sql`n.sent_at`, p)}
            GROUP BY n.lead_id) n
          JOIN leads l ON l.id = n.lead_id`,
        where: sql`(l.created_at >= ${p.start}::timestamptz OR NOT EXISTS (
          SELECT 1 FROM notices n2 WHERE n2.lead_id = n.lead_id AND n2.channel = 'sms'
            AND n2.sent_at < ${p.start}::timestamptz))`,
        metrics: durations('leadToNotice', days(sql`n.sent_at`, sql`l.created_at`)),
        dims: { month: month(sql`n.sent_at`, p), station: { key: sql`l.station_id::text` } },
      },
    ];
  }

  private notices(p: StatisticsPeriod): Source {
    return {
      from: sql`notices n LEFT JOIN cases c ON c.id = n.case_id`,
      where: within(sql`n.created_at`, p),
      metrics: Object.keys(NOTICE_CHANNELS).flatMap((ch) => [
        count(`notices.${ch}.created`, sql`n.channel = ${ch}::notice_channel`),
        count(`notices.${ch}.sent`, sql`n.channel = ${ch}::notice_channel AND n.sent_at IS NOT NULL`),
        count(
          `notices.${ch}.delivered`,
          sql`n.channel = ${ch}::notice_channel AND n.delivered_at IS NOT NULL`,
        ),
        count(`notices.${ch}.failed`, sql`n.channel = ${ch}::notice_channel AND n.status = 'failed'`),
      ]),
      dims: {
        month: month(sql`n.created_at`, p),
        station: {
          join: sql`LEFT JOIN leads sl ON sl.id = COALESCE(n.lead_id, c.lead_id)`,
          key: sql`sl.station_id::text`,
        },
        caseType: { key: sql`c.type::text` },
      },
    };
  }

  private fences(p: StatisticsPeriod): Source[] {
    const fenceDims = (at: Prisma.Sql) => ({
      month: month(at, p),
      station: { join: sql`LEFT JOIN leads sl ON sl.id = f.lead_id`, key: sql`sl.station_id::text` },
    });
    return [
      {
        from: sql`fences f`,
        where: within(sql`f.created_at`, p),
        metrics: [count('fences.deployed')],
        dims: fenceDims(sql`f.created_at`),
      },
      {
        from: sql`fences f`,
        where: within(sql`f.lifted_at`, p),
        metrics: [count('fences.lifted')],
        dims: fenceDims(sql`f.lifted_at`),
      },
      {
        // the detections (tens of millions) are joined only to group by their station, one probe per alert
        from: sql`interception_alerts ia`,
        where: within(sql`ia.raised_at`, p),
        metrics: [
          count('fences.interceptions'),
          count('fences.interceptionsAcknowledged', sql`ia.acknowledged_at IS NOT NULL`),
        ],
        dims: {
          month: month(sql`ia.raised_at`, p),
          station: {
            join: sql`CROSS JOIN LATERAL (SELECT d.station_id FROM detections d WHERE d.id = ia.detection_id) d`,
            key: sql`d.station_id::text`,
          },
        },
      },
    ];
  }

  private cases(p: StatisticsPeriod): Source[] {
    const event = (at: string, metrics: Prisma.Sql[], from = sql`cases c`): Source => ({
      from,
      where: within(raw(at), p),
      metrics,
      dims: caseDims(raw(at), p),
    });
    /** A case event ending a stage: its count, and the stage's durations from the event that starts it. */
    const stageEnd = (at: string, from: string, stage: string, countKey?: string) =>
      event(`c.${at}`, [
        ...(countKey ? [count(countKey)] : []),
        ...durations(stage, days(raw(`c.${at}`), raw(`c.${from}`)), sql`${raw(`c.${from}`)} IS NOT NULL`),
      ]);
    const { month: _month, ...stockDims } = caseDims(sql`c.filed_at`, p);
    return [
      event(
        'c.filed_at',
        [
          count('cases.filed'),
          ...durations('noticeToFiling', days(sql`c.filed_at`, sql`fn.sent_at`), sql`fn.sent_at IS NOT NULL`),
        ],
        sql`cases c LEFT JOIN LATERAL (SELECT min(n.sent_at) AS sent_at FROM notices n
          WHERE n.lead_id = c.lead_id AND n.channel = 'sms') fn ON TRUE`,
      ),
      stageEnd('decided_at', 'filed_at', 'filingToDecision', 'cases.decided'),
      stageEnd('served_at', 'decided_at', 'decisionToService', 'cases.served'),
      stageEnd('paid_at', 'served_at', 'serviceToPayment'),
      stageEnd('closed_at', 'paid_at', 'paymentToClosing', 'cases.closed'),
      event('c.terminated_at', [count('cases.terminated')]),
      event('c.home_authority_reported_at', [count('reports.homeAuthority')]),
      event(
        'a.decided_at',
        [count('cases.notFiled')],
        sql`case_approvals a JOIN cases c ON c.id = a.case_id AND a.stage = 'filing' AND a.outcome = 'rejected'`,
      ),
      {
        from: sql`cases c`,
        where: sql`c.filed_at < ${p.end}::timestamptz
          AND (c.closed_at IS NULL OR c.closed_at >= ${p.end}::timestamptz)
          AND (c.terminated_at IS NULL OR c.terminated_at >= ${p.end}::timestamptz)`,
        metrics: [count('cases.openAtEnd')],
        dims: stockDims,
      },
    ];
  }

  private fines(p: StatisticsPeriod): Source[] {
    const { month: _month, ...stockDims } = caseDims(sql`d.decided_at`, p);
    return [
      {
        from: sql`decisions d JOIN cases c ON c.id = d.case_id`,
        where: within(sql`d.decided_at`, p),
        metrics: [
          count('fines.imposedCount', sql`d.fine_amount IS NOT NULL`),
          total('fines.imposed', sql`d.fine_amount`),
        ],
        dims: caseDims(sql`d.decided_at`, p),
      },
      {
        from: sql`decisions d JOIN cases c ON c.id = d.case_id CROSS JOIN LATERAL unnest(d.penalty_kinds) AS k(kind)
          ${PENALISED_PARTY}`,
        where: within(sql`d.decided_at`, p),
        metrics: Object.keys(PENALTY_KINDS).flatMap((kind) => [
          count(`penalties.${kind}`, sql`k.kind = ${kind}::penalty_kind`),
          ...Object.keys(PARTY_KINDS).map((party) =>
            count(`penalties.${kind}.${party}`, sql`k.kind = ${kind}::penalty_kind AND pk.party = ${party}`),
          ),
        ]),
        dims: caseDims(sql`d.decided_at`, p),
      },
      {
        from: sql`payments pay JOIN cases c ON c.id = pay.case_id`,
        where: within(sql`pay.paid_at`, p),
        metrics: [total('fines.collected', sql`pay.amount`), total('fines.lateFees', sql`pay.late_fee`)],
        dims: caseDims(sql`pay.paid_at`, p),
      },
      {
        from: sql`decisions d JOIN cases c ON c.id = d.case_id
          LEFT JOIN (SELECT case_id, sum(amount) AS paid FROM payments WHERE paid_at < ${p.end}::timestamptz
            GROUP BY case_id) paid ON paid.case_id = d.case_id`,
        where: sql`d.decided_at < ${p.end}::timestamptz AND d.fine_amount IS NOT NULL
          AND (c.terminated_at IS NULL OR c.terminated_at >= ${p.end}::timestamptz)`,
        metrics: [total('fines.outstanding', sql`GREATEST(d.fine_amount - COALESCE(paid.paid, 0), 0)`)],
        dims: stockDims,
      },
    ];
  }

  private hearingsAndReviews(p: StatisticsPeriod): Source[] {
    return [
      {
        from: sql`statement_records s JOIN cases c ON c.id = s.case_id`,
        where: sql`s.kind = 'hearing_request' AND ${within(sql`s.received_at`, p)}`,
        metrics: [count('hearings.requested')],
        dims: caseDims(sql`s.received_at`, p),
      },
      {
        from: sql`statement_records s JOIN cases c ON c.id = s.case_id`,
        where: sql`s.kind = 'hearing' AND ${within(sql`s.held_at`, p)}`,
        metrics: [count('hearings.held')],
        dims: caseDims(sql`s.held_at`, p),
      },
      {
        from: sql`legal_reviews r JOIN cases c ON c.id = r.case_id`,
        where: sql`r.outcome IS NOT NULL AND ${within(sql`r.reviewed_at`, p)}`,
        metrics: [
          count('legalReviews.performed'),
          count('legalReviews.passed', sql`r.outcome = 'passed'`),
          count('legalReviews.returned', sql`r.outcome = 'returned'`),
        ],
        dims: caseDims(sql`r.reviewed_at`, p),
      },
    ];
  }

  private deadlines(p: StatisticsPeriod): Source {
    return {
      from: sql`deadlines dl LEFT JOIN cases c ON c.id = dl.case_id`,
      where: sql`dl.status IN ('met', 'missed') AND ${within(sql`dl.due_at`, p)}`,
      metrics: [
        count('deadlines.met', sql`dl.status = 'met'`),
        count('deadlines.missed', sql`dl.status = 'missed'`),
        ...Object.keys(DEADLINE_KINDS).flatMap((kind) => [
          count(`deadlines.${kind}.met`, sql`dl.status = 'met' AND dl.kind = ${kind}::deadline_kind`),
          count(`deadlines.${kind}.missed`, sql`dl.status = 'missed' AND dl.kind = ${kind}::deadline_kind`),
        ]),
      ],
      dims: caseDims(sql`dl.due_at`, p, sql`COALESCE(dl.lead_id, c.lead_id)`),
    };
  }

  private evaluations(p: StatisticsPeriod, b: GradeBounds): Source {
    return {
      from: sql`case_evaluations e JOIN cases c ON c.id = e.case_id`,
      where: sql`e.score IS NOT NULL AND ${within(sql`e.evaluated_at`, p)}`,
      metrics: (['review', 'precheck'] as const).flatMap((kind) => {
        const of = (extra?: Prisma.Sql) =>
          extra
            ? sql`e.kind = ${kind}::evaluation_kind AND ${extra}`
            : sql`e.kind = ${kind}::evaluation_kind`;
        return [
          count(`evaluations.${kind}.count`, of()),
          metric(`evaluations.${kind}.average`, sql`round(avg(e.score) FILTER (WHERE ${of()}), 1)::float8`),
          count(`evaluations.${kind}.excellent`, of(sql`e.score >= ${b.excellentFrom}`)),
          count(
            `evaluations.${kind}.good`,
            of(sql`e.score >= ${b.goodFrom} AND e.score < ${b.excellentFrom}`),
          ),
          count(
            `evaluations.${kind}.qualified`,
            of(sql`e.score >= ${b.qualifiedFrom} AND e.score < ${b.goodFrom}`),
          ),
          count(`evaluations.${kind}.unqualified`, of(sql`e.score < ${b.qualifiedFrom}`)),
          ...SCORE_BANDS.map(([lo, hi]) =>
            count(`evaluations.${kind}.band${lo}`, of(sql`e.score >= ${lo} AND e.score < ${hi}`)),
          ),
        ];
      }),
      dims: caseDims(sql`e.evaluated_at`, p),
    };
  }
}
