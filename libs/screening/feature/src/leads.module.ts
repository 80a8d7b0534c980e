import { Module } from '@nestjs/common';
import type { PrismaClient } from '@ecc/shared-data';
import { LeadsRepository } from '@ecc/screening-data';
import { PRISMA } from '@ecc/platform-nest';
import { GetLeadUseCase } from './get-lead.use-case';
import { LeadsController } from './leads.controller';
import { ListLeadsUseCase } from './list-leads.use-case';
import { QueueDashboardModule } from './queue-dashboard.module';

/** The API side of screening: the leads routes and the admins' queue dashboard. */
@Module({
  imports: [QueueDashboardModule],
  controllers: [LeadsController],
  providers: [
    { provide: LeadsRepository, useFactory: (db: PrismaClient) => new LeadsRepository(db), inject: [PRISMA] },
    GetLeadUseCase,
    ListLeadsUseCase,
  ],
  exports: [LeadsRepository, ListLeadsUseCase],
})
export class LeadsModule {}
