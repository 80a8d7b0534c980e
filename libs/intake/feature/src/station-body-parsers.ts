import type { Readable } from 'node:stream';
import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify';
import { DomainError } from '@ecc/shared-kernel';
import {
  formBoundary,
  MalformedFormError,
  parseForm,
  splitInlineEvidence,
  type FormPart,
} from '@ecc/intake-domain';
import { BodyBufferPool } from './body-buffer-pool';

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
  private pooled: Buffer | undefined;

  constructor(
    readonly parts: readonly FormPart[],
    /** The buffer the parts are views of, when it came from `formBodies`. */
    pooled?: Buffer,
  ) {
    this.pooled = pooled;
  }

  /**
   * The request is done with the bytes — handled, its uploads answered and sent: the buffer may hold the next
   * form. Not called on a failure (an upload may still be sending the bytes): that buffer is left to the GC.
   */
  release(): void {
    if (this.pooled) formBodies.give(this.pooled);
    this.pooled = undefined;
  }
}

/**
 * A JSON detection whose inline evidence was decoded from the body's bytes (inline-evidence.ts): `fields` is the
 * parsed JSON with each evidence item's `data` replaced by a placeholder, `evidence[i]` the bytes of item i.
 */
export class InlineEvidenceBody {
  private pooled: Buffer[];

  constructor(
    readonly fields: unknown,
    readonly evidence: readonly Buffer[],
    /** The pool's buffers behind the evidence bytes and the raw body (the signature is checked over it). */
    pooled: (Buffer | undefined)[] = [],
  ) {
    this.pooled = pooled.filter((b) => b !== undefined);
  }

  /** As `DetectionFormBody.release`: the request is done with the bytes (its evidence and its raw body). */
  release(): void {
    for (const buffer of this.pooled) formBodies.give(buffer);
    this.pooled = [];
  }
}

/** The buffers that detection forms are read into, and inline evidence is decoded into (body-buffer-pool.ts). */
const formBodies = new BodyBufferPool();

type BodyParserDone = (error: Error | null, body?: unknown) => void;

/** A JSON body from this size on is read into the pool (a detection with images); a smaller one (without) is not. */
const POOLED_JSON_FROM = 64 * 1024;

/**
 * The app's `application/json` parser, reading the body stream itself: Fastify's own JSON parser
 * (`onProtoPoisoning`/`onConstructorPoisoning` as configured, the same errors) over the bytes read as Fastify reads
 * them (`readBody`), which are kept as `request.rawBody` (as Nest's `rawBody` option did), except on the routes of
 * `inlineEvidenceRoutes`: there a body with images is read into the pool, the base64 images are decoded straight
 * from its bytes (`splitInlineEvidence`) and only the rest is parsed. When the body is not the plain case, or its
 * rest does not parse, the whole body is parsed as before — every refusal is the one it always was.
 */
