import { MinioObjectStorage } from '@ecc/platform-nest';
import type { TestApi } from './test-app';

/** The evidence bucket of a test API, through the same storage adapter the apps use (the local S3 server). */
export const storageOf = (api: TestApi) =>
  MinioObjectStorage.fromConfig({
    endpoint: api.env['S3_ENDPOINT'],
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
    region: 'us-east-1',
    evidenceBucket: api.env['EVIDENCE_BUCKET']!,
    local: { dir: '', port: 0 },
  });

/** The bytes stored under a key. */
export async function bytesOf(api: TestApi, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await storageOf(api).get(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
