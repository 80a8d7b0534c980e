import { Inject, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { NoticesRepository } from '@ecc/notices-data';
import { GetNoticeUseCase } from './get-notice.use-case';
import { ListNoticesUseCase } from './list-notices.use-case';
import { LeadNoticeDecisionController, NoticesController } from './notices.controller';
import { NOTICE_PROVIDERS } from './notices.providers';
import { ReceiptSignatureGuard, registerReceiptRawBody } from './receipt-signature.guard';
import { ProceedWithoutNoticeUseCase } from './proceed-without-notice.use-case';
import { RecordReceiptUseCase } from './record-receipt.use-case';
import { ResendNoticeUseCase } from './resend-notice.use-case';
import { VendorReportsController } from './vendor-reports.controller';
import { RecordVendorReportsUseCase } from './vendor-reports';

/**
 * The API side of notices: listing them, receiving the SMS vendor's delivery receipts, and the officers'
 * decisions on a notice that failed for good (resend it, or go on after telling the owner otherwise).
 */
@Module({
  controllers: [NoticesController, LeadNoticeDecisionController, VendorReportsController],
  providers: [
    ...NOTICE_PROVIDERS,
    ListNoticesUseCase,
    GetNoticeUseCase,
    RecordReceiptUseCase,
    ResendNoticeUseCase,
    ProceedWithoutNoticeUseCase,
    RecordVendorReportsUseCase,
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
