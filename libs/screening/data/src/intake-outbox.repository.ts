import type { PrismaClient } from '@ecc/shared-data';

/**
 * The transactional outbox intake writes with each detection (the row is inserted in intake's statement that
 * inserts the detection, and removed with it). Everything after that is written here, by screening alone: the
 * row is marked processed in the same transaction as the outcome (DetectionScreeningRepository's statement),
 * the sweeper re-enqueues rows left unprocessed (Redis flushed, a job lost, an API whose enqueue failed — it
 * only logs, the attempt is counted here), which is what makes an accepted detection always screened.
 */
export class IntakeOutboxRepository {
  constructor(private readonly db: PrismaClient) {}

  /**
   * Claims up to `limit` unprocessed rows last enqueued before `cutoff`: their `enqueuedAt` moves to `now`
   * and `attempts` counts the enqueue. SKIP LOCKED lets several workers sweep without taking the same rows;
   * a crash before the enqueue only delays the row by one stale period.
   */
  async claimStale(cutoff: Date, now: Date, limit: number): Promise<string[]> {
    const rows = await this.db.$queryRaw<{ detection_id: string }[]>`
      UPDATE intake_outbox SET enqueued_at = ${now}, attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM intake_outbox
        WHERE processed_at IS NULL AND enqueued_at < ${cutoff}
        ORDER BY enqueued_at
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      RETURNING detection_id::text AS detection_id`;
    return rows.map((r) => r.detection_id);
  }

  /** Keeps the last screening error on the row, for whoever looks at a detection that stays unscreened. */
  async recordError(detectionId: string, message: string): Promise<void> {
    await this.db.intakeOutbox.updateMany({
      where: { detectionId, processedAt: null },
      data: { lastError: message.slice(0, 2000) },
    });
  }
}
