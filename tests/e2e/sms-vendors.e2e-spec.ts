import { AliyunSmsGateway, SmsRefused, TencentSmsGateway } from '@ecc/notices-feature';
import { loadConfig } from '@ecc/shared-config';
import { FakeAliyunSms, FakeTencentSms, type FakeSmsVendor, type SentSms } from '../support/fake-sms-vendors';
import { ADMIN, call, startTestStack, tokenFor, type TestStack } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * Alibaba Cloud SMS and Tencent Cloud SMS through their official SDKs, each against a small local fake of the
 * vendor's HTTP API that checks the request signature as the vendor documents it: the notice goes out with the
 * approved sign name, template and the notice's values; the vendor's delivery report in its own format comes back
 * through the secret report URL; the vendor's error codes decide between retrying and giving up.
 */
const TOKEN = 'report-url-token-0123456789abcdefghijkl';
const PHONE = '13800138000';
const TEMPLATE = { SMS_SIGN_NAME: '汨罗市交通运输局', SMS_TEMPLATE_PARAMS: 'plate,time,day=respondBy' };
/** The values of the lead below, as the notice's text states them (Asia/Shanghai). */
const VALUES = ['湘F12345', '2026年11月27日22时05分', '2026年12月12日'];

const aliyun = new FakeAliyunSms('LTAI5tFakeKeyId', 'aliyun-fake-secret');
const tencent = new FakeTencentSms('AKIDFakeTencentSecretId', 'tencent-fake-secret-key');

const vendors: Array<{
  name: 'aliyun' | 'tencent';
  fake: FakeSmsVendor;
  env: () => Record<string, string>;
  template: string;
  sentTo: string;
  params: unknown;
  answer: unknown;
  giveUp: string;
  retry: string;
}> = [
  {
    name: 'aliyun',
    fake: aliyun,
    env: () => ({
      SMS_PROVIDER: 'aliyun',
      SMS_TEMPLATE_CODE: 'SMS_465321789',
      SMS_ALIYUN_ACCESS_KEY_ID: aliyun.keyId,
      SMS_ALIYUN_ACCESS_KEY_SECRET: aliyun.secret,
      SMS_ALIYUN_ENDPOINT: aliyun.endpoint,
    }),
    template: 'SMS_465321789',
    sentTo: PHONE,
    params: { plate: VALUES[0], time: VALUES[1], day: VALUES[2] },
    answer: { code: 0, msg: '接收成功' },
    giveUp: 'isv.MOBILE_NUMBER_ILLEGAL',
    retry: 'isv.BUSINESS_LIMIT_CONTROL',
  },
  {
    name: 'tencent',
    fake: tencent,
    env: () => ({
      SMS_PROVIDER: 'tencent',
      SMS_TEMPLATE_CODE: '2178901',
      SMS_TENCENT_SECRET_ID: tencent.keyId,
      SMS_TENCENT_SECRET_KEY: tencent.secret,
      SMS_TENCENT_SDK_APP_ID: '1400123456',
      SMS_TENCENT_ENDPOINT: tencent.endpoint,
      SMS_TENCENT_PROXY: tencent.proxy,
    }),
    template: '2178901',
    sentTo: `+86${PHONE}`,
    params: VALUES,
    answer: { result: 0, errmsg: 'OK' },
    giveUp: 'InvalidParameterValue.IncorrectPhoneNumber',
    retry: 'LimitExceeded.PhoneNumberThirtySecondLimit',
  },
];

