import Dysmsapi, { SendSmsRequest } from '@alicloud/dysmsapi20170525';
import { $OpenApiUtil, AlibabaCloudError } from '@alicloud/openapi-core';
import { RuntimeOptions } from '@darabonba/typescript';
import type { AppConfig } from '@ecc/shared-config';
import { ProviderCallError } from './http-call';
import type { SmsTemplateValues } from './sms-template-values';
import { SmsRefused, type SmsGateway, type SmsMessage, type SmsSendResult } from './sms-gateway.port';

/**
 * The answers of Alibaba Cloud SMS (SendSms `Code`, and the API gateway's error codes) that no retry changes:
 * the notice fails at once. Any other failure — throttling (isv.BUSINESS_LIMIT_CONTROL: the per-number limits,
 * by default 50 notices a day per number, sign and template), isv.DAY_LIMIT_CONTROL, an empty balance
 * (isv.AMOUNT_NOT_ENOUGH, isv.OUT_OF_SERVICE), isp.SYSTEM_ERROR, 5xx, the network — is retried with backoff.
 */
export const ALIYUN_GIVE_UP = new Set([
  'isv.MOBILE_NUMBER_ILLEGAL',
  'isv.MOBILE_COUNT_OVER_LIMIT',
  'isv.TEMPLATE_MISSING_PARAMETERS',
  'isv.INVALID_PARAMETERS',
  'isv.INVALID_JSON_PARAM',
  'isv.PARAM_LENGTH_LIMIT',
  'isv.PARAM_NOT_SUPPORT_URL',
  'isv.SMS_TEMPLATE_ILLEGAL',
  'isv.SMS_SIGNATURE_ILLEGAL',
  'isv.SMS_SIGN_ILLEGAL',
  'isv.SIGN_NAME_ILLEGAL',
  'isv.BLACK_KEY_CONTROL_LIMIT',
  'isv.ACCOUNT_NOT_EXISTS',
  'isv.ACCOUNT_ABNORMAL',
  'isv.PRODUCT_UN_SUBSCRIPT',
  'isv.PRODUCT_UNSUBSCRIBE',
  'isv.EXTEND_CODE_ERROR',
  'isp.RAM_PERMISSION_DENY',
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId.NotFound',
  'InvalidAccessKeyId.Inactive',
  'IncompleteSignature',
  'Forbidden.RAM',
  'MissingPhoneNumbers',
  'MissingSignName',
  'MissingTemplateCode',
]);

/** A phone number as Alibaba Cloud's domestic SMS takes it: the 11 digits, without +86. */
const domesticNumber = (phone: string) => phone.replace(/^\+?86(?=1\d{10}$)/, '');

/**
 * Alibaba Cloud SMS (阿里云短信服务, dysmsapi 2017-05-25 `SendSms`) through its official SDK, which signs every
 * call (ACS3-HMAC-SHA256). The template and sign name are the approved ones configured; the template's variables
 * are the notice's values; the notice id goes in `OutId` (echoed in the delivery report). Alibaba Cloud does not
 * deduplicate: the SDK's own retries are off, so that only our job retries, after recording the attempt.
 */
export class AliyunSmsGateway implements SmsGateway {
  readonly provider = 'sms-aliyun';
  private readonly client: Dysmsapi;

  constructor(
    private readonly settings: NonNullable<AppConfig['notices']['sms']['aliyun']>,
    private readonly values: Pick<SmsTemplateValues, 'of'>,
    private readonly timeoutMs: number,
  ) {
    const endpoint = new URL(settings.endpoint);
    this.client = new Dysmsapi(
      new $OpenApiUtil.Config({
        accessKeyId: settings.accessKeyId,
        accessKeySecret: settings.accessKeySecret,
        endpoint: endpoint.host,
        protocol: endpoint.protocol.replace(':', ''),
        connectTimeout: timeoutMs,
        readTimeout: timeoutMs,
      }),
    );
  }

  async send(message: SmsMessage): Promise<SmsSendResult> {
    const values = await this.values.of(message.noticeId);
    const request = new SendSmsRequest({
      phoneNumbers: domesticNumber(message.to),
      signName: this.settings.signName,
      templateCode: this.settings.templateCode,
      templateParam: JSON.stringify(
        Object.fromEntries(this.settings.templateParams.map((p) => [p.name, values[p.variable] ?? ''])),
      ),
      outId: message.noticeId,
    });
    let body: { code?: string; message?: string; bizId?: string } | undefined;
    try {
      const runtime = new RuntimeOptions({
        autoretry: false,
        maxAttempts: 0,
        connectTimeout: this.timeoutMs,
        readTimeout: this.timeoutMs,
      });
      body = (await this.client.sendSmsWithOptions(request, runtime)).body;
    } catch (error) {
      throw classify(error);
    }
    const code = body?.code ?? '';
    if (code !== 'OK') {
      const text = body?.message ?? 'no message';
      if (ALIYUN_GIVE_UP.has(code)) throw new SmsRefused(code, text);
      throw new ProviderCallError(`Alibaba Cloud SMS answered ${code || 'without a code'}: ${text}`);
    }
    if (!body?.bizId) throw new ProviderCallError('Alibaba Cloud SMS answered OK without a BizId');
    return { providerMessageId: body.bizId, delivered: false };
  }
}

/** An error of the SDK call: a refusal by code, anything else a failure worth retrying. */
function classify(error: unknown): Error {
  if (error instanceof AlibabaCloudError) {
    if (ALIYUN_GIVE_UP.has(error.code)) return new SmsRefused(error.code, error.message);
    return new ProviderCallError(`Alibaba Cloud SMS: ${error.code} (HTTP ${error.statusCode ?? '?'})`);
  }
  return new ProviderCallError(
    `Alibaba Cloud SMS unreachable: ${(error as Error)?.message ?? String(error)}`,
  );
}
