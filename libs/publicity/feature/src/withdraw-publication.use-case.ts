import { Inject, Injectable } from '@nestjs/common';
import { PoliciesRepository } from '@ecc/legal-data';
import { APP_CONFIG, CLOCK, PRISMA, type CommandContext } from '@ecc/platform-nest';
import { PublicationsRepository } from '@ecc/publicity-data';
import { planWithdrawal, type WithdrawPublication } from '@ecc/publicity-domain';
import type { AppConfig } from '@ecc/shared-config';
import type { PrismaClient } from '@ecc/shared-data';
import type { Clock } from '@ecc/shared-kernel';
import { publicationView } from './public-decisions.use-case';
import type { PublicationView } from './publicity.schema';

/**
 * 撤回 (行政处罚法 Art. 48 ¶2): a published decision that was changed, revoked, confirmed illegal or void —
 * on reconsideration, by a court, or by the bureau — is withdrawn from the public list within 3 working days,
 * and the reason is published. The withdrawal and its audit event commit together; a late one is recorded as
 * late (it is still done: the law's duty does not lapse).
 */
@Injectable()
export class WithdrawPublicationUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly policies: PoliciesRepository,
    private readonly publications: PublicationsRepository,
  ) {}

  async execute(caseId: string, input: WithdrawPublication, ctx: CommandContext): Promise<PublicationView> {
    const now = this.clock.now();
    const { calendar } = await this.policies.periodRules(input.revokedAt);
    const plan = planWithdrawal(input, now, this.config.bureau.timeZone, calendar);
    const row = await this.prisma.$transaction((tx) =>
      this.publications.withdraw(
        tx,
        caseId,
        {
          ground: input.ground,
          reason: input.reason,
          reference: input.reference ?? null,
          revokedAt: input.revokedAt,
          dueAt: plan.dueAt,
          late: plan.late,
        },
        { actor: ctx.actor, requestId: ctx.requestId, at: now },
      ),
    );
    return publicationView(row);
  }
}
