import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { DependencyFailure } from '../faults/dependency-failure';
import { MinioObjectStorage } from './minio-object-storage';

/**
 * The upload of bytes whose sha256 the caller knows, against a stand-in for an S3 server that records what it
 * receives: the payload hash sent is the caller's (SigV4 `x-amz-content-sha256`), the PUT is conditional when
 * asked, and a 412 (the object exists: MinIO and S3 honour `If-None-Match: *`) is the existing object, not a
 * failure. (The local S3 server of the e2e tests ignores the condition and overwrites.)
 */
describe('MinioObjectStorage.put with a known sha256', () => {
  let server: Server;
  const received: { method: string; url: string; headers: IncomingHttpHeaders; bytes: number }[] = [];
  let answer = 200;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let bytes = 0;
      req.on('data', (c: Buffer) => (bytes += c.length));
      req.on('end', () => {
        received.push({ method: req.method!, url: req.url!, headers: req.headers, bytes });
        res.writeHead(answer, answer === 200 ? { ETag: '"etag-1"' } : {});
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise((r) => server.close(r)));
  beforeEach(() => (received.length = 0));

  const storage = () =>
    MinioObjectStorage.fromConfig({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      accessKey: 'key',
      secretKey: 'secret-key',
      region: 'us-east-1',
      evidenceBucket: 'evidence',
      local: { dir: '', port: 0 },
    });
  const image = randomBytes(10_000);
  const sha256 = createHash('sha256').update(image).digest('hex');

  it('sends one conditional PUT signed with the given hash; stored', async () => {
    answer = 200;
    const stored = await storage().put('evidence/ab/x', image, 'image/jpeg', image.length, {
      sha256,
      ifAbsent: true,
    });
    expect(stored).toEqual({
      key: 'evidence/ab/x',
      size: image.length,
      contentType: 'image/jpeg',
      etag: 'etag-1',
    });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'PUT', url: '/evidence/evidence/ab/x', bytes: image.length });
    expect(received[0]!.headers).toMatchObject({
      'x-amz-content-sha256': sha256,
      'if-none-match': '*',
      'content-type': 'image/jpeg',
    });
  });

  it('takes a 412 for the object that is there already', async () => {
    answer = 412;
    const stored = await storage().put('evidence/ab/x', image, 'image/jpeg', image.length, {
      sha256,
      ifAbsent: true,
    });
    expect(stored).toEqual({ key: 'evidence/ab/x', size: image.length, contentType: 'image/jpeg', etag: '' });
    expect(received).toHaveLength(1);
  });

  it('without ifAbsent a 412 is a failure, and the PUT is not conditional', async () => {
    answer = 412;
    await expect(
      storage().put('evidence/ab/x', image, 'image/jpeg', image.length, { sha256 }),
    ).rejects.toThrow();
    expect(received[0]!.headers['if-none-match']).toBeUndefined();
  });

  it('a 5xx answer is the store failing, not the request', async () => {
    answer = 503;
    await expect(
      storage().put('evidence/ab/x', image, 'image/jpeg', image.length, { sha256, ifAbsent: true }),
    ).rejects.toBeInstanceOf(DependencyFailure);
  });

  it('signs the PUT (SigV4 over host, the hash, the date and the condition)', async () => {
    answer = 200;
    await storage().put('evidence/ab/x', image, 'image/jpeg', image.length, { sha256, ifAbsent: true });
    expect(received[0]!.headers['authorization']).toMatch(
      /^AWS4-HMAC-SHA256 Credential=key\/\d{8}\/us-east-1\/s3\/aws4_request, SignedHeaders=host;if-none-match;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
  });
});

/** A self-signed certificate for 127.0.0.1 (test only, valid for a century), so that the test needs no tool. */
const TEST_KEY = [
  '-----BEGIN PRIVATE KEY-----',
  'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgHgWRrGRYls4Hwa//',
  'nhuubHZaiMD/AQb7Tzf7NOnn1NKhRANCAATfaP4SQLc6mI7dfXEXzhgz5W0c2cqt',
  'kFxSPbz53KX52nnoKt+GmURKKOlGpZhrpBzrZqeyPyPaHyxlt/peJvdz',
  '-----END PRIVATE KEY-----',
].join('\n');
const TEST_CERT = [
  '-----BEGIN CERTIFICATE-----',
  'MIIBkDCCATagAwIBAgIUDewbaa1+uEPGvu1pNn2figxr9KowCgYIKoZIzj0EAwIw',
  'FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTIwNjEyMzUwOFoYDzIxMjYxMTEy',
  'MTIzNTA4WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO',
  'PQMBBwNCAATfaP4SQLc6mI7dfXEXzhgz5W0c2cqtkFxSPbz53KX52nnoKt+GmURK',
  'KOlGpZhrpBzrZqeyPyPaHyxlt/peJvdzo2QwYjAdBgNVHQ4EFgQUiC2saS1XnQC9',
  'DOXFOjcoclm7iB8wHwYDVR0jBBgwFoAUiC2saS1XnQC9DOXFOjcoclm7iB8wDwYD',
  'VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0gAMEUC',
  'IQDndKhiMgcHXmb4OKBWwid92G6MSfd/b7LGbARCbRz84wIgG7fssn+KZDL5//OU',
  '4pznaRMz0g5GM57jrMjDLye1aTE=',
  '-----END CERTIFICATE-----',
].join('\n');

/**
 * Over HTTPS the PUT is the adapter's too: signed with the caller's sha256 (which the store checks the bytes
 * against) and conditional, where minio's `putObject` would ask first and sign `UNSIGNED-PAYLOAD`.
 */
describe('MinioObjectStorage.put with a known sha256 over HTTPS', () => {
  let server: https.Server;
  const received: { method: string; url: string; headers: IncomingHttpHeaders; bytes: number }[] = [];
  const trusted = https.globalAgent.options.ca;

  beforeAll(async () => {
    server = https.createServer({ key: TEST_KEY, cert: TEST_CERT }, (req, res) => {
      let bytes = 0;
      req.on('data', (c: Buffer) => (bytes += c.length));
      req.on('end', () => {
        received.push({ method: req.method!, url: req.url!, headers: req.headers, bytes });
        res.writeHead(200, { ETag: '"etag-2"' });
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    https.globalAgent.options.ca = TEST_CERT;
  });
  afterAll(() => {
    https.globalAgent.options.ca = trusted;
    return new Promise((r) => server.close(r));
  });

  it('sends one conditional PUT signed with the given hash', async () => {
    const image = randomBytes(10_000);
    const sha256 = createHash('sha256').update(image).digest('hex');
    const storage = MinioObjectStorage.fromConfig({
      endpoint: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
      accessKey: 'key',
      secretKey: 'secret-key',
      region: 'us-east-1',
      evidenceBucket: 'evidence',
      local: { dir: '', port: 0 },
    });
    const stored = await storage.put('evidence/ab/y', image, 'image/jpeg', image.length, {
      sha256,
      ifAbsent: true,
    });
    expect(stored.etag).toBe('etag-2');
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'PUT', url: '/evidence/evidence/ab/y', bytes: image.length });
    expect(received[0]!.headers).toMatchObject({ 'x-amz-content-sha256': sha256, 'if-none-match': '*' });
  });
});
