import { Module, type Provider } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditChainRepository, AuditEventsRepository, AuditPartitionsRepository } from '@ecc/audit-data';
import { StaffAlertsRepository } from '@ecc/alerts-data';
import type { PrismaClient } from '@ecc/shared-data';
import { PRISMA } from '@ecc/platform-nest';
import { AuditChainMonitor } from './audit-chain-monitor';
import { AuditCheckpointer } from './audit-checkpointer';
import { AuditController } from './audit.controller';
import { AuditPartitionMaintainer } from './audit-partition-maintainer';
import { AuditSealer } from './audit-sealer';
import { auditRetiredKeysProvider, auditSigningKeyProvider } from './audit-signing-key';
import { ListAuditEventsUseCase } from './list-audit-events.use-case';
import { ReadAuditInterceptor } from './read-audit.interceptor';
import { VerifyAuditChainUseCase } from './verify-audit-chain.use-case';

const repository = <T>(type: new (db: PrismaClient) => T): Provider => ({
  provide: type,
  useFactory: (db: PrismaClient) => new type(db),
  inject: [PRISMA],
});

/**
 * The API side of the audit trail: GET /audit/events and GET /audit/verify, and the audit of auditors' reads
 * of personal data on every route marked @PersonalData (a global interceptor).
 */
@Module({
  controllers: [AuditController],
  providers: [
    repository(AuditChainRepository),
    repository(AuditEventsRepository),
    auditSigningKeyProvider,
    auditRetiredKeysProvider,
    ListAuditEventsUseCase,
    VerifyAuditChainUseCase,
    { provide: APP_INTERCEPTOR, useClass: ReadAuditInterceptor },
  ],
})
export class AuditModule {}

/**
 * The worker side: the sealer, the checkpointer, the scheduled verification with its alerts, and the monthly
 * partitions created ahead.
 */
@Module({
  providers: [
    repository(AuditChainRepository),
    repository(StaffAlertsRepository),
    repository(AuditPartitionsRepository),
    auditSigningKeyProvider,
    auditRetiredKeysProvider,
    VerifyAuditChainUseCase,
    AuditSealer,
    AuditCheckpointer,
    AuditChainMonitor,
    AuditPartitionMaintainer,
  ],
})
export class AuditWorkerModule {}
