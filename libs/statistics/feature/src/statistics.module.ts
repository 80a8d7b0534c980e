import { Module, type Provider } from '@nestjs/common';
import { CasesModule } from '@ecc/cases-feature';
import { NoticesModule } from '@ecc/notices-feature';
import { PenaltiesModule } from '@ecc/penalties-feature';
import { LeadsModule } from '@ecc/screening-feature';
import type { PrismaClient } from '@ecc/shared-data';
import { PRISMA } from '@ecc/platform-nest';
import { DetectionCountsRepository, ListExportsRepository, StatisticsRepository } from '@ecc/statistics-data';
import { AnnualReportUseCase } from './annual-report.use-case';
import { DetectionCountsTask } from './detection-counts.task';
import { EvaluationBoundsProvider } from './evaluation-bounds.provider';
import { ExportsController } from './exports.controller';
import { GetStatisticsUseCase } from './get-statistics.use-case';
import { ListExports } from './list-exports';
import { StatisticsController } from './statistics.controller';

const repository = <T>(type: new (db: PrismaClient) => T): Provider => ({
  provide: type,
  useFactory: (db: PrismaClient) => new type(db),
  inject: [PRISMA],
});

/**
 * 统计与导出: GET /statistics (and its export), the annual report, and GET /exports/{list}. It reads every
 * context and nothing imports it.
 */
@Module({
  imports: [LeadsModule, CasesModule, NoticesModule, PenaltiesModule],
  controllers: [StatisticsController, ExportsController],
  providers: [
    repository(StatisticsRepository),
    repository(DetectionCountsRepository),
    repository(ListExportsRepository),
    EvaluationBoundsProvider,
    GetStatisticsUseCase,
    AnnualReportUseCase,
    ListExports,
  ],
})
export class StatisticsModule {}

/** The worker's part: the detection counts kept folded (and rebuilt after a change of time zone). */
@Module({
  providers: [repository(DetectionCountsRepository), DetectionCountsTask],
})
export class StatisticsWorkerModule {}
