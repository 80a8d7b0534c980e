import { Inject, Injectable } from '@nestjs/common';
import { systemActor } from '@ecc/identity-domain';
import { transitionLead } from '@ecc/leads-data';
import { PoliciesRepository } from '@ecc/legal-data';
import { responseWindowEnd } from '@ecc/legal-domain';
import { NOTICE_TEMPLATE_NAMES } from '@ecc/notices-domain';
import type { AppConfig } from '@ecc/shared-config';
import type { Tx } from '@ecc/shared-data';
import { APP_CONFIG } from '@ecc/platform-nest';

/** The notice as its outcome needs it. */
export interface NoticeOutcomeSubject {
  id: string;
  leadId: string | null;
  channel: 'sms' | 'push';
  template: string;
  /** the response window's end the notice states */
  respondBy: Date | null;
}

const actor = systemActor('notices');

/** The owner's SMS of a lead (短信告知): the notice whose delivery starts the lead's response window. */
export const isOwnerSms = (n: NoticeOutcomeSubject): n is NoticeOutcomeSubject & { leadId: string } =>
  n.leadId !== null && n.channel === 'sms' && n.template === NOTICE_TEMPLATE_NAMES.leadSms;

/**
 * What the end of a lead's notice means for the lead, in the transaction that records the notice's end. A
 * delivered owner SMS makes the lead `notified` and starts its response window from the delivery.
 */
@Injectable()
export class LeadNoticeOutcomes {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly policies: PoliciesRepository,
  ) {}

  /**
   * The owner's SMS reached the handset at `at`: the window (policy `case.responseWindowDays`) runs from then,
   * and never ends before the day the SMS states (a delivery late in the day, or after an outage, only gives
   * the owner more time). A lead that moved on meanwhile (filed) is left alone.
   */
  async delivered(tx: Tx, notice: NoticeOutcomeSubject, at: Date): Promise<void> {
    if (!isOwnerSms(notice)) return;
    const rules = await this.policies.periodRules(at, tx);
    const fromDelivery = responseWindowEnd(at, { ...rules, timeZone: this.config.bureau.timeZone }).due;
    const stated = notice.respondBy;
    await transitionLead(tx, {
      leadId: notice.leadId,
      transition: 'deliver_notice',
      actor,
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
}
