import http, { type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { Client } from 'minio';
import type { AppConfig } from '@ecc/shared-config';
import type { ObjectStorage, PresignedResponse, PutOptions, StoredObjectInfo } from '@ecc/shared-kernel';
import { DependencyFailure, transportFailureReason } from '../faults/dependency-failure';
import { amzDate, canonicalKeyPath, SigV4Signer } from './sigv4';

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * minio's transport with a bound on silence: a request whose socket sends or receives nothing for `timeoutMs`
 * (connecting included, and the body of the answer) is destroyed. A frozen store would otherwise hold every
 * request that touches it for as long as it stays frozen.
 */
function silenceBoundTransport(
  base: typeof http | typeof https,
  timeoutMs: number,
): Pick<typeof http, 'request'> {
  // minio calls request(options, callback) only.
  const request = (
    options: RequestOptions,
    callback?: (response: IncomingMessage) => void,
  ): ClientRequest => {
    const outgoing = base.request({ ...options, timeout: timeoutMs }, callback);
    outgoing.on('timeout', () => outgoing.destroy(new DependencyFailure('storage', 'timeout')));
    return outgoing;
  };
  return { request: request as typeof http.request };
}

/** A failure of the store itself (refused, reset, silent, 5xx) is reported as its unavailability. */
function attributed(error: unknown): unknown {
  if (error instanceof DependencyFailure) return error;
  const reason = transportFailureReason(error);
  return reason ? new DependencyFailure('storage', reason, { cause: error }) : error;
}

/**
 * What the adapter needs to send a PUT itself (bytes in memory whose sha256 is known), over HTTP or HTTPS: minio's
 * client hashes what it sends over HTTP (SHA-256 and MD5), asks first whether the object exists, and derives the
 * SigV4 signing key again for every request.
 */
interface DirectPut {
  endpoint: URL;
  transport: Pick<typeof http, 'request'>;
  signer: SigV4Signer;
}

function directPutFor(
  url: string,
  storage: Pick<AppConfig['storage'], 'accessKey' | 'secretKey' | 'region'>,
  timeoutMs: number,
): DirectPut | undefined {
  const endpoint = new URL(url);
  if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') return undefined;
  return {
    endpoint,
    // Node's global agents keep connections alive (since Node 19), as minio's requests do.
    transport: silenceBoundTransport(endpoint.protocol === 'https:' ? https : http, timeoutMs),
    signer: new SigV4Signer(storage.accessKey, storage.secretKey, storage.region),
  };
}

/** The S3 error of an answer other than the ones expected: its `<Code>` as `code`, a 5xx as the store's failure. */
async function answerError(response: IncomingMessage): Promise<Error> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const xml = Buffer.concat(chunks).toString('utf8');
  const code = /<Code>([^<]*)<\/Code>/.exec(xml)?.[1] ?? `HTTP${response.statusCode}`;
  const message = /<Message>([^<]*)<\/Message>/.exec(xml)?.[1] ?? `the store answered ${response.statusCode}`;
  const error = Object.assign(new Error(message), { code, statusCode: response.statusCode });
  return (response.statusCode ?? 0) >= 500 && !transportFailureReason(error)
    ? new DependencyFailure('storage', 'unreachable', { cause: error })
    : error;
}

function clientFor(
  url: string,
  storage: Pick<AppConfig['storage'], 'accessKey' | 'secretKey' | 'region'>,
  timeoutMs: number,
): Client {
  const endpoint = new URL(url);
  const useSSL = endpoint.protocol === 'https:';
  return new Client({
    endPoint: endpoint.hostname,
    port: endpoint.port ? Number(endpoint.port) : useSSL ? 443 : 80,
    useSSL,
    accessKey: storage.accessKey,
    secretKey: storage.secretKey,
    // Set, so that presigning never asks the endpoint for the bucket's region (the public one may be unreachable).
    region: storage.region,
    pathStyle: true,
    transport: silenceBoundTransport(useSSL ? https : http, timeoutMs),
  });
}

