import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import { DomainError, type Clock } from '@ecc/shared-kernel';
import type { PrismaClient } from '@ecc/shared-data';
import { recordAudit } from '@ecc/audit-data';
import { systemActor } from '@ecc/identity-domain';
import { nextNoticeAttempt, pushKindOfTemplate, resolvePushEndpoint } from '@ecc/notices-domain';
import { NoticesRepository, type NoticeRecord } from '@ecc/notices-data';
import { APP_CONFIG, CLOCK, metrics, PRISMA } from '@ecc/platform-nest';
import { LeadNoticeOutcomes } from './lead-notice-outcomes';
import { NoticeRateLimiter } from './notice-rate-limiter';
import { PushGateway } from './push-gateway';
import { SMS_GATEWAY, SmsRefused, type SmsGateway } from './sms-gateway.port';

export type SendReport =
  | { outcome: 'skipped'; status: string }
  | { outcome: 'sent' | 'delivered'; attemptNo: number; providerMessageId: string }
  | { outcome: 'failed'; attemptNo: number; error: string; final: boolean; retryAt: string | null };

const actor = systemActor('notices-worker');

/** A delivery that cannot succeed by retrying (no endpoint configured for the receiver). */
class PermanentFailure extends Error {
  readonly permanent = true;
}

/**
 * Sends one notice through its channel (短信告知 by the SMS gateway, 信息推送 by a signed webhook), never
 * twice: a notice already sent, delivered or failed is skipped; the attempt is committed with its number
 * before the provider is called, and the provider gets the notice id as idempotency key, so a crash
 * between the call and the record is deduplicated by the provider on the retry.
 *
 * A provider failure is not thrown back to the queue: the notice stays pending with its next attempt due
 * after a doubling, capped delay (NOTICE_RETRY_*), which the sweeper sends then — for hours, so a vendor's
 * outage does not lose a notice. A failure the provider calls permanent (`permanent: true` on the error),
 * or one at the end of the retry period, fails the notice for good: its lead's officers decide.
 */
@Injectable()
export class SendNoticeUseCase {
  private readonly logger = new Logger(SendNoticeUseCase.name);

