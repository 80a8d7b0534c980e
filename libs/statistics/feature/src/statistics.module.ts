import { Module, type Provider } from '@nestjs/common';
import { DocumentsModule } from '@ecc/documents-feature';
import { CaseDocumentsRepository, CasesRepository, LeadReviewRepository } from '@ecc/cases-data';
import { CaseEnvironmentProvider, CaseQueries } from '@ecc/cases-feature';
import { PoliciesRepository } from '@ecc/legal-data';
import { NoticesRepository } from '@ecc/notices-data';
import { ListNoticesUseCase } from '@ecc/notices-feature';
import { FourPenaltiesRepository } from '@ecc/penalties-data';
import { FourPenaltiesQueries } from '@ecc/penalties-feature';
import { LeadsRepository } from '@ecc/screening-data';
import { ListLeadsUseCase } from '@ecc/screening-feature';
import type { AppConfig } from '@ecc/shared-config';
import type { PrismaClient } from '@ecc/shared-data';
import type { Clock } from '@ecc/shared-kernel';
import { APP_CONFIG, CLOCK, PRISMA } from '@ecc/platform-nest';
import { DetectionCountsRepository, ListExportsRepository, StatisticsRepository } from '@ecc/statistics-data';
import { AnnualReportUseCase } from './annual-report.use-case';
import { DetectionCountsTask } from './detection-counts.task';
import { EvaluationBoundsProvider } from './evaluation-bounds.provider';
import { ExportsController } from './exports.controller';
import { GetStatisticsUseCase } from './get-statistics.use-case';
import { ListExports } from './list-exports';
import { StatisticsController } from './statistics.controller';
import { STATISTICS_PRISMA, StatisticsDatabaseShutdown, statisticsDatabase } from './statistics-database';

const repository = <T>(type: new (db: PrismaClient) => T, token: symbol = PRISMA): Provider => ({
  provide: type,
  useFactory: (db: PrismaClient) => new type(db),
  inject: [token],
});
const reading = <T>(type: new (db: PrismaClient) => T) => repository(type, STATISTICS_PRISMA);

/**
 * The lists' exports read through each list's own query (the same filters and pages as its GET route), built here
 * on the statistics' database (a replica when STATISTICS_DATABASE_URL is set) instead of the contexts' instances
 * on the primary.
 */
const listExports: Provider = {
  provide: ListExports,
  useFactory: (db: PrismaClient, config: AppConfig, clock: Clock, lists: ListExportsRepository) =>
    new ListExports(
      new ListLeadsUseCase(new LeadsRepository(db), config),
      new CaseQueries(
        db,
        clock,
        new CasesRepository(db),
        new CaseDocumentsRepository(db),
        new LeadReviewRepository(db),
        new CaseEnvironmentProvider(config, db, new PoliciesRepository(db)),
      ),
      new ListNoticesUseCase(new NoticesRepository(db)),
      new FourPenaltiesQueries(new FourPenaltiesRepository(db)),
      lists,
    ),
  inject: [STATISTICS_PRISMA, APP_CONFIG, CLOCK, ListExportsRepository],
};

/**
 * 统计与导出: GET /statistics (and its export), the annual report, and GET /exports/{list}. It reads every
 * context, through STATISTICS_DATABASE_URL when set (a read-only replica), and nothing imports it.
 */
@Module({
  imports: [DocumentsModule],
  controllers: [StatisticsController, ExportsController],
  providers: [
    statisticsDatabase,
    StatisticsDatabaseShutdown,
    reading(StatisticsRepository),
    reading(DetectionCountsRepository),
    reading(ListExportsRepository),
    EvaluationBoundsProvider,
    GetStatisticsUseCase,
    AnnualReportUseCase,
    listExports,
  ],
})
export class StatisticsModule {}

/** The worker's part: the detection counts kept folded (and rebuilt after a change of time zone). */
@Module({
  providers: [repository(DetectionCountsRepository), DetectionCountsTask],
})
export class StatisticsWorkerModule {}
