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
import { keptCaseJobs } from './kept-cases';

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
  /**
   * the join gives a row several keys (each officer of a case) and one more whose key is null: the rows of the
   * null key are the total (each row once), the others the groups — one pass, no query of its own for the total
   */
  multiplies?: boolean;
}

/**
 * Figures counted by a key per row rather than by a column each: Postgres groups the rows by the columns `by` (an
 * enum, a short code: cheap to sort or hash), then `keys` (a text[] without parameters, over those columns named
 * `p0`, `p1`, …) names the figures each of the few groups counts in (a null key counts in none), `value` what a row
 * adds (1 by default); Node adds each group's sum to its figures — a few groups instead of many FILTER aggregates
 * per row.
 */
interface Pivot {
  by: Prisma.Sql[];
  keys: Prisma.Sql;
  value?: Prisma.Sql;
  /** every figure of the source (0 in the total when no row counts in it) */
  figures: string[];
}

/** A set of figures sharing one event: its rows, the period test on its event, the aggregates, the groupings. */
interface Source {
  from: Prisma.Sql;
  where: Prisma.Sql;
  metrics: Prisma.Sql[];
  pivot?: Pivot;
  dims: Partial<Record<StatisticsGroup, Dimension>>;
}

/** Where the counts of detections, leads and notices and the first SMS of leads come from (docs/statistics.md). */
export type CountSource = 'summary' | 'detections';
/**
 * Where the case figures come from: the kept case counts and histograms, or the case rows themselves (exact
 * percentiles; with `summary`, grouped by station through the kept station of each case, as before the case
 * figures were kept — the comparison of the bench).
 */
export type CaseCountSource = 'kept' | 'rows';

