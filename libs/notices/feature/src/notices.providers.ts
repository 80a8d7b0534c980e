import type { Provider } from '@nestjs/common';
import { StaffAlertsRepository } from '@ecc/alerts-data';
import { PoliciesRepository } from '@ecc/legal-data';
import { NoticesRepository } from '@ecc/notices-data';
import type { PrismaClient } from '@ecc/shared-data';
import { PRISMA } from '@ecc/platform-nest';
import { LeadNoticeOutcomes } from './lead-notice-outcomes';

const repository = <T>(type: new (db: PrismaClient) => T): Provider => ({
  provide: type,
  useFactory: (db: PrismaClient) => new type(db),
  inject: [PRISMA],
});

/** What both sides of notices (API and worker) need to record a notice's end and what it means for its lead. */
export const NOTICE_PROVIDERS: Provider[] = [
  repository(NoticesRepository),
  repository(PoliciesRepository),
  repository(StaffAlertsRepository),
  LeadNoticeOutcomes,
];