export function detectionJsonParser(
  fastify: FastifyInstance,
  inlineEvidenceRoutes: ReadonlySet<string>,
): (request: FastifyRequest, payload: Readable, done: BodyParserDone) => void {
  const { onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
  // Typed for a string, it takes the buffer as well (secure-json-parse decodes it), as Nest's default calls it.
  const parseJson = fastify.getDefaultJsonParser(
    onProtoPoisoning ?? 'error',
    onConstructorPoisoning ?? 'error',
  ) as unknown as (request: FastifyRequest, body: Buffer, done: BodyParserDone) => void;
  return (request, payload, done) => {
    const limit = request.routeOptions.bodyLimit ?? fastify.initialConfig.bodyLimit ?? 1024 * 1024;
    const length = request.headers['content-length'];
    const takesImages = inlineEvidenceRoutes.has(request.routeOptions.url ?? '');
    const pool = takesImages && Number(length) >= POOLED_JSON_FROM ? formBodies : undefined;
    readBody(payload, length, limit, pool, (error, body, pooledBody) => {
      if (error || !body) return done(error ?? new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
      request.rawBody = body;
      if (!takesImages) return parseJson(request, body, done);
      let pooledEvidence: Buffer | undefined;
      const split = splitInlineEvidence(body, (n) => (pooledEvidence = formBodies.take(n)));
      if (!split) {
        // The raw body stays with the request (the signature is checked over it): left to the GC, not given back.
        if (pooledEvidence) formBodies.give(pooledEvidence);
        return parseJson(request, body, done);
      }
      parseJson(request, split.json, (parseError, fields) => {
        if (parseError) return parseJson(request, body, done);
        done(null, new InlineEvidenceBody(fields, split.evidence, [pooledEvidence, pooledBody]));
      });
    });
  };
}

/**
 * Reads a body whole, as Fastify's own parsers do (the same limit and errors: 413 beyond `limit`, 400 when fewer
 * bytes arrive than Content-Length says), but — given a pool — into a buffer of the pool when its length is
 * declared: one copy of each chunk and no buffer allocated per request; without a Content-Length (chunked), or
 * without a pool, into a buffer of its own.
 */
function readBody(
  payload: Readable,
  contentLength: string | undefined,
  limit: number,
  pool: BodyBufferPool | undefined,
  done: (error: Error | null, body?: Buffer, pooled?: Buffer) => void,
): void {
  const declared = contentLength !== undefined && /^\d+$/.test(contentLength) ? Number(contentLength) : NaN;
  if (declared > limit) return done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
  // Taken with the first byte, not before: a connection that declares a length and sends nothing holds nothing.
  let target: Buffer | undefined;
  const chunks: Buffer[] = [];
  let received = 0;
  const finish = (error: Error | null, body?: Buffer) => {
    payload.removeListener('data', onData);
    payload.removeListener('end', onEnd);
    payload.removeListener('error', onEnd);
    done(error, body, body && pool && target);
  };
  const onData = (chunk: Buffer) => {
    if (received + chunk.length > limit) return finish(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
    if (!Number.isNaN(declared)) {
      if (received + chunk.length > declared)
        return finish(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
      target ??= pool ? pool.take(declared) : Buffer.allocUnsafe(declared);
      chunk.copy(target, received);
    } else chunks.push(chunk);
    received += chunk.length;
  };
  const onEnd = (error?: Error & { statusCode?: number }) => {
    if (error) {
      if (!(typeof error.statusCode === 'number' && error.statusCode >= 400)) error.statusCode = 400;
      return finish(error);
    }
    if (!Number.isNaN(declared) && received !== declared)
      return finish(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
    finish(null, target ? target.subarray(0, received) : Buffer.concat(chunks, received));
  };
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onEnd);
  payload.resume();
}

/** Media types streamed through to the evidence upload instead of being read into memory. */
export const STREAMED_MEDIA_TYPES: (string | RegExp)[] = ['application/octet-stream', /^image\//, /^video\//];

/**
 * Body handling for the station routes, on the API's Fastify instance:
 * - a JSON body is parsed by the app's JSON parser — `detectionJsonParser`, registered through Nest, which keeps the
 *   bytes it parsed as `request.rawBody` (created with `rawBody: true`, create-http-app.ts): the signature covers
 *   those bytes, not their parse. (Until 2026-12-06 a tap on the body stream of these routes copied them: 400 KB of
 *   base64 twice.) This function registers the other two:
 * - `multipart/form-data` (a detection with its photos as binary parts) is read — into a reused buffer
 *   (`readBody`) — and split into its parts; the bytes read are the raw body, for the routes in `rawBodyRoutes`;
 * - evidence media types are passed through as the request stream, unread: the upload route streams them
 *   to storage and enforces its own (larger) limit.
 */
export function registerStationBodyParsers(
  fastify: FastifyInstance,
  rawBodyRoutes: ReadonlySet<string>,
): void {
  // A detection as a form: read whole (within the body limit, as JSON is), split into parts by reference.
  if (!fastify.hasContentTypeParser('multipart/form-data')) {
    fastify.addContentTypeParser('multipart/form-data', (request, payload, done) => {
      const limit = request.routeOptions.bodyLimit ?? fastify.initialConfig.bodyLimit ?? 1024 * 1024;
      readBody(payload, request.headers['content-length'], limit, formBodies, (error, body, pooled) => {
        if (error || !body) return done(error ?? new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
        const boundary = formBoundary(request.headers['content-type']);
        if (rawBodyRoutes.has(request.routeOptions.url ?? '')) request.rawBody = body;
        try {
          if (!boundary) throw new MalformedFormError('no boundary in the content type');
          done(null, new DetectionFormBody(parseForm(body, boundary), pooled));
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
    });
  }
  for (const type of STREAMED_MEDIA_TYPES) {
    if (!fastify.hasContentTypeParser(type)) {
      fastify.addContentTypeParser(type, (_request, payload, done) => done(null, payload));
    }
  }
}
