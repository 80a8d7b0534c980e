import { ConfigError, describeConfig, exampleLinks, loadConfig } from './app-config';

describe('configuration', () => {
  it('has local defaults that work on a developer machine', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(3000);
    expect(config.database.url).toBe('postgresql://postgres@127.0.0.1:5432/ecc');
    expect(config.redis.target).toEqual({ mode: 'standalone', url: 'redis://127.0.0.1:6379' });
    expect(config.storage.endpoint).toBeUndefined();
    expect(config.bureau.timeZone).toBe('Asia/Shanghai');
    expect(config.auth.jwtSecret).toHaveLength(64);
  });

  it('names every bad variable and does not echo secret values', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({
        PORT: 'eighty',
        BUREAU_TIMEZONE: 'Mars/Olympus',
        JWT_SECRET: 'hunter2',
        REDIS_URL: 'http://x',
      });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = error!.message;
    expect(text).toMatch(/PORT:/);
    expect(text).toMatch(/BUREAU_TIMEZONE: not an IANA time zone/);
    expect(text).toMatch(/JWT_SECRET: at least 32 characters/);
    expect(text).toMatch(/REDIS_URL:/);
    expect(text).not.toContain('hunter2');
  });

  it("refuses to start production with the notices' example link, configured or built in", () => {
    const production = { NODE_ENV: 'production' };
    expect(() => loadConfig(production)).toThrow(/NOTICE_EVIDENCE_URL: required in production/);
    expect(() =>
      loadConfig({ ...production, NOTICE_EVIDENCE_URL: 'https://jtzf.example.gov.cn/notice' }),
    ).toThrow(/NOTICE_EVIDENCE_URL: https:\/\/jtzf\.example\.gov\.cn\/notice is an example link/);
    expect(() =>
      loadConfig({
        ...production,
        NOTICE_EVIDENCE_URL: 'https://jtzf.miluo.gov.cn/notice',
        NOTICE_SMS_TEMPLATE: '【{authority}】{plate}超限，详见 https://www.example.com/x。',
      }),
    ).toThrow(/NOTICE_SMS_TEMPLATE: https:\/\/www\.example\.com\/x is an example link/);
    let error: ConfigError | undefined;
    try {
      loadConfig({ ...production, NOTICE_EVIDENCE_URL: 'https://jtzf.miluo.gov.cn/notice' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.message).not.toMatch(/NOTICE_/);
  });

  it('keeps the configured defaults of the notices policy, and only those set', () => {
    const config = loadConfig({
      NOTICE_EVIDENCE_URL: 'https://jtzf.miluo.gov.cn/n',
      NOTICE_CONTACT_PHONE: '0730-1',
    });
    expect(config.notices.defaults).toEqual({
      evidenceUrl: 'https://jtzf.miluo.gov.cn/n',
      contactPhone: '0730-1',
    });
    expect(loadConfig({}).notices.defaults).toEqual({});
  });

  it('finds the example links of a text by their reserved host names (RFC 2606)', () => {
    expect(exampleLinks('见 https://a.example/x，或 http://example.com/y。')).toEqual([
      'https://a.example/x',
      'http://example.com/y',
    ]);
    expect(exampleLinks('https://jtzf.miluo.gov.cn/notice https://counterexample.cn/')).toEqual([]);
  });

  it('keeps the station clock-skew window within an hour outside tests', () => {
    const wide = { INTAKE_MAX_CLOCK_SKEW_SECONDS: String(10 * 365 * 86_400) };
    expect(() => loadConfig(wide)).toThrow(/INTAKE_MAX_CLOCK_SKEW_SECONDS: at most 3600/);
    expect(loadConfig({ ...wide, NODE_ENV: 'test' }).intake.maxClockSkewSeconds).toBe(10 * 365 * 86_400);
    expect(loadConfig({ INTAKE_MAX_CLOCK_SKEW_SECONDS: '3600' }).intake.maxClockSkewSeconds).toBe(3600);
  });

  it('requires real secrets and storage in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: required in production/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/S3_ENDPOINT: required in production/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SECRETS_KEY: required in production/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AUDIT_SIGNING_KEY: required in production/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /SMS_PROVIDER: must be http, aliyun or tencent in production/,
    );
  });

  it('bounds requests and dependencies by default, and keeps the body budget above one largest body', () => {
    const config = loadConfig({});
    expect(config.http).toMatchObject({
      requestTimeoutMs: 30_000,
      maxRequestsInFlight: 256,
      maxBodyBytesInFlight: 256 * 1024 * 1024,
      retryAfterSeconds: 5,
    });
    expect(config.database).toMatchObject({
      connectTimeoutMs: 5000,
      statementTimeoutMs: 15_000,
      idleInTransactionTimeoutMs: 60_000,
    });
    expect(config.storage.timeoutMs).toBe(10_000);
    expect(() => loadConfig({ HTTP_MAX_BODY_BYTES_IN_FLIGHT: String(1024 * 1024) })).toThrow(
      /HTTP_MAX_BODY_BYTES_IN_FLIGHT: must be at least BODY_LIMIT_BYTES/,
    );
    expect(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '0' })).toThrow(/DATABASE_STATEMENT_TIMEOUT_MS/);
  });

  it('wants both bootstrap admin variables or neither', () => {
    expect(() => loadConfig({ BOOTSTRAP_ADMIN_USERNAME: 'admin' })).toThrow(/set both or neither/);
    expect(
      loadConfig({ BOOTSTRAP_ADMIN_USERNAME: 'admin', BOOTSTRAP_ADMIN_PASSWORD: 'a-long-password' })
        .bootstrapAdmin,
    ).toEqual({ username: 'admin', password: 'a-long-password' });
  });

  it('masks secrets and URL passwords when described for the log', () => {
    const config = loadConfig({
      JWT_SECRET: 'x'.repeat(40),
      DATABASE_URL: 'postgresql://app:s3cret@db:5432/ecc',
      S3_SECRET_KEY: 'minio-secret',
      SECRETS_KEY: 'ab'.repeat(32),
      AUDIT_SIGNING_KEY: 'cd'.repeat(32),
    });
    const text = JSON.stringify(describeConfig(config));
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain('minio-secret');
    expect(text).not.toContain('ab'.repeat(32));
    expect(text).not.toContain('cd'.repeat(32));
    expect(text).not.toContain('x'.repeat(40));
    expect(text).toContain('postgresql://app:***@db:5432/ecc');
  });

  it('reads the retired audit public keys as a list, and names a malformed one', () => {
    const key = 'AB'.repeat(32);
    expect(
      loadConfig({ AUDIT_RETIRED_PUBLIC_KEYS: ` ${key}, ${'cd'.repeat(32)} ` }).audit.retiredPublicKeys,
    ).toEqual(['ab'.repeat(32), 'cd'.repeat(32)]);
    expect(loadConfig({}).audit.retiredPublicKeys).toEqual([]);
    expect(() => loadConfig({ AUDIT_RETIRED_PUBLIC_KEYS: 'not-a-key' })).toThrow(/AUDIT_RETIRED_PUBLIC_KEYS/);
  });

  it('has no public keys: outside production an unset key is random for the process and named as generated', () => {
    const one = loadConfig({});
    const two = loadConfig({});
    expect(one.secretsKey).not.toBe(two.secretsKey);
    expect(one.audit.signingKey).not.toBe(two.audit.signingKey);
    expect(one.generatedKeys.sort()).toEqual(['AUDIT_SIGNING_KEY', 'JWT_SECRET', 'SECRETS_KEY']);
    const set = loadConfig({ SECRETS_KEY: 'ab'.repeat(32), AUDIT_SIGNING_KEY: 'cd'.repeat(32) });
    expect(set.secretsKey).toBe('ab'.repeat(32));
    expect(set.generatedKeys).toEqual(['JWT_SECRET']);
  });

  it('wants every OIDC variable or none, and https for the issuer in production', () => {
    expect(() => loadConfig({ OIDC_ISSUER: 'https://idp.example' })).toThrow(/set all four or none/);
    const oidc = {
      OIDC_ISSUER: 'http://127.0.0.1:8080',
      OIDC_CLIENT_ID: 'ecc',
      OIDC_CLIENT_SECRET: 'client-secret',
      OIDC_REDIRECT_URI: 'https://ecc.example/sso',
    };
    expect(loadConfig(oidc).auth.oidc).toEqual(
      expect.objectContaining({ issuer: oidc.OIDC_ISSUER, usernameClaim: 'sub' }),
    );
    expect(() => loadConfig({ ...oidc, NODE_ENV: 'production' })).toThrow(/OIDC_ISSUER: must be https/);
  });

  it('trusts X-Forwarded-For only from the configured proxies (private ranges by default in production)', () => {
    expect(loadConfig({}).http.trustedProxies).toEqual([]);
    expect(loadConfig({ TRUSTED_PROXIES: '10.0.0.5, 10.0.1.0/24' }).http.trustedProxies).toEqual([
      '10.0.0.5',
      '10.0.1.0/24',
    ]);
  });
});
