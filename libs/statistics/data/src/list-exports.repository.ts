import { Prisma, type PrismaClient } from '@ecc/shared-data';

export interface FenceExportFilter {
  status?: 'active' | 'lifted' | undefined;
  plate?: string | undefined;
  leadId?: string | undefined;
  caseId?: string | undefined;
}

export interface FenceExportRow {
  id: string;
  plate: string;
  plate_colour: string | null;
  status: string;
  reason: string;
  station: string | null;
  case_number: string | null;
  created_at: Date;
  lifted_at: Date | null;
  lift_reason: string | null;
  interceptions: number;
}

export interface EvaluationExportRow {
  id: string;
  case_number: string | null;
  case_type: string;
  kind: string;
  score: number | null;
  evaluator: string | null;
  evaluated_at: Date;
  findings: number;
}

const sql = Prisma.sql;
const PAGE = 500;

/**
 * Pages through a keyset (newest first, by instant and id): one page of rows in memory at a time, however long
 * the list; each page is one indexed query that starts where the last one ended.
 */
async function* keyset<Row extends { id: string }>(
  page: (after: { at: Date; id: string } | null, limit: number) => Promise<Row[]>,
  at: (row: Row) => Date,
): AsyncGenerator<Row[]> {
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const rows = await page(after, PAGE);
    if (rows.length) yield rows;
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    after = { at: at(last), id: last.id };
  }
}

/** The lists the API offers that have no cursor of their own, read page by page for exports. */
export class ListExportsRepository {
  constructor(private readonly db: PrismaClient) {}

  /** Electronic fences with the filters of `GET /fences`, newest first. */
  fences(filter: FenceExportFilter): AsyncGenerator<FenceExportRow[]> {
    const where = [
      filter.status ? sql`f.status = ${filter.status}::fence_status` : null,
      filter.plate ? sql`f.plate = ${filter.plate}` : null,
      filter.leadId ? sql`f.lead_id = ${filter.leadId}::uuid` : null,
      filter.caseId ? sql`f.case_id = ${filter.caseId}::uuid` : null,
    ].filter((w): w is Prisma.Sql => w !== null);
    return keyset(
      (after, limit) => this.db.$queryRaw<FenceExportRow[]>`
        SELECT f.id::text, f.plate, f.plate_colour::text, f.status::text, f.reason, s.code AS station,
          c.case_number, f.created_at, f.lifted_at, f.lift_reason,
          (SELECT count(*) FROM interception_alerts ia WHERE ia.fence_id = f.id)::int AS interceptions
        FROM fences f LEFT JOIN leads l ON l.id = f.lead_id LEFT JOIN stations s ON s.id = l.station_id
          LEFT JOIN cases c ON c.id = f.case_id
        WHERE ${where.length ? Prisma.join(where, ' AND ') : sql`TRUE`}
          ${after ? sql`AND (f.created_at, f.id) < (${after.at}::timestamptz, ${after.id}::uuid)` : Prisma.empty}
        ORDER BY f.created_at DESC, f.id DESC LIMIT ${limit}`,
      (row) => row.created_at,
    );
  }

  /** Case-file evaluations (评查 and closing checks) made in [start, end), newest first. */
  evaluations(start: Date, end: Date, kind?: 'review' | 'precheck'): AsyncGenerator<EvaluationExportRow[]> {
    return keyset(
      (after, limit) => this.db.$queryRaw<EvaluationExportRow[]>`
        SELECT e.id::text, c.case_number, c.type::text AS case_type, e.kind::text, e.score,
          u.display_name AS evaluator, e.evaluated_at,
          COALESCE(jsonb_array_length(CASE WHEN jsonb_typeof(e.findings -> 'findings') = 'array'
            THEN e.findings -> 'findings' WHEN jsonb_typeof(e.findings) = 'array' THEN e.findings END), 0)::int AS findings
        FROM case_evaluations e JOIN cases c ON c.id = e.case_id LEFT JOIN users u ON u.id = e.evaluator_id
        WHERE e.evaluated_at >= ${start}::timestamptz AND e.evaluated_at < ${end}::timestamptz
          ${kind ? sql`AND e.kind = ${kind}::evaluation_kind` : Prisma.empty}
          ${after ? sql`AND (e.evaluated_at, e.id) < (${after.at}::timestamptz, ${after.id}::uuid)` : Prisma.empty}
        ORDER BY e.evaluated_at DESC, e.id DESC LIMIT ${limit}`,
      (row) => row.evaluated_at,
    );
  }
}
