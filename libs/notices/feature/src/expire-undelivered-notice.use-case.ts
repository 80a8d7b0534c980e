import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import type { Clock } from '@ecc/shared-kernel';
import type { PrismaClient } from '@ecc/shared-data';
import { NoticesRepository } from '@ecc/notices-data';
import { APP_CONFIG, CLOCK, PRISMA } from '@ecc/platform-nest';
import { LeadNoticeOutcomes } from './lead-notice-outcomes';

/**
 * An SMS the vendor accepted and never reported delivered (nor failed) within NOTICE_RECEIPT_TIMEOUT_MS has
 * failed for good: its owner may never have had it, so its lead's officers decide rather than wait forever.
 */
@Injectable()
export class ExpireUndeliveredNoticeUseCase {
  constructor(
    @Inject(PRISMA) private readonly db: PrismaClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly notices: NoticesRepository,
    private readonly outcomes: LeadNoticeOutcomes,
  ) {}

  /** Returns whether the notice was failed now (a receipt that came meanwhile wins). */
  async execute(noticeId: string): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const notice = await this.notices.lockForSend(tx, noticeId);
      const now = this.clock.now();
      const timeoutMs = this.config.notices.receiptTimeoutMs;
      if (!notice || notice.status !== 'sent' || !notice.sentAt) return false;
      if (now.getTime() - notice.sentAt.getTime() < timeoutMs) return false;
      await this.outcomes.failedForGood(tx, notice, now, {
        reason: 'no_delivery_receipt',
        changes: { sentAt: notice.sentAt.toISOString(), receiptTimeoutMs: timeoutMs },
      });
      return true;
    });
  }
}
