import { createHash, randomBytes } from 'node:crypto';
import { Client as Minio } from 'minio';
import { MinioObjectStorage } from '@ecc/platform-nest';

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

/**
 * The client's CPU per upload of one image through the product's storage adapter, in this process, one at a
 * time: minio's `putObject` (which hashes the bytes for SigV4 — SHA-256 and an MD5 — over plain HTTP), and the
 * same upload signed with the sha256 the caller already has (as intake does: it checked the digest).
 */
export async function measureSignedPut(options: {
  endpoint: string;
  bytes: number;
  uploads: number;
}): Promise<{ putObjectCpuMs: number; knownSha256CpuMs: number }> {
  const storage = MinioObjectStorage.fromConfig({
    endpoint: options.endpoint,
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
    region: 'us-east-1',
    evidenceBucket: `bench-put-${randomBytes(3).toString('hex')}`,
    local: { dir: '', port: 0 },
  });
  await storage.ensureBucket();
  const images = Array.from({ length: options.uploads * 2 }, () => {
    const data = randomBytes(options.bytes);
    return { data, sha256: createHash('sha256').update(data).digest('hex') };
  });
  const cpuMsPerUpload = async (batch: typeof images, known: boolean) => {
    const before = process.cpuUsage();
    for (const image of batch)
      await storage.put(
        `evidence/${image.sha256}`,
        image.data,
        'image/jpeg',
        image.data.length,
        known ? { sha256: image.sha256 } : {},
      );
    const used = process.cpuUsage(before);
    return Number(((used.user + used.system) / 1000 / batch.length).toFixed(3));
  };
  // Warm both paths first (the first requests open connections and compile).
  await cpuMsPerUpload(images.slice(0, 20), false);
  await cpuMsPerUpload(images.slice(20, 40), true);
  const half = options.uploads;
  return {
    putObjectCpuMs: await cpuMsPerUpload(images.slice(40, half), false),
    knownSha256CpuMs: await cpuMsPerUpload(images.slice(half, 2 * half - 40), true),
  };
}
