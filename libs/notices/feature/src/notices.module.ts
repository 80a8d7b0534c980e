import { Inject, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { PrismaClient } from '@ecc/shared-data';
import { NoticesRepository } from '@ecc/notices-data';
import { PRISMA } from '@ecc/platform-nest';
import { GetNoticeUseCase } from './get-notice.use-case';
import { ListNoticesUseCase } from './list-notices.use-case';
import { NoticesController } from './notices.controller';
import { ReceiptSignatureGuard, registerReceiptRawBody } from './receipt-signature.guard';
import { RecordReceiptUseCase } from './record-receipt.use-case';

const noticesRepository = {
  provide: NoticesRepository,
  useFactory: (db: PrismaClient) => new NoticesRepository(db),
  inject: [PRISMA],
};

/** The API side of notices: listing them and receiving the SMS vendor's delivery receipts. */
@Module({
  controllers: [NoticesController],
  providers: [
    noticesRepository,
    ListNoticesUseCase,
    GetNoticeUseCase,
    RecordReceiptUseCase,
    ReceiptSignatureGuard,
  ],
  exports: [NoticesRepository, ListNoticesUseCase],
})
export class NoticesModule {
  constructor(@Inject(HttpAdapterHost) adapterHost: HttpAdapterHost) {
    // In the constructor, before any module's init hook (see IntakeModule): hooks added later are not seen.
    const fastify = adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify) registerReceiptRawBody(fastify);
  }
}
