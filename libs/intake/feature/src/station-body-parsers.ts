import type { FastifyInstance } from 'fastify';
import { DomainError } from '@ecc/shared-kernel';
import { formBoundary, MalformedFormError, parseForm, type FormPart } from '@ecc/intake-domain';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The exact bytes of a signed body (station routes): the signature covers them, not their parse. Set for JSON
     * by the JSON parser (the app is created with Nest's `rawBody`), for a form by the form parser below.
     */
    rawBody?: Buffer;
  }
}

/** The body of a `multipart/form-data` detection, split into its parts (detection-form.ts). */
export class DetectionFormBody {
  constructor(readonly parts: readonly FormPart[]) {}
}

/** Media types streamed through to the evidence upload instead of being read into memory. */
export const STREAMED_MEDIA_TYPES: (string | RegExp)[] = ['application/octet-stream', /^image\//, /^video\//];

/**
 * Body handling for the station routes, on the API's Fastify instance:
 * - a JSON body is parsed by the app's JSON parser (Fastify's, through Nest), which keeps the bytes it parsed as
 *   `request.rawBody` (created with `rawBody: true`, create-http-app.ts): the signature covers those bytes, not
 *   their parse. (Until 2026-12-06 a tap on the body stream of these routes copied them: 400 KB of base64 twice.)
 * - `multipart/form-data` (a detection with its photos as binary parts) is read and split into its parts; the
 *   bytes read are the raw body, for the routes in `rawBodyRoutes`;
 * - evidence media types are passed through as the request stream, unread: the upload route streams them
 *   to storage and enforces its own (larger) limit.
 */
export function registerStationBodyParsers(
  fastify: FastifyInstance,
  rawBodyRoutes: ReadonlySet<string>,
): void {
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
