import type { SmsGateway, SmsMessage, SmsSendResult } from './sms-gateway.port';

/**
 * Development provider: the message stays in the database (the notice and its attempt, marked delivered)
 * and is read at `GET /api/v1/notices`. Nothing leaves the machine.
 */
export class LocalSmsGateway implements SmsGateway {
  readonly provider = 'sms-local';

  async send(message: SmsMessage): Promise<SmsSendResult> {
    return { providerMessageId: `local-${message.noticeId}`, delivered: true };
  }
}
