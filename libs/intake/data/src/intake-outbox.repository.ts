import type { PrismaClient } from '@ecc/shared-data';

/**
 * The intake outbox (written with the detection by DetectionsRepository.create). Intake only notes a
 * failed enqueue here; the screening side's sweeper re-enqueues every row not yet processed.
 */
export class IntakeOutboxRepository {
  constructor(private readonly db: PrismaClient) {}

  async noteEnqueueFailure(detectionId: string, error: string): Promise<void> {
    await this.db.intakeOutbox.updateMany({
      where: { detectionId, processedAt: null },
      data: { attempts: { increment: 1 }, lastError: error.slice(0, 1000) },
    });
  }
}
