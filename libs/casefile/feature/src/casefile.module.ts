import { Module, type Provider } from '@nestjs/common';
import { CaseScopeRepository, EvidenceIntegrityRepository } from '@ecc/casefile-data';
import { StaffAlertsRepository } from '@ecc/alerts-data';
import { PRISMA } from '@ecc/platform-nest';
import type { PrismaClient } from '@ecc/shared-data';
import { CaseFileExportUseCase } from './case-file-export.use-case';
import { CaseTraceUseCase } from './case-trace.use-case';
import { CasefileController } from './casefile.controller';
import { EvidenceIntegrityService } from './evidence-integrity.service';
import { EvidenceIntegritySampler } from './evidence-integrity.sampler';

const repository = <T>(type: new (db: PrismaClient) => T): Provider => ({
  provide: type,
  useFactory: (db: PrismaClient) => new type(db),
  inject: [PRISMA],
});

const shared: Provider[] = [
  repository(CaseScopeRepository),
  repository(EvidenceIntegrityRepository),
  repository(StaffAlertsRepository),
  EvidenceIntegrityService,
];

/** 案卷: the trace of a case, the per-case evidence integrity check and the case-file export (API). */
@Module({
  controllers: [CasefileController],
  providers: [...shared, CaseTraceUseCase, CaseFileExportUseCase],
})
export class CasefileModule {}

/** The worker's scheduled re-hash of a sample of stored evidence. */
@Module({
  providers: [...shared, EvidenceIntegritySampler],
})
export class CasefileWorkerModule {}
