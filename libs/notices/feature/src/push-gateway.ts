import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig, PushEndpoint } from '@ecc/shared-config';
import { hmacSha256Hex, pushSigningPayload } from '@ecc/notices-domain';
import { APP_CONFIG } from '@ecc/platform-nest';
import { postJson } from './http-call';

/** The headers of a push webhook: `X-Signature` = hex HMAC-SHA256(secret, `${X-Timestamp}.${body}`). */
export const PUSH_HEADERS = {
  timestamp: 'x-timestamp',
  signature: 'x-signature',
  idempotencyKey: 'idempotency-key',
} as const;

/** Information push (信息推送): a signed webhook to a configured endpoint; a 2xx answer is delivery. */
@Injectable()
export class PushGateway {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async send(endpoint: PushEndpoint, noticeId: string, body: string): Promise<void> {
    const timestamp = String(Date.now());
    await postJson(
      endpoint.url,
      body,
      {
        [PUSH_HEADERS.timestamp]: timestamp,
        [PUSH_HEADERS.signature]: hmacSha256Hex(endpoint.secret, pushSigningPayload(timestamp, body)),
        [PUSH_HEADERS.idempotencyKey]: noticeId,
      },
      this.config.notices.httpTimeoutMs,
    );
  }
}
