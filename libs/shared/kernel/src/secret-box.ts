import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Authenticated encryption (AES-256-GCM) of small secrets that must be readable again by the system
 * but never by a database reader: station signing secrets (HMAC needs the secret itself).
 * Layout: version(1) | iv(12) | tag(16) | ciphertext.
 */
export class SecretBox {
  private readonly key: Buffer;

  /** `key`: 32 bytes, given as 64 hex characters or base64. */
  constructor(key: string) {
    const bytes = /^[0-9a-f]{64}$/i.test(key) ? Buffer.from(key, 'hex') : Buffer.from(key, 'base64');
    if (bytes.length !== 32) throw new Error('a SecretBox key is 32 bytes (64 hex characters or base64)');
    this.key = bytes;
  }

  /** A stable, non-reversible fingerprint of the key, to tell which key sealed what. */
  get keyId(): string {
    return createHash('sha256').update(this.key).digest('hex').slice(0, 16);
  }

  seal(plaintext: string, associatedData = ''): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(associatedData));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([1]), iv, cipher.getAuthTag(), ciphertext]);
  }

  /** Throws when the box was tampered with, sealed with another key or for other associated data. */
  open(sealed: Uint8Array, associatedData = ''): string {
    const box = Buffer.from(sealed);
    if (box.length < 29 || box[0] !== 1) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, box.subarray(1, 13));
    decipher.setAAD(Buffer.from(associatedData));
    decipher.setAuthTag(box.subarray(13, 29));
    return Buffer.concat([decipher.update(box.subarray(29)), decipher.final()]).toString('utf8');
  }
}
