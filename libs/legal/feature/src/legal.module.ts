import { Module } from '@nestjs/common';
import type { PrismaClient } from '@ecc/shared-data';
import { LegalBasisRepository, PoliciesRepository } from '@ecc/legal-data';
import { PRISMA } from '@ecc/platform-nest';
import { AddLegalBasisUseCase, EndLegalBasisUseCase } from './legal-basis.use-cases';
import { LegalBasisController } from './legal.controller';
import { LegalCatalogueSeeder } from './legal-catalogue.seeder';

/**
 * The legal-basis catalogue, administered over HTTP, and the versioned policies table (PoliciesRepository)
 * every context reads. Setting a policy is the policies module's: it composes every context's schema.
 */
@Module({
  controllers: [LegalBasisController],
  providers: [
    {
      provide: LegalBasisRepository,
      useFactory: (db: PrismaClient) => new LegalBasisRepository(db),
      inject: [PRISMA],
    },
    {
      provide: PoliciesRepository,
      useFactory: (db: PrismaClient) => new PoliciesRepository(db),
      inject: [PRISMA],
    },
    LegalCatalogueSeeder,
    AddLegalBasisUseCase,
    EndLegalBasisUseCase,
  ],
  exports: [LegalBasisRepository, PoliciesRepository],
})
export class LegalModule {}
