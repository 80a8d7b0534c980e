import { Module } from '@nestjs/common';
import { StaffAlertsRepository } from '@ecc/alerts-data';
import type { PrismaClient } from '@ecc/shared-data';
import { PRISMA } from '@ecc/platform-nest';
import { StaffAlertsController } from './staff-alerts.controller';
import { StaffAlertsUseCase } from './staff-alerts.use-case';

/**
 * Staff alerts (期限预警 and the system's own warnings) as their owners read them: `GET /me/alerts` and
 * marking one read. The contexts that raise alerts write them with `StaffAlertsRepository` in their own
 * transactions.
 */
@Module({
  controllers: [StaffAlertsController],
  providers: [
    {
      provide: StaffAlertsRepository,
      useFactory: (db: PrismaClient) => new StaffAlertsRepository(db),
      inject: [PRISMA],
    },
    StaffAlertsUseCase,
  ],
})
export class AlertsModule {}
