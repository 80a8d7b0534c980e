import type { PrismaClient } from '@ecc/shared-data';

/**
 * The counts the statistics keep: of detections (statistics_detection_counts), of leads and notices
 * (statistics_event_counts) and the case figures (statistics_case_counts), kept exact by statement-level triggers on those tables, which append deltas in the
 * writing transaction; `fold` moves the deltas into the daily rows. The first SMS of each lead
 * (statistics_lead_first_sms) is kept by the trigger on notices directly.
 */
export class DetectionCountsRepository {
  constructor(private readonly db: PrismaClient) {}

  /** The zone whose days the counts use. */
  async timeZone(): Promise<string | null> {
    const rows = await this.db.$queryRaw<{ time_zone: string }[]>`
      SELECT time_zone FROM statistics_settings WHERE id = 1`;
    return rows[0]?.time_zone ?? null;
  }

  /**
   * Folds the pending deltas into the daily counts, in one transaction: the deltas it deletes are exactly the
   * ones it adds (a delta appended meanwhile stays for the next fold), so a reader sees either side, never both.
   */
  async fold(): Promise<{ deltas: number }> {
    return this.db.$transaction(
      async (tx) => {
        const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`
        SELECT pg_try_advisory_xact_lock(hashtext('statistics_detection_counts')) AS locked`;
        if (!lock?.locked) return { deltas: 0 };
        const [events] = await tx.$queryRaw<{ deltas: number }[]>`
        WITH moved AS (
          DELETE FROM statistics_event_deltas RETURNING figure, day, station_id, subject, delta
        ), folded AS (
          INSERT INTO statistics_event_counts AS c (figure, day, station_id, subject, events)
          SELECT figure, day, station_id, subject, sum(delta) FROM moved GROUP BY 1, 2, 3, 4
          ON CONFLICT (figure, day, station_id, subject) DO UPDATE SET events = c.events + excluded.events
          RETURNING 1
        )
        SELECT (SELECT count(*) FROM moved)::int AS deltas`;
        await tx.$executeRaw`DELETE FROM statistics_event_counts WHERE events = 0`;
        const [row] = await tx.$queryRaw<{ deltas: number }[]>`
        WITH moved AS (
          DELETE FROM statistics_detection_deltas RETURNING day, station_id, outcome, delta
        ), folded AS (
          INSERT INTO statistics_detection_counts AS c (day, station_id, outcome, detections)
          SELECT day, station_id, outcome, sum(delta) FROM moved GROUP BY 1, 2, 3
          ON CONFLICT (day, station_id, outcome) DO UPDATE SET detections = c.detections + excluded.detections
          RETURNING 1
        )
        SELECT (SELECT count(*) FROM moved)::int AS deltas`;
        await tx.$executeRaw`DELETE FROM statistics_detection_counts WHERE detections = 0`;
        // the case figures: into their daily and monthly rows
        const [cases] = await tx.$queryRaw<
          { deltas: number }[]
        >`SELECT statistics_fold_cases()::int AS deltas`;
        return { deltas: (row?.deltas ?? 0) + (events?.deltas ?? 0) + (cases?.deltas ?? 0) };
        // a fold after a stop of the worker (or a bulk load) has many deltas: Prisma's default 5 s is too short
      },
      { timeout: 300_000 },
    );
  }

  /**
   * Recounts every detection, lead, notice and case figure in the days of `timeZone` (after BUREAU_TIMEZONE changed, or after a
   * TRUNCATE, which fires no trigger), the first SMS of every lead and the station of every case, interception
   * alert and fence. Writes to those tables wait meanwhile
   * (SHARE lock), so no delta of the old zone slips in; minutes at a province's scale, once.
   */
  async rebuild(timeZone: string): Promise<{ rows: number }> {
    return this.db.$transaction(
      async (tx) => {
        await tx.$executeRaw`LOCK TABLE detections, leads, notices, cases, interception_alerts, fences, decisions, payments,
          deadlines, legal_reviews, statement_records, case_evaluations, case_officers, case_parties, parties,
          case_approvals IN SHARE MODE`;
        // the case figures are recounted below from scratch: the first SMS recounted meanwhile need not be followed
        await tx.$queryRaw`SELECT set_config('statistics.recounting', 'on', true)`;
        await tx.$executeRaw`UPDATE statistics_settings SET time_zone = ${timeZone}, updated_at = now() WHERE id = 1`;
        await tx.$executeRaw`DELETE FROM statistics_detection_deltas`;
        await tx.$executeRaw`DELETE FROM statistics_detection_counts`;
        const rows = await tx.$executeRaw`
          INSERT INTO statistics_detection_counts (day, station_id, outcome, detections)
          SELECT (detected_at AT TIME ZONE ${timeZone})::date, station_id, COALESCE(outcome::text, 'pending'), count(*)
          FROM detections GROUP BY 1, 2, 3`;
        const [events] = await tx.$queryRaw<
          { rows: number }[]
        >`SELECT statistics_recount_events()::int AS rows`;
        await tx.$queryRaw`SELECT statistics_recount_alert_stations()`;
        await tx.$queryRaw`SELECT statistics_recount_fence_stations()`;
        const [cases] = await tx.$queryRaw<
          { rows: number }[]
        >`SELECT statistics_recount_cases()::int AS rows`;
        return { rows: rows + (events?.rows ?? 0) + (cases?.rows ?? 0) };
      },
      { timeout: 3_600_000, maxWait: 60_000 },
    );
  }
}