  constructor(
    @Inject(PRISMA) private readonly db: PrismaClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SMS_GATEWAY) private readonly sms: SmsGateway,
    private readonly push: PushGateway,
    private readonly notices: NoticesRepository,
    private readonly rateLimiter: NoticeRateLimiter,
    private readonly outcomes: LeadNoticeOutcomes,
  ) {}

  async execute(noticeId: string): Promise<SendReport> {
    const first = await this.notices.get(noticeId);
    if (!first) throw new DomainError('not_found', 'notice_not_found', `notice ${noticeId} does not exist`);
    if (first.status !== 'pending') return { outcome: 'skipped', status: first.status };
    if (isNotDue(first, this.clock.now())) return { outcome: 'skipped', status: 'retry_not_due' };

    const route = this.route(first);
    // Wait for the provider's rate before taking the row lock, so a throttled send holds no lock.
    if (route.kind !== 'none') await this.rateLimiter.acquire(route.provider, route.ratePerSecond);

    const started = await this.db.$transaction(async (tx) => {
      const notice = await this.notices.lockForSend(tx, noticeId);
      const now = this.clock.now();
      if (!notice || notice.status !== 'pending' || isNotDue(notice, now)) return null;
      const last = notice.attempts.at(-1);
      if (
        last?.status === 'sending' &&
        now.getTime() - last.attemptedAt.getTime() < this.config.notices.httpTimeoutMs + 5_000
      ) {
        // Another worker is calling the provider right now: let this job retry later, not call twice.
        throw new DomainError('conflict', 'notice_send_in_progress', `notice ${noticeId} is being sent`);
      }
      const attemptNo = (last?.attemptNo ?? 0) + 1;
      const attempt = await this.notices.startAttempt(tx, noticeId, attemptNo, route.provider, now);
      return { attemptId: attempt.id, attemptNo, notice, attemptedAt: now };
    });
    if (!started) return { outcome: 'skipped', status: 'not pending' };
    const { attemptId, attemptNo, notice } = started;

    let result: { providerMessageId: string; delivered: boolean };
    try {
      result = await this.call(route, notice);
    } catch (error) {
      return this.failed(notice, started, route.provider, error);
    }
    const at = this.clock.now();
    await this.db.$transaction(async (tx) => {
      await this.notices.completeAttempt(
        tx,
        attemptId,
        { status: result.delivered ? 'delivered' : 'sent', providerMessageId: result.providerMessageId },
        at,
      );
      if (result.delivered) await this.notices.markDelivered(tx, noticeId, at, at);
      else await this.notices.markSent(tx, noticeId, at);
      await recordAudit(
        tx,
        {
          actor,
          action: result.delivered ? 'notice.delivered' : 'notice.sent',
          entityType: 'notice',
          entityId: noticeId,
          changes: { attemptNo, provider: route.provider, providerMessageId: result.providerMessageId },
        },
        at,
      );
      if (result.delivered) await this.outcomes.delivered(tx, notice, at);
    });
    metrics.notices.inc({ channel: notice.channel, status: result.delivered ? 'delivered' : 'sent' });
    return {
      outcome: result.delivered ? 'delivered' : 'sent',
      attemptNo,
      providerMessageId: result.providerMessageId,
    };
  }

  /** The provider failed this attempt: the next one is scheduled, or the notice has failed for good. */
  private async failed(
    notice: NoticeRecord,
    attempt: { attemptId: string; attemptNo: number; attemptedAt: Date },
    provider: string,
    error: unknown,
  ): Promise<SendReport> {
    const message = (error as Error)?.message ?? String(error);
    const at = this.clock.now();
    const decision = nextNoticeAttempt(
      {
        firstAttemptAt: notice.attempts[0]?.attemptedAt ?? attempt.attemptedAt,
        failedAt: at,
        failedAttempts: attempt.attemptNo,
        permanent: error instanceof SmsRefused || (error as { permanent?: unknown })?.permanent === true,
      },
      this.config.notices.retry,
    );
    await this.db.$transaction(async (tx) => {
      await this.notices.completeAttempt(tx, attempt.attemptId, { status: 'failed', error: message }, at);
      if (decision.kind === 'retry') await this.notices.scheduleRetry(tx, notice.id, decision.at);
      else
        await this.outcomes.failedForGood(tx, notice, at, {
          reason: decision.reason,
          changes: { attemptNo: attempt.attemptNo, provider, error: message },
        });
    });
    const final = decision.kind === 'give_up';
    metrics.notices.inc({ channel: notice.channel, status: final ? 'failed' : 'retry' });
    const retryAt = decision.kind === 'retry' ? decision.at.toISOString() : null;
    this.logger.warn(
      { noticeId: notice.id, attemptNo: attempt.attemptNo, provider, final, retryAt, error: message },
      final ? 'notice failed for good' : 'notice not sent; retrying later',
    );
    return { outcome: 'failed', attemptNo: attempt.attemptNo, error: message, final, retryAt };
  }

  private route(notice: NoticeRecord) {
    if (notice.channel === 'sms') {
      return {
        kind: 'sms' as const,
        provider: this.sms.provider,
        ratePerSecond: this.config.notices.sms.ratePerSecond,
      };
    }
    const kind = pushKindOfTemplate(notice.template);
    const endpoint = kind
      ? resolvePushEndpoint(this.config.notices.push.endpoints, kind, notice.recipient)
      : null;
    if (!endpoint) return { kind: 'none' as const, provider: `push:${kind ?? 'unknown'}`, ratePerSecond: 1 };
    return {
      kind: 'push' as const,
      provider: `push:${endpoint.name}`,
      endpoint,
      ratePerSecond: this.config.notices.push.ratePerSecond,
    };
  }

  private async call(
    route: ReturnType<SendNoticeUseCase['route']>,
    notice: NoticeRecord,
  ): Promise<{ providerMessageId: string; delivered: boolean }> {
    switch (route.kind) {
      case 'sms':
        return this.sms.send({ noticeId: notice.id, to: notice.recipient, text: notice.body });
      case 'push': {
        await this.push.send(route.endpoint, notice.id, pushBody(notice));
        return { providerMessageId: `push-${notice.id}`, delivered: true };
      }
      case 'none':
        throw new PermanentFailure(`no push endpoint is configured for ${notice.recipient} (PUSH_ENDPOINTS)`);
    }
  }
}

/** The JSON a push endpoint receives: the rendered text and the facts a receiving system files it by. */
export function pushBody(notice: NoticeRecord): string {
  return JSON.stringify({
    noticeId: notice.id,
    kind: pushKindOfTemplate(notice.template),
    recipient: notice.recipient,
    leadId: notice.leadId,
    caseId: notice.caseId,
    plate: notice.lead?.plate ?? null,
    violationAt: notice.lead?.violationAt.toISOString() ?? null,
    respondBy: notice.respondBy?.toISOString() ?? null,
    text: notice.body,
    createdAt: notice.createdAt.toISOString(),
  });
}

/** A retry scheduled later than `now` (the sweeper enqueues it when it is due). */
const isNotDue = (notice: { nextAttemptAt: Date | null }, now: Date): boolean =>
  notice.nextAttemptAt !== null && notice.nextAttemptAt > now;
