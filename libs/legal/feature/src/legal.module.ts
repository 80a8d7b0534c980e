import { Module } from '@nestjs/common';
import type { PrismaClient } from '@ecc/shared-data';
import { LegalBasisRepository, PoliciesRepository } from '@ecc/legal-data';
import { PRISMA } from '@ecc/platform-nest';
import { AddLegalBasisUseCase, EndLegalBasisUseCase } from './legal-basis.use-cases';
import { LegalBasisController, PoliciesController } from './legal.controller';
import { LegalCatalogueSeeder } from './legal-catalogue.seeder';
import { SetPolicyUseCase } from './set-policy.use-case';

/** The legal-basis catalogue and the local policies, administered over HTTP. */
@Module({
  controllers: [LegalBasisController, PoliciesController],
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
    SetPolicyUseCase,
  ],
  exports: [LegalBasisRepository, PoliciesRepository],
})
export class LegalModule {}
