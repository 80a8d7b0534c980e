import { randomBytes } from 'node:crypto';
import { Client as Minio } from 'minio';

/**
 * Ceiling (c) of TOOLCHAIN.md: minio `putObject` of one evidence image to the S3 server, concurrency 16 —
 * what storing the images costs without HTTP intake, decoding, hashing and Postgres. Not product code.
 */
export async function measureStorageCeiling(options: {
  endpoint: string;
  bytes: number;
  seconds: number;
}): Promise<{ objects: number; seconds: number; objectsPerSecond: number }> {
  const url = new URL(options.endpoint);
  const minio = new Minio({
    endPoint: url.hostname,
    port: Number(url.port),
    useSSL: false,
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
  });
  const bucket = `bench-ceiling-${randomBytes(3).toString('hex')}`;
  await minio.makeBucket(bucket);
  const template = randomBytes(options.bytes);
  let objects = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (performance.now() < deadline) {
        const data = Buffer.from(template);
        randomBytes(16).copy(data, 0);
        await minio.putObject(bucket, `o-${objects}-${randomBytes(4).toString('hex')}`, data, data.length, {
          'Content-Type': 'image/jpeg',
        });
        objects++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { objects, seconds, objectsPerSecond: objects / seconds };
}
