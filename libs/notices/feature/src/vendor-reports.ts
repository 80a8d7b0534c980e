import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { z } from 'zod';
import type { AppConfig } from '@ecc/shared-config';
import type { PrismaClient } from '@ecc/shared-data';
import { DomainError } from '@ecc/shared-kernel';
import { APP_CONFIG, PRISMA } from '@ecc/platform-nest';
import { RecordReceiptUseCase } from './record-receipt.use-case';

/** A delivery report, whatever vendor sent it. */
export interface VendorReport {
  messageId: string;
  /** The number the vendor delivered to (or failed to). */
  phone: string;
  status: 'delivered' | 'failed';
  error?: string;
  at?: string;
}

/** The vendors' report times are Beijing time without an offset: `2026-12-06 14:03:04`. */
const beijingTime = (text: string | undefined): string | undefined =>
  text && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text) ? `${text.replace(' ', 'T')}+08:00` : undefined;

/**
 * Alibaba Cloud SMS status reports (SmsReport, HTTP batch push): a JSON array; answered `{code: 0, msg}`,
 * anything else makes it push again.
 */
export const aliyunReportsSchema = z
  .array(
    z.looseObject({
      phone_number: z.string().min(5).max(20),
      success: z.boolean(),
      biz_id: z.string().min(1).max(200),
      err_code: z.string().max(100).optional(),
      err_msg: z.string().max(500).optional(),
      report_time: z.string().max(40).optional(),
      out_id: z.string().max(200).optional(),
    }),
  )
  .min(1)
  .max(1000);

/**
 * Tencent Cloud SMS status callbacks (短信下发状态回调): a JSON array; answered `{result: 0, errmsg: "OK"}`.
 */
export const tencentReportsSchema = z
  .array(
    z.looseObject({
      mobile: z.string().min(5).max(20),
      nationcode: z.string().max(8).optional(),
      report_status: z.enum(['SUCCESS', 'FAIL']),
      errmsg: z.string().max(200).optional(),
      description: z.string().max(500).optional(),
      sid: z.string().min(1).max(200),
      user_receive_time: z.string().max(40).optional(),
    }),
  )
  .min(1)
  .max(1000);

/** A report of the vendor's: delivered, or failed with the vendor's reasons. */
const report = (
  messageId: string,
  phone: string,
  delivered: boolean,
  reasons: (string | undefined)[],
  time: string | undefined,
): VendorReport => ({
  messageId,
  phone,
  status: delivered ? 'delivered' : 'failed',
  ...(delivered ? {} : { error: reasons.filter(Boolean).join(': ') || 'failed' }),
  at: beijingTime(time),
});

/** Each vendor's report format and answer. */
export const VENDOR_REPORTS = {
  aliyun: {
    provider: 'sms-aliyun',
    schema: aliyunReportsSchema,
    reports: (body: z.infer<typeof aliyunReportsSchema>) =>
      body.map((r) => report(r.biz_id, r.phone_number, r.success, [r.err_code, r.err_msg], r.report_time)),
    answer: { code: 0, msg: '接收成功' },
  },
  tencent: {
    provider: 'sms-tencent',
    schema: tencentReportsSchema,
    reports: (body: z.infer<typeof tencentReportsSchema>) =>
      body.map((r) =>
        report(
          r.sid,
          r.mobile,
          r.report_status === 'SUCCESS',
          [r.errmsg, r.description],
          r.user_receive_time,
        ),
      ),
    answer: { result: 0, errmsg: 'OK' },
  },
} as const;

export type ReportingVendor = keyof typeof VENDOR_REPORTS;

/** The last 11 digits: a mainland number with or without +86. */
const nationalNumber = (phone: string) => phone.replace(/\D/g, '').slice(-11);

/**
 * Records a vendor's batch of delivery reports. Neither Alibaba Cloud nor Tencent Cloud signs its reports, so
 * the route is a secret URL (SMS_CALLBACK_TOKEN as its last segment, compared in constant time), and a report
 * counts only for a message we sent through that vendor, to the number it names. Reports for other messages
 * are skipped, not refused: a vendor pushes its whole batch again when the answer is not its "received".
 */
@Injectable()
export class RecordVendorReportsUseCase {
  private readonly logger = new Logger(RecordVendorReportsUseCase.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PRISMA) private readonly db: PrismaClient,
    private readonly receipts: RecordReceiptUseCase,
  ) {}

  /** Whether `token` opens this vendor's route; a vendor not configured has none. */
  authorise(vendor: ReportingVendor, token: string): void {
    const expected = this.config.notices.sms[vendor]?.callbackToken;
    if (!expected) {
      throw new DomainError(
        'not_found',
        'receipt_provider_unknown',
        `no provider "${vendor}" sends reports here`,
      );
    }
    const given = Buffer.from(token);
    const wanted = Buffer.from(expected);
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
      throw new DomainError(
        'unauthenticated',
        'receipt_token_invalid',
        'this is not the delivery-report URL',
      );
    }
  }

  async execute(vendor: ReportingVendor, reports: VendorReport[], requestId: string) {
    const { provider } = VENDOR_REPORTS[vendor];
    let recorded = 0;
    const skipped: { messageId: string; reason: string }[] = [];
    for (const report of reports) {
      const attempt = await this.db.noticeDeliveryAttempt.findFirst({
        where: { provider, providerMessageId: report.messageId },
        select: { notice: { select: { recipient: true } } },
      });
      if (!attempt) {
        skipped.push({ messageId: report.messageId, reason: 'no message of ours' });
        continue;
      }
      if (nationalNumber(attempt.notice.recipient) !== nationalNumber(report.phone)) {
        skipped.push({ messageId: report.messageId, reason: 'another number' });
        continue;
      }
      const result = await this.receipts.execute(
        provider,
        { messageId: report.messageId, status: report.status, error: report.error, at: report.at },
        requestId,
      );
      if (result.changed) recorded++;
    }
    if (skipped.length > 0) this.logger.warn({ vendor, skipped }, 'delivery reports skipped');
    return { recorded, skipped: skipped.length };
  }
}
