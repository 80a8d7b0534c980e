import type { FastifyInstance } from 'fastify';

interface RoutePattern {
  pattern: RegExp;
  methods: Set<string>;
}

/** Fastify's path syntax (`/cases/:id/actions`, a trailing `*`) as a regular expression over a request path. */
function patternOf(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      // A parameter may carry a regular expression of its own (`:id(^\d+)`): any one segment matches it here.
      if (segment.startsWith(':')) return '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/**
 * Every route the app declares, by path: which methods a path answers, so that a known path called with
 * another method is a 405 with `Allow` (RFC 9110 §15.5.6) rather than a 404.
 */
export class RouteTable {
  private readonly routes = new Map<string, RoutePattern>();

  /** Records the routes as Fastify registers them: call before the app's routes are registered. */
  watch(fastify: FastifyInstance): this {
    fastify.addHook('onRoute', (route) => this.add(route.url, route.method));
    return this;
  }

  add(url: string, method: string | string[]): void {
    let entry = this.routes.get(url);
    if (!entry) this.routes.set(url, (entry = { pattern: patternOf(url), methods: new Set() }));
    for (const m of Array.isArray(method) ? method : [method]) entry.methods.add(m.toUpperCase());
  }

  /** The methods some route answers on this path (no query), sorted; empty for a path no route has. */
  allowedMethods(path: string): string[] {
    const allowed = new Set<string>();
    for (const { pattern, methods } of this.routes.values()) {
      if (pattern.test(path)) for (const m of methods) allowed.add(m);
    }
    return [...allowed].sort();
  }
}
