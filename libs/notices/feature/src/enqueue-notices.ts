import type { QueueProducer } from '@ecc/platform-nest';
import { JOBS } from '@ecc/shared-queues';

/**
 * Enqueues the sending of notices; call it after the transaction that created them has committed
 * (e.g. with the `noticeIds` of `createLeadNotices`). Losing this call loses nothing: the worker's sweeper
 * enqueues notices still pending a few seconds later.
 */
export async function enqueueNotices(producer: QueueProducer, noticeIds: readonly string[]): Promise<void> {
  await producer.enqueueMany(
    JOBS.sendNotice,
    noticeIds.map((noticeId) => ({ noticeId })),
  );
}
