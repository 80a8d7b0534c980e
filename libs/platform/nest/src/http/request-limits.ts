import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problem } from './problem';
import { sendProblem } from './problem.filter';

/** Routes that answer whatever the load: orchestrators must see the process's state, overloaded or not. */
const ALWAYS_ADMITTED = new Set(['/health/live', '/health/ready']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's own request deadline (0: none), instead of HTTP_REQUEST_TIMEOUT_MS. */
    requestTimeoutMs?: number;
  }
}

/**
 * A route whose answers legitimately take long (a streamed upload or download, a verification of the whole
 * audit trail, a large import): exempt from HTTP_REQUEST_TIMEOUT_MS. Its dependencies' own timeouts still apply.
 */
export const LongRunning = (): MethodDecorator => RouteConfig({ requestTimeoutMs: 0 });

export interface RequestLimits {
  requestTimeoutMs: number;
  maxRequestsInFlight: number;
  maxBodyBytesInFlight: number;
  bodyLimitBytes: number;
  retryAfterSeconds: number;
}

function answer503(
  request: FastifyRequest,
  reply: FastifyReply,
  code: string,
  detail: string,
  retryAfterSeconds: number,
) {
  sendProblem(reply, {
    ...problem(503, code, `${detail}; retry after ${retryAfterSeconds} s`, {
      retryAfterSeconds,
      requestId: String(request.id),
    }),
    instance: request.url.split('?')[0],
  });
}

/**
 * The request deadline: a request not answered within HTTP_REQUEST_TIMEOUT_MS (or its route's own) is answered
 * 503 `request_timeout` with Retry-After. Its handler is not stopped — the dependencies' timeouts end it — and
 * its late answer is dropped. A response already under way (a stream) is left alone.
 */
function applyRequestDeadlines(fastify: FastifyInstance, limits: RequestLimits): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const timeoutMs = request.routeOptions.config?.requestTimeoutMs ?? limits.requestTimeoutMs;
    if (timeoutMs <= 0) return done();
    const timer = setTimeout(() => {
      if (reply.sent || reply.raw.headersSent) return;
      answer503(
        request,
        reply,
        'request_timeout',
        'the request could not be answered in time',
        limits.retryAfterSeconds,
      );
      // The handler goes on until its dependencies answer or time out; what it sends then has no one to go to.
      reply.send = () => reply;
    }, timeoutMs);
    reply.raw.once('close', () => clearTimeout(timer));
    done();
  });
}

/**
 * The body bytes a request will hold in memory: JSON, text and form (`multipart/form-data`: a station's
 * detection with its photos, read whole by the intake's parser) bodies are read whole before the handler runs
 * (up to the body limit; without a Content-Length, assume the limit). Streamed bodies (evidence uploads) pass
 * through and hold none.
 */
function bufferedBodyBytes(request: FastifyRequest, bodyLimitBytes: number): number {
  const type = String(request.headers['content-type'] ?? '').toLowerCase();
  const buffered = /^(application\/([a-z0-9.+-]*\+)?json|text\/|multipart\/form-data)/.test(type);
  if (!buffered) return 0;
  const declared = Number(request.headers['content-length']);
  return Number.isFinite(declared) && declared >= 0 ? Math.min(declared, bodyLimitBytes) : bodyLimitBytes;
}

/**
 * Load shedding: beyond `maxRequestsInFlight` requests, or `maxBodyBytesInFlight` body bytes held, a request
 * is answered 503 `overloaded` with Retry-After at once, before its body is read — rather than queueing without
 * bound while a dependency stalls (memory grows with every waiting body). A request counts until its response
 * is finished or its connection closed. The first request is always admitted, whatever its size.
 */
function limitRequestsInFlight(fastify: FastifyInstance, limits: RequestLimits): void {
  let requests = 0;
  let bodyBytes = 0;
  fastify.addHook('onRequest', (request, reply, done) => {
    if (ALWAYS_ADMITTED.has(request.routeOptions.url ?? '')) return done();
    const bytes = bufferedBodyBytes(request, limits.bodyLimitBytes);
    const tooMany = requests >= limits.maxRequestsInFlight;
    const tooLarge = requests > 0 && bodyBytes + bytes > limits.maxBodyBytesInFlight;
    if (tooMany || tooLarge) {
      const held = tooMany ? `${requests} requests` : `${bodyBytes} body bytes`;
      answer503(
        request,
        reply,
        'overloaded',
        `the server holds as much as it may (${held})`,
        limits.retryAfterSeconds,
      );
      return;
    }
    requests++;
    bodyBytes += bytes;
    reply.raw.once('close', () => {
      requests--;
      bodyBytes -= bytes;
    });
    done();
  });
}

/**
 * While the app shuts down (a deploy, SIGTERM) the requests still arriving on open connections are answered
 * 503 `shutting_down` with Retry-After and `Connection: close` — a problem like every other refusal (Fastify's
 * own 503 is not one; the adapter turns it off) — while those in flight finish.
 */
function refuseWhileClosing(fastify: FastifyInstance, limits: RequestLimits): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!closing) return done();
    reply.header('connection', 'close');
    answer503(request, reply, 'shutting_down', 'this server is shutting down', limits.retryAfterSeconds);
  });
}

/**
 * The bounds on the requests of an HTTP app: how long each may take, how many may wait at once, and none
 * started while it shuts down. Create the Fastify instance with `return503OnClosing: false`.
 */
export function limitRequests(fastify: FastifyInstance, limits: RequestLimits): void {
  refuseWhileClosing(fastify, limits);
  limitRequestsInFlight(fastify, limits);
  applyRequestDeadlines(fastify, limits);
}
