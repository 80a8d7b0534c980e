import Fastify, { type FastifyInstance } from 'fastify';
import { DomainError } from '@ecc/shared-kernel';
import { BodyBufferPool } from './body-buffer-pool';
import {
  DetectionFormBody,
  detectionJsonParser,
  InlineEvidenceBody,
  registerStationBodyParsers,
} from './station-body-parsers';

const form = (boundary: string, parts: [string, Buffer][]) =>
  Buffer.concat([
    ...parts.flatMap(([name, data]) => [
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`),
      data,
      Buffer.from('\r\n'),
    ]),
    Buffer.from(`--${boundary}--\r\n`),
  ]);

describe('BodyBufferPool', () => {
  it('hands a buffer given back out again, for a body of the same size class only', () => {
    const pool = new BodyBufferPool();
    const first = pool.take(300_000);
    expect(first.length).toBeGreaterThanOrEqual(300_000);
    pool.give(first);
    expect(pool.size).toBe(1);
    expect(pool.take(200_000)).not.toBe(first); // another class
    expect(pool.take(310_000)).toBe(first);
    expect(pool.size).toBe(0);
  });

  it('keeps no view, no large buffer, no buffer twice and at most its bound per class', () => {
    const pool = new BodyBufferPool(1024 * 1024, 2);
    const buffer = pool.take(100_000);
    pool.give(buffer.subarray(0, 100_000));
    pool.give(pool.take(5_000_000));
    expect(pool.size).toBe(0);
    pool.give(buffer);
    pool.give(buffer);
    expect(pool.size).toBe(1);
    for (const b of [pool.take(100_000), pool.take(100_000), pool.take(100_000)]) pool.give(b);
    expect(pool.size).toBe(2);
  });
});

/** A detection form read by the station parsers, on a Fastify instance of its own (no app, no database). */
describe('the detection form parser', () => {
  let app: FastifyInstance;
  const seen: { parts: [string, string][]; rawBody?: string; form: DetectionFormBody }[] = [];

  beforeAll(async () => {
    app = Fastify({ bodyLimit: 64 * 1024 });
    registerStationBodyParsers(app, new Set(['/signed']));
    // As the app's problem filter does: a domain error by its code, Fastify's by their status.
    app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) =>
      error instanceof DomainError
        ? reply.status(422).send({ code: error.code })
        : reply.status(error.statusCode ?? 500).send({ code: (error as { code?: string }).code }),
    );
    for (const url of ['/signed', '/other']) {
      app.post(url, async (request) => {
        const body = request.body as DetectionFormBody;
        seen.push({
          parts: body.parts.map((p) => [p.name, p.data.toString('latin1')]),
          rawBody: request.rawBody?.toString('latin1'),
          form: body,
        });
        return { ok: true };
      });
    }
    await app.ready();
  });
  afterAll(() => app.close());
  beforeEach(() => (seen.length = 0));

  const post = (url: string, payload: Buffer, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url,
      payload,
      headers: { 'content-type': 'multipart/form-data; boundary=B0', ...headers },
    });

  it('reads the parts and keeps the bytes as the raw body of a signed route; a reused buffer shows only its own bytes', async () => {
    const long = form('B0', [
      ['detection', Buffer.from('{"n":1}')],
      ['side', Buffer.alloc(20_000, 0x41)],
    ]);
    const short = form('B0', [
      ['detection', Buffer.from('{"n":2}')],
      ['side', Buffer.alloc(19_000, 0x42)],
    ]);
    expect((await post('/signed', long)).statusCode).toBe(200);
    seen[0]!.form.release();
    expect((await post('/signed', short)).statusCode).toBe(200);
    expect(seen[1]!.parts).toEqual([
      ['detection', '{"n":2}'],
      ['side', 'B'.repeat(19_000)],
    ]);
    expect(seen[1]!.rawBody).toBe(short.toString('latin1'));
    expect((await post('/other', short)).statusCode).toBe(200);
    expect(seen[2]!.rawBody).toBeUndefined();
  });

  it('refuses a body over the limit (413) and a malformed form (422 malformed_form)', async () => {
    const large = form('B0', [['side', Buffer.alloc(70 * 1024)]]);
    const tooLarge = await post('/signed', large);
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json()).toEqual({ code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    const chunked = await app.inject({
      method: 'POST',
      url: '/signed',
      payload: large,
      headers: { 'content-type': 'multipart/form-data; boundary=B0', 'transfer-encoding': 'chunked' },
    });
    expect(chunked.statusCode).toBe(413);
    const malformed = await post('/signed', Buffer.from('not a form'));
    expect(malformed.statusCode).toBe(422);
    expect(malformed.json()).toEqual({ code: 'malformed_form' });
    expect(seen).toHaveLength(0);
  });
});

/**
 * The JSON parser of the detection route against Fastify's own (what the route had before): the same value or the
 * same refusal for every body, the images decoded from the bytes when the body is the plain case, the bytes read
 * kept as the raw body.
 */
describe('the detection JSON parser', () => {
  const apps: FastifyInstance[] = [];
  const make = async (ours: boolean) => {
    const app = Fastify({ bodyLimit: 512 * 1024 });
    if (ours) {
      app.removeContentTypeParser('application/json');
      app.addContentTypeParser('application/json', detectionJsonParser(app, new Set(['/signed'])));
    }
    app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) =>
      reply.status(error.statusCode ?? 500).send({ code: (error as { code?: string }).code }),
    );
    for (const url of ['/signed', '/other']) {
      app.post(url, async (request) => {
        const body = request.body;
        const raw = request.rawBody?.toString('latin1');
        if (!(body instanceof InlineEvidenceBody)) return { fields: body, raw };
        const fields = body.fields as { evidence: { data: string }[] };
        fields.evidence.forEach((item, i) => (item.data = body.evidence[i]!.toString('base64')));
        body.release();
        return { fields, taken: true, raw };
      });
    }
    await app.ready();
    apps.push(app);
    return app;
  };
  afterAll(() => Promise.all(apps.map((a) => a.close())));

  const image = Buffer.alloc(3000, 7).toString('base64');
  const plain = JSON.stringify({ lane: 2, evidence: [{ kind: 'side', data: image }] });
  const large = (fill: number) =>
    JSON.stringify({
      lane: fill,
      evidence: [{ kind: 'side', data: Buffer.alloc(100_000, fill).toString('base64') }],
    });
  it.each([
    ['the plain case', plain, true],
    ['the plain case, read into the pool', large(1), true],
    ['broken JSON outside the images', plain.replace('"lane":2', '"lane":'), false],
    ['a __proto__ key', plain.replace('"lane"', '"__proto__":{"a":1},"lane"'), false],
    [
      'a constructor.prototype key',
      plain.replace('"lane"', '"constructor":{"prototype":{"a":1}},"lane"'),
      false,
    ],
    [
      'an escaped slash in the image',
      plain.replace(image, `${image.slice(0, 8)}\\/${image.slice(8, -1)}`),
      false,
    ],
    ['duplicate data keys', plain.replace('"data":', `"data":"AAAA","data":`), false],
    ['a number as image', plain.replace(`"${image}"`, '12'), false],
    ['an empty body', '', false],
    ['a body over the limit', large(2).repeat(4), false],
  ])('%s: as Fastify’s parser, the bytes kept', async (_name, payload, taken) => {
    const [before, after] = [await make(false), await make(true)];
    const post = (app: FastifyInstance, url = '/signed') =>
      app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } });
    const [a, b] = [await post(before), await post(after)];
    expect(b.statusCode).toBe(a.statusCode);
    const { taken: wasTaken, raw, ...rest } = b.json<{ taken?: boolean; raw?: string }>();
    const { raw: _none, ...expected } = a.json<{ raw?: string }>();
    expect(rest).toEqual(expected);
    expect(wasTaken === true).toBe(taken);
    if (b.statusCode === 200) expect(raw).toBe(Buffer.from(payload).toString('latin1'));
    const other = await post(after, '/other');
    expect([other.statusCode, other.json<{ taken?: boolean }>().taken]).toEqual([a.statusCode, undefined]);
  });

  it('reads a chunked body (no Content-Length) and bodies into a reused buffer, each seeing only its own bytes', async () => {
    const app = await make(true);
    const first = await app.inject({
      method: 'POST',
      url: '/signed',
      payload: large(3),
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    });
    expect(first.json<{ taken: boolean }>().taken).toBe(true);
    for (const fill of [4, 5, 6]) {
      const payload = large(fill);
      const response = await app.inject({
        method: 'POST',
        url: '/signed',
        payload,
        headers: { 'content-type': 'application/json' },
      });
      const body = response.json<{ raw: string; fields: { lane: number; evidence: { data: string }[] } }>();
      expect(body.raw).toBe(payload);
      expect(body.fields.lane).toBe(fill);
      expect(Buffer.from(body.fields.evidence[0]!.data, 'base64').equals(Buffer.alloc(100_000, fill))).toBe(
        true,
      );
    }
  });
});
