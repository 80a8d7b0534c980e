import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { ObjectStorage } from '@ecc/shared-kernel';
import { evidenceKey } from '@ecc/intake-domain';
import { OBJECT_STORAGE } from '@ecc/platform-nest';

/**
 * Evidence bytes in the bucket under their content address. An existing object is not written again: its key
 * is its sha256, so it already holds these very bytes (bytes in memory go by a conditional PUT; a store that
 * ignores the condition rewrites the same bytes, which changes nothing).
 */
@Injectable()
export class EvidenceStore {
  constructor(@Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage) {}

  get bucket(): string {
    return this.storage.bucket;
  }

  async putIfAbsent(
    sha256: string,
    contentType: string,
    body: Buffer | (() => Readable),
    size: number,
  ): Promise<{ bucket: string; key: string }> {
    const key = evidenceKey(sha256);
    if (Buffer.isBuffer(body)) {
      // The bytes were hashed already (the hash is their key): the upload is signed with it, not hashed again,
      // and is conditional (the store keeps an existing object) rather than preceded by a question.
      await this.storage.put(key, body, contentType, size, { sha256, ifAbsent: true });
    } else if (!(await this.storage.stat(key))) {
      // A stream is opened only when it is to be sent.
      await this.storage.put(key, body(), contentType, size);
    }
    return { bucket: this.storage.bucket, key };
  }
}
