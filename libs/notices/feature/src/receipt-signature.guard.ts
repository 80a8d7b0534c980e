import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Transform } from 'node:stream';
import type { AppConfig } from '@ecc/shared-config';
import { DomainError } from '@ecc/shared-kernel';
import { verifyHmacSha256 } from '@ecc/notices-domain';
import { APP_CONFIG } from '@ecc/platform-nest';
import { RECEIPT_PROVIDERS } from './sms-gateway.port';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes of a signed JSON body: the signature covers them, not their parse. */
    rawBody?: Buffer;
  }
}

/** The receipts route as Fastify names it: its raw body is kept for the signature. */
export const RECEIPTS_ROUTE = '/api/v1/notices/receipts/:provider';

/** Keeps the raw bytes of the receipts route's body while Fastify reads them (parsing stays Fastify's). */
export function registerReceiptRawBody(fastify: FastifyInstance): void {
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    if (request.routeOptions.url !== RECEIPTS_ROUTE) return payload;
    const chunks: Buffer[] = [];
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done(null, chunk);
      },
      flush(done) {
        request.rawBody = Buffer.concat(chunks);
        done();
      },
    });
    payload.on('error', (error) => tap.destroy(error));
    return payload.pipe(tap);
  });
}

/**
 * A receipt signed by its SMS vendor: `X-Signature` = hex HMAC-SHA256(SMS_HTTP_CALLBACK_SECRET, raw body).
 * Checked before the body is validated, so an unsigned caller learns nothing about the body schema.
 */
@Injectable()
export class ReceiptSignatureGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest<{ Params: { provider?: string } }>>();
    const provider = request.params.provider ?? '';
    const secret = provider in RECEIPT_PROVIDERS ? this.config.notices.sms.http?.callbackSecret : undefined;
    if (!secret) {
      throw new DomainError(
        'not_found',
        'receipt_provider_unknown',
        `no provider "${provider}" sends receipts here`,
      );
    }
    const header = request.headers['x-signature'];
    const signature = Array.isArray(header) ? header[0] : header;
    if (!request.rawBody || !verifyHmacSha256(secret, request.rawBody, signature)) {
      throw new DomainError(
        'unauthenticated',
        'receipt_signature_invalid',
        'the receipt signature does not match its body',
      );
    }
    return true;
  }
}
