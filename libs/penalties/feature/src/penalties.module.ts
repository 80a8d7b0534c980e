import { Module, type Provider } from '@nestjs/common';
import { CaseDocumentsRepository, CasesRepository } from '@ecc/cases-data';
import { CasesModule } from '@ecc/cases-feature';
import { PoliciesRepository } from '@ecc/legal-data';
import { FourPenaltiesRepository } from '@ecc/penalties-data';
import { RegistryHooksModule } from '@ecc/registry-feature';
import type { PrismaClient } from '@ecc/shared-data';
import { PRISMA } from '@ecc/platform-nest';
import { ChooseSourceUnitFineUseCase } from './choose-source-unit-fine.use-case';
import { EscalateEnterpriseUseCase } from './escalate-enterprise.use-case';
import { FourPenaltiesAfterAction } from './four-penalties-after-action';
import { FourPenaltiesController, PenaltiesController } from './four-penalties.controller';
import { FourPenaltiesQueries } from './four-penalties.queries';
import { IssuePenaltyBatchUseCase } from './issue-penalty-batch.use-case';
import { PlanFourPenaltiesUseCase } from './plan-four-penalties.use-case';
import { SubCaseDecisionGate } from './sub-case-decision-gate';
import { SourceUnitCorrectionAdapter } from './source-unit-correction.adapter';
import { ReplanOnSourceUnitSite } from './replan-on-source-unit-site';

const repository = <T>(type: new (db: PrismaClient) => T): Provider => ({
  provide: type,
  useFactory: (db: PrismaClient) => new type(db),
  inject: [PRISMA],
});

/** 一超四罚: planning the four parties' sub-cases, their outcomes, and synchronized issuance. */
@Module({
  imports: [CasesModule, RegistryHooksModule],
  controllers: [FourPenaltiesController, PenaltiesController],
  providers: [
    repository(FourPenaltiesRepository),
    repository(CasesRepository),
    repository(CaseDocumentsRepository),
    repository(PoliciesRepository),
    FourPenaltiesQueries,
    PlanFourPenaltiesUseCase,
    FourPenaltiesAfterAction,
    SubCaseDecisionGate,
    EscalateEnterpriseUseCase,
    ChooseSourceUnitFineUseCase,
    IssuePenaltyBatchUseCase,
    SourceUnitCorrectionAdapter,
    ReplanOnSourceUnitSite,
  ],
  exports: [FourPenaltiesQueries],
})
export class PenaltiesModule {}
