import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, PRISMA, type CommandContext } from '@ecc/platform-nest';
import { PublicationsRepository } from '@ecc/publicity-data';
import type { PrismaClient } from '@ecc/shared-data';
import { DomainError, notFound, type Clock } from '@ecc/shared-kernel';
import { DecisionPublicationBuilder } from './decision-publication.builder';
import { publicationView } from './public-decisions.use-case';
import type { PublicationView } from './publicity.schema';

/**
 * A held publication (the last check found a person's data in it) published once staff have corrected the
 * records it is built from — a party entered as an organisation that is a person, a person's name in an
 * organisation's — by building the content again and checking it again. Still found: 422 with how many, and
 * nothing changes. The policy's verdict at the decision stands.
 */
@Injectable()
export class PublishHeldUseCase {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly builder: DecisionPublicationBuilder,
    private readonly publications: PublicationsRepository,
  ) {}

  async execute(caseId: string, ctx: CommandContext): Promise<PublicationView> {
    const now = this.clock.now();
    const row = await this.prisma.$transaction(async (tx) => {
      const built = await this.builder.build(tx, caseId);
      if (!built) throw notFound('publication', caseId);
      if (built.leaked.length > 0)
        throw new DomainError(
          'rule_violation',
          'personal_data_in_publication',
          `the content built from the records still holds ${built.leaked.length} item(s) of a person's data: ` +
            'correct the parties first',
          { found: built.leaked.length },
        );
      return this.publications.publishHeld(tx, caseId, built.content, {
        actor: ctx.actor,
        requestId: ctx.requestId,
        at: now,
      });
    });
    return publicationView(row);
  }
}
