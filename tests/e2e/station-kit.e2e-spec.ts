import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ADMIN, call, startTestApi, tokenFor, type TestApi } from '../support/test-app';
import { addStationSecret } from '../support/station-client';

const root = resolve(__dirname, '../..');

interface Vector {
  name: string;
  method: string;
  path: string;
  contentType: string;
  timestamp: string;
  signatureVersion: string | null;
  canonical: string;
  body?: string;
  bodyBase64?: string;
  contentSha256?: string;
  signature: string;
}
const file = JSON.parse(readFileSync(resolve(root, 'tools/station/test-vectors.json'), 'utf8')) as {
  secret: string;
  stationCode: string;
  vectors: Vector[];
};
const guide = readFileSync(resolve(root, 'docs/station-integration.md'), 'utf8');

/**
 * The station kit's test vectors (tools/station/test-vectors.json, docs/station-integration.md) are accepted by
 * the real API as they are written: the test sends their exact bytes and headers and computes nothing.
 *
 * Two things are arranged, and only these: the vectors' timestamp is fixed text, so this API widens its
 * clock-skew window (INTAKE_MAX_CLOCK_SKEW_SECONDS beyond an hour is allowed with NODE_ENV=test only); and the
 * registry draws every secret itself, so the vectors' secret is added to a registered station the way a
 * rotation stores one (sealed with the API's SECRETS_KEY).
 */
describe('station kit test vectors', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi('vectors', { INTAKE_MAX_CLOCK_SKEW_SECONDS: String(20 * 365 * 86_400) });
    const admin = await tokenFor(api, ADMIN.username, ADMIN.password);
    const created = await call(api, 'POST', '/api/v1/stations', {
      token: admin,
      body: {
        code: file.stationCode,
        name: 'Test vectors',
        road: 'S308',
        stake: 'K0+000',
        direction: '-',
        lat: 28.8,
        lng: 113.1,
      },
    });
    expect(created.status).toBe(201);
    const { rows } = await api.db.query<{ id: string }>('SELECT id FROM stations WHERE code = $1', [
      file.stationCode,
    ]);
    await addStationSecret(
      api,
      { id: rows[0]!.id, code: file.stationCode },
      file.secret,
      new Date('2020-01-01'),
    );
  });
  afterAll(() => api?.close());

  const send = (v: Vector, body: string | Uint8Array = bytesOf(v), signature = v.signature) =>
    fetch(`${api.url}${v.path}`, {
      method: v.method,
      headers: {
        'content-type': v.contentType,
        'x-station-code': file.stationCode,
        'x-timestamp': v.timestamp,
        'x-signature': signature,
        ...(v.signatureVersion ? { 'x-signature-version': v.signatureVersion } : {}),
        ...(v.contentSha256 ? { 'x-content-sha256': v.contentSha256 } : {}),
      },
      body,
    });
  const bytesOf = (v: Vector): Uint8Array =>
    v.bodyBase64 !== undefined ? Buffer.from(v.bodyBase64, 'base64') : Buffer.from(v.body!, 'utf8');

  it('has the same vectors in the guide as in the JSON file', () => {
    expect(guide).toContain(file.secret);
    for (const v of file.vectors) {
      expect(guide).toContain(v.signature);
      expect(guide).toContain(v.timestamp);
      if (v.body) expect(guide).toContain(v.body);
    }
  });

  it.each(file.vectors.map((v) => [v.name, v] as const))('accepts %s as written', async (_name, v) => {
    const response = await send(v);
    expect([response.status, await response.text()]).toEqual([
      v.method === 'PUT' ? 201 : 202,
      expect.any(String),
    ]);
  });

  it('answers a replay within the window as a repeat, and refuses the signature on other bytes', async () => {
    const v = file.vectors[0]!;
    expect((await send(v)).status).toBe(200);
    const altered = v.body!.replace('"lane":1', '"lane":2');
    const refused = await send(v, altered);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { code: string }).code).toBe('invalid_signature');
  });
});

