import Fastify, { type FastifyInstance } from 'fastify';
import { limitRequests } from './request-limits';

/** A real Fastify server with the limits, and a route that answers when the test lets it. */
async function serverWith(limits: Partial<Parameters<typeof limitRequests>[1]> = {}) {
  const fastify: FastifyInstance = Fastify();
  limitRequests(fastify, {
    requestTimeoutMs: 60_000,
    maxRequestsInFlight: 100,
    maxBodyBytesInFlight: 1_000_000,
    bodyLimitBytes: 1_000_000,
    retryAfterSeconds: 3,
    ...limits,
  });
  const waiting: Array<() => void> = [];
  const handler = () => new Promise((resolve) => waiting.push(() => resolve({ ok: true })));
  // As the API's: a form read whole (the intake's parser), evidence passed through as the request stream.
  fastify.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );
  fastify.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));
  fastify.post('/slow', handler);
  fastify.post('/long', { config: { requestTimeoutMs: 0 } }, handler);
  fastify.get('/health/ready', async () => ({ status: 'up' }));
  const url = await fastify.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    release: () => waiting.splice(0).forEach((go) => go()),
    waitingCount: () => waiting.length,
    close: () => fastify.close(),
  };
}

const post = (url: string, path: string, bytes = 10) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pad: 'x'.repeat(Math.max(0, bytes - 10)) }),
  });

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

describe('request limits', () => {
  it('answers 503 overloaded with Retry-After beyond the requests in flight, and admits again once they end', async () => {
    const server = await serverWith({ maxRequestsInFlight: 2 });
    try {
      const admitted = [post(server.url, '/slow'), post(server.url, '/slow')];
      await until(() => server.waitingCount() === 2);
      const shed = await post(server.url, '/slow');
      expect(shed.status).toBe(503);
      expect(shed.headers.get('retry-after')).toBe('3');
      expect(shed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await shed.json()).toMatchObject({ code: 'overloaded', status: 503 });
      // Health checks are always answered.
      expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
      server.release();
      expect((await Promise.all(admitted)).map((r) => r.status)).toEqual([200, 200]);
      const again = post(server.url, '/slow');
      await until(() => server.waitingCount() === 1);
      server.release();
      expect((await again).status).toBe(200);
    } finally {
      server.release();
      await server.close();
    }
  });

  it('counts the declared bytes of buffered bodies, always admitting the first', async () => {
    const server = await serverWith({ maxBodyBytesInFlight: 1000, bodyLimitBytes: 1000 });
    try {
      const first = post(server.url, '/slow', 900);
      await until(() => server.waitingCount() === 1);
      const tooMuch = await post(server.url, '/slow', 200);
      expect(tooMuch.status).toBe(503);
      expect(await tooMuch.json()).toMatchObject({ code: 'overloaded' });
      const small = post(server.url, '/slow', 50);
      await until(() => server.waitingCount() === 2);
      server.release();
      expect((await first).status).toBe(200);
      expect((await small).status).toBe(200);
    } finally {
      server.release();
      await server.close();
    }
  });

  it('counts the declared bytes of a multipart form like a JSON body, and none of a streamed upload', async () => {
    const server = await serverWith({ maxBodyBytesInFlight: 1000, bodyLimitBytes: 1000 });
    const send = (type: string, bytes: number) =>
      fetch(`${server.url}/slow`, {
        method: 'POST',
        headers: { 'content-type': type },
        body: Buffer.alloc(bytes, 0x61),
        signal: AbortSignal.timeout(10_000), // an admitted form would wait for release: fail, not hang
      });
    try {
      const first = send('multipart/form-data; boundary=x', 900);
      await until(() => server.waitingCount() === 1);
      const form = await send('multipart/form-data; boundary=x', 200);
      expect(form.status).toBe(503);
      expect(await form.json()).toMatchObject({ code: 'overloaded' });
      const json = await post(server.url, '/slow', 200);
      expect(json.status).toBe(503);
      const upload = send('application/octet-stream', 200);
      await until(() => server.waitingCount() === 2);
      server.release();
      expect((await first).status).toBe(200);
      expect((await upload).status).toBe(200);
    } finally {
      server.release();
      await server.close();
    }
  });

  it('answers 503 request_timeout at the deadline, except on a route without one', async () => {
    const server = await serverWith({ requestTimeoutMs: 200 });
    try {
      const long = post(server.url, '/long');
      const timedOut = await post(server.url, '/slow');
      expect(timedOut.status).toBe(503);
      expect(timedOut.headers.get('retry-after')).toBe('3');
      expect(await timedOut.json()).toMatchObject({ code: 'request_timeout' });
      // The handler of the timed-out request answering late changes nothing; the long one is still waiting.
      server.release();
      expect((await long).status).toBe(200);
    } finally {
      server.release();
      await server.close();
    }
  });
});