describe.each(vendors)('SMS through $name', (vendor) => {
  const fake: FakeSmsVendor = vendor.fake;
  let stack: TestStack;
  let token: string;
  let leadId: string;
  const reportUrl = (secret = TOKEN) => `${stack.api.url}/api/v1/notices/receipts/${vendor.name}/${secret}`;

  beforeAll(async () => {
    await fake.start();
    stack = await startTestStack(`sms${vendor.name}`, {
      ...TEMPLATE,
      ...vendor.env(),
      SMS_CALLBACK_TOKEN: TOKEN,
      NOTICE_SWEEP_INTERVAL_MS: '250',
      NOTICE_STALE_AFTER_MS: '250',
    });
    token = await tokenFor(stack.api, ADMIN.username, ADMIN.password);
    // A confirmed lead at a station, as screening and the review leave it.
    const { rows } = await stack.api.db.query<{ id: string }>(
      `WITH station AS (
         INSERT INTO stations (id, code, name, road, stake, direction, updated_at)
         VALUES (gen_random_uuid(), 'SMS-${vendor.name}', '汨罗S308超限检测点', 'S308', 'K12+300', '往长沙方向', now())
         RETURNING id)
       INSERT INTO leads (id, status, station_id, plate, violation_at, axle_count, gross_mass_kg, limit_kg,
         tolerance_kg, excess_kg, proposed_penalty_kind, proposed_basis, rules, updated_at)
       SELECT gen_random_uuid(), 'confirmed', id, '湘F12345', '2026-11-27T14:05:00Z', 6, 52340, 49000, 2618, 722,
         'warning', '{}', '[]', now() FROM station RETURNING id`,
    );
    leadId = rows[0]!.id;
  });

  afterAll(async () => {
    await stack?.close();
    await fake.stop();
  });

  /** A pending SMS notice of the lead (the worker's sweeper sends it). */
  async function pendingNotice(phone = PHONE): Promise<string> {
    const { rows } = await stack.api.db.query<{ id: string }>(
      `INSERT INTO notices (id, lead_id, channel, recipient, template, body, status, respond_by, updated_at)
       VALUES (gen_random_uuid(), $1, 'sms', $2, 'lead_sms', '【汨罗市交通运输局】湘F12345车辆所有人……', 'pending',
         '2026-12-12T15:59:59.999Z', now()) RETURNING id`,
      [leadId, phone],
    );
    return rows[0]!.id;
  }

  const notice = async (id: string) =>
    (await call(stack.api, 'GET', `/api/v1/notices/${id}`, { token })).body;
  const settled = (id: string, status: string) =>
    waitFor(
      `notice ${id} ${status}`,
      async () => ((await notice(id)).status === status ? notice(id) : null),
      {
        timeoutMs: 30_000,
        output: () => stack.worker.output(),
      },
    );
  const sentFor = (id: string) =>
    waitFor(`the vendor to send ${id}`, async () => fake.sent.find((s) => s.reference === id));

  it('sends the approved template with the notice’s values, signed; its delivery report marks the notice delivered', async () => {
    const id = await pendingNotice();
    const sms: SentSms = await sentFor(id);
    expect(sms).toMatchObject({
      phone: vendor.sentTo,
      signName: '汨罗市交通运输局',
      template: vendor.template,
      params: vendor.params,
    });
    const sent = await settled(id, 'sent');
    expect(sent.attempts).toMatchObject([
      { status: 'sent', provider: `sms-${vendor.name}`, providerMessageId: sms.messageId },
    ]);
    expect(fake.refused).toEqual([]);

    // Not the report URL: refused, nothing recorded.
    const forged = await fake.report(reportUrl('x'.repeat(TOKEN.length)), sms, true);
    expect(forged.status).toBe(401);
    expect((await notice(id)).status).toBe('sent');

    const report = await fake.report(reportUrl(), sms, true);
    expect(report).toEqual({ status: 200, body: vendor.answer });
    const delivered = await notice(id);
    expect(delivered.status).toBe('delivered');
    // Reported in Beijing time: 14:03:04 there.
    expect(delivered.deliveredAt).toBe('2026-12-06T06:03:04.000Z');
    // A repeat changes nothing and is still answered as the vendor expects.
    expect(await fake.report(reportUrl(), sms, false)).toEqual({ status: 200, body: vendor.answer });
    expect((await notice(id)).status).toBe('delivered');
  });

  it('skips a report naming another number than the message’s', async () => {
    const id = await pendingNotice('13900139000');
    const sms = await sentFor(id);
    await settled(id, 'sent');
    const elsewhere = { ...sms, phone: vendor.name === 'aliyun' ? '13700137000' : '+8613700137000' };
    expect(await fake.report(reportUrl(), elsewhere, true)).toEqual({ status: 200, body: vendor.answer });
    expect((await notice(id)).status).toBe('sent');
  });

  it('gives up at once on a refusal no retry changes', async () => {
    fake.answerNext(vendor.giveUp);
    const id = await pendingNotice();
    const failed = await settled(id, 'failed');
    expect(failed.attempts).toHaveLength(1);
    expect(failed.attempts[0].error).toContain(vendor.giveUp);
  });

  it('retries after a frequency limit, and sends once the vendor takes it', async () => {
    fake.answerNext(vendor.retry);
    const id = await pendingNotice();
    const sent = await settled(id, 'sent');
    expect(sent.attempts.map((a: { status: string }) => a.status)).toEqual(['failed', 'sent']);
    expect(sent.attempts[0].error).toContain(vendor.retry);
    expect(fake.sent.filter((s) => s.reference === id)).toHaveLength(1);
  });
});

