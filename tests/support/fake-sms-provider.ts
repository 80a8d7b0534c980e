import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A stand-in for the SMS vendor and the push receivers, over real HTTP on 127.0.0.1: it records every
 * request, can be told to fail the next N SMS requests (503) or all of them until it is back (an outage),
 * deduplicates SMS by `Idempotency-Key` as a vendor does (a repeat gets the first message id and sends
 * nothing new), and posts signed delivery receipts back to the API.
 */
export class FakeSmsProvider {
  readonly requests: ReceivedRequest[] = [];
  /** Messages actually "sent" to handsets, by idempotency key. */
  readonly messages = new Map<string, { messageId: string; to: string; text: string }>();
  private failures = 0;
  private outage = false;
  private slow = 0;
  private slowMs = 0;
  private server?: Server;

  constructor(
    readonly apiKey: string,
    readonly callbackSecret: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  failNext(n: number): void {
    this.failures = n;
  }

  /** An outage: every SMS request is answered 503 until `up()`. */
  down(): void {
    this.outage = true;
  }

  up(): void {
    this.outage = false;
  }

  /** The next N SMS are accepted (and sent) but answered only after `ms`: a caller with a shorter timeout sees a failure. */
  answerLate(n: number, ms: number): void {
    this.slow = n;
    this.slowMs = ms;
  }

  received(pathPrefix: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.path.startsWith(pathPrefix));
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const path = request.url ?? '/';
        this.requests.push({ path, headers: request.headers, body });
        const reply = (status: number, payload: unknown) => {
          response.writeHead(status, { 'content-type': 'application/json' });
          response.end(JSON.stringify(payload));
        };
        if (!path.startsWith('/sms')) return reply(200, { ok: true });
        if (request.headers['x-api-key'] !== this.apiKey) return reply(401, { error: 'bad key' });
        if (this.outage) return reply(503, { error: 'service unavailable' });
        if (this.failures > 0) {
          this.failures--;
          return reply(503, { error: 'gateway busy' });
        }
        const key = String(request.headers['idempotency-key'] ?? randomUUID());
        let message = this.messages.get(key);
        if (!message) {
          const parsed = JSON.parse(body) as { to: string; text: string };
          message = { messageId: `fake-${randomUUID()}`, to: parsed.to, text: parsed.text };
          this.messages.set(key, message);
        }
        if (this.slow > 0) {
          this.slow--;
          const late = message.messageId;
          setTimeout(() => reply(200, { messageId: late }), this.slowMs);
          return;
        }
        reply(200, { messageId: message.messageId });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** Posts a delivery receipt to the API, signed as the vendor signs it (or with another secret). */
  async sendReceipt(
    apiUrl: string,
    receipt: { messageId: string; status: 'delivered' | 'failed'; error?: string },
    options: { secret?: string; provider?: string } = {},
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const raw = JSON.stringify(receipt);
    const signature = createHmac('sha256', options.secret ?? this.callbackSecret)
      .update(raw)
      .digest('hex');
    const response = await fetch(`${apiUrl}/api/v1/notices/receipts/${options.provider ?? 'http'}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': signature },
      body: raw,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
}
