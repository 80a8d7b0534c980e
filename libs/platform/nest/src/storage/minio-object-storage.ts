import type { Readable } from 'node:stream';
import { Client } from 'minio';
import type { AppConfig } from '@ecc/shared-config';
import type { ObjectStorage, PresignedResponse, PutOptions, StoredObjectInfo } from '@ecc/shared-kernel';

function clientFor(url: string, storage: AppConfig['storage']): Client {
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
  ) {}

  static fromConfig(storage: AppConfig['storage']): MinioObjectStorage {
    const endpoint = storage.endpoint ?? `http://127.0.0.1:${storage.local.port}`;
    const client = clientFor(endpoint, storage);
    const publicClient = storage.publicEndpoint ? clientFor(storage.publicEndpoint, storage) : client;
    return new MinioObjectStorage(client, storage.evidenceBucket, storage.region, publicClient);
  }

  async ensureBucket(): Promise<void> {
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
    const result = await this.client.putObject(this.bucket, key, body, size, { 'Content-Type': contentType });
    // A second request: the client would send lock headers as user metadata (x-amz-meta-…), locking nothing.
    if (options.retainUntil) {
      await this.client.putObjectRetention(this.bucket, key, {
        mode: 'COMPLIANCE',
        retainUntilDate: options.retainUntil.toISOString(),
        // Versioned (Object Lock implies it): the version just written.
        versionId: result.versionId ?? '',
      });
    }
    const length = Buffer.isBuffer(body) ? body.length : (size ?? (await this.stat(key))?.size ?? 0);
    return { key, size: length, contentType, etag: result.etag };
  }

  async stat(key: string): Promise<StoredObjectInfo | null> {
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
    return this.client.getObject(this.bucket, key);
  }

  presignedGetUrl(key: string, expirySeconds: number, response: PresignedResponse): Promise<string> {
    return this.publicClient.presignedGetObject(this.bucket, key, expirySeconds, {
      'response-content-type': response.contentType,
      'response-content-disposition': response.contentDisposition,
    });
  }

  async listKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const item of this.client.listObjectsV2(this.bucket, prefix, true)) {
      if (item.name) keys.push(item.name);
    }
    return keys.sort();
  }

  async ping(): Promise<void> {
    if (!(await this.client.bucketExists(this.bucket)))
      throw new Error(`bucket ${this.bucket} does not exist`);
  }
}
