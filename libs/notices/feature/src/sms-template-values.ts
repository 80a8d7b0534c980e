import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig, SmsVendorTemplate } from '@ecc/shared-config';
import type { PrismaClient } from '@ecc/shared-data';
import { PoliciesRepository } from '@ecc/legal-data';
import {
  LEAD_NOTICE_VARIABLES,
  leadNoticeValues,
  NOTICES_POLICY_KEY,
  noticesDefaults,
  parseNoticesPolicy,
} from '@ecc/notices-domain';
import { APP_CONFIG, PRISMA } from '@ecc/platform-nest';
import { SmsRefused } from './sms-gateway.port';

/** The template's variables that are not values of a lead notice: refused at start, not at the first send. */
export function unknownTemplateVariables(template: SmsVendorTemplate): string[] {
  const known: readonly string[] = LEAD_NOTICE_VARIABLES;
  return template.templateParams.map((p) => p.variable).filter((v) => !known.includes(v));
}

/**
 * The values of a lead notice, for vendors that send only templates they approved, filled with variables
 * (Alibaba Cloud, Tencent Cloud): the same values the notice's text was rendered from — the lead's facts, the
 * response deadline, the owner, and the notices policy in force when the notice was created.
 */
@Injectable()
export class SmsTemplateValues {
  constructor(
    @Inject(PRISMA) private readonly db: PrismaClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly policies: PoliciesRepository,
  ) {}

  async of(noticeId: string): Promise<Record<string, string>> {
    const notice = await this.db.notice.findUnique({
      where: { id: noticeId },
      include: {
        lead: { include: { station: { select: { name: true, road: true, stake: true, direction: true } } } },
        recipientParty: { select: { name: true } },
      },
    });
    const lead = notice?.lead;
    if (!notice || !lead || !notice.respondBy) {
      throw new SmsRefused(
        'not_a_lead_notice',
        `notice ${noticeId} has no lead or response deadline to fill the template`,
      );
    }
    const stored = await this.policies.current(NOTICES_POLICY_KEY, notice.createdAt);
    const { plate, violationAt, station, grossMassKg, limitKg, excessKg, toleranceKg } = lead;
    const facts = { plate, violationAt, station, grossMassKg, limitKg, excessKg, toleranceKg };
    return leadNoticeValues(
      { ...facts, respondBy: notice.respondBy },
      parseNoticesPolicy(stored?.value ?? null, noticesDefaults(this.config.notices.defaults)),
      this.config.bureau.timeZone,
      notice.recipientParty?.name ?? '',
    );
  }
}
