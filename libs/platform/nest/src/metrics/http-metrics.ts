import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { metrics } from './metrics';

/** The route stations push detections to (its template, as Fastify registers it). */
const DETECTIONS_ROUTE = '/api/v1/detections';

/**
 * Counts and times every answered request by method, route template and status (Fastify's `onResponse`,
 * after the answer left: it adds no latency to it), and the stations' detections by result. The route is
 * the template (`/api/v1/cases/:id`), never the URL, so the number of series stays that of the routes.
 */
export function instrumentHttp(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (request.method === 'POST' && routeOf(request) === DETECTIONS_ROUTE) countDetection(reply, payload);
    return payload;
  });
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.httpRequests.observe(
      { method: request.method, route: routeOf(request), status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
}

function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

/** 202: accepted; 200: an identical repeat; anything else: refused, by the problem's code. */
function countDetection(reply: FastifyReply, payload: unknown): void {
  const status = reply.statusCode;
  if (status === 202) return metrics.detections.inc({ result: 'accepted', reason: '' });
  if (status === 200) return metrics.detections.inc({ result: 'duplicate', reason: '' });
  metrics.detections.inc({ result: 'refused', reason: problemCodeOf(payload) ?? `http_${status}` });
}

/** The `code` of a problem+json answer (only refusals are parsed: small bodies, off the accepted path). */
export function problemCodeOf(payload: unknown): string | undefined {
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return undefined;
  try {
    const code = (JSON.parse(payload.toString()) as { code?: unknown }).code;
    return typeof code === 'string' && /^[a-z0-9_]{1,64}$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}
