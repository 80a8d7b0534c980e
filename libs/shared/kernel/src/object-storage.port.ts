import type { Readable } from 'node:stream';

/** Evidence storage as a port: MinIO (or any S3 server) in production, a local S3 server in development. */
export interface StoredObjectInfo {
  key: string;
  size: number;
  contentType: string;
  etag: string;
}

/** How a presigned URL answers (S3 response overrides): never the type a browser would render as a page. */
export interface PresignedResponse {
  contentType: string;
  contentDisposition: string;
}

export interface PutOptions {
  /** Object Lock in compliance mode until this instant: nobody, not even the storage's root, can delete it. */
  retainUntil?: Date;
  /**
   * The body's SHA-256 (hex), when the caller already knows it (evidence is stored under it): the store's
   * client may sign an upload of bytes in memory with it instead of hashing them again.
   */
  sha256?: string;
  /**
   * Content-addressed keys: an object already under the key holds these very bytes and is kept as it is, never
   * written again (the answer then describes it).
   */
  ifAbsent?: boolean;
}

export interface ObjectStorage {
  readonly bucket: string;
  put(
    key: string,
    body: Buffer | Readable,
    contentType: string,
    size?: number,
    options?: PutOptions,
  ): Promise<StoredObjectInfo>;
  stat(key: string): Promise<StoredObjectInfo | null>;
  get(key: string): Promise<Readable>;
  /** A GET URL for officers' browsers (S3_PUBLIC_ENDPOINT), answering with the given type and disposition. */
  presignedGetUrl(key: string, expirySeconds: number, response: PresignedResponse): Promise<string>;
  /** The keys under a prefix, in key order (S3 lists in UTF-8 binary order). */
  listKeys(prefix: string): Promise<string[]>;
  /** Removes the objects under `keys` (a key already absent is not an error). */
  remove(keys: readonly string[]): Promise<void>;
  /** Reachable and the bucket exists (for readiness). */
  ping(): Promise<void>;
}
