import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';

const ALGORITHM = 'AWS4-HMAC-SHA256';
const SERVICE = 's3';

/** `20261206T101500Z`: the SigV4 form of an instant (`x-amz-date`). */
export function amzDate(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** An object key as a SigV4 canonical URI path: each segment percent-encoded (RFC 3986 unreserved kept). */
export function canonicalKeyPath(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');
}

/**
 * AWS Signature Version 4 of a request in headers (`Authorization`), for the requests this adapter makes itself.
 * The signing key — four HMACs chained over the day, the region and the service — is derived once per day and
 * kept, as the protocol allows (it is valid for that day's scope); minio's client derives it again for every
 * request, which cost more than the rest of a signature. Only the `Authorization` value is made here: the caller
 * sends exactly the headers it names to be signed.
 */
export class SigV4Signer {
  private key?: { day: string; key: KeyObject };

  constructor(
    private readonly accessKey: string,
    private readonly secretKey: string,
    private readonly region: string,
  ) {}

  /**
   * `headers`: the signed headers, lower-case names (host and x-amz-date among them); `path`: the canonical URI
   * (already encoded); `payloadSha256`: the hex sha256 of the body, as sent in `x-amz-content-sha256`.
   */
  authorization(
    method: string,
    path: string,
    headers: Readonly<Record<string, string>>,
    payloadSha256: string,
  ): string {
    const date = headers['x-amz-date'];
    if (!date || !/^\d{8}T\d{6}Z$/.test(date)) throw new Error('x-amz-date is missing or malformed');
    const names = Object.keys(headers).sort();
    const signedHeaders = names.join(';');
    const canonicalRequest = [
      method.toUpperCase(),
      path,
      '',
      ...names.map((name) => `${name}:${headers[name]!.trim().replace(/ +/g, ' ')}`),
      '',
      signedHeaders,
      payloadSha256,
    ].join('\n');
    const day = date.slice(0, 8);
    const scope = `${day}/${this.region}/${SERVICE}/aws4_request`;
    const stringToSign = [
      ALGORITHM,
      date,
      scope,
      createHash('sha256').update(canonicalRequest).digest('hex'),
    ].join('\n');
    const signature = createHmac('sha256', this.signingKey(day)).update(stringToSign).digest('hex');
    return `${ALGORITHM} Credential=${this.accessKey}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  }

  private signingKey(day: string): KeyObject {
    if (this.key?.day !== day) {
      let key = createHmac('sha256', `AWS4${this.secretKey}`).update(day).digest();
      for (const part of [this.region, SERVICE, 'aws4_request'])
        key = createHmac('sha256', key).update(part).digest();
      this.key = { day, key: createSecretKey(key) };
    }
    return this.key.key;
  }
}
