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
 * later (NOTICE_RETRY_*) and the vendor deduplicates by the notice id. An error carrying `permanent: true`
 * (the vendor says retrying cannot help: an invalid number, a template refused) fails the notice at once.
 */
export interface SmsGateway {
  /** `sms-http`, `sms-local`: recorded on every attempt and the key of its rate limit */
  readonly provider: string;
  send(message: SmsMessage): Promise<SmsSendResult>;
}

export const SMS_GATEWAY = Symbol('SMS_GATEWAY');

/** The `{provider}` of the receipts route per gateway: only the HTTP vendor sends receipts. */
export const RECEIPT_PROVIDERS: Readonly<Record<string, string>> = { http: 'sms-http' };
