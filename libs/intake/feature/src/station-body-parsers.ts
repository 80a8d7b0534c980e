import { Transform } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '@ecc/shared-kernel';
import { formBoundary, MalformedFormError, parseForm, type FormPart } from '@ecc/intake-domain';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes of a signed JSON body (station routes only): the signature covers them, not the parse. */
    rawBody?: Buffer;
  }
}

/** The body of a `multipart/form-data` detection, split into its parts (detection-form.ts). */
export class DetectionFormBody {
  constructor(readonly parts: readonly FormPart[]) {}
}

const isForm = (contentType: string | undefined): boolean =>
  (contentType ?? '').trimStart().slice(0, 19).toLowerCase() === 'multipart/form-data';

/** Media types streamed through to the evidence upload instead of being read into memory. */
export const STREAMED_MEDIA_TYPES: (string | RegExp)[] = ['application/octet-stream', /^image\//, /^video\//];

/**
 * Body handling for the station routes, on the API's Fastify instance:
 * - for the routes in `rawBodyRoutes`, the bytes of the body are kept as `request.rawBody` while they are
 *   read (a `preParsing` tap): the signature covers those bytes, not their parse. Parsing itself (JSON,
 *   limits, errors) stays Fastify's and Nest's, for these routes as for every other.
 * - `multipart/form-data` (a detection with its photos as binary parts) is read and split into its parts; the
 *   bytes read are the raw body (not tapped as well: 300 KB of images would be copied twice);
 * - evidence media types are passed through as the request stream, unread: the upload route streams them
 *   to storage and enforces its own (larger) limit.
 */
export function registerStationBodyParsers(
  fastify: FastifyInstance,
  rawBodyRoutes: ReadonlySet<string>,
): void {
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    if (!rawBodyRoutes.has(request.routeOptions.url ?? '')) return payload;
    // A form is read whole by its parser, which keeps those bytes as the raw body: no second copy.
    if (isForm(request.headers['content-type'])) return payload;
    const chunks: Buffer[] = [];
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done(null, chunk);
      },
      flush(done) {
        request.rawBody = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        done();
      },
    });
    payload.on('error', (error) => tap.destroy(error));
    return payload.pipe(tap);
  });
  // A detection as a form: read whole (within the body limit, as JSON is), split into parts by reference.
  if (!fastify.hasContentTypeParser('multipart/form-data')) {
    fastify.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (request, body, done) => {
      const boundary = formBoundary(request.headers['content-type']);
      if (rawBodyRoutes.has(request.routeOptions.url ?? '')) request.rawBody = body as Buffer;
      try {
        if (!boundary) throw new MalformedFormError('no boundary in the content type');
        done(null, new DetectionFormBody(parseForm(body as Buffer, boundary)));
      } catch (error) {
        done(
          error instanceof MalformedFormError
            ? new DomainError(
                'validation',
                'malformed_form',
                `the multipart body is malformed: ${error.message}`,
              )
            : (error as Error),
        );
      }
    });
  }
  for (const type of STREAMED_MEDIA_TYPES) {
    if (!fastify.hasContentTypeParser(type)) {
      fastify.addContentTypeParser(type, (_request, payload, done) => done(null, payload));
    }
  }
}
