import { Inject, Injectable } from '@nestjs/common';
import { DomainError, validationError } from '@ecc/shared-kernel';
import type { PrismaClient } from '@ecc/shared-data';
import { recordAudit } from '@ecc/audit-data';
import { PoliciesRepository } from '@ecc/legal-data';
import { CLOCK, PRISMA, type CommandContext } from '@ecc/platform-nest';
import type { Clock } from '@ecc/shared-kernel';
import { POLICIES, type PolicyKey } from './policy-registry';

/** Replaces a policy from now on; the previous version stays readable with its validity. */
@Injectable()
export class SetPolicyUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly policies: PoliciesRepository,
  ) {}

  async execute(key: PolicyKey, body: unknown, ctx: CommandContext) {
    // A schema whose every field has a default would read `{}` as "the defaults": an empty body is a mistake
    // (a client that lost its form), not a choice, and a policy change is audited as a decision.
    if (isEmptyObject(body)) {
      throw new DomainError('validation', 'policy_value_empty', `the ${key} policy is empty`, {
        policyKey: key,
        errors: [{ path: 'body', message: 'state the values of the policy' }],
      });
    }
    const parsed = POLICIES[key].schema.safeParse(body);
    if (!parsed.success) {
      throw validationError(
        `the ${key} policy is invalid`,
        parsed.error.issues.map((i) => ({
          path: ['body', ...i.path.map(String)].join('.'),
          message: i.message,
        })),
      );
    }
    const now = this.clock.now();
    return this.prisma.$transaction(async (tx) => {
      const { previous, current } = await this.policies.replace(tx, key, parsed.data, now);
      await recordAudit(tx, {
        actor: ctx.actor,
        action: 'policy.changed',
        entityType: 'policy',
        entityId: key,
        requestId: ctx.requestId,
        changes: { before: previous?.value ?? null, after: parsed.data },
      });
      return {
        key,
        value: current.value,
        source: 'set' as const,
        validFrom: current.validFrom.toISOString(),
      };
    });
  }
}

const isEmptyObject = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