/** Everything one request of the statistics computes, in one snapshot. */
export interface StatisticsAnswer {
  total: FigureValues;
  groups: Map<string, FigureValues>;
  reasons: { reason: string; count: number }[];
  labels: Map<string, string>;
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

/** The kept counts of some figures of leads or notices, daily rows plus the deltas not folded yet. */
const keptEvents = (p: StatisticsPeriod, figures: string[]) =>
  sql`(SELECT figure, day, station_id, subject, events AS n FROM statistics_event_counts
       WHERE figure = ANY(${figures}::text[]) AND day BETWEEN ${p.fromDate}::date AND ${p.toDate}::date
     UNION ALL
     SELECT figure, day, station_id, subject, delta FROM statistics_event_deltas
       WHERE figure = ANY(${figures}::text[]) AND day BETWEEN ${p.fromDate}::date AND ${p.toDate}::date) ec`;
/** The figure of a kept count, compared bytewise: it is grouped, never shown sorted. */
const FIGURE = sql`ec.figure COLLATE "C"`;
const keptMonth: Dimension = {
  key: sql`date_trunc('month', ec.day)`,
  text: (key) => sql`to_char(${key}, 'YYYY-MM')`,
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
 * (a sub-case's: its parent's lead) or of `leadId` when the row names a lead of its own, the case type, and each
 * officer of the case. The case's station is read from statistics_case_stations, a narrow table kept by the
 * triggers on cases, or — counting from the rows — through the leads themselves.
 */
function caseDims(at: Prisma.Sql, p: StatisticsPeriod, counts: CountSource, leadId?: Prisma.Sql) {
  // a probe of the leads only for the rows that name one (OFFSET 0 keeps it a probe, not a hash of every lead)
  const own = leadId
    ? sql`LEFT JOIN LATERAL (SELECT l.station_id FROM leads l
        WHERE ${leadId} IS NOT NULL AND l.id = ${leadId} OFFSET 0) ol ON TRUE`
    : Prisma.empty;
  const ownStation = (station: Prisma.Sql) => (leadId ? sql`COALESCE(ol.station_id, ${station})` : station);
  return {
    month: month(at, p),
    station:
      counts === 'summary'
        ? {
            join: sql`LEFT JOIN statistics_case_stations cs ON cs.case_id = c.id ${own}`,
            key: ownStation(sql`cs.station_id`),
          }
        : {
            join: sql`LEFT JOIN cases sp ON sp.id = c.parent_case_id
              LEFT JOIN leads sl ON sl.id = COALESCE(c.lead_id, sp.lead_id) ${own}`,
            key: ownStation(sql`sl.station_id`),
          },
    caseType: { key: sql`c.type` },
    officer: {
      // each officer of the case, and the case once more without one (the total)
      // (LEFT: a row of no case — a deadline of a lead — is in the total too, as without a grouping)
      join: sql`LEFT JOIN (SELECT co.case_id, co.user_id FROM case_officers co
          UNION ALL SELECT cc.id, NULL FROM cases cc) so ON so.case_id = c.id`,
      key: sql`so.user_id`,
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
   * compiling their many FILTER expressions cost more than running them (seconds, measured by the bench); the
   * sorts of the percentiles get the memory to stay out of temporary files.
   */
  snapshot<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.$transaction(
      async (tx) => {
        await this.prepare(tx);
        return work(tx);
      },
      { isolationLevel: 'RepeatableRead', timeout: 120_000, maxWait: 30_000 },
    );
  }

  private async prepare(tx: Tx, snapshot?: string): Promise<void> {
    // SET TRANSACTION SNAPSHOT takes no parameter: the identifier is the one Postgres gave, checked to be one
    if (snapshot !== undefined) {
      if (!/^[0-9A-F]+-[0-9A-F]+-[0-9]+$/.test(snapshot))
        throw new Error(`not a snapshot identifier: ${snapshot}`);
      await tx.$executeRawUnsafe(`SET TRANSACTION SNAPSHOT '${snapshot}'`);
    }
    await tx.$executeRaw`SET TRANSACTION READ ONLY`;
    await tx.$executeRaw`SET LOCAL jit = off`;
    await tx.$executeRaw`SET LOCAL work_mem = '64MB'`;
  }

  /**
   * Runs `jobs` in the snapshot of `tx` on up to `connections` connections: `tx` exports its snapshot, the other
   * transactions import it (SET TRANSACTION SNAPSHOT), so every job sees the very same instant; each connection
   * takes the next job when it is done with one. The results come in the order of the jobs. A connection that
   * cannot be had, or cannot join the snapshot, takes no job and leaves them to the others.
   */
  async parallel<R>(tx: Tx, jobs: ((tx: Tx) => Promise<R>)[], connections: number): Promise<R[]> {
    const results: R[] = new Array<R>(jobs.length);
    let next = 0;
    const drain = async (t: Tx, took?: () => void) => {
      for (let job = jobs[next]; job; job = jobs[next]) {
        const i = next++;
        took?.();
        try {
          results[i] = await job(t);
        } catch (error) {
          next = jobs.length; // the others take no new job
          throw error;
        }
      }
    };
    const helpers = Math.min(connections, jobs.length) - 1;
    if (helpers <= 0) {
      await drain(tx);
      return results;
    }
    const [{ id: exported } = { id: '' }] = await tx.$queryRaw<
      { id: string }[]
    >`SELECT pg_export_snapshot() AS id`;
    const helper = async () => {
      let took = false;
      try {
        await this.db.$transaction(
          async (h) => {
            if (next >= jobs.length) return; // all taken while this connection was awaited
            await this.prepare(h, exported);
            await drain(h, () => (took = true));
          },
          // a busy pool is not waited for long: the first connection goes on meanwhile and does the rest
          { isolationLevel: 'RepeatableRead', timeout: 120_000, maxWait: 2_000 },
        );
      } catch (error) {
        // a connection that could not be had, or not join the snapshot, took no job: the others do them all
        if (took) throw error;
      }
    };
    // the exporting transaction stays open until every importer is done (allSettled waits for them all)
    const settled = await Promise.allSettled([drain(tx), ...Array.from({ length: helpers }, helper)]);
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return results;
  }

  /**
   * Every figure of the period in one snapshot, in total and by `group`, its sources spread over `connections`
   * connections sharing that snapshot; the rejection reasons; the labels of the group keys.
   */
  async collect(
    p: StatisticsPeriod,
    bounds: GradeBounds,
    counts: CountSource,
    group: StatisticsGroup | null,
    connections = 2,
    caseCounts: CaseCountSource = counts === 'summary' ? 'kept' : 'rows',
  ): Promise<StatisticsAnswer> {
    return this.snapshot(async (tx) => {
      const sources = this.sources(p, bounds, counts, caseCounts);
      const [reasons, ...results] = await this.parallel<unknown>(
        tx,
        [
          (t) => this.rejectionReasons(t, p),
          // the kept case figures first: a few larger reads, the many small sources fill in after them
          ...(caseCounts === 'kept' ? keptCaseJobs(p, bounds, group) : []),
          ...sources.map((source) => (t: Tx) => this.run(t, source, group)),
        ],
        connections,
      );
      const total: FigureValues = {};
      const groups = new Map<string, FigureValues>();
      for (const result of results as SourceResult[]) {
        Object.assign(total, result.total);
        for (const [key, values] of result.groups ?? []) groups.set(key, { ...groups.get(key), ...values });
      }
      const labels = group ? await this.labels(tx, group, [...groups.keys()]) : new Map<string, string>();
      return { total, groups, reasons: reasons as StatisticsAnswer['reasons'], labels };
    });
  }

  /**
   * Every figure source of the statistics for the period that is read by SQL of its own: from the kept counts,
   * the case figures and the lead → notice stage are read by `keptCaseJobs` instead.
   */
  sources(
    p: StatisticsPeriod,
    bounds: GradeBounds,
    counts: CountSource,
    caseCounts: CaseCountSource = counts === 'summary' ? 'kept' : 'rows',
  ): Source[] {
    const kept = counts === 'summary';
    const common = [
      this.detections(p, counts),
      ...(kept ? this.keptLeads(p) : this.leads(p)),
      kept ? this.keptNotices(p) : this.notices(p),
      ...this.fences(p, counts),
    ];
    if (caseCounts === 'kept') return common;
    return [
      ...common,
      ...(kept ? [this.keptLeadToNotice(p)] : []),
      ...this.cases(p, counts),
      ...this.fines(p, counts),
      ...this.hearingsAndReviews(p, counts),
      this.deadlines(p, counts),
      this.evaluations(p, bounds, counts),
    ];
  }

  /**
   * A source's figures: the total, and by the group's key when the source has that grouping — in one pass:
   * GROUPING SETS, or, where the grouping's join multiplies rows (the officers of a case), the group of the null
   * key that the join adds once per row.
   */
  async run(tx: Tx, source: Source, group: StatisticsGroup | null): Promise<SourceResult> {
    if (source.pivot) return this.runPivot(tx, source, source.pivot, group);
    const metrics = Prisma.join(source.metrics, ', ');
    const dim = group ? source.dims[group] : undefined;
    const totalOnly = () => tx.$queryRaw<FigureValues[]>`
      SELECT ${metrics} FROM ${source.from} WHERE ${source.where}`;
    if (!dim) return { total: (await totalOnly())[0] ?? {}, groups: null };
    const text = dim.text ? dim.text(dim.key) : sql`${dim.key}::text`;
    const from = sql`${source.from} ${dim.join ?? Prisma.empty} WHERE ${source.where}`;
    const rows = dim.multiplies
      ? await tx.$queryRaw<(FigureValues & { g: string; total: boolean })[]>`
          SELECT COALESCE(${text}, '') AS g, ${dim.key} IS NULL AS total, ${metrics} FROM ${from} GROUP BY ${dim.key}`
      : await tx.$queryRaw<(FigureValues & { g: string; total: boolean })[]>`
          SELECT COALESCE(${text}, '') AS g, GROUPING(${dim.key}) = 1 AS total, ${metrics}
          FROM ${from} GROUP BY GROUPING SETS ((), (${dim.key}))`;
    const groups = new Map<string, FigureValues>();
    let total: FigureValues | undefined;
    for (const { g, total: isTotal, ...values } of rows) {
      if (isTotal) total = values;
      else groups.set(g, values);
    }
    // no row in the period at all: a multiplying join has no null-key group either (GROUPING SETS always has ())
    return { total: total ?? (await totalOnly())[0] ?? {}, groups };
  }

  /**
   * A pivoted source: the sum of each set of figure keys, in total and by the group's key. Like a source of
   * columns, a group has every figure of the source (0 when none of its rows counts in it), and a group whose
   * sums are all 0 (kept deltas that cancel out) is no group.
   */
  private async runPivot(
    tx: Tx,
    source: Source,
    pivot: Pivot,
    group: StatisticsGroup | null,
  ): Promise<SourceResult> {
    const dim = group ? source.dims[group] : undefined;
    const columns = pivot.by.map((_, i) => raw(`p${i}`));
    const by = Prisma.join(columns, ', ');
    const rows = (g: Prisma.Sql, join: Prisma.Sql = Prisma.empty) => sql`
      SELECT ${g} AS g, ${Prisma.join(
        pivot.by.map((column, i) => sql`${column} AS ${raw(`p${i}`)}`),
        ', ',
      )}, ${pivot.value ?? sql`1`} AS n
      FROM ${source.from} ${join} WHERE ${source.where}`;
    const add = (values: FigureValues, keys: (string | null)[], n: number) => {
      for (const key of keys) if (key !== null) values[key] = (values[key] ?? 0) + n;
    };
    const total: FigureValues = Object.fromEntries(pivot.figures.map((f) => [f, 0]));
    type Row = { g: string; total: boolean; keys: (string | null)[]; n: number };
    if (!dim) {
      for (const r of await tx.$queryRaw<Row[]>`
        SELECT ${pivot.keys} AS keys, n FROM (
          SELECT ${by}, sum(n)::float8 AS n FROM (${rows(sql`NULL`)}) s GROUP BY ${by} HAVING sum(n) <> 0) t`) {
        add(total, r.keys, r.n);
      }
      return { total, groups: null };
    }
    // grouped by the key itself (a uuid, a date, an enum), read as text once per group
    const keyed = rows(dim.key, dim.join);
    const text = dim.text ? dim.text(sql`g`) : sql`g::text`;
    const grouped = await tx.$queryRaw<Row[]>`
      SELECT COALESCE(${text}, '') AS g, total, ${pivot.keys} AS keys, n FROM (
        ${
          dim.multiplies
            ? sql`SELECT g, g IS NULL AS total, ${by}, sum(n)::float8 AS n FROM (${keyed}) s
                GROUP BY g, ${by} HAVING sum(n) <> 0`
            : sql`SELECT g, GROUPING(g) = 1 AS total, ${by}, sum(n)::float8 AS n FROM (${keyed}) s
                GROUP BY GROUPING SETS ((${by}), (g, ${by})) HAVING sum(n) <> 0`
        }) t`;
    const groups = new Map<string, FigureValues>();
    for (const r of grouped) {
      if (r.total) add(total, r.keys, r.n);
      else {
        const values = groups.get(r.g) ?? Object.fromEntries(pivot.figures.map((f) => [f, 0]));
        groups.set(r.g, values);
        add(values, r.keys, r.n);
      }
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

  private detections(p: StatisticsPeriod, from: CountSource): Source {
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
        station: { key: sql`dc.station_id` },
      },
    };
  }

  /** The lead figures from the counts kept by the triggers on leads and the first SMS kept by those on notices. */
  private keptLeads(p: StatisticsPeriod): Source[] {
    const station: Dimension = { key: sql`ec.station_id COLLATE "C"` };
    return [
      {
        from: keptEvents(p, ['leads.formed']),
        where: sql`TRUE`,
        metrics: [],
        pivot: { by: [FIGURE], keys: sql`ARRAY[p0]`, value: sql`ec.n`, figures: ['leads.formed'] },
        dims: { month: keptMonth, station },
      },
      {
        from: keptEvents(p, ['leads.confirmed', 'leads.rejected']),
        where: sql`TRUE`,
        metrics: [],
        pivot: {
          by: [FIGURE],
          keys: sql`ARRAY[p0]`,
          value: sql`ec.n`,
          figures: ['leads.confirmed', 'leads.rejected'],
        },
        dims: { month: keptMonth, station, officer: { key: sql`ec.subject COLLATE "C"` } },
      },
    ];
  }

  /** Lead → notice from the rows of the first SMS kept per lead (exact percentiles; the comparison of the bench). */
  private keptLeadToNotice(p: StatisticsPeriod): Source {
    return {
      from: sql`statistics_lead_first_sms f`,
      where: within(sql`f.sent_at`, p),
      metrics: durations('leadToNotice', days(sql`f.sent_at`, sql`f.lead_created_at`)),
      dims: { month: month(sql`f.sent_at`, p), station: { key: sql`f.station_id` } },
    };
  }

  /** The notice figures from the counts kept by the triggers on notices. */
  private keptNotices(p: StatisticsPeriod): Source {
    const figures = Object.keys(NOTICE_CHANNELS).flatMap((ch) =>
      ['created', 'sent', 'delivered', 'failed'].map((state) => `notices.${ch}.${state}`),
    );
    return {
      from: keptEvents(p, figures),
      where: sql`TRUE`,
      metrics: [],
      pivot: { by: [FIGURE], keys: sql`ARRAY[p0]`, value: sql`ec.n`, figures },
      dims: {
        month: keptMonth,
        station: { key: sql`ec.station_id COLLATE "C"` },
        caseType: { key: sql`ec.subject COLLATE "C"` },
      },
    };
  }

  /** The lead figures counted from the leads and notices themselves. */
  private leads(p: StatisticsPeriod): Source[] {
    return [
      {
        from: sql`leads l`,
        where: within(sql`l.violation_at`, p),
        metrics: [count('leads.formed')],
        dims: { month: month(sql`l.violation_at`, p), station: { key: sql`l.station_id` } },
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
          station: { key: sql`l.station_id` },
          officer: { key: sql`l.reviewed_by_id` },
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
        dims: { month: month(sql`n.sent_at`, p), station: { key: sql`l.station_id` } },
      },
    ];
  }

  /** The notice figures counted from the notices themselves. */
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
          key: sql`sl.station_id`,
        },
        caseType: { key: sql`c.type` },
      },
    };
  }

  private fences(p: StatisticsPeriod, counts: CountSource): Source[] {
    const fenceDims = (at: Prisma.Sql) => ({
      month: month(at, p),
      station: {
        // the station of a fence (its lead's): kept by the triggers on fences and leads, or — counting from the
        // rows — one probe of the leads per fence (OFFSET 0 keeps it a probe, not a hash of every lead)
        join:
          counts === 'summary'
            ? sql`LEFT JOIN statistics_fence_stations sl ON sl.fence_id = f.id`
            : sql`LEFT JOIN LATERAL (SELECT l.station_id FROM leads l
                WHERE f.lead_id IS NOT NULL AND l.id = f.lead_id OFFSET 0) sl ON TRUE`,
        key: sql`sl.station_id`,
      },
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
        // the station of an alert: kept by the triggers on interception_alerts, or — counting from the rows — one
        // probe of the detections (tens of millions) per alert
        from: sql`interception_alerts ia`,
        where: within(sql`ia.raised_at`, p),
        metrics: [
          count('fences.interceptions'),
          count('fences.interceptionsAcknowledged', sql`ia.acknowledged_at IS NOT NULL`),
        ],
        dims: {
          month: month(sql`ia.raised_at`, p),
          station: {
            join:
              counts === 'summary'
                ? sql`LEFT JOIN statistics_alert_stations d ON d.alert_id = ia.id`
                : sql`LEFT JOIN LATERAL (SELECT d.station_id FROM detections d WHERE d.id = ia.detection_id) d ON TRUE`,
            key: sql`d.station_id`,
          },
        },
      },
    ];
  }

  private cases(p: StatisticsPeriod, counts: CountSource): Source[] {
    const event = (at: string, metrics: Prisma.Sql[], from = sql`cases c`): Source => ({
      from,
      where: within(raw(at), p),
      metrics,
      dims: caseDims(raw(at), p, counts),
    });
    /** A case event ending a stage: its count, and the stage's durations from the event that starts it. */
    const stageEnd = (at: string, from: string, stage: string, countKey?: string) =>
      event(`c.${at}`, [
        ...(countKey ? [count(countKey)] : []),
        ...durations(stage, days(raw(`c.${at}`), raw(`c.${from}`)), sql`${raw(`c.${from}`)} IS NOT NULL`),
      ]);
    const { month: _month, ...stockDims } = caseDims(sql`c.filed_at`, p, counts);
    return [
      event(
        'c.filed_at',
        [
          count('cases.filed'),
          ...durations('noticeToFiling', days(sql`c.filed_at`, sql`fn.sent_at`), sql`fn.sent_at IS NOT NULL`),
        ],
        counts === 'summary'
          ? sql`cases c LEFT JOIN statistics_lead_first_sms fn ON fn.lead_id = c.lead_id`
          : sql`cases c LEFT JOIN LATERAL (SELECT min(n.sent_at) AS sent_at FROM notices n
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

  private fines(p: StatisticsPeriod, counts: CountSource): Source[] {
    const { month: _month, ...stockDims } = caseDims(sql`d.decided_at`, p, counts);
    return [
      {
        from: sql`decisions d JOIN cases c ON c.id = d.case_id`,
        where: within(sql`d.decided_at`, p),
        metrics: [
          count('fines.imposedCount', sql`d.fine_amount IS NOT NULL`),
          total('fines.imposed', sql`d.fine_amount`),
        ],
        dims: caseDims(sql`d.decided_at`, p, counts),
      },
      {
        from: sql`decisions d JOIN cases c ON c.id = d.case_id CROSS JOIN LATERAL unnest(d.penalty_kinds) AS k(kind)
          ${PENALISED_PARTY}`,
        where: within(sql`d.decided_at`, p),
        metrics: [],
        // grouped by (kind, party kind) and pivoted: each penalty counts for its kind and its kind and party kind
        pivot: {
          by: [sql`k.kind`, sql`pk.party COLLATE "C"`],
          keys: sql`ARRAY['penalties.' || p0::text, 'penalties.' || p0::text || '.' || p1]`,
          figures: Object.keys(PENALTY_KINDS).flatMap((kind) => [
            `penalties.${kind}`,
            ...Object.keys(PARTY_KINDS).map((party) => `penalties.${kind}.${party}`),
          ]),
        },
        dims: caseDims(sql`d.decided_at`, p, counts),
      },
      {
        from: sql`payments pay JOIN cases c ON c.id = pay.case_id`,
        where: within(sql`pay.paid_at`, p),
        metrics: [total('fines.collected', sql`pay.amount`), total('fines.lateFees', sql`pay.late_fee`)],
        dims: caseDims(sql`pay.paid_at`, p, counts),
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

  private hearingsAndReviews(p: StatisticsPeriod, counts: CountSource): Source[] {
    return [
      {
        from: sql`statement_records s JOIN cases c ON c.id = s.case_id`,
        where: sql`s.kind = 'hearing_request' AND ${within(sql`s.received_at`, p)}`,
        metrics: [count('hearings.requested')],
        dims: caseDims(sql`s.received_at`, p, counts),
      },
      {
        from: sql`statement_records s JOIN cases c ON c.id = s.case_id`,
        where: sql`s.kind = 'hearing' AND ${within(sql`s.held_at`, p)}`,
        metrics: [count('hearings.held')],
        dims: caseDims(sql`s.held_at`, p, counts),
      },
      {
        from: sql`legal_reviews r JOIN cases c ON c.id = r.case_id`,
        where: sql`r.outcome IS NOT NULL AND ${within(sql`r.reviewed_at`, p)}`,
        metrics: [
          count('legalReviews.performed'),
          count('legalReviews.passed', sql`r.outcome = 'passed'`),
          count('legalReviews.returned', sql`r.outcome = 'returned'`),
        ],
        dims: caseDims(sql`r.reviewed_at`, p, counts),
      },
    ];
  }

  private deadlines(p: StatisticsPeriod, counts: CountSource): Source {
    return {
      from: sql`deadlines dl LEFT JOIN cases c ON c.id = dl.case_id`,
      where: sql`dl.status IN ('met', 'missed') AND ${within(sql`dl.due_at`, p)}`,
      metrics: [],
      // grouped by (kind, outcome) and pivoted: each deadline counts for its outcome and its kind's outcome
      pivot: {
        by: [sql`dl.status`, sql`dl.kind`],
        keys: sql`ARRAY['deadlines.' || p0::text, 'deadlines.' || p1::text || '.' || p0::text]`,
        figures: ['deadlines.met', 'deadlines.missed'].concat(
          Object.keys(DEADLINE_KINDS).flatMap((kind) => [
            `deadlines.${kind}.met`,
            `deadlines.${kind}.missed`,
          ]),
        ),
      },
      // a deadline of a lead counts at its lead's station, one of a case at the case's
      dims: caseDims(sql`dl.due_at`, p, counts, sql`dl.lead_id`),
    };
  }

  private evaluations(p: StatisticsPeriod, b: GradeBounds, counts: CountSource): Source {
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
      dims: caseDims(sql`e.evaluated_at`, p, counts),
    };
  }
}
