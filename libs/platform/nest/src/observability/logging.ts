import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LoggerModule, type Params } from 'nestjs-pino';
import type { AppConfig } from '@ecc/shared-config';

/**
 * Structured JSON logs. Personal data (phone numbers, ID numbers, names of parties) and credentials are
 * redacted wherever they appear under these keys, in requests and in log objects alike.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-signature"]',
  'req.headers.cookie',
  '*.password',
  '*.passwordHash',
  '*.secret',
  '*.phone',
  '*.ownerPhone',
  '*.contactPhone',
  '*.idNumber',
  '*.idCardNo',
  '*.accessToken',
  '*.*.phone',
  '*.*.idNumber',
  // registry imports: owner and driver identity numbers, and whole rows should a body ever be logged
  '*.ownerIdNumber',
  '*.idNo',
  '*.qualificationCertificateNo',
  '*.rows',
];

/** Credentials in a query string (refused by the API, but the refusal is logged): their values are cut out. */
export function redactQuery(url: string): string {
  return url.replace(/([?&](?:access_token|accesstoken|token|id_token|code|state)=)[^&#]*/gi, '$1[redacted]');
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/** URLs whose last segment is a secret (the SMS vendors' delivery-report URLs): logged without it. */
const SECRET_URL = /^(.*\/notices\/receipts\/[a-z]+\/)[^/?]+/;

export function loggableUrl(url: string): string {
  return url.replace(SECRET_URL, '$1[redacted]');
}

/** A caller-supplied X-Request-Id is kept when well-formed, so one id follows a request across systems. */
export function requestIdOf(request: IncomingMessage): string {
  const header = request.headers['x-request-id'];
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * The level of a request's log line: a 503 is an answer the server chose (a dependency unavailable, a timeout,
 * shedding load; the problem filter logs the cause once), so a warning; any other 5xx or error is an error.
 */
export function responseLogLevel(status: number, err?: unknown): 'error' | 'warn' | 'info' {
  if (status === 503) return 'warn';
  if (err || status >= 500) return 'error';
  return status >= 400 ? 'warn' : 'info';
}

export function loggerModule(config: AppConfig, component: 'api' | 'worker') {
  const params: Params = {
    pinoHttp: {
      level: config.logLevel,
      base: { component },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // Fastify assigned the id already (genReqId); reuse it so logs and problem bodies agree.
      genReqId: (req) => (req as IncomingMessage & { id?: string }).id ?? requestIdOf(req),
      customLogLevel: (_req, res, err) => responseLogLevel(res.statusCode, err),
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: loggableUrl(redactQuery(req.url)),
        }),
      },
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') },
    },
  };
  return LoggerModule.forRoot(params);
}
