import { Module, type Provider } from '@nestjs/common';
import { CasesModule } from '@ecc/cases-feature';
import { CaseEvaluationsRepository, CaseFileRecordsRepository } from '@ecc/evaluation-data';
import { PoliciesRepository } from '@ecc/legal-data';
import type { PrismaClient } from '@ecc/shared-data';
import { PRISMA } from '@ecc/platform-nest';
import { CaseFileClosingCheck } from './case-file-closing.check';
import { CaseFileEvaluator } from './case-file-evaluator';
import { EvaluationController } from './evaluation.controller';
import { SampleEvaluationsUseCase } from './sample-evaluations.use-case';

const repository = <T>(type: new (db: PrismaClient) => T): Provider => ({
  provide: type,
  useFactory: (db: PrismaClient) => new type(db),
  inject: [PRISMA],
});

/** 案卷评查: GET /cases/{id}/evaluation, POST /evaluations, and the closing check registered with the cases. */
@Module({
  imports: [CasesModule],
  controllers: [EvaluationController],
  providers: [
    repository(CaseFileRecordsRepository),
    repository(CaseEvaluationsRepository),
    repository(PoliciesRepository),
    CaseFileEvaluator,
    CaseFileClosingCheck,
    SampleEvaluationsUseCase,
  ],
  exports: [CaseFileEvaluator],
})
export class EvaluationModule {}
