import type { PrismaClient } from '@ecc/shared-data';

/**
 * The detection counts of the statistics (statistics_detection_counts): kept exact by the triggers on detections,
 * which append deltas in the detecting transaction; `fold` moves the deltas into the daily rows.
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
    return this.db.$transaction(async (tx) => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`
        SELECT pg_try_advisory_xact_lock(hashtext('statistics_detection_counts')) AS locked`;
      if (!lock?.locked) return { deltas: 0 };
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
      return { deltas: row?.deltas ?? 0 };
    });
  }

  /**
   * Recounts every detection in the days of `timeZone` (after BUREAU_TIMEZONE changed). Writes to detections
   * wait meanwhile (SHARE lock), so no delta of the old zone slips in; minutes at a province's scale, once.
   */
  async rebuild(timeZone: string): Promise<{ rows: number }> {
    return this.db.$transaction(
      async (tx) => {
        await tx.$executeRaw`LOCK TABLE detections IN SHARE MODE`;
        await tx.$executeRaw`UPDATE statistics_settings SET time_zone = ${timeZone}, updated_at = now() WHERE id = 1`;
        await tx.$executeRaw`DELETE FROM statistics_detection_deltas`;
        await tx.$executeRaw`DELETE FROM statistics_detection_counts`;
        const rows = await tx.$executeRaw`
          INSERT INTO statistics_detection_counts (day, station_id, outcome, detections)
          SELECT (detected_at AT TIME ZONE ${timeZone})::date, station_id, COALESCE(outcome::text, 'pending'), count(*)
          FROM detections GROUP BY 1, 2, 3`;
        return { rows };
      },
      { timeout: 3_600_000, maxWait: 60_000 },
    );
  }
}
