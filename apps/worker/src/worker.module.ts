import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import {
  InfrastructureModule,
  JobDispatcherModule,
  loggerModule,
  QueueProducerModule,
  SystemGaugesModule,
} from '@ecc/platform-nest';
import { CasesWorkerModule } from '@ecc/cases-feature';
import { FencesWorkerModule } from '@ecc/fences-feature';
import { ScreeningWorkerModule } from '@ecc/screening-feature';
import { IntakeWorkerModule } from '@ecc/intake-feature';
import { NoticesWorkerModule } from '@ecc/notices-feature';
import { CasefileWorkerModule } from '@ecc/casefile-feature';
import { AuditWorkerModule } from '@ecc/audit-feature';
import { StatisticsWorkerModule } from '@ecc/statistics-feature';
import { WorkerHealthServer } from './worker-health.server';

/**
 * The worker: a Nest application context without an HTTP API, hosting the BullMQ processors.
 * Feature modules add their processors here (screening, notices, deadlines, ...).
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        InfrastructureModule.forRoot(config),
        loggerModule(config, 'worker'),
        QueueProducerModule,
        JobDispatcherModule,
        SystemGaugesModule,
        IntakeWorkerModule,
        ScreeningWorkerModule,
        CasesWorkerModule,
        FencesWorkerModule,
        NoticesWorkerModule,
        CasefileWorkerModule,
        AuditWorkerModule,
        StatisticsWorkerModule,
      ],
      providers: [WorkerHealthServer],
    };
  }
}
