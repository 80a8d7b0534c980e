import { Injectable, Logger } from '@nestjs/common';
import { QueueProducer } from '@ecc/platform-nest';
import { enqueueNotices } from '@ecc/notices-feature';

/**
 * Sends the notices a review created as soon as its transaction has committed, instead of waiting for the
 * notices sweeper. A failure here loses nothing (the sweeper enqueues pending notices), so it never fails
 * the officer's request.
 */
@Injectable()
export class NoticeSender {
  private readonly logger = new Logger(NoticeSender.name);

  constructor(private readonly producer: QueueProducer) {}

  async enqueueAfterCommit(noticeIds: readonly string[]): Promise<void> {
    if (noticeIds.length === 0) return;
    try {
      await enqueueNotices(this.producer, noticeIds);
    } catch (error) {
      this.logger.warn({ err: error, noticeIds }, 'notices not enqueued; the sweeper will send them');
    }
  }
}
