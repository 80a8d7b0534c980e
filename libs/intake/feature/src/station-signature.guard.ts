import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '@ecc/shared-kernel';
import {
  mediaTypeOf,
  SIGNATURE_HEADERS,
  signatureVersionOf,
  verifySignature,
  type SignedRequest,
} from '@ecc/intake-domain';
import {
  StationAuthenticator,
  unauthenticatedStation,
  type AuthenticatedStation,
} from './station-authenticator';
import { StationRateLimiter } from './station-rate-limiter';

declare module 'fastify' {
  interface FastifyRequest {
    /** The station that signed the request (station routes). */
    station?: AuthenticatedStation;
  }
}

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * What the request's signature covers besides its bytes, by `X-Signature-Version` (see station-signature.ts).
 * The path is the request's, percent-decoded: a station signs its own identifiers as they are.
 */
export function signedRequestOf(request: FastifyRequest, { v2Only = false } = {}): SignedRequest {
  const timestamp = header(request, SIGNATURE_HEADERS.timestamp) ?? '';
  const version = signatureVersionOf(header(request, SIGNATURE_HEADERS.version));
  if (version === null || (v2Only && version !== 2)) {
    throw new DomainError(
      'unauthenticated',
      'signature_version_unsupported',
      v2Only
        ? 'evidence uploads are signed with X-Signature-Version: 2 (method, path, media type, timestamp and bytes)'
        : 'X-Signature-Version is 1 or 2',
    );
  }
  if (version === 1) return { version, timestamp };
  let path: string;
  try {
    path = decodeURIComponent(request.url.split('?')[0]!);
  } catch {
    throw unauthenticatedStation();
  }
  return {
    version,
    method: request.method,
    path,
    mediaType: mediaTypeOf(header(request, 'content-type')),
    timestamp,
  };
}

function authenticated(request: FastifyRequest, station: AuthenticatedStation): void {
  request.station = station;
  request.actor = { kind: 'station', id: station.stationId, code: station.code };
}

/**
 * A JSON request signed by a station: timestamp window, known active station, HMAC over the raw body with
 * any secret valid now (rotation overlap), then the station's rate limit. Runs before body validation, so
 * an unsigned caller learns nothing about the body schema.
 */
@Injectable()
export class SignedJsonGuard implements CanActivate {
  constructor(
    private readonly stations: StationAuthenticator,
    private readonly rateLimiter: StationRateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const code = header(request, SIGNATURE_HEADERS.station);
    const timestamp = header(request, SIGNATURE_HEADERS.timestamp);
    const signature = header(request, SIGNATURE_HEADERS.signature) ?? '';
    let station = await this.stations.identify(code, timestamp);
    const raw = request.rawBody;
    if (!raw) {
      throw new DomainError(
        'validation',
        'unsupported_media_type',
        'a signed body is sent as application/json or multipart/form-data',
      );
    }
    const signed = signedRequestOf(request);
    let ok = verifySignature(station.secrets, signed, raw, signature);
    if (!ok && this.stations.mayRefresh(station.code)) {
      // The station may have rotated its secret in the last seconds: read its secrets once more.
      station = await this.stations.identify(code, timestamp, { fresh: true });
      ok = verifySignature(station.secrets, signed, raw, signature);
    }
    if (!ok) throw unauthenticatedStation();
    authenticated(request, station);
    await this.rateLimiter.take(station.stationId);
    return true;
  }
}

/**
 * A streamed upload from a station: headers, signature version (2 only), timestamp window and rate limit are
 * checked here, before a byte is read; the signature covers the bytes and is checked by the use case once they
 * have streamed.
 */
@Injectable()
export class SignedStreamGuard implements CanActivate {
  constructor(
    private readonly stations: StationAuthenticator,
    private readonly rateLimiter: StationRateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const station = await this.stations.identify(
      header(request, SIGNATURE_HEADERS.station),
      header(request, SIGNATURE_HEADERS.timestamp),
    );
    signedRequestOf(request, { v2Only: true });
    authenticated(request, station);
    await this.rateLimiter.take(station.stationId);
    return true;
  }
}
