import { randomBytes } from 'node:crypto';
import { envSchema, MAX_CLOCK_SKEW_SECONDS, type Env } from './app-config.schema';
import { parseRedisTarget, type RedisTarget } from './redis-target';

/** The fields of the notices policy an installation may give defaults for (NOTICE_*). */
export type NoticeDefault =
  'authority' | 'officeAddress' | 'officeHours' | 'evidenceUrl' | 'contactPhone' | 'leadSmsTemplate';

export interface AppConfig {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  http: {
    host: string;
    port: number;
    bodyLimitBytes: number;
    /** proxy-addr ranges whose X-Forwarded-For is believed; empty: none (the socket's address is the client). */
    trustedProxies: string[];
    requestTimeoutMs: number;
    maxRequestsInFlight: number;
    maxBodyBytesInFlight: number;
    retryAfterSeconds: number;
  };
  worker: { healthPort: number; cpuNice: number };
  /** GET /metrics: the scraper's bearer token (absent: not served) and how long database gauges are reused. */
  metrics: { token?: string; cacheMs: number };
  database: {
    url: string;
    poolSize: number;
    migrateOnStart: boolean;
    connectTimeoutMs: number;
    statementTimeoutMs: number;
    idleInTransactionTimeoutMs: number;
  };
  redis: {
    /** One server, a cluster or the master named by Sentinels (REDIS_URL). */
    target: RedisTarget;
    /** QUEUE_PREFIX as configured. */
    prefix: string;
    /**
     * Prefix of every key and channel outside the queues (rate limits, sign-in throttle, pub/sub): the prefix,
     * or on a cluster the hash tag `{prefix}`, so that a script over several such keys reaches one slot.
     */
    keyPrefix: string;
  };
  storage: {
    /** Absent: no external S3 endpoint, a local S3-compatible server is used (development only). */
    endpoint?: string;
    accessKey: string;
    secretKey: string;
    region: string;
    evidenceBucket: string;
    /** Where browsers reach the storage: presigned URLs are signed for this host (default: the endpoint). */
    publicEndpoint?: string;
    /** Longest silence of one request to the object store. */
    timeoutMs: number;
    local: { dir: string; port: number };
  };
  /** The file where `npm start` keeps the keys it generated for this installation. */
  localKeysFile: string;
  auth: {
    jwtSecret: string;
    jwtTtlSeconds: number;
    jwtIssuer: string;
    /** How long a user's state read for a request is reused (ms). */
    sessionCacheMs: number;
    throttle: SignInThrottleConfig;
    oidc?: OidcConfig;
  };
  bootstrapAdmin?: { username: string; password: string };
  bureau: { timeZone: string; name: string };
  /** Printed case documents: the verification address in the QR code, the public look-up's rate per client. */
  documents: {
    verifyBaseUrl?: string;
    verifyRatePerMinute: number;
    verifyBurst: number;
    renderConcurrency: number;
    printSweepIntervalMs: number;
  };
  /** The public, unauthenticated routes (published decisions): a token bucket per client address. */
  publicRoutes: { rateLimitPerSecond: number; rateLimitBurst: number };
  /** Key of the SecretBox sealing station secrets. */
  secretsKey: string;
  /** Only for the re-seal command: the key to re-seal the station secrets under. */
  newSecretsKey?: string;
  /** Keys that were not configured and were generated for this process alone (development and tests). */
  generatedKeys: ('JWT_SECRET' | 'SECRETS_KEY' | 'AUDIT_SIGNING_KEY')[];
  intake: {
    maxClockSkewSeconds: number;
    rateLimitPerSecond: number;
    rateLimitBurst: number;
    evidenceUploadLimitBytes: number;
    stationSecretOverlapHours: number;
    evidenceUrlTtlSeconds: number;
    retentionDays: number;
    retentionIntervalMs: number;
  };
  screening: {
    concurrency: number;
    batchLingerMs: number;
    outboxSweepIntervalMs: number;
    outboxStaleAfterMs: number;
  };
  notices: {
    sms: {
      provider: 'local' | 'http' | 'aliyun' | 'tencent';
      http?: { url: string; apiKey: string; templateId: string; callbackSecret: string };
      /** Alibaba Cloud SMS (dysmsapi 2017-05-25), when SMS_PROVIDER=aliyun. */
      aliyun?: SmsVendorTemplate & { accessKeyId: string; accessKeySecret: string; endpoint: string };
      /** Tencent Cloud SMS (2021-01-11), when SMS_PROVIDER=tencent. */
      tencent?: SmsVendorTemplate & {
        secretId: string;
        secretKey: string;
        sdkAppId: string;
        region: string;
        endpoint: string;
        proxy?: string;
      };
      ratePerSecond: number;
    };
    push: { endpoints: PushEndpoint[]; ratePerSecond: number };
    /** This installation's defaults of the notices policy (NOTICE_*); unset fields keep the built-in ones. */
    defaults: Partial<Record<NoticeDefault, string>>;
    httpTimeoutMs: number;
    sweepIntervalMs: number;
    staleAfterMs: number;
    concurrency: number;
    /** retries of a failing notice (capped doubling delays for a period), then it has failed for good */
    retry: { initialDelayMs: number; maxDelayMs: number; periodMs: number };
    /** a sent SMS without a delivery receipt for this long has failed */
    receiptTimeoutMs: number;
  };
  cases: {
    numberPattern: string;
    deadlineSweepIntervalMs: number;
    deadlineApproachingWorkingDays: number;
    deadlineConcurrency: number;
    calendarWarnDays: number;
    calendarCheckIntervalMs: number;
  };
  fences: { sweepIntervalMs: number };
  statistics: { foldIntervalMs: number; maxPeriodDays: number };
  audit: {
    /** Ed25519 seed, 64 hex characters. */
    signingKey: string;
    /** Public keys (64 hex characters) of replaced signing keys: they still verify old checkpoints. */
    retiredPublicKeys: string[];
    /** Days a checkpoint object is kept under Object Lock (compliance mode); 0: no retention is set. */
    checkpointRetentionDays: number;
    sealIntervalMs: number;
    checkpointIntervalMs: number;
    verifyIntervalMs: number;
    fullVerifyIntervalMs: number;
  };
  evidenceIntegrity: { checkIntervalMs: number; sampleSize: number };
}

