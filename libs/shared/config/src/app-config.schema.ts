import { z } from 'zod';
import { parseRedisTarget, RedisUrlError } from './redis-target';

/**
 * The whole configuration, parsed once at boot from the environment. Nothing else reads process.env.
 * Defaults work on a developer machine with local Postgres and Redis; where no S3 endpoint is given,
 * `npm start` runs a local S3-compatible server.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

/** The station kit's test vectors carry a fixed timestamp: only a test may widen the window that far. */
export const MAX_CLOCK_SKEW_SECONDS = 3600;
const MAX_TEST_CLOCK_SKEW_SECONDS = 20 * 366 * 86_400;

const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not an IANA time zone (e.g. Asia/Shanghai)' },
);

const postgresUrl = z
  .string()
  .url()
  .refine((u) => /^postgres(ql)?:\/\//.test(u), { message: 'must be a postgresql:// URL' });
const redisUrl = z.string().superRefine((text, ctx) => {
  try {
    parseRedisTarget(text);
  } catch (error) {
    if (!(error instanceof RedisUrlError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
  }
});

export const envSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'])
    .default('development')
    .describe(
      'The environment: `production` requires real secrets (JWT_SECRET, SECRETS_KEY, AUDIT_SIGNING_KEY), an S3 endpoint and a real SMS provider.',
    ),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino log level; logs are JSON lines with request ids, personal data redacted.'),
  HOST: z.string().min(1).default('0.0.0.0').describe('Address the API listens on.'),
  PORT: port.default(3000).describe('Port the API listens on.'),
  WORKER_HEALTH_PORT: port
    .default(3001)
    .describe("Port of the worker's health and metrics server (/health/live, /health/ready, /metrics)."),
  BODY_LIMIT_BYTES: positiveInt
    .default(16 * 1024 * 1024)
    .describe('Largest request body accepted (413 above).'),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt
    .max(3_600_000)
    .default(30_000)
    .describe(
      'A request not answered within this many ms is answered 503 request_timeout (routes marked long-running excepted); default 30000.',
    ),
  HTTP_MAX_REQUESTS_IN_FLIGHT: positiveInt
    .max(100_000)
    .default(256)
    .describe(
      'Requests an API process handles at once; beyond them it answers 503 overloaded at once, before reading the body (health checks excepted); default 256.',
    ),
  HTTP_MAX_BODY_BYTES_IN_FLIGHT: positiveInt
    .default(256 * 1024 * 1024)
    .describe(
      'Declared body bytes of the buffered (JSON, text, multipart form) requests an API process holds at once; beyond them 503 overloaded; at least BODY_LIMIT_BYTES; default 268435456 (256 MiB).',
    ),
  HTTP_RETRY_AFTER_SECONDS: positiveInt
    .max(3600)
    .default(5)
    .describe(
      'Retry-After of the 503 answers (a dependency unavailable, a request timed out, overloaded); default 5.',
    ),

  DATABASE_URL: postgresUrl
    .default('postgresql://postgres@127.0.0.1:5432/ecc')
    .describe('Postgres connection URL.'),
  DATABASE_POOL_SIZE: positiveInt.default(10).describe('Postgres connections per process.'),
  DATABASE_CONNECT_TIMEOUT_MS: positiveInt
    .max(600_000)
    .default(5000)
    .describe(
      'Longest wait for a Postgres connection (opening one, or a free one of the pool) before the caller fails; default 5000.',
    ),
  DATABASE_STATEMENT_TIMEOUT_MS: positiveInt
    .max(3_600_000)
    .default(15_000)
    .describe(
      "Postgres's statement_timeout for the apps' connections; the client itself gives up 2 s later (a frozen server answers nothing) and drops the connection; default 15000.",
    ),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: positiveInt
    .max(3_600_000)
    .default(60_000)
    .describe(
      "Postgres's idle_in_transaction_session_timeout: a session holding a transaction open and idle this long is ended, releasing its locks; default 60000.",
    ),
  MIGRATE_ON_START: bool
    .default(true)
    .describe('The API applies pending migrations at start (serialised by an advisory lock).'),

  REDIS_URL: redisUrl
    .default('redis://127.0.0.1:6379')
    .describe(
      'Redis for the queues, rate limits and pub/sub: `redis://[:password@]host:port[/db]` (`rediss://`: TLS), a cluster `redis+cluster://[:password@]host:port,host:port,…`, Sentinels `redis+sentinel://host:port,…/<master>[/db]` (docs/scaling.md).',
    ),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]{1,32}$/, 'lower-case letters, digits, - and _ only')
    .default('ecc')
    .describe(
      'Prefix of every BullMQ, rate-limit and pub/sub key in Redis; on a Redis Cluster a hash tag: `{ecc}:…` for rate limits and pub/sub, `{ecc:<queue>}:…` per queue, so that each multi-key operation stays in one slot.',
    ),

  S3_ENDPOINT: z
    .string()
    .url()
    .optional()
    .describe(
      'S3/MinIO endpoint, e.g. http://minio:9000; unset: `npm start` runs a local S3 server (development only).',
    ),
  S3_ACCESS_KEY: z
    .string()
    .min(3)
    .default('S3RVER')
    .describe("S3 access key (the local server's default in development)."),
  S3_SECRET_KEY: z
    .string()
    .min(3)
    .default('S3RVER')
    .describe("S3 secret key (the local server's default in development)."),
  S3_REGION: z.string().min(1).default('us-east-1').describe('S3 region.'),
  EVIDENCE_BUCKET: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'an S3 bucket name (3-63 lower-case letters, digits, . and -)',
    )
    .default('ecc-evidence')
    .describe('Bucket of the evidence and of the audit checkpoints; created at start if missing.'),
  S3_PUBLIC_ENDPOINT: z
    .string()
    .url()
    .optional()
    .describe(
      "Where officers' browsers reach object storage (e.g. https://evidence.bureau.example); presigned evidence URLs are signed for it. Default: S3_ENDPOINT.",
    ),
  S3_TIMEOUT_MS: positiveInt
    .max(600_000)
    .default(10_000)
    .describe(
      'Longest silence of an object-store request (connecting, sending, awaiting bytes) before it fails as the object store unavailable; default 10000.',
    ),
  LOCAL_S3_DIR: z
    .string()
    .min(1)
    .default('.data/s3')
    .describe('Folder of the local S3 server that `npm start` runs when S3_ENDPOINT is unset (git-ignored).'),
  LOCAL_KEYS_FILE: z
    .string()
    .min(1)
    .default('.data/keys.env')
    .describe(
      'Where `npm start` keeps the keys it generated once for this installation (file mode 600, git-ignored); default .data/keys.env.',
    ),
  LOCAL_S3_PORT: port.default(9000).describe('Port of that local S3 server.'),

  JWT_SECRET: z
    .string()
    .min(32, 'at least 32 characters')
    .optional()
    .describe(
      'HS256 key of the bearer tokens, at least 32 characters; required in production (development: generated once by `npm start`, else random per process).',
    ),
  JWT_TTL_SECONDS: positiveInt.max(86_400).default(3600).describe('Lifetime of a bearer token, in seconds.'),
  JWT_ISSUER: z.string().min(1).default('ecc').describe('Issuer (iss) of the bearer tokens.'),
  AUTH_SESSION_CACHE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(2000)
    .default(1000)
    .describe(
      'How long an API reuses its read of a user (exists, active, roles, token version) before checking again; default 1000 ms.',
    ),
  AUTH_THROTTLE_WINDOW_SECONDS: positiveInt
    .max(86_400)
    .default(900)
    .describe('Failed sign-ins are counted over this many seconds since the last one; default 900.'),
  AUTH_USER_SLOWDOWN_AFTER: positiveInt
    .default(5)
    .describe(
      'Failed sign-ins of one username after which each further attempt waits longer (1, 2, 4 … s); default 5.',
    ),
  AUTH_USER_LOCK_AFTER: positiveInt
    .default(10)
    .describe('Failed sign-ins of one username that lock it for AUTH_LOCK_SECONDS; default 10.'),
  AUTH_ADDRESS_SLOWDOWN_AFTER: positiveInt
    .default(20)
    .describe('Failed sign-ins from one client address after which its attempts slow down; default 20.'),
  AUTH_ADDRESS_LOCK_AFTER: positiveInt
    .default(100)
    .describe('Failed sign-ins from one client address that lock it for AUTH_LOCK_SECONDS; default 100.'),
  AUTH_LOCK_SECONDS: positiveInt
    .max(86_400)
    .default(900)
    .describe('How long a locked username or address is refused (429 with Retry-After); default 900.'),
  TRUSTED_PROXIES: z
    .string()
    .optional()
    .describe(
      'Addresses or ranges of the reverse proxies whose X-Forwarded-For names the client (proxy-addr syntax, comma-separated); default: loopback and private ranges in production, none otherwise.',
    ),
  OIDC_ISSUER: z
    .string()
    .url()
    .optional()
    .describe(
      'OpenID Connect issuer of the single sign-on (its discovery document is read at start); unset: no SSO.',
    ),
  OIDC_CLIENT_ID: z.string().min(1).optional().describe('The client id registered at the identity provider.'),
  OIDC_CLIENT_SECRET: z
    .string()
    .min(1)
    .optional()
    .describe('The client secret registered at the identity provider (client_secret_basic).'),
  OIDC_REDIRECT_URI: z
    .string()
    .url()
    .optional()
    .describe(
      'The redirect URI registered at the identity provider: the page that posts the code and state to POST /auth/oidc/token.',
    ),
  OIDC_USERNAME_CLAIM: z
    .string()
    .min(1)
    .default('sub')
    .describe("The ID token claim matched against a local user's ssoSubject; default sub."),
  OIDC_SCOPES: z
    .string()
    .min(1)
    .default('openid')
    .describe('Scopes asked of the identity provider; default openid.'),
  BOOTSTRAP_ADMIN_USERNAME: z
    .string()
    .min(3)
    .max(64)
    .optional()
    .describe(
      'When no active admin exists at start, an admin with this username is created (with BOOTSTRAP_ADMIN_PASSWORD).',
    ),
  BOOTSTRAP_ADMIN_PASSWORD: z
    .string()
    .min(12, 'at least 12 characters')
    .max(256)
    .optional()
    .describe('Password of that bootstrap admin (at least 12 characters).'),

  BUREAU_TIMEZONE: timeZone
    .default('Asia/Shanghai')
    .describe(
      "Time zone of the bureau's legal days (periods, deadlines, plain dates in filters); instants are stored in UTC.",
    ),
  /** The issuing authority printed on the case documents (行政处罚决定书 Art. 59: the authority's name). */
  BUREAU_NAME: z
    .string()
    .trim()
    .min(2)
    .max(64)
    .default('汨罗市交通运输局')
    .describe('The issuing authority printed on the case documents (行政处罚法 Art. 59).'),
  DOCUMENT_VERIFY_BASE_URL: z
    .string()
    .url()
    .optional()
    .describe(
      "The public verification address printed in each PDF's QR code (e.g. https://bureau.example/api/v1/documents/verify). Default: the ecc-doc:verify form, read the same way by a verifying client.",
    ),
  DOCUMENT_VERIFY_RATE_PER_MINUTE: positiveInt
    .max(100_000)
    .default(30)
    .describe('Look-ups of GET /documents/verify one client address may make per minute (public route).'),
  DOCUMENT_RENDER_CONCURRENCY: positiveInt
    .max(64)
    .default(2)
    .describe(
      'PDFs one process renders at once, each in its own worker thread: the case documents the worker prints, and in the API the case-file PDF and the annual report (CPU-bound, about 30 ms a page set: more than the cores gains nothing).',
    ),
  DOCUMENT_PRINT_SWEEP_INTERVAL_MS: positiveInt
    .default(5 * 60_000)
    .describe(
      'How often the worker prints the document versions its jobs have not printed within one such interval (a job lost while Redis was away, a report the four-penalties planning wrote inside a case action).',
    ),
  DOCUMENT_VERIFY_BURST: positiveInt
    .max(100_000)
    .default(10)
    .describe('Look-ups of GET /documents/verify one client address may make at once above that rate.'),

  /** Key sealing secrets the system must read back (station signing secrets): 32 bytes, hex or base64. */
  SECRETS_KEY: z
    .string()
    .refine((k) => /^[0-9a-f]{64}$/i.test(k) || Buffer.from(k, 'base64').length === 32, {
      message: '32 bytes as 64 hex characters or base64',
    })
    .optional()
    .describe(
      'Key sealing the station signing secrets (32 bytes, hex or base64); required in production (development: generated once by `npm start`).',
    ),
  NEW_SECRETS_KEY: z
    .string()
    .refine((k) => /^[0-9a-f]{64}$/i.test(k) || Buffer.from(k, 'base64').length === 32, {
      message: '32 bytes as 64 hex characters or base64',
    })
    .optional()
    .describe(
      'Read only by `npm run secrets:reseal`: the key the station secrets are re-sealed under; unset otherwise.',
    ),
  STATION_SECRET_OVERLAP_HOURS: z.coerce
    .number()
    .min(0)
    .max(720)
    .default(24)
    .describe("Hours a station's previous signing secret stays valid after a rotation."),
  INTAKE_MAX_CLOCK_SKEW_SECONDS: positiveInt
    .max(MAX_TEST_CLOCK_SKEW_SECONDS)
    .default(300)
    .describe(
      "Largest difference between a station's X-Timestamp and the server clock accepted; at most 3600 (more only with NODE_ENV=test, where the station kit's fixed test vectors are checked).",
    ),
  INTAKE_RATE_LIMIT_PER_SECOND: positiveInt
    .default(200)
    .describe('Detections per second a station may send (token bucket, all API instances).'),
  DETECTION_RETENTION_DAYS: positiveInt
    .min(30)
    .default(180)
    .describe(
      "How long raw no-violation detections and their photographs are kept after receipt, in days (a month is removed once all of it is older); never a lead's, a case's or an alert's. Default 180 (docs/scaling.md, Retention).",
    ),
  DETECTION_RETENTION_INTERVAL_MS: positiveInt
    .default(6 * 3_600_000)
    .describe('How often the worker removes the detections the retention no longer keeps; default 6 hours.'),
  INTAKE_RATE_LIMIT_BURST: positiveInt
    .default(400)
    .describe('Burst of detections a station may send above its rate.'),
  PUBLIC_RATE_LIMIT_PER_SECOND: positiveInt
    .default(5)
    .describe(
      'Requests per second one client address may make to the public, unauthenticated routes (the published ' +
        'penalty decisions and their feed; token bucket, all API instances).',
    ),
  PUBLIC_RATE_LIMIT_BURST: positiveInt
    .default(30)
    .describe('Burst of requests one client address may make to the public routes above its rate.'),
  /** Largest evidence file streamed through PUT .../evidence/{kind} (video). */
  INTAKE_EVIDENCE_UPLOAD_LIMIT_BYTES: positiveInt
    .default(512 * 1024 * 1024)
    .describe('Largest evidence file streamed through PUT /detections/{s}/{id}/evidence/{kind} (video).'),
  /** Screening jobs a worker holds at once; they are screened together in batches (at most 2 transactions). */
  SCREENING_CONCURRENCY: positiveInt
    .max(500)
    .default(64)
    .describe('Screening jobs a worker holds at once; they are screened together in batches of up to 50.'),
  /**
   * How long a screening batch that is not full waits for more jobs before it starts (0: at once). Fewer,
   * fuller transactions when detections trickle in, for at most this much later screening.
   */
  SCREENING_BATCH_LINGER_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(1000)
    .default(20)
    .describe('How long a screening batch that is not full waits for more jobs (0: it starts at once).'),
  /**
   * CPU priority (nice, 0-19) the worker gives its main thread: its work is background work, and where it shares
   * cores with the API the stations' requests go first. 0 leaves it as started.
   */
  WORKER_CPU_NICE: z.coerce
    .number()
    .int()
    .min(0)
    .max(19)
    .default(10)
    .describe(
      "Nice value (0-19) of the worker's main thread: where it shares cores with the API, requests go first.",
    ),
  /** GET /metrics is operational data, not public: served only to a scraper presenting this bearer token. */
  METRICS_TOKEN: z
    .string()
    .min(32, 'at least 32 characters')
    .optional()
    .describe(
      'Bearer token Prometheus presents for GET /metrics on the API and on the worker health port (32+ characters); unset: /metrics answers 404.',
    ),
  METRICS_CACHE_MS: positiveInt
    .max(300_000)
    .default(10_000)
    .describe(
      'How long the gauges read from Postgres and Redis on a scrape are reused (ms); scrapes in between read the cache.',
    ),
  /** Notice and deadline jobs a worker runs at once (the SMS and push rates are limited separately). */
  NOTICE_CONCURRENCY: positiveInt
    .max(500)
    .default(16)
    .describe('Notice jobs (SMS, push) a worker runs at once.'),
  DEADLINE_CONCURRENCY: positiveInt.max(500).default(16).describe('Deadline jobs a worker runs at once.'),
  OUTBOX_SWEEP_INTERVAL_MS: positiveInt
    .default(5000)
    .describe('How often the worker re-enqueues detections still unscreened after OUTBOX_STALE_AFTER_MS.'),
  OUTBOX_STALE_AFTER_MS: positiveInt
    .default(30_000)
    .describe('Age after which an unscreened detection is re-enqueued by the sweep.'),
  EVIDENCE_URL_TTL_SECONDS: positiveInt
    .max(7 * 86_400)
    .default(300)
    .describe('Lifetime of the presigned evidence URLs of GET /leads/{id}.'),
  /**
   * SMS notices (短信告知): `local` keeps them in the database (development), `http` posts to a generic vendor,
   * `aliyun` and `tencent` send through Alibaba Cloud SMS (dysmsapi) and Tencent Cloud SMS.
   */
  SMS_PROVIDER: z
    .enum(['local', 'http', 'aliyun', 'tencent'])
    .default('local')
    .describe(
      'Who sends the SMS notices: local (kept in the database), http (generic vendor), aliyun or tencent; default local.',
    ),
  SMS_HTTP_URL: z
    .string()
    .url()
    .optional()
    .describe("The generic HTTP SMS vendor's endpoint (SMS_PROVIDER=http)."),
  SMS_HTTP_API_KEY: z
    .string()
    .min(1)
    .optional()
    .describe("The generic HTTP SMS vendor's key, sent as X-Api-Key."),
  SMS_HTTP_TEMPLATE_ID: z
    .string()
    .min(1)
    .default('ecc-lead-notice')
    .describe("The generic HTTP SMS vendor's template id sent with every SMS."),
  /** HMAC-SHA256 key of the vendor's delivery receipts (X-Signature over the raw body). */
  SMS_HTTP_CALLBACK_SECRET: z
    .string()
    .min(16, 'at least 16 characters')
    .optional()
    .describe(
      "HMAC-SHA256 key of the generic HTTP vendor's delivery receipts (X-Signature over the raw body).",
    ),
  SMS_RATE_PER_SECOND: positiveInt
    .max(10_000)
    .default(10)
    .describe('SMS sends per second per provider (Redis token bucket shared by all workers).'),
  SMS_SIGN_NAME: z
    .string()
    .trim()
    .min(2)
    .max(30)
    .optional()
    .describe(
      'The approved SMS signature (签名) the aliyun and tencent providers send under; required for them.',
    ),
  SMS_TEMPLATE_CODE: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .describe(
      "The vendor's approved template (Alibaba Cloud TemplateCode, Tencent Cloud TemplateId) of the lead notice; required for aliyun and tencent.",
    ),
  SMS_TEMPLATE_PARAMS: z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z
            .string()
            .regex(
              /^([A-Za-z][A-Za-z0-9_]{0,24}=)?[A-Za-z][A-Za-z0-9]*$/,
              'variable or vendorName=variable, comma-separated',
            ),
        )
        .min(1)
        .max(20),
    )
    .optional()
    .describe(
      "The lead notice's values the vendor template takes, in its order (Tencent's {1},{2},...): comma-separated notice variables (plate, time, place, respondBy, ...), each optionally renamed for Alibaba Cloud's ${name} as name=variable; required for aliyun and tencent.",
    ),
  SMS_CALLBACK_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9_-]{32,128}$/, '32-128 letters, digits, - and _')
    .optional()
    .describe(
      'Secret last segment of the aliyun/tencent delivery-report URL (POST /notices/receipts/{provider}/{token}): the vendors do not sign their reports; required for aliyun and tencent.',
    ),
  SMS_ALIYUN_ACCESS_KEY_ID: z
    .string()
    .min(1)
    .optional()
    .describe('Alibaba Cloud AccessKey ID of a RAM user allowed dysmsapi:SendSms.'),
  SMS_ALIYUN_ACCESS_KEY_SECRET: z
    .string()
    .min(1)
    .optional()
    .describe('Alibaba Cloud AccessKey secret of that RAM user.'),
  SMS_ALIYUN_ENDPOINT: z
    .string()
    .url()
    .default('https://dysmsapi.aliyuncs.com')
    .describe('Alibaba Cloud SMS API endpoint; default https://dysmsapi.aliyuncs.com.'),
  SMS_TENCENT_SECRET_ID: z
    .string()
    .min(1)
    .optional()
    .describe('Tencent Cloud API SecretId allowed sms:SendSms.'),
  SMS_TENCENT_SECRET_KEY: z
    .string()
    .min(1)
    .optional()
    .describe('Tencent Cloud API SecretKey of that SecretId.'),
  SMS_TENCENT_SDK_APP_ID: z
    .string()
    .regex(/^\d{10}$/, 'the 10-digit SmsSdkAppId')
    .optional()
    .describe('Tencent Cloud SMS application id (SmsSdkAppId, 10 digits); required for tencent.'),
  SMS_TENCENT_REGION: z
    .string()
    .min(1)
    .default('ap-guangzhou')
    .describe('Tencent Cloud region of the SMS API; default ap-guangzhou.'),
  SMS_TENCENT_ENDPOINT: z
    .string()
    .url()
    .default('https://sms.tencentcloudapi.com')
    .describe(
      'Tencent Cloud SMS API endpoint (its first label names the signed service); default https://sms.tencentcloudapi.com.',
    ),
  SMS_TENCENT_PROXY: z
    .string()
    .url()
    .optional()
    .describe(
      'HTTP proxy (CONNECT) the Tencent Cloud SDK reaches its endpoint through, e.g. an egress proxy; default none.',
    ),
  /** Information push (信息推送): JSON list of {name, kind: enterprise|jurisdiction, url, secret}. */
  PUSH_ENDPOINTS: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not JSON' });
        return z.NEVER;
      }
    })
    .pipe(
      z.array(
        z.strictObject({
          name: z.string().min(1).max(200),
          kind: z.enum(['enterprise', 'jurisdiction']),
          url: z.string().url(),
          secret: z.string().min(16, 'at least 16 characters'),
        }),
      ),
    )
    .default([])
    .describe(
      'Information-push receivers as JSON: [{name, kind: enterprise|jurisdiction, url, secret}]; name `*` receives for any recipient.',
    ),
  /**
   * The notices policy's defaults for this installation (PUT /policies/notices replaces them per version): the
   * built-in text names a county and an example link, fine for development and refused in production.
   */
  NOTICE_AUTHORITY: z
    .string()
    .trim()
    .min(1)
    .max(60)
    .optional()
    .describe(
      '执法机关 that signs the SMS notices (default of the notices policy; built-in: the demo county).',
    ),
  NOTICE_OFFICE_ADDRESS: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'Where the party comes to be heard (default of the notices policy; built-in: the demo county).',
    ),
  NOTICE_OFFICE_HOURS: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe('Office hours the notices name (default of the notices policy).'),
  NOTICE_EVIDENCE_URL: z
    .string()
    .url()
    .max(200)
    .optional()
    .describe(
      'The link in every notice where the party sees the evidence and states a defence (default of the notices policy); required in production, where the built-in example link is refused.',
    ),
  NOTICE_CONTACT_PHONE: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .optional()
    .describe('The phone number the notices give (default of the notices policy).'),
  NOTICE_SMS_TEMPLATE: z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .optional()
    .describe(
      "The owner's SMS template with {placeholders} (default of the notices policy); an example link in it is refused in production.",
    ),
  PUSH_RATE_PER_SECOND: positiveInt
    .max(10_000)
    .default(20)
    .describe('Push sends per second per endpoint (Redis token bucket shared by all workers).'),
  /** Timeout of one call to the SMS vendor or a push endpoint. */
  NOTICE_HTTP_TIMEOUT_MS: positiveInt
    .max(120_000)
    .default(10_000)
    .describe(
      'Timeout of one call to the SMS vendor or a push endpoint (a timeout is a failed attempt, retried).',
    ),
  /** How often the worker enqueues notices still pending after NOTICE_STALE_AFTER_MS (a lost enqueue). */
  NOTICE_SWEEP_INTERVAL_MS: positiveInt
    .default(5000)
    .describe(
      'How often the worker enqueues notices due (pending after NOTICE_STALE_AFTER_MS, or a retry due).',
    ),
  NOTICE_STALE_AFTER_MS: positiveInt
    .default(5000)
    .describe('Age after which a pending notice is enqueued again by the sweep (a lost enqueue).'),
  NOTICE_RETRY_INITIAL_DELAY_MS: positiveInt
    .default(10_000)
    .describe(
      'Delay before the first retry of a notice its provider failed; each next delay doubles (default 10 s).',
    ),
  NOTICE_RETRY_MAX_DELAY_MS: positiveInt
    .default(600_000)
    .describe(
      'Longest delay between two attempts of a notice while its provider fails (default 10 minutes).',
    ),
  NOTICE_RETRY_PERIOD_MS: positiveInt
    .default(86_400_000)
    .describe(
      'How long after its first attempt a failing notice is still retried before it fails for good and its ' +
        "lead's officers are alerted to decide (default 24 hours).",
    ),
  NOTICE_RECEIPT_TIMEOUT_MS: positiveInt
    .default(172_800_000)
    .describe(
      "An SMS the vendor accepted but never reported delivered counts as failed after this long, so its lead's " +
        'officers decide instead of waiting forever (default 48 hours).',
    ),
  /** Pattern of case numbers (案号): {year} and {seq} or {seq:N}, gapless per year and pattern. */
  CASE_NUMBER_PATTERN: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .default('汨交罚〔{year}〕第{seq:4}号')
    .describe('Pattern of case numbers (案号): {year} and {seq} or {seq:N}; gapless per year and pattern.'),
  /** How often the worker looks for deadlines whose queue job was lost (approaching or due). */
  DEADLINE_SWEEP_INTERVAL_MS: positiveInt
    .default(60_000)
    .describe('How often the worker handles deadlines due or approaching whose queue job was lost.'),
  /** Working days before a deadline's last day when its officers and approver are alerted. */
  DEADLINE_APPROACHING_WORKING_DAYS: z.coerce
    .number()
    .int()
    .min(0)
    .max(10)
    .default(1)
    .describe("Working days before a deadline's last day when its officers and approver are alerted."),
  /** Admins are alerted when the working-day calendar in force covers this many days ahead or fewer. */
  WORKING_CALENDAR_WARN_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(366)
    .default(45)
    .describe(
      'Admins are alerted when the working-day calendar in force covers this many days ahead or fewer.',
    ),
  WORKING_CALENDAR_CHECK_INTERVAL_MS: positiveInt
    .default(6 * 3_600_000)
    .describe("How often the worker checks the working-day calendar's coverage."),
  /** How often the worker raises interception alerts an API missed (it died after a detection's commit). */
  FENCE_SWEEP_INTERVAL_MS: positiveInt
    .default(30_000)
    .describe(
      "How often the worker raises interception alerts an API missed (the last 15 minutes' detections).",
    ),
  STATISTICS_FOLD_INTERVAL_MS: positiveInt
    .default(60_000)
    .describe(
      'How often the worker folds the deltas of the kept counts (detections, leads, notices) into the daily counts of the statistics; default 60000 (1 minute).',
    ),
  STATISTICS_MAX_PERIOD_DAYS: positiveInt
    .max(3660)
    .default(1830)
    .describe('The longest period GET /statistics answers, in days; default 1830 (five years).'),
  STATISTICS_DATABASE_URL: postgresUrl
    .optional()
    .describe(
      'Postgres that statistics, exports and the annual report read: a read-only replica of DATABASE_URL, its figures as far behind as the replica (docs/scaling.md); unset: the primary.',
    ),
  STATISTICS_DATABASE_POOL_SIZE: positiveInt
    .max(100)
    .default(4)
    .describe(
      'Connections per API process to STATISTICS_DATABASE_URL (a pool of its own; unused when that is unset); a statistics request takes two; default 4.',
    ),

  /** Ed25519 private key (its 32-byte seed, hex or base64) signing the audit chain's checkpoints. */
  AUDIT_SIGNING_KEY: z
    .string()
    .refine((k) => /^[0-9a-f]{64}$/i.test(k) || Buffer.from(k, 'base64').length === 32, {
      message: '32 bytes as 64 hex characters or base64',
    })
    .optional()
    .describe(
      'Ed25519 seed (32 bytes, hex or base64) signing the audit checkpoints; required in production (development: generated once by `npm start`).',
    ),
  /**
   * After a rotation of AUDIT_SIGNING_KEY: the public keys (32 bytes, 64 hex characters, comma-separated) of the
   * keys it replaced, so that the checkpoints they signed still verify. `GET /audit/verify` shows the current one.
   */
  AUDIT_RETIRED_PUBLIC_KEYS: z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((k) => k.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z.string().regex(/^[0-9a-f]{64}$/, 'Ed25519 public keys as 64 hex characters, comma-separated'),
      ),
    )
    .default([])
    .describe(
      'After a rotation of AUDIT_SIGNING_KEY: the public keys (64 hex characters, comma-separated) of the keys it replaced, so that their checkpoints still verify.',
    ),
  AUDIT_CHECKPOINT_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(0)
    .max(36_500)
    .default(0)
    .describe(
      'Days each audit checkpoint object is kept under S3 Object Lock in compliance mode (the bucket needs Object Lock); 0: none.',
    ),
  /** How often the worker links new audit events into the hash chain. */
  AUDIT_SEAL_INTERVAL_MS: positiveInt
    .default(1000)
    .describe('How often the worker links new audit events into the hash chain.'),
  /** How often the worker signs the chain head and stores it in object storage (when the head moved). */
  AUDIT_CHECKPOINT_INTERVAL_MS: positiveInt
    .default(60_000)
    .describe('How often the worker signs the chain head into object storage (when it moved).'),
  /**
   * How often the worker verifies the chain against the stored checkpoints (alerts on a break): what was added
   * since its last run every AUDIT_VERIFY_INTERVAL_MS, the whole chain every AUDIT_FULL_VERIFY_INTERVAL_MS.
   */
  AUDIT_VERIFY_INTERVAL_MS: positiveInt
    .default(15 * 60_000)
    .describe('How often the worker verifies what was sealed since its last run (alerts on a break).'),
  AUDIT_FULL_VERIFY_INTERVAL_MS: positiveInt
    .default(24 * 3_600_000)
    .describe('How often the worker verifies the whole chain and every checkpoint (also at start).'),
  /** How often the worker re-hashes a random sample of stored evidence, and how many objects per run. */
  EVIDENCE_CHECK_INTERVAL_MS: positiveInt
    .default(10 * 60_000)
    .describe('How often the worker re-hashes a sample of stored evidence.'),
  EVIDENCE_CHECK_SAMPLE_SIZE: positiveInt
    .max(10_000)
    .default(20)
    .describe('Evidence objects re-hashed per run of that check.'),
});

export type Env = z.infer<typeof envSchema>;
