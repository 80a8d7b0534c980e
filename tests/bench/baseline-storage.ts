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
 * The client's CPU per new image stored through the product's storage adapter, in this process, one at a time,
 * three ways: as intake stored evidence until 2026-12-06 (ask whether the object exists, then minio's
 * `putObject`, which hashes the bytes for SigV4 — SHA-256 and an MD5 — over plain HTTP); asking first, then a PUT
 * signed with the sha256 the caller has; and one conditional PUT signed with it (as intake stores it now).
 */
export async function measureSignedPut(options: {
  endpoint: string;
  bytes: number;
  uploads: number;
}): Promise<{
  statPutObjectCpuMs: number;
  statKnownSha256CpuMs: number;
  conditionalKnownSha256CpuMs: number;
}> {
  const storage = MinioObjectStorage.fromConfig({
    endpoint: options.endpoint,
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
    region: 'us-east-1',
    evidenceBucket: `bench-put-${randomBytes(3).toString('hex')}`,
    local: { dir: '', port: 0 },
  });
  await storage.ensureBucket();
  const image = () => {
    const data = randomBytes(options.bytes);
    return { data, sha256: createHash('sha256').update(data).digest('hex') };
  };
  type Way = 'statPutObject' | 'statKnownSha256' | 'conditionalKnownSha256';
  const store = async (way: Way, { data, sha256 }: ReturnType<typeof image>) => {
    const key = `evidence/${sha256}`;
    if (way === 'conditionalKnownSha256')
      return storage.put(key, data, 'image/jpeg', data.length, { sha256, ifAbsent: true });
    if (await storage.stat(key)) return;
    return storage.put(key, data, 'image/jpeg', data.length, way === 'statKnownSha256' ? { sha256 } : {});
  };
  const cpuMsPerImage = async (way: Way, count: number) => {
    const images = Array.from({ length: count }, image);
    const before = process.cpuUsage();
    for (const i of images) await store(way, i);
    const used = process.cpuUsage(before);
    return Number(((used.user + used.system) / 1000 / count).toFixed(3));
  };
  const ways: Way[] = ['statPutObject', 'statKnownSha256', 'conditionalKnownSha256'];
  for (const way of ways) await cpuMsPerImage(way, 20); // warm-up: connections, compilation
  const result = { statPutObject: 0, statKnownSha256: 0, conditionalKnownSha256: 0 };
  // Alternating rounds, so that a change in the machine's load falls on all three alike.
  const rounds = 4;
  for (let r = 0; r < rounds; r++)
    for (const way of ways)
      result[way] += (await cpuMsPerImage(way, Math.ceil(options.uploads / rounds))) / rounds;
  return {
    statPutObjectCpuMs: Number(result.statPutObject.toFixed(3)),
    statKnownSha256CpuMs: Number(result.statKnownSha256.toFixed(3)),
    conditionalKnownSha256CpuMs: Number(result.conditionalKnownSha256.toFixed(3)),
  };
}