/** What a vendor with approved templates (Alibaba Cloud, Tencent Cloud) sends under, and how its reports come back. */
export interface SmsVendorTemplate {
  signName: string;
  templateCode: string;
  /** The template's variables in order: the vendor's name for it and the notice value it takes. */
  templateParams: { name: string; variable: string }[];
  /** The secret last segment of the delivery-report URL. */
  callbackToken: string;
}

/** A configured information-push receiver (信息推送): an enterprise or a home jurisdiction. */
export interface PushEndpoint {
  name: string;
  kind: 'enterprise' | 'jurisdiction';
  url: string;
  secret: string;
}

/** Sign-in throttling: per username and per client address, first slower, then locked. */
export interface SignInThrottleConfig {
  windowSeconds: number;
  user: { slowdownAfter: number; lockAfter: number };
  address: { slowdownAfter: number; lockAfter: number };
  lockSeconds: number;
}

/** OpenID Connect single sign-on: a claim of the ID token names the local user. */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  usernameClaim: string;
  scopes: string;
}

const toHex32 = (key: string): string =>
  /^[0-9a-f]{64}$/i.test(key) ? key.toLowerCase() : Buffer.from(key, 'base64').toString('hex');

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const VENDOR_TEMPLATE_VARIABLES = [
  'SMS_SIGN_NAME',
  'SMS_TEMPLATE_CODE',
  'SMS_TEMPLATE_PARAMS',
  'SMS_CALLBACK_TOKEN',
] as const;

/** `name=variable` or `variable` (the vendor names it as the notice does). */
const templateParam = (text: string) => {
  const [name, variable] = text.includes('=') ? text.split('=') : [text, text];
  return { name: name!, variable: variable! };
};