describe('the vendors’ signatures', () => {
  const values = { of: async () => ({ plate: VALUES[0]!, time: VALUES[1]!, respondBy: VALUES[2]! }) };
  const message = { noticeId: 'a7c4f3a4-4d55-4a39-9a0e-2a6f0e0b9b10', to: PHONE, text: '…' };

  it('are what the fakes check: the right secret is sent, a wrong one is refused and not retried', async () => {
    const aliyun = new FakeAliyunSms('LTAI5tSigCheck', 'the-right-secret');
    const tencent = new FakeTencentSms('AKIDSigCheck', 'the-right-secret');
    await Promise.all([aliyun.start(), tencent.start()]);
    try {
      const gateways = (secret: string) => {
        const { sms } = loadConfig({
          ...TEMPLATE,
          SMS_TEMPLATE_CODE: 'SMS_1',
          SMS_CALLBACK_TOKEN: TOKEN,
          SMS_PROVIDER: 'aliyun',
          SMS_ALIYUN_ACCESS_KEY_ID: aliyun.keyId,
          SMS_ALIYUN_ACCESS_KEY_SECRET: secret,
          SMS_ALIYUN_ENDPOINT: aliyun.endpoint,
        }).notices;
        const tencentConfig = loadConfig({
          ...TEMPLATE,
          SMS_TEMPLATE_CODE: '1',
          SMS_CALLBACK_TOKEN: TOKEN,
          SMS_PROVIDER: 'tencent',
          SMS_TENCENT_SECRET_ID: tencent.keyId,
          SMS_TENCENT_SECRET_KEY: secret,
          SMS_TENCENT_SDK_APP_ID: '1400000002',
          SMS_TENCENT_ENDPOINT: tencent.endpoint,
          SMS_TENCENT_PROXY: tencent.proxy,
        }).notices.sms;
        return [
          new AliyunSmsGateway(sms.aliyun!, values, 5000),
          new TencentSmsGateway(tencentConfig.tencent!, values, 5000),
        ];
      };
      for (const gateway of gateways('the-right-secret')) {
        await expect(gateway.send(message)).resolves.toMatchObject({ delivered: false });
      }
      for (const gateway of gateways('a-wrong-secret')) {
        await expect(gateway.send(message)).rejects.toBeInstanceOf(SmsRefused);
      }
      expect(aliyun.refused).toEqual(['SignatureDoesNotMatch']);
      expect(tencent.refused).toEqual(['AuthFailure.SignatureFailure']);
      expect(aliyun.sent).toHaveLength(1);
      expect(tencent.sent).toHaveLength(1);
    } finally {
      await Promise.all([aliyun.stop(), tencent.stop()]);
    }
  });
});