/** `npm run station -- …` as a vendor runs it, in a folder of its own. */
describe('npm run station', () => {
  let api: TestApi;
  let dir: string;

  const station = (args: string[]): Promise<{ code: number | null; output: string }> =>
    new Promise((done) => {
      const child = spawn(
        process.execPath,
        [
          '--conditions=@ecc/source',
          '-r',
          '@swc-node/register',
          resolve(root, 'tools/station/main.ts'),
          ...args,
        ],
        {
          // as `npm run station` from the vendor's folder: npm runs in the repository, INIT_CWD is the folder
          cwd: root,
          env: {
            INIT_CWD: dir,
            PATH: process.env['PATH'] ?? '',
            ECC_API_URL: api.url,
            ECC_ADMIN_USERNAME: ADMIN.username,
            ECC_ADMIN_PASSWORD: ADMIN.password,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      child.once('exit', (code) => done({ code, output }));
    });

  beforeAll(async () => {
    api = await startTestApi('stationkit');
    dir = mkdtempSync(join(tmpdir(), 'station-kit-'));
  });
  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers, sends a detection with its photographs, uploads a video and rotates the secret', async () => {
    const registered = await station([
      'register',
      ...['--code', 'KIT-01', '--name', 'S308 白水检测点', '--road', 'S308', '--stake', 'K18+600'],
      ...['--direction', '往平江方向', '--lat', '28.85', '--lng', '113.25'],
    ]);
    expect(registered).toMatchObject({ code: 0 });
    const file = JSON.parse(readFileSync(join(dir, 'station.json'), 'utf8'));
    expect(file).toMatchObject({ code: 'KIT-01', secret: expect.any(String) });
    expect(statSync(join(dir, 'station.json')).mode & 0o777).toBe(0o600);

    for (const kind of ['front', 'rear', 'side'])
      writeFileSync(join(dir, `${kind}.jpg`), `JPEG ${kind} photograph`);
    writeFileSync(join(dir, 'video.mp4'), Buffer.alloc(256 * 1024, 7));
    const detection = (id: string) => ({
      detectionId: id,
      deviceCode: 'WIM-01',
      detectedAt: new Date(Date.now() - 60_000).toISOString(),
      lane: 1,
      plate: { number: '湘F52071', color: 'yellow' },
      vehicle: { axleCount: 2, combination: false, singleDriveAxle: false, singleTyreAxles: 0 },
      weighing: { grossKg: 15000, axleLoadsKg: [6000, 9000], speedKmh: 40 },
      evidence: [
        { kind: 'plate_front', file: 'front.jpg' },
        { kind: 'plate_rear', file: 'rear.jpg' },
        { kind: 'side', file: 'side.jpg' },
      ],
    });
    writeFileSync(join(dir, 'detection.json'), JSON.stringify(detection('KIT-0001')));
    const sent = await station(['send', 'detection.json']);
    expect(sent.output).toMatch(/^202 /);
    expect((await station(['send', 'detection.json'])).output).toMatch(/^200 /);
    const { rows } = await api.db.query(
      `SELECT e.kind::text AS kind FROM evidence_objects e JOIN detections d ON d.id = e.detection_id
       WHERE d.station_detection_id = 'KIT-0001' ORDER BY 1`,
    );
    expect(rows.map((r: { kind: string }) => r.kind)).toEqual(['plate_front', 'plate_rear', 'side']);

    const uploaded = await station(['upload-video', 'KIT-0001', 'video.mp4']);
    expect(uploaded.output).toMatch(/^201 /);

    const rotated = await station(['rotate-secret']);
    expect(rotated.code).toBe(0);
    const after = JSON.parse(readFileSync(join(dir, 'station.json'), 'utf8'));
    expect(after.secret).not.toBe(file.secret);
    writeFileSync(join(dir, 'detection.json'), JSON.stringify(detection('KIT-0002')));
    expect((await station(['send', 'detection.json'])).output).toMatch(/^202 /);
  });

  it('shows the signature of vector 3 as the guide prints it', async () => {
    const v = file.vectors[2]!;
    writeFileSync(join(dir, 'vector.bin'), Buffer.from(v.bodyBase64!, 'base64'));
    const signed = await station([
      'sign',
      ...['--secret', file.secret, '--timestamp', v.timestamp, '--method', v.method],
      ...['--path', v.path, '--content-type', v.contentType, 'vector.bin'],
    ]);
    expect(signed.output.trim().split('\n')).toEqual([JSON.stringify(v.canonical), v.signature]);
  });
});
