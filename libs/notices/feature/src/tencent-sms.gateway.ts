import { sms } from 'tencentcloud-sdk-nodejs-sms';
import type { AppConfig } from '@ecc/shared-config';
import { ProviderCallError } from './http-call';
import type { SmsTemplateValues } from './sms-template-values';
import { SmsRefused, type SmsGateway, type SmsMessage, type SmsSendResult } from './sms-gateway.port';

type Client = InstanceType<typeof sms.v20210111.Client>;

/**
 * Tencent Cloud SMS error codes (the API's, and a message's `SendStatusSet[].Code`) after which no retry helps:
 * the notice fails at once. Retried with backoff: LimitExceeded.* (the per-number limits — by default one
 * message of the same content per number in 30 s, and a daily cap per number), RequestLimitExceeded,
 * InternalError.*, FailedOperation.InsufficientBalanceInSmsPackage (a package to top up), the network and 5xx.
 */
export function tencentGivesUp(code: string): boolean {
  if (code === 'FailedOperation.InsufficientBalanceInSmsPackage') return false;
  if (code === 'FailedOperation.MarketingSendTimeConstraint') return false;
  return /^(AuthFailure|InvalidParameter|InvalidParameterValue|MissingParameter|UnauthorizedOperation|UnsupportedOperation|FailedOperation)\b/.test(
    code,
  );
}

/** A phone number in E.164, as Tencent Cloud SMS takes it (+86 for a mainland mobile number without one). */
const e164 = (phone: string) =>
  phone.startsWith('+') ? phone : `+86${phone.replace(/^86(?=1\d{10}$)/, '')}`;

/**
 * Tencent Cloud SMS (腾讯云短信, 2021-01-11 `SendSms`) through its official SDK, which signs every call
 * (TC3-HMAC-SHA256, the service named by the endpoint's first label). The approved template (TemplateId) and
 * sign name are configured; TemplateParamSet are the notice's values in the template's order; the notice id goes
 * in `SessionContext`. The `SerialNo` is the message id its status report names as `sid`.
 */
export class TencentSmsGateway implements SmsGateway {
  readonly provider = 'sms-tencent';
  private readonly client: Client;

  constructor(
    private readonly settings: NonNullable<AppConfig['notices']['sms']['tencent']>,
    private readonly values: Pick<SmsTemplateValues, 'of'>,
    timeoutMs: number,
  ) {
    const endpoint = new URL(settings.endpoint);
    this.client = new sms.v20210111.Client({
      credential: { secretId: settings.secretId, secretKey: settings.secretKey },
      region: settings.region,
      profile: {
        httpProfile: {
          endpoint: endpoint.host,
          protocol: `${endpoint.protocol}//`,
          reqTimeout: Math.max(1, Math.ceil(timeoutMs / 1000)),
          ...(settings.proxy ? { proxy: settings.proxy } : {}),
        },
      },
    });
  }

  async send(message: SmsMessage): Promise<SmsSendResult> {
    const values = await this.values.of(message.noticeId);
    let status: { SerialNo?: string; Code?: string; Message?: string } | undefined;
    try {
      const answer = await this.client.SendSms({
        PhoneNumberSet: [e164(message.to)],
        SmsSdkAppId: this.settings.sdkAppId,
        SignName: this.settings.signName,
        TemplateId: this.settings.templateCode,
        TemplateParamSet: this.settings.templateParams.map((p) => values[p.variable] ?? ''),
        SessionContext: message.noticeId,
      });
      status = answer.SendStatusSet?.[0];
    } catch (error) {
      const {
        code,
        httpCode,
        message: text,
      } = error as { code?: string; httpCode?: number; message?: string };
      if (code && tencentGivesUp(code)) throw new SmsRefused(code, text ?? '');
      throw new ProviderCallError(
        code
          ? `Tencent Cloud SMS: ${code}`
          : `Tencent Cloud SMS unreachable (HTTP ${httpCode ?? '-'}): ${text}`,
      );
    }
    const code = status?.Code ?? '';
    if (code !== 'Ok') {
      const text = status?.Message ?? 'no status for the number';
      if (tencentGivesUp(code)) throw new SmsRefused(code, text);
      throw new ProviderCallError(`Tencent Cloud SMS answered ${code || 'without a status'}: ${text}`);
    }
    if (!status?.SerialNo) throw new ProviderCallError('Tencent Cloud SMS answered Ok without a SerialNo');
    return { providerMessageId: status.SerialNo, delivered: false };
  }
}
