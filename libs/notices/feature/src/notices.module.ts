import { Inject, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { NoticesRepository } from '@ecc/notices-data';
import { GetNoticeUseCase } from './get-notice.use-case';
import { ListNoticesUseCase } from './list-notices.use-case';
import { NoticesController } from './notices.controller';
import { NOTICE_PROVIDERS } from './notices.providers';
import { ReceiptSignatureGuard, registerReceiptRawBody } from './receipt-signature.guard';
import { RecordReceiptUseCase } from './record-receipt.use-case';

/** The API side of notices: listing them and receiving the SMS vendor's delivery receipts. */
@Module({
  controllers: [NoticesController],
  providers: [
    ...NOTICE_PROVIDERS,
    ListNoticesUseCase,
    GetNoticeUseCase,
    RecordReceiptUseCase,
    ReceiptSignatureGuard,
  ],
  exports: [NoticesRepository],
})
export class NoticesModule {
  constructor(@Inject(HttpAdapterHost) adapterHost: HttpAdapterHost) {
    // In the constructor, before any module's init hook (see IntakeModule): hooks added later are not seen.
    const fastify = adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify) registerReceiptRawBody(fastify);
  }
}
