import { Module } from '@nestjs/common';
import type { PrismaClient } from '@ecc/shared-data';
import { DetectionScreeningRepository, IntakeOutboxRepository } from '@ecc/screening-data';
import { LegalBasisRepository, PoliciesRepository } from '@ecc/legal-data';
import { PRISMA } from '@ecc/platform-nest';
import { LegalCatalogueProvider } from './legal-catalogue.provider';
import { ScreeningPolicyProvider } from './screening-policy.provider';
import { OutboxSweeper } from './outbox-sweeper.service';
import { ScreenDetectionProcessor } from './screen-detection.processor';
import { ScreenDetectionUseCase } from './screen-detection.use-case';
import { ScreeningBatcher } from './screening-batcher';

/** The worker side of screening: the screen-detection job handler and the intake outbox sweeper. */
@Module({
  providers: [
    DetectionScreeningRepository,
    {
      provide: PoliciesRepository,
      useFactory: (db: PrismaClient) => new PoliciesRepository(db),
      inject: [PRISMA],
    },
    ScreeningPolicyProvider,
    {
      provide: IntakeOutboxRepository,
      useFactory: (db: PrismaClient) => new IntakeOutboxRepository(db),
      inject: [PRISMA],
    },
    {
      provide: LegalBasisRepository,
      useFactory: (db: PrismaClient) => new LegalBasisRepository(db),
      inject: [PRISMA],
    },
    LegalCatalogueProvider,
    ScreenDetectionUseCase,
    ScreeningBatcher,
    ScreenDetectionProcessor,
    OutboxSweeper,
  ],
  exports: [ScreenDetectionUseCase],
})
export class ScreeningWorkerModule {}
