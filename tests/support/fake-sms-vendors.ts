import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * Small local stand-ins for the HTTP APIs of Alibaba Cloud SMS and Tencent Cloud SMS: they check each request's
 * signature as the vendor documents it (recomputed here from the request as received, so a request our side
 * signs wrongly is refused as the vendor would refuse it), send nothing, record what would have been sent, can be
 * told to answer a vendor error code, and push delivery reports back in the vendor's own format.
 */
export interface SentSms {
  phone: string;
  signName: string;
  template: string;
  /** Alibaba Cloud: the TemplateParam object; Tencent Cloud: the TemplateParamSet list. */
  params: unknown;
  /** The vendor's message id (BizId, SerialNo). */
  messageId: string;
  /** What our side put in OutId / SessionContext (the notice id). */
  reference: string;
}

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const sameText = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export abstract class FakeSmsVendor {
  readonly sent: SentSms[] = [];
  /** Requests refused for their signature or credentials. */
  readonly refused: string[] = [];
  protected scripted: { code: string; times: number }[] = [];
  private server?: Server;

  constructor(
    readonly keyId: string,
    readonly secret: string,
  ) {}

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  /** The next `times` sends are answered with this vendor error code (nothing is sent). */
  answerNext(code: string, times = 1): void {
    this.scripted.push({ code, times });
  }

  protected nextScripted(): string | undefined {
    const next = this.scripted[0];
    if (!next) return undefined;
    if (--next.times <= 0) this.scripted.shift();
    return next.code;
  }

  protected abstract handle(request: IncomingMessage, body: Buffer, response: ServerResponse): void;

  /** Pushes a delivery report of `sms` to `url`, in the vendor's format. */
  abstract report(
    url: string,
    sms: SentSms,
    success: boolean,
    at?: string,
  ): Promise<{ status: number; body: unknown }>;

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => this.handle(request, Buffer.concat(chunks), response));
    });
    // An HTTP proxy too: a client that tunnels (CONNECT) reaches this same server through the tunnel.
    this.server.on('connect', (_request: IncomingMessage, socket: Socket, head: Buffer) => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) socket.unshift(head);
      this.server!.emit('connection', socket);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  protected reply(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
    response.end(JSON.stringify(body));
  }

  protected async post(url: string, body: unknown): Promise<{ status: number; body: unknown }> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: response.status, body: parsed };
  }
}

