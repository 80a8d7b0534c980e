import { Inject, Injectable, Logger } from '@nestjs/common';
import { z } from 'zod';
import { recordAudit } from '@ecc/audit-data';
import { transitionLead } from '@ecc/leads-data';
import {
  isLeadNoticeTemplate,
  NoticesRepository,
  redraftLeadNotice,
  type LeadNoticeDraft,
} from '@ecc/notices-data';
import type { AppConfig } from '@ecc/shared-config';
import { DomainError, notFound, type Clock } from '@ecc/shared-kernel';
import type { PrismaClient } from '@ecc/shared-data';
import { APP_CONFIG, CLOCK, PRISMA, QueueProducer, type CommandContext } from '@ecc/platform-nest';
import { enqueueNotices } from './enqueue-notices';
import { isOwnerSms, LeadNoticeOutcomes } from './lead-notice-outcomes';

export const resendNoticeBodySchema = z.strictObject({
  /** why, or what changed (a corrected phone number) */
  note: z.string().trim().min(1).max(500).optional(),
});
export type ResendNoticeBody = z.infer<typeof resendNoticeBodySchema>;

export const resendNoticeResultSchema = z.object({
  /** the failed notice */
  noticeId: z.string().uuid(),
  /** the new notice that resends it */
  resentAs: z.string().uuid(),
  /** false: it had been resent already (a repeated request), nothing new was written */
  created: z.boolean(),
});
export type ResendNoticeResult = z.infer<typeof resendNoticeResultSchema>;

/**
 * 重新发送: an officer resends a notice that failed for good, as a new notice (its own id, so the vendor does
 * not take it for the old one) rendered again from the registry as it is now — a corrected phone number is
 * used — and, for a lead's notices, with the response window's end counted from today. Resending the owner's
 * SMS returns its lead from `notice_failed` to `confirmed` (waiting for the delivery). Idempotent: a failed
 * notice is resent once; a repeat answers with the same new notice and writes nothing.
 */
@Injectable()
export class ResendNoticeUseCase {
  private readonly logger = new Logger(ResendNoticeUseCase.name);

  constructor(
    @Inject(PRISMA) private readonly db: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly notices: NoticesRepository,
    private readonly outcomes: LeadNoticeOutcomes,
    private readonly producer: QueueProducer,
  ) {}

  async execute(noticeId: string, body: ResendNoticeBody, ctx: CommandContext): Promise<ResendNoticeResult> {
    const now = this.clock.now();
    const result = await this.db.$transaction(async (tx) => {
      const notice = await this.notices.lockForSend(tx, noticeId);
      if (!notice) throw notFound('notice', noticeId);
      const already = await this.notices.resentAs(noticeId, tx);
      if (already) return { noticeId, resentAs: already.id, created: false };
      if (notice.status !== 'failed') {
        throw new DomainError(
          'conflict',
          'notice_not_failed',
          `notice ${noticeId} is ${notice.status}: only a notice that failed for good is resent`,
        );
      }
      let draft: LeadNoticeDraft = notice;
      let respondBy = notice.respondBy;
      if (notice.leadId && isLeadNoticeTemplate(notice.template)) {
        respondBy = await this.outcomes.responseWindowEnd(tx, now);
        draft = await redraftLeadNotice(tx, {
          leadId: notice.leadId,
          template: notice.template,
          respondBy,
          timeZone: this.config.bureau.timeZone,
          at: now,
          defaults: this.config.notices.defaults,
        });
      }
      const created = await tx.notice.create({
        data: {
          channel: draft.channel,
          template: draft.template,
          recipient: draft.recipient,
          recipientPartyId: draft.recipientPartyId,
          body: draft.body,
          leadId: notice.leadId,
          caseId: notice.caseId,
          status: 'pending',
          respondBy,
          resendOfId: noticeId,
        },
        select: { id: true },
      });
      if (isOwnerSms(notice)) {
        await transitionLead(tx, {
          leadId: notice.leadId,
          transition: 'resend_notice',
          actor: ctx.actor,
          at: now,
          requestId: ctx.requestId,
          changes: { noticeId, resentAs: created.id },
        });
      }
      await recordAudit(
        tx,
        {
          actor: ctx.actor,
          action: 'notice.resent',
          entityType: 'notice',
          entityId: noticeId,
          requestId: ctx.requestId,
          changes: {
            resentAs: created.id,
            recipient: draft.recipient,
            respondBy: respondBy?.toISOString() ?? null,
            note: body.note ?? null,
          },
        },
        now,
      );
      return { noticeId, resentAs: created.id, created: true };
    });
    if (result.created) {
      // Losing this loses nothing: the sweeper sends pending notices a few seconds later.
      await enqueueNotices(this.producer, [result.resentAs]).catch((err: unknown) =>
        this.logger.warn(
          { err, noticeId: result.resentAs },
          'resent notice not enqueued; the sweeper will send it',
        ),
      );
    }
    return result;
  }
}
