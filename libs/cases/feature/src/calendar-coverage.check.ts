import { Inject, Injectable } from '@nestjs/common';
import { StaffAlertsRepository } from '@ecc/alerts-data';
import { calendarCoverageEnding } from '@ecc/legal-domain';
import type { AppConfig } from '@ecc/shared-config';
import type { PrismaClient } from '@ecc/shared-data';
import { localDate, type Clock } from '@ecc/shared-kernel';
import { APP_CONFIG, CLOCK, PeriodicTask, PRISMA, recordCalendarCoverage } from '@ecc/platform-nest';
import { CaseEnvironmentProvider } from './case-environment';

/**
 * The working-day calendar covers only the years whose holidays are entered (the State Council publishes
 * them late in the year before); counting a period beyond it is refused, so leads could no longer be
 * confirmed. This check (WORKING_CALENDAR_CHECK_INTERVAL_MS) alerts every active admin, once per coverage
 * end, from WORKING_CALENDAR_WARN_DAYS before it, and logs a warning on every run until the calendar is
 * extended through `PUT /policies/working_calendar`.
 */
@Injectable()
export class WorkingCalendarCoverageCheck extends PeriodicTask {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly environment: CaseEnvironmentProvider,
    private readonly alerts: StaffAlertsRepository,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.cases.calendarCheckIntervalMs;
  }

  /** The number of admins newly alerted. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    const env = await this.environment.at(now);
    if (env.calendar.coverage?.to) recordCalendarCoverage(env.calendar.name, env.calendar.coverage.to);
    const ending = calendarCoverageEnding(
      env.calendar,
      localDate(now, env.timeZone),
      this.config.cases.calendarWarnDays,
    );
    if (!ending) return 0;
    this.logger.warn(
      { calendar: env.calendar.name, ...ending },
      'the working-day calendar ends soon: enter the next year through PUT /policies/working_calendar',
    );
    // Without the days left: one alert per admin and coverage end, however often the check runs (raiseOnce).
    const message =
      `工作日历“${env.calendar.name}”只录入到 ${ending.coveredUntil}：请通过 PUT /policies/working_calendar ` +
      `录入下一年度的法定节假日和调休上班日，否则此后按工作日计算的期限无法计算，线索无法确认`;
    return this.prisma.$transaction((tx) =>
      this.alerts.raiseOnce(tx, { roles: ['admin'], kind: 'working_calendar_expiring', message, at: now }),
    );
  }
}
