import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { metricsRegistry } from './metrics';

export type ScrapeAnswer =
  | { status: 200; contentType: string; body: string }
  | { status: 401 | 404; contentType: 'application/json'; body: string };

/**
 * GET /metrics, the same on the API and on the worker's health port: operational data (volumes, backlogs,
 * failures), not public. Served only when METRICS_TOKEN is configured, and then only to a request bearing it;
 * without the token configured the route answers 404, as if it did not exist.
 */
export async function answerScrape(
  authorization: string | undefined,
  token: string | undefined,
): Promise<ScrapeAnswer> {
  const json = (status: 401 | 404, body: object): ScrapeAnswer => ({
    status,
    contentType: 'application/json',
    body: JSON.stringify(body),
  });
  if (!token) return json(404, { status: 404, code: 'not_found' });
  if (!bearerMatches(authorization, token)) return json(401, { status: 401, code: 'metrics_token_required' });
  return { status: 200, contentType: metricsRegistry.contentType, body: await metricsRegistry.metrics() };
}

/** Compared in constant time (over digests, so the lengths do not leak either). */
function bearerMatches(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer (\S+)$/i.exec(authorization ?? '');
  if (!match) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1]!), digest(token));
}

/** Adds GET /metrics to the API's Fastify instance (outside /api/v1, like the health routes). */
export function serveMetrics(fastify: FastifyInstance, token: string | undefined): void {
  fastify.get('/metrics', async (request, reply) => {
    const answer = await answerScrape(request.headers.authorization, token);
    return reply.status(answer.status).header('content-type', answer.contentType).send(answer.body);
  });
}
