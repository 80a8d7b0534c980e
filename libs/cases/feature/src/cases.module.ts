import { Module, type Provider } from '@nestjs/common';
import {
  CaseDocumentsRepository,
  CasesRepository,
  DeadlinesRepository,
  LeadReviewRepository,
} from '@ecc/cases-data';
import { StaffAlertsRepository } from '@ecc/alerts-data';
import { LegalBasisRepository, PoliciesRepository } from '@ecc/legal-data';
import type { PrismaClient } from '@ecc/shared-data';
import { PRISMA } from '@ecc/platform-nest';
import { CaseAfterActionHooks } from './case-after-action-hooks';
import { CaseClosingChecks } from './case-closing-checks';
import { CaseDecisionPublicity } from './case-decision-publicity';
import { CaseDeadlineRows } from './case-deadline-rows';
import { CaseDocumentService } from './case-document.service';
import { CaseEnvironmentProvider } from './case-environment';
import { CaseQueries } from './case-queries.use-case';
import { CasesController, LeadReviewController } from './cases.controller';
import { CompleteLeadOwnerUseCase } from './complete-lead-owner.use-case';
import { DeadlineDueHandlers } from './deadline-due-handler';
import { DeadlineDueProcessor, DeadlineSweeper } from './deadline.processor';
import { WorkingCalendarCoverageCheck } from './calendar-coverage.check';
import { NoticeSender } from './notice-sender';
import { DeadlineScheduler } from './deadline-scheduler';
import { FileCaseUseCase, LeadFiledOnApproval } from './file-case.use-case';
import { DefaultDeadlineDueHandlers, HandleDeadlineUseCase } from './handle-deadline.use-case';
import { PerformCaseActionUseCase } from './perform-case-action.use-case';
import { SourceUnitCorrection } from './source-unit-correction';
import { LeadNotification, ReviewLeadUseCase } from './review-lead.use-case';

const repository = <T>(type: new (db: PrismaClient) => T): Provider => ({
  provide: type,
  useFactory: (db: PrismaClient) => new type(db),
  inject: [PRISMA],
});

const DATA: Provider[] = [
  repository(CasesRepository),
  repository(CaseDocumentsRepository),
  repository(DeadlinesRepository),
  repository(LeadReviewRepository),
  repository(StaffAlertsRepository),
  repository(PoliciesRepository),
  repository(LegalBasisRepository),
  CaseEnvironmentProvider,
  DeadlineScheduler,
];

/** The API side of the case workflow: lead review, filing, case actions, the case file, staff alerts. */
@Module({
  controllers: [LeadReviewController, CasesController],
  providers: [
    ...DATA,
    CaseDocumentService,
    CaseDeadlineRows,
    LeadNotification,
    NoticeSender,
    ReviewLeadUseCase,
    CompleteLeadOwnerUseCase,
    FileCaseUseCase,
    LeadFiledOnApproval,
    PerformCaseActionUseCase,
    CaseClosingChecks,
    CaseDecisionPublicity,
    CaseAfterActionHooks,
    SourceUnitCorrection,
    CaseQueries,
  ],
  exports: [
    PerformCaseActionUseCase,
    CaseClosingChecks,
    CaseDecisionPublicity,
    CaseAfterActionHooks,
    SourceUnitCorrection,
    CaseQueries,
  ],
})
export class CasesModule {}

/**
 * The worker side: the `deadline-due` job handler, the deadline sweep, the working calendar's coverage check,
 * and the registry of due handlers
 * (exported: the electronic fence registers its `response_window` handler there).
 */
@Module({
  providers: [
    ...DATA,
    DeadlineDueHandlers,
    DefaultDeadlineDueHandlers,
    HandleDeadlineUseCase,
    DeadlineDueProcessor,
    DeadlineSweeper,
    WorkingCalendarCoverageCheck,
  ],
  exports: [DeadlineDueHandlers, HandleDeadlineUseCase],
})
export class CasesWorkerModule {}