/** The object-storage port over the S3 protocol (MinIO in production, a local S3 server in development). */
export class MinioObjectStorage implements ObjectStorage {
  constructor(
    private readonly client: Client,
    readonly bucket: string,
    private readonly region: string,
    /** Signs the URLs handed to browsers: S3_PUBLIC_ENDPOINT, or the same client. */
    private readonly publicClient: Client = client,
    /** Sends the PUTs of bytes whose sha256 is known (otherwise minio's `putObject`). */
    private readonly direct?: DirectPut,
  ) {}

  static fromConfig(
    storage: Omit<AppConfig['storage'], 'timeoutMs'> & { timeoutMs?: number },
  ): MinioObjectStorage {
    const timeoutMs = storage.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const endpoint = storage.endpoint ?? `http://127.0.0.1:${storage.local.port}`;
    const client = clientFor(endpoint, storage, timeoutMs);
    const publicClient = storage.publicEndpoint
      ? clientFor(storage.publicEndpoint, storage, timeoutMs)
      : client;
    return new MinioObjectStorage(
      client,
      storage.evidenceBucket,
      storage.region,
      publicClient,
      directPutFor(endpoint, storage, timeoutMs),
    );
  }

  /** Runs a call to the store, reporting a failure of the store as DependencyFailure('storage'). */
  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw attributed(error);
    }
  }

  ensureBucket(): Promise<void> {
    return this.call(() => this.createBucketIfMissing());
  }

  private async createBucketIfMissing(): Promise<void> {
    if (!(await this.client.bucketExists(this.bucket))) {
      try {
        await this.client.makeBucket(this.bucket, this.region);
      } catch (error) {
        // Another process created it in between.
        if (!(await this.client.bucketExists(this.bucket))) throw error;
      }
    }
  }

  async put(
    key: string,
    body: Buffer | Readable,
    contentType: string,
    size?: number,
    options: PutOptions = {},
  ): Promise<StoredObjectInfo> {
    const hashed = !!options.sha256 && !!this.direct && Buffer.isBuffer(body);
    if (options.ifAbsent && !hashed) {
      const existing = await this.stat(key);
      if (existing) return existing;
    }
    const result = await this.call(() =>
      hashed
        ? this.putHashed(key, body as Buffer, contentType, options.sha256!, !!options.ifAbsent)
        : this.client.putObject(this.bucket, key, body, size, { 'Content-Type': contentType }),
    );
    if (result === 'exists') return { key, size: (body as Buffer).length, contentType, etag: '' };
    // A second request: the client would send lock headers as user metadata (x-amz-meta-…), locking nothing.
    const retainUntil = options.retainUntil;
    if (retainUntil) {
      await this.call(() =>
        this.client.putObjectRetention(this.bucket, key, {
          mode: 'COMPLIANCE',
          retainUntilDate: retainUntil.toISOString(),
          // Versioned (Object Lock implies it): the version just written.
          versionId: result.versionId ?? '',
        }),
      );
    }
    const length = Buffer.isBuffer(body) ? body.length : (size ?? (await this.stat(key))?.size ?? 0);
    return { key, size: length, contentType, etag: result.etag };
  }

  /**
   * One PUT of bytes in memory, signed with the payload hash the caller already has. Over plain HTTP minio's
   * `putObject` hashes the body twice more for SigV4 (SHA-256, and an MD5 it then does not send) and derives
   * the signing key anew (four HMACs) for every request: this request is made and signed here instead
   * (`SigV4Signer`, the key kept for the day). The store still checks the bytes against the signed hash, so a
   * wrong `sha256` is refused, never stored — over HTTPS too, where minio would sign `UNSIGNED-PAYLOAD` and leave
   * the bytes unchecked by the store. A stream (which a retry could not send again) goes through `putObject`.
   *
   * `ifAbsent`: a conditional PUT (`If-None-Match: *`) instead of asking first whether the object exists — one
   * request instead of two; `exists` when the store answers 412. A store that ignores the condition writes the
   * same bytes again under the same key, which content addressing makes harmless; so is sending it again when
   * a kept-alive connection turns out closed before any answer.
   */
  private async putHashed(
    key: string,
    body: Buffer,
    contentType: string,
    sha256: string,
    ifAbsent: boolean,
  ): Promise<{ etag: string; versionId: string | null } | 'exists'> {
    let sent: { request: ClientRequest; response: IncomingMessage };
    try {
      sent = await this.sendPut(key, body, contentType, sha256, ifAbsent);
    } catch (error) {
      if (transportFailureReason(error) !== 'connection lost') throw error;
      sent = await this.sendPut(key, body, contentType, sha256, ifAbsent);
    }
    const { request, response } = sent;
    if (response.statusCode !== 200 && !(ifAbsent && response.statusCode === 412))
      throw await answerError(response);
    response.resume();
    await new Promise((resolve, reject) => response.once('end', resolve).once('error', reject));
    // A store may answer (a 412) before it has read the body: the put is over once no byte of `body` is left to
    // send, so that the caller may then reuse the buffer (intake reads detection forms into reused buffers).
    if (!request.writableFinished)
      await new Promise((resolve) => request.once('finish', resolve).once('close', resolve));
    if (response.statusCode === 412) return 'exists';
    const version = response.headers['x-amz-version-id'];
    return {
      etag: String(response.headers.etag ?? '').replace(/^"|"$/g, ''),
      versionId: typeof version === 'string' ? version : null,
    };
  }

  private sendPut(
    key: string,
    body: Buffer,
    contentType: string,
    sha256: string,
    ifAbsent: boolean,
  ): Promise<{ request: ClientRequest; response: IncomingMessage }> {
    const { endpoint, transport, signer } = this.direct!;
    // Path style, as the client is configured.
    const path = `/${canonicalKeyPath(this.bucket)}/${canonicalKeyPath(key)}`;
    const signed: Record<string, string> = {
      host: endpoint.host,
      'x-amz-content-sha256': sha256,
      'x-amz-date': amzDate(new Date()),
      ...(ifAbsent ? { 'if-none-match': '*' } : {}),
    };
    return new Promise((resolve, reject) => {
      const request = transport.request(
        {
          method: 'PUT',
          hostname: endpoint.hostname,
          port: endpoint.port || (endpoint.protocol === 'https:' ? 443 : 80),
          path,
          headers: {
            ...signed,
            authorization: signer.authorization('PUT', path, signed, sha256),
            'content-type': contentType,
            'content-length': body.length,
          },
        },
        (response) => resolve({ request, response }),
      );
      request.once('error', reject);
      request.end(body);
    });
  }

  stat(key: string): Promise<StoredObjectInfo | null> {
    return this.call(() => this.statOrNull(key));
  }

  private async statOrNull(key: string): Promise<StoredObjectInfo | null> {
    try {
      const s = await this.client.statObject(this.bucket, key);
      return {
        key,
        size: s.size,
        contentType: String(s.metaData?.['content-type'] ?? 'application/octet-stream'),
        etag: s.etag,
      };
    } catch (error) {
      if (
        (error as { code?: string }).code === 'NotFound' ||
        (error as { code?: string }).code === 'NoSuchKey'
      ) {
        return null;
      }
      throw error;
    }
  }

  get(key: string): Promise<Readable> {
    return this.call(() => this.client.getObject(this.bucket, key));
  }

  presignedGetUrl(key: string, expirySeconds: number, response: PresignedResponse): Promise<string> {
    return this.publicClient.presignedGetObject(this.bucket, key, expirySeconds, {
      'response-content-type': response.contentType,
      'response-content-disposition': response.contentDisposition,
    });
  }

  listKeys(prefix: string): Promise<string[]> {
    return this.call(async () => {
      const keys: string[] = [];
      for await (const item of this.client.listObjectsV2(this.bucket, prefix, true)) {
        if (item.name) keys.push(item.name);
      }
      return keys.sort();
    });
  }

  async remove(keys: readonly string[]): Promise<void> {
    // At most 1,000 keys per request (S3's DeleteObjects).
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      const failed = await this.call(() => this.client.removeObjects(this.bucket, [...batch]));
      const errors = failed.filter((r) => r?.Error && r.Error.Code !== 'NoSuchKey');
      if (errors.length > 0)
        throw new Error(`could not remove ${errors.length} objects, e.g. ${errors[0]?.Error?.Key}`);
    }
  }

  async ping(): Promise<void> {
    if (!(await this.call(() => this.client.bucketExists(this.bucket))))
      throw new Error(`bucket ${this.bucket} does not exist`);
  }
}
