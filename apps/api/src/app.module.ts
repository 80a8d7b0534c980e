import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import {
  HttpPlatformModule,
  InfrastructureModule,
  loggerModule,
  QueueProducerModule,
} from '@ecc/platform-nest';
import { CasesModule } from '@ecc/cases-feature';
import { FencesModule } from '@ecc/fences-feature';
import { IdentityModule } from '@ecc/identity-feature';
import { IntakeModule } from '@ecc/intake-feature';
import { LegalModule } from '@ecc/legal-feature';
import { RegistryModule } from '@ecc/registry-feature';
import { LeadsModule } from '@ecc/screening-feature';
import { NoticesModule } from '@ecc/notices-feature';
import { PenaltiesModule } from '@ecc/penalties-feature';
import { EvaluationModule } from '@ecc/evaluation-feature';
import { CasefileModule } from '@ecc/casefile-feature';
import { AuditModule } from '@ecc/audit-feature';
import { AlertsModule } from '@ecc/alerts-feature';
import { PoliciesModule } from '@ecc/policies-feature';
import { StatisticsModule } from '@ecc/statistics-feature';
import { PublicityModule } from '@ecc/publicity-feature';

/** The HTTP API: a thin shell composing the feature modules of libs/. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        InfrastructureModule.forRoot(config),
        loggerModule(config, 'api'),
        QueueProducerModule,
        HttpPlatformModule,
        IdentityModule,
        IntakeModule,
        LegalModule,
        PoliciesModule,
        RegistryModule,
        LeadsModule,
        CasesModule,
        FencesModule,
        NoticesModule,
        PenaltiesModule,
        EvaluationModule,
        CasefileModule,
        AuditModule,
        AlertsModule,
        StatisticsModule,
        PublicityModule,
      ],
    };
  }
}
