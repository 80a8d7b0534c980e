import { Module } from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import { APP_CONFIG } from '@ecc/platform-nest';
import { AliyunSmsGateway } from './aliyun-sms.gateway';
import { HttpSmsGateway } from './http-sms.gateway';
import { LocalSmsGateway } from './local-sms.gateway';
import { NoticeRateLimiter } from './notice-rate-limiter';
import { ExpireUndeliveredNoticeUseCase } from './expire-undelivered-notice.use-case';
import { NoticeSweeper } from './notice-sweeper.service';
import { NOTICE_PROVIDERS } from './notices.providers';
import { PushGateway } from './push-gateway';
import { SendNoticeProcessor } from './send-notice.processor';
import { SendNoticeUseCase } from './send-notice.use-case';
import { SMS_GATEWAY, type SmsGateway } from './sms-gateway.port';
import { SmsTemplateValues, unknownTemplateVariables } from './sms-template-values';
import { TencentSmsGateway } from './tencent-sms.gateway';

/**
 * The SMS provider chosen by SMS_PROVIDER (`local` in development; `http`, `aliyun` or `tencent` for a vendor).
 * A vendor template naming a value a lead notice does not have stops the worker at start.
 */
export function smsGatewayFor(config: AppConfig, values: SmsTemplateValues): SmsGateway {
  const { sms, httpTimeoutMs } = config.notices;
  const vendor =
    sms.provider === 'aliyun' ? sms.aliyun : sms.provider === 'tencent' ? sms.tencent : undefined;
  const unknown = vendor ? unknownTemplateVariables(vendor) : [];
  if (unknown.length > 0) {
    throw new Error(`SMS_TEMPLATE_PARAMS names values a lead notice does not have: ${unknown.join(', ')}`);
  }
  if (sms.provider === 'aliyun' && sms.aliyun) return new AliyunSmsGateway(sms.aliyun, values, httpTimeoutMs);
  if (sms.provider === 'tencent' && sms.tencent)
    return new TencentSmsGateway(sms.tencent, values, httpTimeoutMs);
  if (sms.provider === 'http') {
    if (!sms.http)
      throw new Error('SMS_PROVIDER=http needs SMS_HTTP_URL, SMS_HTTP_API_KEY and SMS_HTTP_CALLBACK_SECRET');
    return new HttpSmsGateway(sms.http, httpTimeoutMs);
  }
  return new LocalSmsGateway();
}

/** The worker side of notices: the send-notice job (SMS and push) and the sweeper of notices due (retries). */
@Module({
  providers: [
    ...NOTICE_PROVIDERS,
    SmsTemplateValues,
    { provide: SMS_GATEWAY, useFactory: smsGatewayFor, inject: [APP_CONFIG, SmsTemplateValues] },
    PushGateway,
    NoticeRateLimiter,
    SendNoticeUseCase,
    SendNoticeProcessor,
    ExpireUndeliveredNoticeUseCase,
    NoticeSweeper,
  ],
  exports: [SendNoticeUseCase],
})
export class NoticesWorkerModule {}
