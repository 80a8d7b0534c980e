import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '@ecc/shared-kernel';
import {
  DEPENDENCY_NAMES,
  dependencyFailureOf,
  type Dependency,
  type DependencyPorts,
} from '../faults/dependency-failure';
import { logThrottle } from '../observability/log-throttle';
import { problem, PROBLEM_CONTENT_TYPE, STATUS_BY_CATEGORY, type Problem } from './problem';
import type { RouteTable } from './route-table';
import { negotiateLanguage, type ProblemLanguage } from './problem-language';
import { localizeProblem } from './problem-messages';

/** How outages are answered: the Retry-After of a 503, and where the dependencies listen. */
export interface OutageAnswers {
  retryAfterSeconds: number;
  ports?: DependencyPorts;
}

const DEFAULT_OUTAGE_ANSWERS: OutageAnswers = { retryAfterSeconds: 5 };

/**
 * The one place where errors become HTTP: domain errors by their category, an unavailable dependency as 503
 * with Retry-After, framework and Fastify errors by their status, anything else as a 500 whose correlation id
 * is both in the response and in the log.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');
  /** An outage fails every request alike: one log line per dependency per 10 s. */
  private readonly outageLogs = new Map<Dependency, ReturnType<typeof logThrottle>>();

  constructor(
    private readonly outages: OutageAnswers = DEFAULT_OUTAGE_ANSWERS,
    /** The app's routes: a known path called with another method is a 405 with Allow, not a 404. */
    private readonly routes?: RouteTable,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const body =
      this.wrongMethod(exception, request) ?? toProblem(exception, String(request.id), this.outages);
    if (typeof body['dependency'] === 'string') {
      this.logOutage(body['dependency'] as Dependency, exception, String(request.id));
    } else if (body.status >= 500) {
      this.logger.error(
        { err: exception, requestId: request.id, correlationId: body.requestId },
        'unhandled error',
      );
    }
    // The request deadline may have answered already; the handler's own failure then has no one to go to.
    if (reply.sent || reply.raw.headersSent) return;
    sendProblem(reply, { ...body, instance: request.url.split('?')[0] });
  }

  private wrongMethod(exception: unknown, request: FastifyRequest): Problem | null {
    // Only an unmatched request has no route pattern; a matched one failing with a 404 is a missing entity.
    const unmatched = exception instanceof HttpException && exception.getStatus() === 404;
    if (!this.routes || !unmatched || request.routeOptions?.url) return null;
    const allow = this.routes.allowedMethods(request.url.split('?')[0]!);
    if (allow.length === 0 || allow.includes(request.method)) return null;
    return problem(405, 'method_not_allowed', `${request.method} is not allowed here`, {
      method: request.method,
      allow,
      requestId: String(request.id),
    });
  }

  private logOutage(dependency: Dependency, exception: unknown, requestId: string): void {
    let throttled = this.outageLogs.get(dependency);
    if (!throttled) this.outageLogs.set(dependency, (throttled = logThrottle()));
    throttled((suppressed) =>
      this.logger.warn(
        { err: exception, dependency, requestId, answeredAlikeSinceLastLine: suppressed },
        `${DEPENDENCY_NAMES[dependency]} is unavailable: answering 503`,
      ),
    );
  }
}

/**
 * Writes a problem in the language the caller accepts (`title` and `detail`; the `code` and the other fields
 * stay as they are for programs): zh-CN unless `Accept-Language` asks for English, and English for a station
 * (a request that names its station), whose vendor reads its logs in English unless it asks otherwise.
 */
export function sendProblem(reply: FastifyReply, body: Problem): void {
  const language = problemLanguageOf(reply.request);
  if (typeof body.retryAfterSeconds === 'number') reply.header('retry-after', String(body.retryAfterSeconds));
  if (Array.isArray(body['allow'])) reply.header('allow', (body['allow'] as string[]).join(', '));
  reply
    .status(body.status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .header('content-language', language)
    .header('vary', 'Accept-Language')
    .send(localizeProblem(body, language));
}

export function problemLanguageOf(request: FastifyRequest | undefined): ProblemLanguage {
  const headers = request?.headers ?? {};
  const fallback: ProblemLanguage = headers['x-station-code'] === undefined ? 'zh-CN' : 'en';
  const accept = headers['accept-language'];
  return negotiateLanguage(Array.isArray(accept) ? accept.join(',') : accept, fallback);
}

/** Fastify's own errors (body parsing, size limit, media type) carry a code and a status. */
const FASTIFY_CODES: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_content_length' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed_json' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed_json' },
};

export function toProblem(
  exception: unknown,
  requestId: string,
  outages: OutageAnswers = DEFAULT_OUTAGE_ANSWERS,
): Problem {
  const { retryAfterSeconds } = outages;
  const failure = dependencyFailureOf(exception, outages.ports);
  if (failure) {
    return problem(
      503,
      'dependency_unavailable',
      `${DEPENDENCY_NAMES[failure.dependency]} is unavailable (${failure.reason}); retry after ${retryAfterSeconds} s`,
      { dependency: failure.dependency, retryAfterSeconds, requestId },
    );
  }
  if (exception instanceof DomainError) {
    const { errors, ...extensions } = exception.details;
    return problem(STATUS_BY_CATEGORY[exception.category], exception.code, exception.message, {
      ...extensions,
      ...(errors ? { errors } : {}),
      requestId,
    });
  }
  // Nest wraps Fastify's errors in an HttpException whose cause keeps Fastify's code.
  const fastifyCode =
    (exception as { code?: string })?.code ?? (exception as { cause?: { code?: string } })?.cause?.code;
  if (fastifyCode && FASTIFY_CODES[fastifyCode]) {
    const { status, code } = FASTIFY_CODES[fastifyCode];
    return problem(status, code, (exception as Error).message, { requestId });
  }
  if (exception instanceof SyntaxError && (exception as { statusCode?: number }).statusCode === 400) {
    return problem(400, 'malformed_json', `the body is not valid JSON: ${exception.message}`, { requestId });
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status < 500) {
      const code = status === 404 ? 'route_not_found' : `http_${status}`;
      return problem(status, code, exception.message, { requestId });
    }
  }
  const statusCode = (exception as { statusCode?: number })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return problem(statusCode, `http_${statusCode}`, (exception as Error).message, { requestId });
  }
  return problem(500, 'internal_error', `An unexpected error occurred. Correlation id: ${requestId}`, {
    requestId,
    correlationId: requestId,
  });
}
