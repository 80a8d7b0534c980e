/** What an SMS provider is asked to send; the notice id is the idempotency key of the vendor call. */
export interface SmsMessage {
  noticeId: string;
  to: string;
  text: string;
}

export interface SmsSendResult {
  providerMessageId: string;
  /** true when the provider reports delivery at once (the local provider); otherwise a receipt follows */
  delivered: boolean;
}

/**
 * The SMS gateway port (短信告知). Throws on any failure (non-2xx, timeout, network): the notice is retried
 * later (NOTICE_RETRY_*) and the vendor deduplicates by the notice id where it can. `SmsRefused` (or an error
 * carrying `permanent: true`) says retrying cannot help — an invalid number, a template refused — and fails
 * the notice at once.
 */
export interface SmsGateway {
  /** `sms-http`, `sms-local`, `sms-aliyun`, `sms-tencent`: recorded on every attempt and the key of its rate limit */
  readonly provider: string;
  send(message: SmsMessage): Promise<SmsSendResult>;
}

export const SMS_GATEWAY = Symbol('SMS_GATEWAY');

/**
 * The vendor refused the message for a reason no retry changes (a number it will not send to, a template or
 * signature it has not approved, bad credentials): the notice fails now instead of after every attempt.
 */
export class SmsRefused extends Error {
  constructor(
    readonly vendorCode: string,
    message: string,
  ) {
    super(`${vendorCode}: ${message}`);
    this.name = 'SmsRefused';
  }
}

/** The `{provider}` of the HMAC-signed receipts route per gateway: the generic HTTP vendor's. */
export const RECEIPT_PROVIDERS: Readonly<Record<string, string>> = { http: 'sms-http' };