/** Parse the environment once. Every problem names its variable; values of secrets are never echoed. */
export function loadConfig(source: Record<string, string | undefined>): AppConfig {
  // Empty strings mean "unset", as in most deployment tools.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET) problems.push('JWT_SECRET: required in production');
  if (e.NODE_ENV === 'production' && !e.S3_ENDPOINT) problems.push('S3_ENDPOINT: required in production');
  if (e.NODE_ENV === 'production' && !e.SECRETS_KEY) problems.push('SECRETS_KEY: required in production');
  if (e.NODE_ENV === 'production' && !e.AUDIT_SIGNING_KEY) {
    problems.push('AUDIT_SIGNING_KEY: required in production');
  }
  // Every owner's SMS carries this link: in production it must be the bureau's own, never the example.
  if (e.NODE_ENV === 'production' && !e.NOTICE_EVIDENCE_URL) {
    problems.push('NOTICE_EVIDENCE_URL: required in production (the built-in link is an example)');
  }
  for (const [name, text] of [
    ['NOTICE_EVIDENCE_URL', e.NOTICE_EVIDENCE_URL],
    ['NOTICE_SMS_TEMPLATE', e.NOTICE_SMS_TEMPLATE],
  ] as const) {
    const example = text ? exampleLinks(text) : [];
    if (e.NODE_ENV === 'production' && example.length > 0) {
      problems.push(`${name}: ${example.join(', ')} is an example link (RFC 2606), not the bureau's`);
    }
  }
  if (e.NODE_ENV !== 'test' && e.INTAKE_MAX_CLOCK_SKEW_SECONDS > MAX_CLOCK_SKEW_SECONDS) {
    problems.push(
      `INTAKE_MAX_CLOCK_SKEW_SECONDS: at most ${MAX_CLOCK_SKEW_SECONDS} (a wider window is for tests only)`,
    );
  }
  // The local provider only keeps messages in the database: in production no owner would ever be told.
  if (e.NODE_ENV === 'production' && e.SMS_PROVIDER === 'local') {
    problems.push(
      'SMS_PROVIDER: must be http, aliyun or tencent in production (the local provider sends nothing)',
    );
  }
  const required: Record<typeof e.SMS_PROVIDER, (keyof typeof e)[]> = {
    local: [],
    http: ['SMS_HTTP_URL', 'SMS_HTTP_API_KEY', 'SMS_HTTP_CALLBACK_SECRET'],
    aliyun: [...VENDOR_TEMPLATE_VARIABLES, 'SMS_ALIYUN_ACCESS_KEY_ID', 'SMS_ALIYUN_ACCESS_KEY_SECRET'],
    tencent: [
      ...VENDOR_TEMPLATE_VARIABLES,
      'SMS_TENCENT_SECRET_ID',
      'SMS_TENCENT_SECRET_KEY',
      'SMS_TENCENT_SDK_APP_ID',
    ],
  };
  for (const name of required[e.SMS_PROVIDER]) {
    if (!e[name]) problems.push(`${name}: required when SMS_PROVIDER=${e.SMS_PROVIDER}`);
  }
  if (e.HTTP_MAX_BODY_BYTES_IN_FLIGHT < e.BODY_LIMIT_BYTES) {
    problems.push('HTTP_MAX_BODY_BYTES_IN_FLIGHT: must be at least BODY_LIMIT_BYTES (one largest body)');
  }
  const oidc = [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET, e.OIDC_REDIRECT_URI];
  if (oidc.some(Boolean) && !oidc.every(Boolean)) {
    problems.push(
      'OIDC_ISSUER / OIDC_CLIENT_ID / OIDC_CLIENT_SECRET / OIDC_REDIRECT_URI: set all four or none',
    );
  }
  if (e.NODE_ENV === 'production' && e.OIDC_ISSUER && !e.OIDC_ISSUER.startsWith('https://')) {
    problems.push('OIDC_ISSUER: must be https in production');
  }
  if (e.AUTH_USER_LOCK_AFTER < e.AUTH_USER_SLOWDOWN_AFTER) {
    problems.push('AUTH_USER_LOCK_AFTER: must not be below AUTH_USER_SLOWDOWN_AFTER');
  }
  if (e.AUTH_ADDRESS_LOCK_AFTER < e.AUTH_ADDRESS_SLOWDOWN_AFTER) {
    problems.push('AUTH_ADDRESS_LOCK_AFTER: must not be below AUTH_ADDRESS_SLOWDOWN_AFTER');
  }
  if (!!e.BOOTSTRAP_ADMIN_USERNAME !== !!e.BOOTSTRAP_ADMIN_PASSWORD) {
    problems.push('BOOTSTRAP_ADMIN_USERNAME / BOOTSTRAP_ADMIN_PASSWORD: set both or neither');
  }
  if (problems.length) throw new ConfigError(problems);

  // Outside production an unset key is random for this process: nothing public, and nothing that outlives it
  // (`npm start` generates keys once per installation and passes them to its processes).
  const generatedKeys: AppConfig['generatedKeys'] = [];
  const keyOr = (value: string | undefined, name: AppConfig['generatedKeys'][number]): string => {
    if (value) return value;
    generatedKeys.push(name);
    return randomBytes(32).toString('hex');
  };
  const trusted = e.TRUSTED_PROXIES ?? (e.NODE_ENV === 'production' ? 'loopback,uniquelocal' : '');

  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    http: {
      host: e.HOST,
      port: e.PORT,
      bodyLimitBytes: e.BODY_LIMIT_BYTES,
      trustedProxies: trusted
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      maxRequestsInFlight: e.HTTP_MAX_REQUESTS_IN_FLIGHT,
      maxBodyBytesInFlight: e.HTTP_MAX_BODY_BYTES_IN_FLIGHT,
      retryAfterSeconds: e.HTTP_RETRY_AFTER_SECONDS,
    },
    worker: { healthPort: e.WORKER_HEALTH_PORT, cpuNice: e.WORKER_CPU_NICE },
    metrics: { token: e.METRICS_TOKEN, cacheMs: e.METRICS_CACHE_MS },
    database: {
      url: e.DATABASE_URL,
      poolSize: e.DATABASE_POOL_SIZE,
      migrateOnStart: e.MIGRATE_ON_START,
      connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      idleInTransactionTimeoutMs: e.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
    redis: redisConfig(e.REDIS_URL, e.QUEUE_PREFIX),
    storage: {
      endpoint: e.S3_ENDPOINT,
      accessKey: e.S3_ACCESS_KEY,
      secretKey: e.S3_SECRET_KEY,
      region: e.S3_REGION,
      evidenceBucket: e.EVIDENCE_BUCKET,
      publicEndpoint: e.S3_PUBLIC_ENDPOINT,
      timeoutMs: e.S3_TIMEOUT_MS,
      local: { dir: e.LOCAL_S3_DIR, port: e.LOCAL_S3_PORT },
    },
    localKeysFile: e.LOCAL_KEYS_FILE,
    auth: {
      jwtSecret: keyOr(e.JWT_SECRET, 'JWT_SECRET'),
      jwtTtlSeconds: e.JWT_TTL_SECONDS,
      jwtIssuer: e.JWT_ISSUER,
      sessionCacheMs: e.AUTH_SESSION_CACHE_MS,
      throttle: {
        windowSeconds: e.AUTH_THROTTLE_WINDOW_SECONDS,
        user: { slowdownAfter: e.AUTH_USER_SLOWDOWN_AFTER, lockAfter: e.AUTH_USER_LOCK_AFTER },
        address: { slowdownAfter: e.AUTH_ADDRESS_SLOWDOWN_AFTER, lockAfter: e.AUTH_ADDRESS_LOCK_AFTER },
        lockSeconds: e.AUTH_LOCK_SECONDS,
      },
      oidc:
        e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET && e.OIDC_REDIRECT_URI
          ? {
              issuer: e.OIDC_ISSUER,
              clientId: e.OIDC_CLIENT_ID,
              clientSecret: e.OIDC_CLIENT_SECRET,
              redirectUri: e.OIDC_REDIRECT_URI,
              usernameClaim: e.OIDC_USERNAME_CLAIM,
              scopes: e.OIDC_SCOPES,
            }
          : undefined,
    },
    bootstrapAdmin:
      e.BOOTSTRAP_ADMIN_USERNAME && e.BOOTSTRAP_ADMIN_PASSWORD
        ? { username: e.BOOTSTRAP_ADMIN_USERNAME, password: e.BOOTSTRAP_ADMIN_PASSWORD }
        : undefined,
    bureau: { timeZone: e.BUREAU_TIMEZONE, name: e.BUREAU_NAME },
    documents: {
      verifyBaseUrl: e.DOCUMENT_VERIFY_BASE_URL,
      verifyRatePerMinute: e.DOCUMENT_VERIFY_RATE_PER_MINUTE,
      verifyBurst: e.DOCUMENT_VERIFY_BURST,
      renderConcurrency: e.DOCUMENT_RENDER_CONCURRENCY,
      printSweepIntervalMs: e.DOCUMENT_PRINT_SWEEP_INTERVAL_MS,
    },
    publicRoutes: {
      rateLimitPerSecond: e.PUBLIC_RATE_LIMIT_PER_SECOND,
      rateLimitBurst: e.PUBLIC_RATE_LIMIT_BURST,
    },
    secretsKey: keyOr(e.SECRETS_KEY, 'SECRETS_KEY'),
    newSecretsKey: e.NEW_SECRETS_KEY,
    generatedKeys,
    intake: {
      maxClockSkewSeconds: e.INTAKE_MAX_CLOCK_SKEW_SECONDS,
      rateLimitPerSecond: e.INTAKE_RATE_LIMIT_PER_SECOND,
      rateLimitBurst: e.INTAKE_RATE_LIMIT_BURST,
      evidenceUploadLimitBytes: e.INTAKE_EVIDENCE_UPLOAD_LIMIT_BYTES,
      stationSecretOverlapHours: e.STATION_SECRET_OVERLAP_HOURS,
      evidenceUrlTtlSeconds: e.EVIDENCE_URL_TTL_SECONDS,
      retentionDays: e.DETECTION_RETENTION_DAYS,
      retentionIntervalMs: e.DETECTION_RETENTION_INTERVAL_MS,
    },
    screening: {
      concurrency: e.SCREENING_CONCURRENCY,
      batchLingerMs: e.SCREENING_BATCH_LINGER_MS,
      outboxSweepIntervalMs: e.OUTBOX_SWEEP_INTERVAL_MS,
      outboxStaleAfterMs: e.OUTBOX_STALE_AFTER_MS,
    },
    notices: {
      sms: {
        provider: e.SMS_PROVIDER,
        http:
          e.SMS_HTTP_URL && e.SMS_HTTP_API_KEY && e.SMS_HTTP_CALLBACK_SECRET
            ? {
                url: e.SMS_HTTP_URL,
                apiKey: e.SMS_HTTP_API_KEY,
                templateId: e.SMS_HTTP_TEMPLATE_ID,
                callbackSecret: e.SMS_HTTP_CALLBACK_SECRET,
              }
            : undefined,
        ...vendorSettings(e),
        ratePerSecond: e.SMS_RATE_PER_SECOND,
      },
      push: { endpoints: e.PUSH_ENDPOINTS, ratePerSecond: e.PUSH_RATE_PER_SECOND },
      defaults: definedOnly({
        authority: e.NOTICE_AUTHORITY,
        officeAddress: e.NOTICE_OFFICE_ADDRESS,
        officeHours: e.NOTICE_OFFICE_HOURS,
        evidenceUrl: e.NOTICE_EVIDENCE_URL,
        contactPhone: e.NOTICE_CONTACT_PHONE,
        leadSmsTemplate: e.NOTICE_SMS_TEMPLATE,
      }),
      httpTimeoutMs: e.NOTICE_HTTP_TIMEOUT_MS,
      sweepIntervalMs: e.NOTICE_SWEEP_INTERVAL_MS,
      staleAfterMs: e.NOTICE_STALE_AFTER_MS,
      concurrency: e.NOTICE_CONCURRENCY,
      retry: {
        initialDelayMs: e.NOTICE_RETRY_INITIAL_DELAY_MS,
        maxDelayMs: e.NOTICE_RETRY_MAX_DELAY_MS,
        periodMs: e.NOTICE_RETRY_PERIOD_MS,
      },
      receiptTimeoutMs: e.NOTICE_RECEIPT_TIMEOUT_MS,
    },
    cases: {
      numberPattern: e.CASE_NUMBER_PATTERN,
      deadlineSweepIntervalMs: e.DEADLINE_SWEEP_INTERVAL_MS,
      deadlineApproachingWorkingDays: e.DEADLINE_APPROACHING_WORKING_DAYS,
      deadlineConcurrency: e.DEADLINE_CONCURRENCY,
      calendarWarnDays: e.WORKING_CALENDAR_WARN_DAYS,
      calendarCheckIntervalMs: e.WORKING_CALENDAR_CHECK_INTERVAL_MS,
    },
    fences: { sweepIntervalMs: e.FENCE_SWEEP_INTERVAL_MS },
    statistics: {
      foldIntervalMs: e.STATISTICS_FOLD_INTERVAL_MS,
      maxPeriodDays: e.STATISTICS_MAX_PERIOD_DAYS,
    },
    audit: {
      signingKey: toHex32(keyOr(e.AUDIT_SIGNING_KEY, 'AUDIT_SIGNING_KEY')),
      retiredPublicKeys: e.AUDIT_RETIRED_PUBLIC_KEYS,
      checkpointRetentionDays: e.AUDIT_CHECKPOINT_RETENTION_DAYS,
      sealIntervalMs: e.AUDIT_SEAL_INTERVAL_MS,
      checkpointIntervalMs: e.AUDIT_CHECKPOINT_INTERVAL_MS,
      verifyIntervalMs: e.AUDIT_VERIFY_INTERVAL_MS,
      fullVerifyIntervalMs: e.AUDIT_FULL_VERIFY_INTERVAL_MS,
    },
    evidenceIntegrity: {
      checkIntervalMs: e.EVIDENCE_CHECK_INTERVAL_MS,
      sampleSize: e.EVIDENCE_CHECK_SAMPLE_SIZE,
    },
  };
}

