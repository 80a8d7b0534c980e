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