/** Alibaba Cloud's RFC 3986 encoding of the V3 signature (encodeURIComponent, plus !'()*). */
const acsEncode = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Alibaba Cloud SMS (dysmsapi 2017-05-25): `SendSms` signed with ACS3-HMAC-SHA256 — Authorization
 * `ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<h1;h2>,Signature=<hex>` over the canonical request
 * (method, path, sorted encoded query, the signed headers, the payload's sha256 in x-acs-content-sha256).
 */
export class FakeAliyunSms extends FakeSmsVendor {
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  protected handle(request: IncomingMessage, body: Buffer, response: ServerResponse): void {
    const requestId = randomUUID().toUpperCase();
    const refusal = this.checkSignature(request, body);
    if (refusal) {
      this.refused.push(refusal.Code);
      return this.reply(response, refusal.status, {
        RequestId: requestId,
        Code: refusal.Code,
        Message: refusal.Message,
      });
    }
    const query = new URL(request.url ?? '/', 'http://x').searchParams;
    if (request.headers['x-acs-action'] !== 'SendSms' || request.headers['x-acs-version'] !== '2017-05-25') {
      return this.reply(response, 404, {
        RequestId: requestId,
        Code: 'InvalidAction.NotFound',
        Message: 'no such action',
      });
    }
    const scripted = this.nextScripted();
    if (scripted)
      return this.reply(response, 200, { RequestId: requestId, Code: scripted, Message: `fake ${scripted}` });
    const sms: SentSms = {
      phone: query.get('PhoneNumbers') ?? '',
      signName: query.get('SignName') ?? '',
      template: query.get('TemplateCode') ?? '',
      params: JSON.parse(query.get('TemplateParam') ?? '{}'),
      messageId: `${Date.now()}${Math.floor(Math.random() * 1e6)}`,
      reference: query.get('OutId') ?? '',
    };
    this.sent.push(sms);
    this.reply(response, 200, { RequestId: requestId, Code: 'OK', Message: 'OK', BizId: sms.messageId });
  }

  protected checkSignature(request: IncomingMessage, body: Buffer) {
    const refuse = (status: number, Code: string, Message: string) => ({ status, Code, Message });
    const auth = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(
      String(request.headers['authorization'] ?? ''),
    );
    if (!auth) return refuse(400, 'IncompleteSignature', 'the Authorization header is not an ACS3 signature');
    const [, keyId, signedHeaders, signature] = auth as unknown as [string, string, string, string];
    if (keyId !== this.keyId)
      return refuse(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    const date = Date.parse(String(request.headers['x-acs-date'] ?? ''));
    if (!(Math.abs(Date.now() - date) < 15 * 60_000))
      return refuse(400, 'InvalidTimeStamp.Expired', 'x-acs-date');
    const payloadHash = sha256Hex(body);
    if (request.headers['x-acs-content-sha256'] !== payloadHash) {
      return refuse(400, 'SignatureDoesNotMatch', 'x-acs-content-sha256 is not the hash of the body');
    }
    const names = signedHeaders.split(';');
    if (!names.includes('host') || !names.includes('x-acs-date') || !names.includes('x-acs-content-sha256')) {
      return refuse(400, 'IncompleteSignature', 'host, x-acs-date and x-acs-content-sha256 must be signed');
    }
    const url = new URL(request.url ?? '/', 'http://x');
    const query = [...url.searchParams.entries()]
      .map(([k, v]) => [acsEncode(k), acsEncode(v)] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const headers = names.map((name) => `${name}:${String(request.headers[name] ?? '').trim()}\n`).join('');
    const canonical = [request.method, url.pathname, query, headers, signedHeaders, payloadHash].join('\n');
    const expected = createHmac('sha256', this.secret)
      .update(`ACS3-HMAC-SHA256\n${sha256Hex(canonical)}`)
      .digest('hex');
    if (!sameText(expected, signature)) {
      return refuse(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
    }
    return undefined;
  }

  /** Pushes a status report (SmsReport, HTTP batch push) for a message, as Alibaba Cloud does. */
  report(url: string, sms: SentSms, success: boolean, at = '2026-12-06 14:03:04') {
    return this.post(url, [
      {
        phone_number: sms.phone,
        send_time: at,
        report_time: at,
        success,
        err_code: success ? 'DELIVERED' : 'MK:0001',
        err_msg: success ? '用户接收成功' : '用户关机',
        sms_size: '2',
        biz_id: sms.messageId,
        out_id: sms.reference,
      },
    ]);
  }
}

/**
 * Tencent Cloud SMS (2021-01-11): `SendSms` signed with TC3-HMAC-SHA256 — Authorization `TC3-HMAC-SHA256
 * Credential=<SecretId>/<date>/<service>/tc3_request, SignedHeaders=content-type;host, Signature=<hex>`, the key
 * derived from "TC3"+SecretKey by the date, the service (`sms`) and "tc3_request". Reached as an HTTP proxy, the
 * way the SDK reaches an endpoint through `proxy`: the SDK names its endpoint's service by the host's first label.
 */
export class FakeTencentSms extends FakeSmsVendor {
  readonly endpoint = 'http://sms.tencentcloudapi.com';

  get proxy(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  protected handle(request: IncomingMessage, body: Buffer, response: ServerResponse): void {
    const RequestId = randomUUID();
    const error = (Code: string, Message: string) =>
      this.reply(response, 200, { Response: { Error: { Code, Message }, RequestId } });
    const refusal = this.verify(request, body);
    if (refusal) {
      this.refused.push(refusal);
      return error(refusal, 'the request signature does not match');
    }
    if (request.headers['x-tc-action'] !== 'SendSms' || request.headers['x-tc-version'] !== '2021-01-11') {
      return error('InvalidAction', 'no such action');
    }
    const input = JSON.parse(body.toString('utf8')) as {
      PhoneNumberSet: string[];
      SignName: string;
      TemplateId: string;
      TemplateParamSet?: string[];
      SessionContext?: string;
    };
    const phone = input.PhoneNumberSet[0] ?? '';
    const scripted = this.nextScripted();
    if (scripted && !scripted.startsWith('LimitExceeded') && !scripted.startsWith('InvalidParameterValue')) {
      return error(scripted, `fake ${scripted}`);
    }
    const sms: SentSms = {
      phone,
      signName: input.SignName,
      template: input.TemplateId,
      params: input.TemplateParamSet ?? [],
      messageId: `${Date.now()}:${randomUUID().slice(0, 12)}`,
      reference: input.SessionContext ?? '',
    };
    // The per-number answers (frequency limits, a bad number) come in SendStatusSet, with HTTP and API success.
    if (!scripted) this.sent.push(sms);
    this.reply(response, 200, {
      Response: {
        SendStatusSet: [
          {
            SerialNo: scripted ? '' : sms.messageId,
            PhoneNumber: phone,
            Fee: scripted ? 0 : 1,
            SessionContext: sms.reference,
            Code: scripted ?? 'Ok',
            Message: scripted ? `fake ${scripted}` : 'send success',
            IsoCode: 'CN',
          },
        ],
        RequestId,
      },
    });
  }

  protected verify(request: IncomingMessage, body: Buffer): string | undefined {
    const auth =
      /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
        String(request.headers['authorization'] ?? ''),
      );
    if (!auth) return 'AuthFailure.SignatureFailure';
    const [, secretId, date, service, signedHeaders, signature] = auth as unknown as string[];
    if (secretId !== this.keyId) return 'AuthFailure.SecretIdNotFound';
    const timestamp = Number(request.headers['x-tc-timestamp']);
    if (!(Math.abs(Date.now() / 1000 - timestamp) < 300)) return 'AuthFailure.SignatureExpire';
    if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date || service !== 'sms') {
      return 'AuthFailure.SignatureFailure';
    }
    const names = signedHeaders!.split(';');
    if (!names.includes('host') || !names.includes('content-type')) return 'AuthFailure.SignatureFailure';
    const url = new URL(request.url ?? '/', 'http://x');
    const headers = names
      .map(
        (name) =>
          `${name}:${String(request.headers[name] ?? '')
            .trim()
            .toLowerCase()}\n`,
      )
      .join('');
    const canonical = [
      request.method,
      url.pathname,
      url.search.slice(1),
      headers,
      signedHeaders,
      sha256Hex(body),
    ].join('\n');
    const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${sha256Hex(canonical)}`;
    const key = hmac(hmac(hmac(`TC3${this.secret}`, date!), service!), 'tc3_request');
    const expected = createHmac('sha256', key).update(stringToSign).digest('hex');
    return sameText(expected, signature!) ? undefined : 'AuthFailure.SignatureFailure';
  }

  /** Calls back with a status report (短信下发状态回调), as Tencent Cloud does. */
  report(url: string, sms: SentSms, success: boolean, at = '2026-12-06 14:03:04') {
    return this.post(url, [
      {
        user_receive_time: at,
        nationcode: '86',
        mobile: sms.phone.replace(/^\+86/, ''),
        report_status: success ? 'SUCCESS' : 'FAIL',
        errmsg: success ? 'DELIVRD' : 'MK:0001',
        description: success ? '用户短信送达成功' : '用户关机',
        sid: sms.messageId,
      },
    ]);
  }
}
