import { Prisma, type Tx } from '@ecc/shared-data';
import { FIGURES, SCORE_BANDS, STAGES, type StatisticsGroup } from './figures';
import type { FigureValues, GradeBounds, SourceResult, StatisticsPeriod } from './statistics.repository';

/**
 * The case figures read from the counts kept by the triggers of migration 20261208010000_statistics_kept_cases
 * (docs/statistics.md): per grouping, monthly rows for the whole months of the period, daily rows for the days at
 * its edges, and the deltas not folded yet — a few thousand rows for a year whatever the number of cases.
 */

const sql = Prisma.sql;

/** The sections whose figures come from the kept case counts (and the lead → notice stage). */
const CASE_SECTIONS = new Set([
  'cases',
  'fines',
  'penalties',
  'reports',
  'hearings',
  'legalReviews',
  'durations',
  'deadlines',
  'evaluations',
]);
export const KEPT_CASE_FIGURES = FIGURES.filter((f) => CASE_SECTIONS.has(f.section));
const STOCKS = ['cases.openAtEnd', 'fines.outstanding'];
/** Kept figures whose value is a sum, not a count (fines.imposed also gives fines.imposedCount). */
const AMOUNTS = new Set(['fines.imposed', 'fines.collected', 'fines.lateFees', 'fines.outstanding']);
const STAGE_FIGURES = Object.keys(STAGES).map((s) => `durations.${s}`);
const EVALUATION_FIGURES = ['evaluations.review', 'evaluations.precheck'];

/** A day `YYYY-MM-DD` plus `n` days. */
const plusDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const monthOf = (day: string) => `${day.slice(0, 7)}-01`;

/**
 * The kept rows covering the days `from`…`to` (from null: since the first day kept): monthly rows for the whole
 * months, daily rows for the days of the partial months at the edges, the deltas not folded yet.
 */
export function keptRange(from: string | null, to: string) {
  const end = monthOf(plusDays(to, 1)); // the first day not in a whole month at the end
  const start = from === null ? null : from.endsWith('-01') ? from : monthOf(plusDays(monthOf(from), 40));
  if (start !== null && start >= end)
    return { months: null, days: [[from, to]] as [string | null, string][] };
  const days: [string | null, string][] = [];
  if (start !== null && from !== null && from < start) days.push([from, plusDays(start, -1)]);
  if (end <= to) days.push([end, to]);
  return { months: [start, plusDays(end, -1)] as [string | null, string], days };
}

function keptRows(p: StatisticsPeriod, dims: string[], figures: string[], stock: boolean) {
  const range = keptRange(stock ? null : p.fromDate, p.toDate);
  const between = (from: string | null, to: string) =>
    from === null ? sql`day <= ${to}::date` : sql`day BETWEEN ${from}::date AND ${to}::date`;
  const parts: Prisma.Sql[] = [];
  const of = sql`dim = ANY(${dims}::text[]) AND figure = ANY(${figures}::text[])`;
  if (range.months)
    parts.push(sql`SELECT dim, day, figure, key, bucket, n, amount FROM statistics_case_counts
      WHERE ${of} AND grain = 'month' AND ${between(...range.months)}`);
  for (const [from, to] of range.days)
    parts.push(sql`SELECT dim, day, figure, key, bucket, n, amount FROM statistics_case_counts
      WHERE ${of} AND grain = 'day' AND ${between(from, to)}`);
  parts.push(sql`SELECT dim, day, figure, key, bucket, n, amount FROM statistics_case_deltas
    WHERE ${of} AND ${between(stock ? null : p.fromDate, p.toDate)}`);
  return Prisma.join(parts, ' UNION ALL ');
}

type Row = { dim: string; g: string; figure: string; bucket: number; n: number; amount: number };

/**
 * The sums of the kept rows of `figures` in the period (stocks: up to its end), in total (dim 'total') and by
 * `group`: by month, the total's rows by the month of their day; otherwise the rows of that grouping by key.
 */
async function read(
  tx: Tx,
  p: StatisticsPeriod,
  group: StatisticsGroup | null,
  figures: string[],
  opts: { stock?: boolean; buckets?: boolean } = {},
): Promise<Row[]> {
  const dims = !group || group === 'month' ? ['total'] : ['total', group];
  const g = group === 'month' ? sql`to_char(date_trunc('month', k.day), 'YYYY-MM')` : sql`k.key`;
  const bucket = opts.buckets ? sql`k.bucket` : sql`0`;
  return tx.$queryRaw<Row[]>`
    SELECT k.dim, ${g} AS g, k.figure, ${bucket} AS bucket, sum(k.n)::float8 AS n, sum(k.amount)::float8 AS amount
    FROM (${keptRows(p, dims, figures, opts.stock ?? false)}) k
    GROUP BY 1, 2, 3, 4 HAVING sum(k.n) <> 0 OR sum(k.amount) <> 0`;
}

/** The figures of `rows`, in total and by group, made by `values` from each group's rows of each figure. */
function arrange(
  rows: Row[],
  group: StatisticsGroup | null,
  values: (figure: string, rows: Row[], into: FigureValues) => void,
  figures: string[],
): SourceResult {
  const byGroup = new Map<string, Map<string, Row[]>>();
  const put = (g: string, r: Row) => {
    const figs = byGroup.get(g) ?? new Map<string, Row[]>();
    byGroup.set(g, figs);
    const of = figs.get(r.figure);
    if (of) of.push(r);
    else figs.set(r.figure, [r]);
  };
  for (const r of rows) {
    if (r.dim === 'total') {
      put('\u0000total', r);
      if (group === 'month') put(r.g, r);
    } else put(r.g, r);
  }
  const compute = (figs: Map<string, Row[]> | undefined, all: boolean) => {
    const out: FigureValues = {};
    for (const f of figures) {
      const fr = figs?.get(f);
      if (fr || all) values(f, fr ?? [], out);
    }
    return out;
  };
  const total = compute(byGroup.get('\u0000total'), true);
  byGroup.delete('\u0000total');
  if (!group) return { total, groups: null };
  return { total, groups: new Map([...byGroup].map(([g, figs]) => [g, compute(figs, false)])) };
}

