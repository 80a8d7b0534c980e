import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

/**
 * A local S3-compatible server for development and tests, where no MinIO runs. It speaks enough of the
 * S3 protocol for the minio client (buckets, put/stat/get/list/remove, presigned URLs); deployments use
 * real MinIO (docker/). Its only credentials are S3RVER / S3RVER (the configuration's defaults).
 */
export interface LocalS3Server {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

export async function startLocalS3Server(options: {
  directory: string;
  port: number;
}): Promise<LocalS3Server> {
  mkdirSync(options.directory, { recursive: true });
  // Loaded lazily: s3rver is a development dependency, absent from production images.
  const { default: S3rver } = await import('s3rver');
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port,
    directory: options.directory,
    silent: true,
  });
  const address = (await server.run()) as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    port: address.port,
    close: () => server.close(),
  };
}