/** The settings of the vendor SMS_PROVIDER names (validated complete above). */
function vendorSettings(e: Env): Pick<AppConfig['notices']['sms'], 'aliyun' | 'tencent'> {
  if (e.SMS_PROVIDER !== 'aliyun' && e.SMS_PROVIDER !== 'tencent') return {};
  const template: SmsVendorTemplate = {
    signName: e.SMS_SIGN_NAME!,
    templateCode: e.SMS_TEMPLATE_CODE!,
    templateParams: e.SMS_TEMPLATE_PARAMS!.map(templateParam),
    callbackToken: e.SMS_CALLBACK_TOKEN!,
  };
  if (e.SMS_PROVIDER === 'aliyun') {
    return {
      aliyun: {
        ...template,
        accessKeyId: e.SMS_ALIYUN_ACCESS_KEY_ID!,
        accessKeySecret: e.SMS_ALIYUN_ACCESS_KEY_SECRET!,
        endpoint: e.SMS_ALIYUN_ENDPOINT,
      },
    };
  }
  return {
    tencent: {
      ...template,
      secretId: e.SMS_TENCENT_SECRET_ID!,
      secretKey: e.SMS_TENCENT_SECRET_KEY!,
      sdkAppId: e.SMS_TENCENT_SDK_APP_ID!,
      region: e.SMS_TENCENT_REGION,
      endpoint: e.SMS_TENCENT_ENDPOINT,
      proxy: e.SMS_TENCENT_PROXY,
    },
  };
}

