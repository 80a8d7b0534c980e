import { z } from 'zod';

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
const redisUrl = z
  .string()
  .url()
  .refine((u) => /^rediss?:\/\//.test(u), { message: 'must be a redis:// or rediss:// URL' });

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: port.default(3000),
  WORKER_HEALTH_PORT: port.default(3001),
  BODY_LIMIT_BYTES: positiveInt.default(16 * 1024 * 1024),

  DATABASE_URL: postgresUrl.default('postgresql://postgres@127.0.0.1:5432/ecc'),
  DATABASE_POOL_SIZE: positiveInt.default(10),
  MIGRATE_ON_START: bool.default(true),

  REDIS_URL: redisUrl.default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]{1,32}$/, 'lower-case letters, digits, - and _ only')
    .default('ecc'),

  S3_ENDPOINT: z.string().url().optional(),
  S3_ACCESS_KEY: z.string().min(3).default('S3RVER'),
  S3_SECRET_KEY: z.string().min(3).default('S3RVER'),
  S3_REGION: z.string().min(1).default('us-east-1'),
  EVIDENCE_BUCKET: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'an S3 bucket name (3-63 lower-case letters, digits, . and -)',
    )
    .default('ecc-evidence'),
  S3_PUBLIC_ENDPOINT: z
    .string()
    .url()
    .optional()
    .describe(
      "Where officers' browsers reach object storage (e.g. https://evidence.bureau.example); presigned evidence URLs are signed for it. Default: S3_ENDPOINT.",
    ),
  LOCAL_S3_DIR: z.string().min(1).default('.data/s3'),
  LOCAL_KEYS_FILE: z
    .string()
    .min(1)
    .default('.data/keys.env')
    .describe(
      'Where `npm start` keeps the keys it generated once for this installation (file mode 600, git-ignored); default .data/keys.env.',
    ),
  LOCAL_S3_PORT: port.default(9000),

  JWT_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  JWT_TTL_SECONDS: positiveInt.max(86_400).default(3600),
  JWT_ISSUER: z.string().min(1).default('ecc'),
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
  BOOTSTRAP_ADMIN_USERNAME: z.string().min(3).max(64).optional(),
  BOOTSTRAP_ADMIN_PASSWORD: z.string().min(12, 'at least 12 characters').max(256).optional(),

  BUREAU_TIMEZONE: timeZone.default('Asia/Shanghai'),
  /** The issuing authority printed on the case documents (行政处罚决定书 Art. 59: the authority's name). */
  BUREAU_NAME: z.string().trim().min(2).max(64).default('汨罗市交通运输局'),

  /** Key sealing secrets the system must read back (station signing secrets): 32 bytes, hex or base64. */
  SECRETS_KEY: z
    .string()
    .refine((k) => /^[0-9a-f]{64}$/i.test(k) || Buffer.from(k, 'base64').length === 32, {
      message: '32 bytes as 64 hex characters or base64',
    })
    .optional(),
  NEW_SECRETS_KEY: z
    .string()
    .refine((k) => /^[0-9a-f]{64}$/i.test(k) || Buffer.from(k, 'base64').length === 32, {
      message: '32 bytes as 64 hex characters or base64',
    })
    .optional()
    .describe(
      'Read only by `npm run secrets:reseal`: the key the station secrets are re-sealed under; unset otherwise.',
    ),
  STATION_SECRET_OVERLAP_HOURS: z.coerce.number().min(0).max(720).default(24),
  INTAKE_MAX_CLOCK_SKEW_SECONDS: positiveInt.max(3600).default(300),
  INTAKE_RATE_LIMIT_PER_SECOND: positiveInt.default(200),
  INTAKE_RATE_LIMIT_BURST: positiveInt.default(400),
  /** Largest evidence file streamed through PUT .../evidence/{kind} (video). */
  INTAKE_EVIDENCE_UPLOAD_LIMIT_BYTES: positiveInt.default(512 * 1024 * 1024),
  /** Screening jobs a worker holds at once; they are screened together in batches (at most 2 transactions). */
  SCREENING_CONCURRENCY: positiveInt.max(500).default(64),
  /**
   * How long a screening batch that is not full waits for more jobs before it starts (0: at once). Fewer,
   * fuller transactions when detections trickle in, for at most this much later screening.
   */
  SCREENING_BATCH_LINGER_MS: z.coerce.number().int().min(0).max(1000).default(20),
  /**
   * CPU priority (nice, 0-19) the worker gives its main thread: its work is background work, and where it shares
   * cores with the API the stations' requests go first. 0 leaves it as started.
   */
  WORKER_CPU_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /** Notice and deadline jobs a worker runs at once (the SMS and push rates are limited separately). */
  NOTICE_CONCURRENCY: positiveInt.max(500).default(16),
  DEADLINE_CONCURRENCY: positiveInt.max(500).default(16),
  OUTBOX_SWEEP_INTERVAL_MS: positiveInt.default(5000),
  OUTBOX_STALE_AFTER_MS: positiveInt.default(30_000),
  EVIDENCE_URL_TTL_SECONDS: positiveInt.max(7 * 86_400).default(300),
  /** SMS notices (短信告知): `local` keeps them in the database (development), `http` posts to a vendor. */
  SMS_PROVIDER: z.enum(['local', 'http']).default('local'),
  SMS_HTTP_URL: z.string().url().optional(),
  SMS_HTTP_API_KEY: z.string().min(1).optional(),
  SMS_HTTP_TEMPLATE_ID: z.string().min(1).default('ecc-lead-notice'),
  /** HMAC-SHA256 key of the vendor's delivery receipts (X-Signature over the raw body). */
  SMS_HTTP_CALLBACK_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  SMS_RATE_PER_SECOND: positiveInt.max(10_000).default(10),
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
    .default([]),
  PUSH_RATE_PER_SECOND: positiveInt.max(10_000).default(20),
  /** Timeout of one call to the SMS vendor or a push endpoint. */
  NOTICE_HTTP_TIMEOUT_MS: positiveInt.max(120_000).default(10_000),
  /** How often the worker enqueues notices still pending after NOTICE_STALE_AFTER_MS (a lost enqueue). */
  NOTICE_SWEEP_INTERVAL_MS: positiveInt.default(5000),
  NOTICE_STALE_AFTER_MS: positiveInt.default(5000),
  /** Pattern of case numbers (案号): {year} and {seq} or {seq:N}, gapless per year and pattern. */
  CASE_NUMBER_PATTERN: z.string().trim().min(1).max(100).default('汨交罚〔{year}〕第{seq:4}号'),
  /** How often the worker looks for deadlines whose queue job was lost (approaching or due). */
  DEADLINE_SWEEP_INTERVAL_MS: positiveInt.default(60_000),
  /** Working days before a deadline's last day when its officers and approver are alerted. */
  DEADLINE_APPROACHING_WORKING_DAYS: z.coerce.number().int().min(0).max(10).default(1),
  /** Admins are alerted when the working-day calendar in force covers this many days ahead or fewer. */
  WORKING_CALENDAR_WARN_DAYS: z.coerce.number().int().min(1).max(366).default(45),
  WORKING_CALENDAR_CHECK_INTERVAL_MS: positiveInt.default(6 * 3_600_000),
  /** How often the worker raises interception alerts an API missed (it died after a detection's commit). */
  FENCE_SWEEP_INTERVAL_MS: positiveInt.default(30_000),
  STATISTICS_FOLD_INTERVAL_MS: positiveInt
    .default(60_000)
    .describe(
      'How often the worker folds the detection-count deltas into the daily counts of the statistics; default 60000 (1 minute).',
    ),
  STATISTICS_MAX_PERIOD_DAYS: positiveInt
    .max(3660)
    .default(1830)
    .describe('The longest period GET /statistics answers, in days; default 1830 (five years).'),

  /** Ed25519 private key (its 32-byte seed, hex or base64) signing the audit chain's checkpoints. */
  AUDIT_SIGNING_KEY: z
    .string()
    .refine((k) => /^[0-9a-f]{64}$/i.test(k) || Buffer.from(k, 'base64').length === 32, {
      message: '32 bytes as 64 hex characters or base64',
    })
    .optional(),
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
    .default([]),
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
  AUDIT_SEAL_INTERVAL_MS: positiveInt.default(1000),
  /** How often the worker signs the chain head and stores it in object storage (when the head moved). */
  AUDIT_CHECKPOINT_INTERVAL_MS: positiveInt.default(60_000),
  /**
   * How often the worker verifies the chain against the stored checkpoints (alerts on a break): what was added
   * since its last run every AUDIT_VERIFY_INTERVAL_MS, the whole chain every AUDIT_FULL_VERIFY_INTERVAL_MS.
   */
  AUDIT_VERIFY_INTERVAL_MS: positiveInt.default(15 * 60_000),
  AUDIT_FULL_VERIFY_INTERVAL_MS: positiveInt.default(24 * 3_600_000),
  /** How often the worker re-hashes a random sample of stored evidence, and how many objects per run. */
  EVIDENCE_CHECK_INTERVAL_MS: positiveInt.default(10 * 60_000),
  EVIDENCE_CHECK_SAMPLE_SIZE: positiveInt.max(10_000).default(20),
});

export type Env = z.infer<typeof envSchema>;
