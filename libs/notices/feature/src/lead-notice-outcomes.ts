import { Inject, Injectable } from '@nestjs/common';
import { StaffAlertsRepository } from '@ecc/alerts-data';
import { recordAudit } from '@ecc/audit-data';
import { systemActor, type Actor } from '@ecc/identity-domain';
import { transitionLead } from '@ecc/leads-data';
import { PoliciesRepository } from '@ecc/legal-data';
import { responseWindowEnd } from '@ecc/legal-domain';
import { NoticesRepository } from '@ecc/notices-data';
import { NOTICE_TEMPLATE_NAMES } from '@ecc/notices-domain';
import type { AppConfig } from '@ecc/shared-config';
import type { Tx } from '@ecc/shared-data';
import { APP_CONFIG } from '@ecc/platform-nest';

/** The notice as its end needs it. */
export interface NoticeOutcomeSubject {
  id: string;
  leadId: string | null;
  channel: 'sms' | 'push';
  template: string;
  recipient: string;
  /** the response window's end the notice states */
  respondBy: Date | null;
}

/** Why a notice failed for good. */
export type NoticeFailureReason =
  /** the provider said retrying cannot help (no such number, no endpoint configured) */
  | 'permanent'
  /** it kept failing for the whole retry period (NOTICE_RETRY_PERIOD_MS) */
  | 'retry_period_over'
  /** the vendor's receipt: the carrier could not deliver it */
  | 'delivery_failed'
  /** accepted by the vendor, never reported delivered (NOTICE_RECEIPT_TIMEOUT_MS) */
  | 'no_delivery_receipt';

const REASON_TEXT: Record<NoticeFailureReason, string> = {
  permanent: '服务商拒绝发送',
  retry_period_over: '服务商持续故障，重试期满',
  delivery_failed: '运营商未能送达',
  no_delivery_receipt: '长时间未收到送达回执',
};

const noticesActor = systemActor('notices');

/** The owner's SMS of a lead (短信告知): the notice whose delivery starts the lead's response window. */
export const isOwnerSms = (n: NoticeOutcomeSubject): n is NoticeOutcomeSubject & { leadId: string } =>
  n.leadId !== null && n.channel === 'sms' && n.template === NOTICE_TEMPLATE_NAMES.leadSms;

/**
 * The end of a notice and what it means for its lead, in the transaction that records the end. A delivered
 * owner SMS makes the lead `notified` and starts its response window from the delivery; a notice failed for
 * good alerts the lead's officers, and a failed owner SMS makes the lead `notice_failed` — an officer
 * decides (resend it, or tell the owner otherwise and go on), and no window runs, so nothing is fenced.
 */
@Injectable()
export class LeadNoticeOutcomes {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly notices: NoticesRepository,
    private readonly policies: PoliciesRepository,
    private readonly alerts: StaffAlertsRepository,
  ) {}

  /**
   * The owner's SMS reached the handset at `at`: the window (policy `case.responseWindowDays`) runs from then,
   * and never ends before the day the SMS states (a delivery late in the day, or after an outage, only gives
   * the owner more time). A lead that moved on meanwhile (filed) is left alone.
   */
  async delivered(tx: Tx, notice: NoticeOutcomeSubject, at: Date): Promise<void> {
    if (!isOwnerSms(notice)) return;
    const stated = notice.respondBy;
    const fromDelivery = await this.responseWindowEnd(tx, at);
    await transitionLead(tx, {
      leadId: notice.leadId,
      transition: 'deliver_notice',
      actor: noticesActor,
      at,
      onlyIfAllowed: true,
      responseWindowDueAt: stated && stated > fromDelivery ? stated : fromDelivery,
      changes: {
        noticeId: notice.id,
        deliveredAt: at.toISOString(),
        statedRespondBy: stated?.toISOString() ?? null,
      },
    });
  }

  /**
   * The notice failed for good: it is marked failed with its audit event (`changes` says why and how), its
   * lead's officers are alerted, and a failed owner SMS moves the lead to `notice_failed`.
   */
  async failedForGood(
    tx: Tx,
    notice: NoticeOutcomeSubject,
    at: Date,
    failure: {
      reason: NoticeFailureReason;
      changes: Record<string, unknown>;
      actor?: Actor;
      requestId?: string;
    },
  ): Promise<void> {
    await this.notices.markFailed(tx, notice.id);
    await recordAudit(
      tx,
      {
        actor: failure.actor ?? noticesActor,
        action: 'notice.failed',
        entityType: 'notice',
        entityId: notice.id,
        requestId: failure.requestId,
        changes: { reason: failure.reason, ...failure.changes },
      },
      at,
    );
    if (!notice.leadId) return;
    if (isOwnerSms(notice)) {
      await transitionLead(tx, {
        leadId: notice.leadId,
        transition: 'fail_notice',
        actor: noticesActor,
        at,
        onlyIfAllowed: true,
        changes: { noticeId: notice.id, reason: failure.reason },
      });
    }
    const lead = await leadAndOfficers(tx, notice.leadId);
    if (!lead || lead.officerIds.length === 0) return;
    const what = isOwnerSms(notice) ? '告知短信' : `信息推送（${notice.recipient}）`;
    const next = isOwnerSms(notice) ? '请重新发送，或以其他方式告知车主后继续办理' : '请核实后重新发送';
    await this.alerts.raise(tx, {
      userIds: lead.officerIds,
      kind: 'notice_failed',
      leadId: notice.leadId,
      noticeId: notice.id,
      message: `车辆${lead.plate}的${what}发送失败（${REASON_TEXT[failure.reason]}）：${next}`,
      at,
    });
  }

  /** The end of a response window started at `start` (policy and working calendar in force then). */
  async responseWindowEnd(tx: Tx, start: Date): Promise<Date> {
    const rules = await this.policies.periodRules(start, tx);
    return responseWindowEnd(start, { ...rules, timeZone: this.config.bureau.timeZone }).due;
  }
}

/** The lead's officers: who reviewed it and the officers of its cases still running. */
async function leadAndOfficers(
  tx: Tx,
  leadId: string,
): Promise<{ plate: string; officerIds: string[] } | null> {
  const lead = await tx.lead.findUnique({
    where: { id: leadId },
    select: {
      plate: true,
      reviewedById: true,
      cases: {
        where: { state: { notIn: ['not_filed', 'terminated'] } },
        select: { officers: { select: { userId: true } } },
      },
    },
  });
  if (!lead) return null;
  const officerIds = [
    ...(lead.reviewedById ? [lead.reviewedById] : []),
    ...lead.cases.flatMap((c) => c.officers.map((o) => o.userId)),
  ];
  return { plate: lead.plate, officerIds: [...new Set(officerIds)] };
}
