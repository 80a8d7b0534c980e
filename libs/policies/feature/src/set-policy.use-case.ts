import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@ecc/shared-kernel';
import type { z } from 'zod';
import type { PrismaClient, Tx } from '@ecc/shared-data';
import {
  applyHolidayNotice,
  holidayNoticeSchema,
  type CalendarChanges,
  type WorkingDayCalendar,
} from '@ecc/legal-domain';
import { recordAudit } from '@ecc/audit-data';
import { PoliciesRepository } from '@ecc/legal-data';
import { APP_CONFIG, CLOCK, PRISMA, zodValidationError, type CommandContext } from '@ecc/platform-nest';
import type { AppConfig } from '@ecc/shared-config';
import type { Clock } from '@ecc/shared-kernel';
import { policyRegistry, type PolicyKey, type PolicyRegistry } from './policy-registry';

/** Replaces a policy from now on; the previous version stays readable with its validity. */
@Injectable()
export class SetPolicyUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly policies: PoliciesRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.registry = policyRegistry(config);
  }

  private readonly registry: PolicyRegistry;

  /**
   * `working_calendar` also takes the State Council's holiday notice (`{notice: {year, text | festivals}}`),
   * merged into the calendar in force. A dry run answers what would be stored and what changes, and writes
   * nothing.
   */
  async execute(key: PolicyKey, body: unknown, ctx: CommandContext, options: { dryRun?: boolean } = {}) {
    // A schema whose every field has a default would read `{}` as "the defaults": an empty body is a mistake
    // (a client that lost its form), not a choice, and a policy change is audited as a decision.
    if (isEmptyObject(body)) {
      throw new DomainError('validation', 'policy_value_empty', `the ${key} policy is empty`, {
        policyKey: key,
        errors: [{ path: 'body', message: 'state the values of the policy' }],
      });
    }
    const now = this.clock.now();
    if (options.dryRun) {
      const { value, changes, before } = await this.resolve(key, body, this.prisma, now);
      return { key, dryRun: true as const, value, current: before, changes };
    }
    return this.prisma.$transaction(async (tx) => {
      const { value, changes } = await this.resolve(key, body, tx, now);
      const { previous, current } = await this.policies.replace(tx, key, value, now);
      await recordAudit(tx, {
        actor: ctx.actor,
        action: 'policy.changed',
        entityType: 'policy',
        entityId: key,
        requestId: ctx.requestId,
        changes: { before: previous?.value ?? null, after: value, ...(changes ? { notice: changes } : {}) },
      });
      return {
        key,
        value: current.value,
        source: 'set' as const,
        validFrom: current.validFrom.toISOString(),
        ...(changes ? { changes } : {}),
      };
    });
  }

  /** The value a body sets (a holiday notice merged into the calendar in force), checked by the key's schema. */
  private async resolve(key: PolicyKey, body: unknown, db: Tx | PrismaClient, now: Date) {
    const stored = await this.policies.current(key, now, db);
    const before: unknown = stored?.value ?? this.registry[key].default;
    let candidate = body;
    let changes: CalendarChanges | null = null;
    if (key === 'working_calendar' && isNoticeBody(body)) {
      const notice = holidayNoticeSchema.safeParse(body.notice);
      if (!notice.success) throw invalid(key, notice.error.issues, ['body', 'notice']);
      ({ calendar: candidate, changes } = applyHolidayNotice(before as WorkingDayCalendar, notice.data));
    }
    const parsed = this.registry[key].schema.safeParse(candidate);
    if (!parsed.success) throw invalid(key, parsed.error.issues, ['body']);
    return { value: parsed.data as unknown, changes, before };
  }
}

const invalid = (key: string, issues: z.core.$ZodIssue[], prefix: string[]) =>
  zodValidationError(issues, prefix, `the ${key} policy is invalid`);

const isNoticeBody = (body: unknown): body is { notice: unknown } =>
  typeof body === 'object' && body !== null && Object.keys(body).length === 1 && 'notice' in body;

const isEmptyObject = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