/** A value rounded to a tenth, half away from zero (as Postgres rounds a numeric), from hundredths. */
const tenthOfHundredths = (h: number) => (h < 0 ? -1 : 1) * (Math.floor((Math.abs(h) + 5) / 10) / 10);

/**
 * The `q` percentile (percentile_cont's definition: interpolated between the values at ranks ⌊q(N−1)⌋ and
 * ⌈q(N−1)⌉) of values known by histogram buckets of a hundredth (`bucket` b holds [b/100, (b+1)/100)): the
 * values of a bucket taken as evenly spread over it, rounded to a tenth; null when none.
 */
export function histogramPercentile(buckets: { bucket: number; n: number }[], q: number): number | null {
  const sorted = buckets.filter((b) => b.n > 0).sort((a, b) => a.bucket - b.bucket);
  const count = sorted.reduce((s, b) => s + b.n, 0);
  if (!count) return null;
  const valueAt = (rank: number) => {
    let before = 0;
    for (const b of sorted) {
      if (rank < before + b.n) return b.bucket + (rank - before + 0.5) / b.n;
      before += b.n;
    }
    const last = sorted[sorted.length - 1]!;
    return last.bucket + 1 - 0.5 / last.n;
  };
  const pos = q * (count - 1);
  const lo = Math.floor(pos);
  const v0 = valueAt(lo);
  const hundredths = pos > lo ? v0 + (pos - lo) * (valueAt(lo + 1) - v0) : v0;
  return tenthOfHundredths(hundredths);
}

const sum = (rows: Row[], of: 'n' | 'amount') => rows.reduce((s, r) => s + r[of], 0);
/** Sums of amounts in yuan, to the fen (floating sums of many amounts drift by fractions of a fen). */
const yuan = (x: number) => Math.round(x * 100) / 100;

/** The kept case figures' reads: each a job of the statistics' request, on one connection of the snapshot. */
export function keptCaseJobs(
  p: StatisticsPeriod,
  bounds: GradeBounds,
  group: StatisticsGroup | null,
): ((tx: Tx) => Promise<SourceResult>)[] {
  const flowFigures = [
    ...new Set(
      KEPT_CASE_FIGURES.filter((f) => f.section !== 'durations' && f.section !== 'evaluations')
        .map((f) => (f.key === 'fines.imposedCount' ? 'fines.imposed' : f.key))
        .filter((k) => !STOCKS.includes(k)),
    ),
  ];
  const flows = (figure: string, rows: Row[], out: FigureValues) => {
    if (figure === 'fines.imposed') {
      out['fines.imposedCount'] = sum(rows, 'n');
      out['fines.imposed'] = yuan(sum(rows, 'amount'));
    } else out[figure] = AMOUNTS.has(figure) ? yuan(sum(rows, 'amount')) : sum(rows, 'n');
  };
  const durations = (figure: string, rows: Row[], out: FigureValues) => {
    const buckets = mergeBuckets(rows);
    out[`${figure}.count`] = sum(rows, 'n');
    out[`${figure}.median`] = histogramPercentile(buckets, 0.5);
    out[`${figure}.p90`] = histogramPercentile(buckets, 0.9);
  };
  const evaluations = (figure: string, rows: Row[], out: FigureValues) => {
    const n = sum(rows, 'n');
    const within = (lo: number, hi: number) =>
      sum(
        rows.filter((r) => r.bucket >= lo && r.bucket < hi),
        'n',
      );
    out[`${figure}.count`] = n;
    out[`${figure}.average`] = n ? Math.round((sum(rows, 'amount') * 10) / n) / 10 : null;
    out[`${figure}.excellent`] = within(bounds.excellentFrom, Infinity);
    out[`${figure}.good`] = within(bounds.goodFrom, bounds.excellentFrom);
    out[`${figure}.qualified`] = within(bounds.qualifiedFrom, bounds.goodFrom);
    out[`${figure}.unqualified`] = within(-Infinity, bounds.qualifiedFrom);
    for (const [lo, hi] of SCORE_BANDS) out[`${figure}.band${lo}`] = within(lo, hi);
  };
  const stockGroup = group === 'month' ? null : group;
  return [
    async (tx) => arrange(await read(tx, p, group, flowFigures), group, flows, flowFigures),
    async (tx) =>
      arrange(await read(tx, p, group, STAGE_FIGURES, { buckets: true }), group, durations, STAGE_FIGURES),
    async (tx) =>
      arrange(
        await read(tx, p, group, EVALUATION_FIGURES, { buckets: true }),
        group,
        evaluations,
        EVALUATION_FIGURES,
      ),
    async (tx) => {
      // stocks: every kept change up to the period's end; not by month
      const result = arrange(
        await read(tx, p, stockGroup, STOCKS, { stock: true }),
        stockGroup,
        flows,
        STOCKS,
      );
      return group === 'month' ? { total: result.total, groups: null } : result;
    },
  ];
}

function mergeBuckets(rows: Row[]) {
  const n = new Map<number, number>();
  for (const r of rows) n.set(r.bucket, (n.get(r.bucket) ?? 0) + r.n);
  return [...n].map(([bucket, count]) => ({ bucket, n: count }));
}
