import { Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  ApiProblems,
  ApiZodResponse,
  Ctx,
  Public,
  Roles,
  ZodBody,
  ZodParam,
  ZodQuery,
  PersonalData,
  type CommandContext,
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
import {
  ProceedWithoutNoticeUseCase,
  proceedWithoutNoticeResultSchema,
  proceedWithoutNoticeSchema,
  type ProceedWithoutNoticeInput,
} from './proceed-without-notice.use-case';
import { RecordReceiptUseCase } from './record-receipt.use-case';
import {
  ResendNoticeUseCase,
  resendNoticeBodySchema,
  resendNoticeResultSchema,
  type ResendNoticeBody,
} from './resend-notice.use-case';
import { RECEIPT_PROVIDERS } from './sms-gateway.port';

/** 短信告知 and 信息推送: what was sent to whom, each attempt, and the vendors' delivery receipts. */
@ApiTags('notices')
@Controller('notices')
export class NoticesController {
  constructor(
    private readonly listNotices: ListNoticesUseCase,
    private readonly getNotice: GetNoticeUseCase,
    private readonly recordReceipt: RecordReceiptUseCase,
    private readonly resendNotice: ResendNoticeUseCase,
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

  @Post(':id/resend')
  @Roles('officer')
  @ApiOperation({
    summary:
      'Resend a notice that failed for good, as a new notice rendered from the registry as it is now; ' +
      'a repeat answers with the same new notice (200) and writes nothing',
  })
  @ApiZodResponse(201, resendNoticeResultSchema, 'resent: the new notice is queued')
  @ApiZodResponse(200, resendNoticeResultSchema, 'resent before: the same new notice')
  async resend(
    @ZodParam('id', z.string().uuid()) id: string,
    @ZodBody(resendNoticeBodySchema) body: ResendNoticeBody,
    @Ctx() ctx: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.resendNotice.execute(id, body, ctx);
    reply.status(result.created ? 201 : 200);
    return result;
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

/** The officer's decision on a lead whose owner's SMS failed for good (besides resending it). */
@ApiTags('leads')
@Controller('leads')
export class LeadNoticeDecisionController {
  constructor(private readonly proceed: ProceedWithoutNoticeUseCase) {}

  @Post(':id/proceed-without-notice')
  @HttpCode(200)
  @Roles('officer')
  @ApiOperation({
    summary:
      "The owner's SMS failed for good and was told another way: the lead is notified and its response " +
      'window starts now (409 unless the lead is notice_failed)',
  })
  @ApiZodResponse(200, proceedWithoutNoticeResultSchema)
  proceedWithoutNotice(
    @ZodParam('id', z.string().uuid()) id: string,
    @ZodBody(proceedWithoutNoticeSchema) body: ProceedWithoutNoticeInput,
    @Ctx() ctx: CommandContext,
  ) {
    return this.proceed.execute(id, body, ctx);
  }
}
