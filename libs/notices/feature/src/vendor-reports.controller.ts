import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiProblems, ApiZodResponse, jsonSchemaOf, Public, ZodParam, ZodPipe } from '@ecc/platform-nest';
import { RecordVendorReportsUseCase, VENDOR_REPORTS, type ReportingVendor } from './vendor-reports';

const vendors = Object.keys(VENDOR_REPORTS) as [ReportingVendor, ...ReportingVendor[]];

/** What each vendor expects as "received": Alibaba Cloud `{code: 0, msg}`, Tencent Cloud `{result: 0, errmsg}`. */
const vendorAnswerSchema = z.union([
  z.object({ code: z.literal(0), msg: z.string() }),
  z.object({ result: z.literal(0), errmsg: z.string() }),
]);

/**
 * The delivery reports of the SMS vendors with approved templates (`aliyun`, `tencent`), each in its own format
 * and answered as it expects; the URL configured at the vendor ends with SMS_CALLBACK_TOKEN.
 */
@ApiTags('notices')
@Controller('notices/receipts')
export class VendorReportsController {
  constructor(private readonly reports: RecordVendorReportsUseCase) {}

  @Post(':vendor/:token')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'SMS status reports of Alibaba Cloud (SmsReport batch push, answered {code: 0}) or Tencent Cloud (下发状态回调, answered {result: 0})',
  })
  @ApiBody({
    schema: { oneOf: vendors.map((vendor) => jsonSchemaOf(VENDOR_REPORTS[vendor].schema)) },
  })
  @ApiZodResponse(200, vendorAnswerSchema, 'the vendor\'s own "received" answer')
  @ApiProblems({
    401: '`receipt_token_invalid`: the URL does not end with SMS_CALLBACK_TOKEN',
    404: '`receipt_provider_unknown`: that vendor is not configured',
  })
  async record(
    @ZodParam('vendor', z.enum(vendors)) vendor: ReportingVendor,
    @ZodParam('token', z.string().min(1).max(200)) token: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ) {
    this.reports.authorise(vendor, token);
    const format = VENDOR_REPORTS[vendor];
    const reports = format.reports(new ZodPipe(format.schema, 'body').transform(body) as never);
    await this.reports.execute(vendor, reports, String(request.id));
    return format.answer;
  }
}
