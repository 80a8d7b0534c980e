import type { ObjectStorage } from '@ecc/shared-kernel';

/** The whole content of a small stored object as UTF-8 text. */
export async function readObjectText(storage: ObjectStorage, key: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await storage.get(key)) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  }
  return Buffer.concat(chunks).toString('utf8');
}
