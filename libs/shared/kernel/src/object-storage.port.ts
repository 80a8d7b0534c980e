import type { Readable } from 'node:stream';

/** Evidence storage as a port: MinIO (or any S3 server) in production, a local S3 server in development. */
export interface StoredObjectInfo {
  key: string;
  size: number;
  contentType: string;
  etag: string;
}

export interface ObjectStorage {
  readonly bucket: string;
  put(key: string, body: Buffer | Readable, contentType: string, size?: number): Promise<StoredObjectInfo>;
  stat(key: string): Promise<StoredObjectInfo | null>;
  get(key: string): Promise<Readable>;
  presignedGetUrl(key: string, expirySeconds: number): Promise<string>;
  /** The keys under a prefix, in key order (S3 lists in UTF-8 binary order). */
  listKeys(prefix: string): Promise<string[]>;
  /** Reachable and the bucket exists (for readiness). */
  ping(): Promise<void>;
}
