import type { FastifyRequest } from 'fastify';

/** The value of one cookie of a request (no cookie plugin: the few cookies this API sets are read here). */
export function cookieOf(request: FastifyRequest, name: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name && value.length > 0) return value.join('=') || null;
  }
  return null;
}
