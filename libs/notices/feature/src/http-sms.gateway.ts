import type { AppConfig } from '@ecc/shared-config';
import { postJson, ProviderCallError } from './http-call';
import type { SmsGateway, SmsMessage, SmsSendResult } from './sms-gateway.port';

/**
 * A generic SMS vendor over HTTP: `POST SMS_HTTP_URL` with `{templateId, to, text, reference}`, the API
 * key in `X-Api-Key` and the notice id in `Idempotency-Key` (a retried call never sends twice); a 2xx
 * answer `{messageId}` means accepted, delivery comes later as a signed receipt.
 */
export class HttpSmsGateway implements SmsGateway {
  readonly provider = 'sms-http';

  constructor(
    private readonly settings: NonNullable<AppConfig['notices']['sms']['http']>,
    private readonly timeoutMs: number,
  ) {}

  async send(message: SmsMessage): Promise<SmsSendResult> {
    const text = await postJson(
      this.settings.url,
      JSON.stringify({
        templateId: this.settings.templateId,
        to: message.to,
        text: message.text,
        reference: message.noticeId,
      }),
      { 'x-api-key': this.settings.apiKey, 'idempotency-key': message.noticeId },
      this.timeoutMs,
    );
    let answer: { messageId?: unknown; id?: unknown } = {};
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch {
      throw new ProviderCallError(`the vendor answered without JSON: ${text.slice(0, 200)}`);
    }
    const id = answer.messageId ?? answer.id;
    if (typeof id !== 'string' || id.length === 0 || id.length > 200) {
      throw new ProviderCallError('the vendor answered without a message id');
    }
    return { providerMessageId: id, delivered: false };
  }
}
