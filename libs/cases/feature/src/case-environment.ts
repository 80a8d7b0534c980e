import { Inject, Injectable } from '@nestjs/common';
import type { CaseActor } from '@ecc/cases-domain';
import { subtractWorkingDays, type CasePolicy, type WorkingDayCalendar } from '@ecc/legal-domain';
import { PoliciesRepository } from '@ecc/legal-data';
import type { AppConfig } from '@ecc/shared-config';
import { DomainError, localDate, startOfLocalDay } from '@ecc/shared-kernel';
import type { PrismaClient, Tx } from '@ecc/shared-data';
import type { Actor } from '@ecc/identity-domain';
import { APP_CONFIG, PRISMA } from '@ecc/platform-nest';

export interface CaseEnvironment {
  policy: CasePolicy;
  calendar: WorkingDayCalendar;
  timeZone: string;
  numberPattern: string;
  /** The issuing authority printed on the documents (BUREAU_NAME). */
  authority: string;
}

/**
 * What every case rule needs besides the case: the `case` and `working_calendar` policies in force at the
 * instant (admin-maintained, versioned), the bureau's zone, and who the caller is as the machine sees them.
 */
@Injectable()
export class CaseEnvironmentProvider {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly policies: PoliciesRepository,
  ) {}

  async at(instant: Date, db: Tx | PrismaClient = this.prisma): Promise<CaseEnvironment> {
    const { policy, calendar } = await this.policies.periodRules(instant, db);
    return {
      policy,
      calendar,
      timeZone: this.config.bureau.timeZone,
      numberPattern: this.config.cases.numberPattern,
      authority: this.config.bureau.name,
    };
  }

  /**
   * When the "approaching" alert of a deadline is due: the start of the local day N working days before
   * its last day (DEADLINE_APPROACHING_WORKING_DAYS). None when that is not after the start.
   */
  approachingAt(startedAt: Date, dueAt: Date, env: CaseEnvironment): Date | null {
    const n = this.config.cases.deadlineApproachingWorkingDays;
    if (n === 0) return null;
    try {
      const day = subtractWorkingDays(localDate(dueAt, env.timeZone), n, env.calendar);
      const at = startOfLocalDay(day, env.timeZone);
      return at.getTime() > startedAt.getTime() ? at : null;
    } catch {
      return null;
    }
  }

  /** The caller as the state machine sees them: roles and legal qualification as recorded now. */
  async caseActor(actor: Actor, db: Tx | PrismaClient = this.prisma): Promise<CaseActor> {
    if (actor.kind !== 'user') throw new DomainError('forbidden', 'not_a_user', 'only staff act on cases');
    const user = await db.user.findUnique({ where: { id: actor.id }, include: { roles: true } });
    if (!user || !user.active) throw new DomainError('forbidden', 'user_inactive', 'the user is not active');
    return {
      id: user.id,
      roles: user.roles.map((r) => r.role),
      legalQualificationNo: user.legalQualificationNo,
    };
  }
}

/**
 * Case transactions queue on row locks (the case, the lead, the year's case-number sequence): a filing
 * waits for the concurrent ones ahead of it rather than failing after Prisma's 2 s default.
 */
export const CASE_TRANSACTION = { maxWait: 15_000, timeout: 30_000 } as const;
