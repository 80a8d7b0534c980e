import type { Readable } from 'node:stream';
import { Client } from 'minio';
import type { AppConfig } from '@ecc/shared-config';
import type { ObjectStorage, StoredObjectInfo } from '@ecc/shared-kernel';

/** The object-storage port over the S3 protocol (MinIO in production, a local S3 server in development). */
export class MinioObjectStorage implements ObjectStorage {
  constructor(
    private readonly client: Client,
    readonly bucket: string,
    private readonly region: string,
  ) {}

  static fromConfig(storage: AppConfig['storage']): MinioObjectStorage {
    const endpoint = new URL(storage.endpoint ?? `http://127.0.0.1:${storage.local.port}`);
    const useSSL = endpoint.protocol === 'https:';
    const client = new Client({
      endPoint: endpoint.hostname,
      port: endpoint.port ? Number(endpoint.port) : useSSL ? 443 : 80,
      useSSL,
      accessKey: storage.accessKey,
      secretKey: storage.secretKey,
      region: storage.region,
      pathStyle: true,
    });
    return new MinioObjectStorage(client, storage.evidenceBucket, storage.region);
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
  ): Promise<StoredObjectInfo> {
    const result = await this.client.putObject(this.bucket, key, body, size, { 'Content-Type': contentType });
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

  presignedGetUrl(key: string, expirySeconds: number): Promise<string> {
    return this.client.presignedGetObject(this.bucket, key, expirySeconds);
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
