import { Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  ApiProblems,
  ApiZodResponse,
  Public,
  Roles,
  ZodBody,
  ZodParam,
  ZodQuery,
  PersonalData,
} from '@ecc/platform-nest';
import { STAFF_ROLES } from '@ecc/identity-domain';
import { GetNoticeUseCase } from './get-notice.use-case';
import { ListNoticesUseCase } from './list-notices.use-case';
import {
  listNoticesQuerySchema,
  noticeListSchema,
  noticeViewSchema,
  receiptBodySchema,
  receiptResultSchema,
  type ListNoticesQuery,
  type ReceiptBody,
} from './notices.schema';
import { ReceiptSignatureGuard } from './receipt-signature.guard';
import { RecordReceiptUseCase } from './record-receipt.use-case';
import { RECEIPT_PROVIDERS } from './sms-gateway.port';

/** 短信告知 and 信息推送: what was sent to whom, each attempt, and the vendors' delivery receipts. */
@ApiTags('notices')
@Controller('notices')
export class NoticesController {
  constructor(
    private readonly listNotices: ListNoticesUseCase,
    private readonly getNotice: GetNoticeUseCase,
    private readonly recordReceipt: RecordReceiptUseCase,
  ) {}

  @Get()
  @PersonalData('notice')
  @Roles(...STAFF_ROLES)
  @ApiOperation({
    summary: 'Notices newest first, with status and delivery attempts (the local provider’s outbox)',
  })
  @ApiZodResponse(200, noticeListSchema)
  list(@ZodQuery(listNoticesQuerySchema) query: ListNoticesQuery) {
    return this.listNotices.execute(query);
  }

  @Get(':id')
  @PersonalData('notice', 'id')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'One notice with its rendered text and every delivery attempt' })
  @ApiZodResponse(200, noticeViewSchema)
  get(@ZodParam('id', z.string().uuid()) id: string) {
    return this.getNotice.execute(id);
  }

  @Post('receipts/:provider')
  @ApiProblems({ 401: '`receipt_signature_invalid` (X-Signature over the raw body)' })
  @Public()
  @UseGuards(ReceiptSignatureGuard)
  @HttpCode(200)
  @ApiHeader({
    name: 'X-Signature',
    required: true,
    description: 'lower-case hex HMAC-SHA256(SMS_HTTP_CALLBACK_SECRET, raw body)',
  })
  @ApiOperation({ summary: 'A delivery receipt from the SMS vendor (signed); repeats change nothing' })
  @ApiZodResponse(200, receiptResultSchema)
  receipt(
    @ZodParam('provider', z.string().min(1).max(40)) provider: string,
    @ZodBody(receiptBodySchema) body: ReceiptBody,
    @Req() request: FastifyRequest,
  ) {
    return this.recordReceipt.execute(RECEIPT_PROVIDERS[provider] ?? provider, body, String(request.id));
  }
}
