import {
  casePolicySchema,
  CN_WORKING_CALENDAR_2024_2026,
  DEFAULT_CASE_POLICY,
  workingDayCalendarSchema,
  type CasePolicy,
  type WorkingDayCalendar,
} from '@ecc/legal-domain';
import type { PrismaClient, Tx } from '@ecc/shared-data';

export interface PolicyVersion {
  id: string;
  key: string;
  value: unknown;
  validFrom: Date;
  validTo: Date | null;
}

/**
 * Local policies (the bureau's choices where the law leaves room: tolerance, response window, hearing threshold, holidays, ...) as
 * versioned JSON: a change closes the current version and opens a new one, so what applied at any past
 * instant can be read back.
 */
export class PoliciesRepository {
  constructor(private readonly db: PrismaClient) {}

  async current(
    key: string,
    at: Date = new Date(),
    db: Tx | PrismaClient = this.db,
  ): Promise<PolicyVersion | null> {
    return db.policy.findFirst({
      where: { key, validFrom: { lte: at }, OR: [{ validTo: null }, { validTo: { gt: at } }] },
      orderBy: { validFrom: 'desc' },
    });
  }

  /**
   * What every period counted at `at` needs: the `case` policy and the `working_calendar` in force then, or
   * their defaults while none is set (a stored value that no longer parses falls back to the default too).
   */
  async periodRules(
    at: Date,
    db: Tx | PrismaClient = this.db,
  ): Promise<{ policy: CasePolicy; calendar: WorkingDayCalendar }> {
    const [stored, calendar] = await Promise.all([
      this.current('case', at, db),
      this.current('working_calendar', at, db),
    ]);
    const policy = stored ? casePolicySchema.safeParse(stored.value) : undefined;
    const cal = calendar ? workingDayCalendarSchema.safeParse(calendar.value) : undefined;
    return {
      policy: policy?.success ? policy.data : DEFAULT_CASE_POLICY,
      calendar: cal?.success ? (cal.data as WorkingDayCalendar) : CN_WORKING_CALENDAR_2024_2026,
    };
  }

  /** Every version, newest first. `db`: a caller's transaction, so a read never needs a second connection. */
  async versions(key: string, db: Tx | PrismaClient = this.db): Promise<PolicyVersion[]> {
    return db.policy.findMany({ where: { key }, orderBy: { validFrom: 'desc' } });
  }

  /** Closes the version in force at `from` and opens `value` from then on. */
  async replace(
    tx: Tx,
    key: string,
    value: unknown,
    from: Date,
  ): Promise<{ previous: PolicyVersion | null; current: PolicyVersion }> {
    // One writer per key at a time, so two admins cannot both close the same version.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`ecc.policy.${key}`}))`;
    const previous = await this.current(key, from, tx);
    if (previous) await tx.policy.update({ where: { id: previous.id }, data: { validTo: from } });
    const current = await tx.policy.create({ data: { key, value: value as object, validFrom: from } });
    return { previous, current };
  }
}
