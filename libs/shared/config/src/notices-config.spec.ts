import { describeConfig, loadConfig } from './app-config';

const endpoints = [
  { name: '*', kind: 'jurisdiction', url: 'https://push.example.org/hook', secret: 'push-secret-0123456789' },
];

describe('notice configuration', () => {
  it('keeps SMS local by default, with no push endpoints', () => {
    const { notices } = loadConfig({});
    expect(notices.sms).toEqual({ provider: 'local', http: undefined, ratePerSecond: 10 });
    expect(notices.push).toEqual({ endpoints: [], ratePerSecond: 20 });
  });

  it('retries a failing notice for 24 hours by default, 10 s doubling up to 10 min apart', () => {
    expect(loadConfig({}).notices.retry).toEqual({
      initialDelayMs: 10_000,
      maxDelayMs: 600_000,
      periodMs: 86_400_000,
    });
    expect(loadConfig({}).notices.receiptTimeoutMs).toBe(172_800_000);
    const { notices } = loadConfig({
      NOTICE_RETRY_INITIAL_DELAY_MS: '100',
      NOTICE_RETRY_MAX_DELAY_MS: '500',
      NOTICE_RETRY_PERIOD_MS: '3600000',
    });
    expect(notices.retry).toEqual({ initialDelayMs: 100, maxDelayMs: 500, periodMs: 3_600_000 });
    expect(() => loadConfig({ NOTICE_RETRY_PERIOD_MS: '0' })).toThrow(/NOTICE_RETRY_PERIOD_MS/);
  });

  it('needs the vendor URL, key and callback secret for the HTTP provider', () => {
    expect(() => loadConfig({ SMS_PROVIDER: 'http' })).toThrow(
      /SMS_HTTP_URL: required when SMS_PROVIDER=http[\s\S]*SMS_HTTP_API_KEY[\s\S]*SMS_HTTP_CALLBACK_SECRET/,
    );
    const { notices } = loadConfig({
      SMS_PROVIDER: 'http',
      SMS_HTTP_URL: 'https://sms.example.com/send',
      SMS_HTTP_API_KEY: 'k',
      SMS_HTTP_CALLBACK_SECRET: 'callback-secret-0123',
    });
    expect(notices.sms.http).toEqual({
      url: 'https://sms.example.com/send',
      apiKey: 'k',
      templateId: 'ecc-lead-notice',
      callbackSecret: 'callback-secret-0123',
    });
  });

  it('reads PUSH_ENDPOINTS as JSON, refuses a malformed list, and never logs the secrets', () => {
    const config = loadConfig({ PUSH_ENDPOINTS: JSON.stringify(endpoints) });
    expect(config.notices.push.endpoints).toEqual(endpoints);
    expect(JSON.stringify(describeConfig(config))).not.toContain('push-secret-0123456789');
    expect(() => loadConfig({ PUSH_ENDPOINTS: '[{' })).toThrow(/PUSH_ENDPOINTS: not JSON/);
    expect(() => loadConfig({ PUSH_ENDPOINTS: JSON.stringify([{ ...endpoints[0], kind: 'bank' }]) })).toThrow(
      /PUSH_ENDPOINTS/,
    );
  });
});

describe('SMS vendors with approved templates', () => {
  const vendorTemplate = {
    SMS_SIGN_NAME: '汨罗市交通运输局',
    SMS_TEMPLATE_CODE: 'SMS_123456789',
    SMS_TEMPLATE_PARAMS: 'plate, day=respondBy ,time',
    SMS_CALLBACK_TOKEN: 'a'.repeat(40),
  };

  it('reads Alibaba Cloud SMS with its template, the variables in order and renamed where asked', () => {
    const { notices } = loadConfig({
      SMS_PROVIDER: 'aliyun',
      ...vendorTemplate,
      SMS_ALIYUN_ACCESS_KEY_ID: 'LTAI-id',
      SMS_ALIYUN_ACCESS_KEY_SECRET: 'aliyun-secret',
    });
    expect(notices.sms.aliyun).toEqual({
      signName: '汨罗市交通运输局',
      templateCode: 'SMS_123456789',
      templateParams: [
        { name: 'plate', variable: 'plate' },
        { name: 'day', variable: 'respondBy' },
        { name: 'time', variable: 'time' },
      ],
      callbackToken: 'a'.repeat(40),
      accessKeyId: 'LTAI-id',
      accessKeySecret: 'aliyun-secret',
      endpoint: 'https://dysmsapi.aliyuncs.com',
    });
    expect(notices.sms.tencent).toBeUndefined();
  });

  it('names every missing setting of a vendor, and masks its secrets in the log', () => {
    expect(() => loadConfig({ SMS_PROVIDER: 'tencent', SMS_SIGN_NAME: '签名测试' })).toThrow(
      /SMS_TEMPLATE_CODE: required when SMS_PROVIDER=tencent[\s\S]*SMS_TEMPLATE_PARAMS[\s\S]*SMS_CALLBACK_TOKEN[\s\S]*SMS_TENCENT_SECRET_ID[\s\S]*SMS_TENCENT_SECRET_KEY[\s\S]*SMS_TENCENT_SDK_APP_ID/,
    );
    expect(() => loadConfig({ SMS_TEMPLATE_PARAMS: 'plate,{1}' })).toThrow(/SMS_TEMPLATE_PARAMS/);
    expect(() => loadConfig({ SMS_CALLBACK_TOKEN: 'short' })).toThrow(/SMS_CALLBACK_TOKEN/);
    const config = loadConfig({
      SMS_PROVIDER: 'tencent',
      ...vendorTemplate,
      SMS_TENCENT_SECRET_ID: 'AKID-tencent',
      SMS_TENCENT_SECRET_KEY: 'tencent-secret-key',
      SMS_TENCENT_SDK_APP_ID: '1400000001',
    });
    expect(config.notices.sms.tencent).toMatchObject({
      region: 'ap-guangzhou',
      endpoint: 'https://sms.tencentcloudapi.com',
      sdkAppId: '1400000001',
    });
    const logged = JSON.stringify(describeConfig(config));
    expect(logged).not.toContain('tencent-secret-key');
    expect(logged).not.toContain('a'.repeat(40));
  });
});
