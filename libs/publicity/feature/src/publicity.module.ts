import { Module, type Provider } from '@nestjs/common';
import { CasesModule } from '@ecc/cases-feature';
import { PoliciesRepository } from '@ecc/legal-data';
import { PRISMA } from '@ecc/platform-nest';
import { PublicationsRepository } from '@ecc/publicity-data';
import type { PrismaClient } from '@ecc/shared-data';
import { PublicDecisionsController, PublicationsController } from './publicity.controller';
import { PublicDecisionsUseCase } from './public-decisions.use-case';
import { PublicRateLimitGuard } from './public-rate-limit.guard';
import { PublishOnDecision } from './publish-on-decision.hook';
import { WithdrawPublicationUseCase } from './withdraw-publication.use-case';
import { PublishHeldUseCase } from './publish-held.use-case';
import { DecisionPublicationBuilder } from './decision-publication.builder';
import { DecisionPublicityVerdict } from './decision-publicity-verdict';
import { StaffAlertsRepository } from '@ecc/alerts-data';

const repository = <T>(type: new (db: PrismaClient) => T): Provider => ({
  provide: type,
  useFactory: (db: PrismaClient) => new type(db),
  inject: [PRISMA],
});

/**
 * 公示 (行政处罚法 Art. 48): the publication written after each approved decision (a hook of the case
 * actions), the public list and feed, and the staff's view and withdrawal.
 */
@Module({
  imports: [CasesModule],
  controllers: [PublicDecisionsController, PublicationsController],
  providers: [
    repository(PublicationsRepository),
    repository(PoliciesRepository),
    repository(StaffAlertsRepository),
    DecisionPublicationBuilder,
    PublishHeldUseCase,
    PublicRateLimitGuard,
    PublicDecisionsUseCase,
    WithdrawPublicationUseCase,
    DecisionPublicityVerdict,
    PublishOnDecision,
  ],
})
export class PublicityModule {}
