import { Inject, Injectable } from '@nestjs/common';
import { DomainError, type Clock } from '@ecc/shared-kernel';
import type { PrismaClient } from '@ecc/shared-data';
import { recordAudit } from '@ecc/audit-data';
import { systemActor } from '@ecc/identity-domain';
import { NoticesRepository } from '@ecc/notices-data';
import { CLOCK, metrics, PRISMA } from '@ecc/platform-nest';
import { LeadNoticeOutcomes } from './lead-notice-outcomes';
import type { ReceiptBody } from './notices.schema';

/**
 * A delivery receipt (回执) updates the attempt and the notice. Delivered is final: a late "failed" for a
 * delivered notice, or any repeat, changes nothing (vendors retry their callbacks). A delivered owner SMS
 * starts its lead's response window; a failed one has failed for good (its lead's officers decide).
 */
@Injectable()
export class RecordReceiptUseCase {
  constructor(
    @Inject(PRISMA) private readonly db: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly notices: NoticesRepository,
    private readonly outcomes: LeadNoticeOutcomes,
  ) {}

  async execute(provider: string, receipt: ReceiptBody, requestId?: string) {
    let channel: string | undefined;
    const result = await this.db.$transaction(async (tx) => {
      const attempts = await this.notices.attemptsByProviderMessage(tx, provider, receipt.messageId);
      const first = attempts[0];
      if (!first) {
        throw new DomainError(
          'not_found',
          'provider_message_not_found',
          `no notice was sent through ${provider} as message ${receipt.messageId}`,
        );
      }
      const noticeId = first.noticeId;
      const notice = await this.notices.lockForSend(tx, noticeId);
      if (!notice)
        throw new DomainError('not_found', 'notice_not_found', `notice ${noticeId} does not exist`);
      channel = notice.channel;
      // when the handset received it (a vendor's clock ahead of ours counts as now)
      const now = this.clock.now();
      const at = receipt.at && new Date(receipt.at) < now ? new Date(receipt.at) : now;
      const terminal = notice.status === 'delivered' || notice.status === 'failed';
      if (terminal) return { noticeId, status: notice.status, changed: false };

      for (const attempt of attempts) {
        if (attempt.status !== receipt.status) {
          await this.notices.updateAttemptFromReceipt(
            tx,
            attempt.id,
            receipt.status,
            receipt.error ?? null,
            at,
          );
        }
      }
      const actor = systemActor(`receipt:${provider}`);
      const changes = {
        provider,
        messageId: receipt.messageId,
        status: receipt.status,
        error: receipt.error ?? null,
        at,
      };
      if (receipt.status === 'failed') {
        // the carrier gave up: failed for good (the lead's officers decide), not retried under the same key
        await this.outcomes.failedForGood(tx, notice, at, {
          reason: 'delivery_failed',
          changes,
          actor,
          requestId,
        });
        return { noticeId, status: receipt.status, changed: true };
      }
      await this.notices.markDelivered(tx, noticeId, at, notice.sentAt);
      await recordAudit(tx, {
        actor,
        action: 'notice.delivered',
        entityType: 'notice',
        entityId: noticeId,
        requestId,
        changes,
      });
      await this.outcomes.delivered(tx, notice, at);
      return { noticeId, status: receipt.status, changed: true };
    });
    // Counted once committed: the receipt ends the attempt (delivered, or failed for good).
    if (result.changed && channel) metrics.notices.inc({ channel, status: result.status });
    return result;
  }
}
