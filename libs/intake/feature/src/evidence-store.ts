import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { ObjectStorage } from '@ecc/shared-kernel';
import { evidenceKey } from '@ecc/intake-domain';
import { OBJECT_STORAGE } from '@ecc/platform-nest';

/**
 * Evidence bytes in the bucket under their content address. An existing object is never written again:
 * its key is its sha256, so it already holds these very bytes.
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
    if (!(await this.storage.stat(key))) {
      // The bytes were hashed already (the hash is their key): the upload is signed with it, not hashed again.
      await this.storage.put(key, Buffer.isBuffer(body) ? body : body(), contentType, size, { sha256 });
    }
    return { bucket: this.storage.bucket, key };
  }
}