const SECRET = /(secret|password|token|key|secretsKey)$/i;

/** The configuration as it may be logged: secrets masked, credentials removed from URLs. */
export function describeConfig(config: AppConfig): unknown {
  const mask = (value: unknown, key: string): unknown => {
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v, k)]));
    }
    if (typeof value === 'string' && SECRET.test(key)) return '***';
    if (typeof value === 'string' && /^[a-z]+:\/\/[^/]*@/.test(value)) {
      const url = new URL(value);
      if (url.password) url.password = '***';
      return url.toString();
    }
    return value;
  };
  return mask(config, '');
}

/** The links of a text whose host is reserved for examples (RFC 2606: `example`, `*.example`, `example.*`). */
export function exampleLinks(text: string): string[] {
  return (text.match(/https?:\/\/[^\s"'<>，。；）)]+/g) ?? []).filter((link) => {
    try {
      return new URL(link).hostname.split('.').includes('example');
    } catch {
      return false;
    }
  });
}

function definedOnly<T extends Record<string, string | undefined>>(values: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: string;
  };
}

function redisConfig(url: string, prefix: string): AppConfig['redis'] {
  const target = parseRedisTarget(url);
  return { target, prefix, keyPrefix: target.mode === 'cluster' ? `{${prefix}}` : prefix };
}

/**
 * The BullMQ prefix of a queue: QUEUE_PREFIX, or on a cluster the hash tag `{prefix:queue}` — BullMQ's scripts
 * take many keys of one queue, which must share a slot, and a tag per queue spreads the queues over the
 * cluster's masters. No operation of ours spans two queues.
 */
export function queueKeyPrefix(redis: AppConfig['redis'], queue: string): string {
  return redis.target.mode === 'cluster' ? `{${redis.prefix}:${queue}}` : redis.prefix;
}
