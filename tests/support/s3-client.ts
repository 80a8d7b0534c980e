import { Client as Minio } from 'minio';
import type { TestApi } from './test-app';

/** An S3 client of the test's own on the API's object store (to look at or tamper with what it stores). */
export function s3ClientOf(api: TestApi): { minio: Minio; bucket: string } {
  const endpoint = new URL(api.env['S3_ENDPOINT']!);
  const minio = new Minio({
    endPoint: endpoint.hostname,
    port: Number(endpoint.port),
    useSSL: false,
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
    region: 'us-east-1',
  });
  return { minio, bucket: api.env['EVIDENCE_BUCKET']! };
}
