import { createHash, createHmac } from 'node:crypto';
import {
  canonicalBodyDigest,
  checkTimestamp,
  computeSignature,
  decodeEvidence,
  detectionBodySchema,
  evidenceKey,
  recordedBody,
  signatureVersionOf,
  StreamingSignature,
  verifySignature,
  type DetectionBody,
} from './index';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const image = Buffer.from('a jpeg, as far as this test cares');

const body = (overrides: Record<string, unknown> = {}) => ({
  detectionId: 'S308-K12-20241105-000123',
  deviceCode: 'WIM-01',
  detectedAt: '2024-11-05T08:31:12+08:00',
  lane: 2,
  plate: { number: '湘F12345', color: 'yellow' },
  trailerPlate: '湘F6789挂',
  vehicle: {
    axleCount: 6,
    combination: true,
    singleDriveAxle: false,
    singleTyreAxles: 0,
    lengthMm: 16500,
    widthMm: 2550,
    heightMm: 3950,
  },
  weighing: { grossKg: 58200, axleLoadsKg: [7100, 11000, 10000, 10000, 10000, 10100], speedKmh: 58.2 },
  evidence: [
    { kind: 'plate_front', contentType: 'image/jpeg', sha256: sha(image), data: image.toString('base64') },
  ],
  ...overrides,
});

const issues = (value: unknown) => {
  const result = detectionBodySchema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the detection body', () => {
  it('accepts the example of the protocol, and an unreadable plate as an empty number', () => {
    expect(issues(body())).toEqual([]);
    expect(
      issues(body({ plate: { number: '', color: 'yellow' }, trailerPlate: undefined, evidence: [] })),
    ).toEqual([]);
  });

  it.each([
    ['detectionId', { detectionId: '' }],
    ['detectionId', { detectionId: 'x'.repeat(65) }],
    ['detectionId', { detectionId: 'has space' }],
    ['plate.color', { plate: { number: '湘F12345', color: 'red' } }],
    ['detectedAt', { detectedAt: '2024-11-05T08:31:12' }],
    ['detectedAt', { detectedAt: 'yesterday' }],
    ['detectedAt', { detectedAt: '0000-01-01T00:00:00Z' }],
    ['plate.number', { plate: { number: '湘F\u000012345', color: 'yellow' } }],
    ['trailerPlate', { trailerPlate: '湘F67\t89挂' }],
    ['plate.number', { plate: { number: '湘F\ud80012345', color: 'yellow' } }],
    ['lane', { lane: 0 }],
    ['vehicle.axleCount', { vehicle: { ...body().vehicle, axleCount: 1 } }],
    ['vehicle.singleTyreAxles', { vehicle: { ...body().vehicle, singleTyreAxles: 6 } }],
    ['weighing.grossKg', { weighing: { ...body().weighing, grossKg: 0 } }],
    ['weighing.grossKg', { weighing: { ...body().weighing, grossKg: 58200.5 } }],
    ['weighing.axleLoadsKg', { weighing: { ...body().weighing, axleLoadsKg: [7100, 11000] } }],
    ['evidence.0.kind', { evidence: [{ ...body().evidence[0], kind: 'selfie' }] }],
    ['evidence.0.sha256', { evidence: [{ ...body().evidence[0], sha256: 'ABC' }] }],
    ['evidence.0.data', { evidence: [{ ...body().evidence[0], data: 'not base64!' }] }],
    ['evidence.1.kind', { evidence: [body().evidence[0], body().evidence[0]] }],
    ['evidence', { evidence: Array.from({ length: 11 }, () => ({ ...body().evidence[0], kind: 'other' })) }],
    ['', { unexpected: 1 }],
    ['vehicle', { vehicle: { ...body().vehicle, colour: 'red' } }],
  ])('refuses a bad %s', (path, overrides) => {
    expect(issues(body(overrides)).some((i) => i.startsWith(`${path}:`))).toBe(true);
  });
});

describe('the detection body: weigh-only stations and wide-base tyres', () => {
  const { lengthMm: _l, widthMm: _w, heightMm: _h, ...weighOnly } = body().vehicle;

  it('accepts a weigh-only detection (no profile scanner): no length, width or height', () => {
    expect(issues(body({ vehicle: weighOnly }))).toEqual([]);
    const parsed = detectionBodySchema.parse(body({ vehicle: weighOnly }));
    expect(parsed.vehicle.lengthMm).toBeUndefined();
  });

  it('refuses a partial measurement: the three dimensions come together or not at all', () => {
    expect(issues(body({ vehicle: { ...weighOnly, heightMm: 3950 } }))).toEqual([
      'vehicle: lengthMm, widthMm and heightMm are measured together: send all three or none (a weigh-only station)',
    ]);
  });

  it('names the wide-base tyre axles by position from the front, among the single-tyre axles', () => {
    const vehicle = { ...body().vehicle, singleTyreAxles: 3, wideBaseTyreAxles: [4, 5, 6] };
    expect(issues(body({ vehicle }))).toEqual([]);
    expect(detectionBodySchema.parse(body({ vehicle })).vehicle.wideBaseTyreAxles).toEqual([4, 5, 6]);
    expect(issues(body({ vehicle: { ...vehicle, wideBaseTyreAxles: [] } }))).toEqual([]);
  });

  it.each([
    ['the steering axle', [1], 3],
    ['an axle the vehicle does not have', [7], 3],
    ['an axle twice', [5, 5], 3],
    ['more wide-base axles than single-tyre axles', [4, 5], 1],
    ['a non-integer position', [4.5], 3],
  ])('refuses %s', (_what, wideBaseTyreAxles, singleTyreAxles) => {
    const vehicle = { ...body().vehicle, singleTyreAxles, wideBaseTyreAxles };
    expect(issues(body({ vehicle })).some((i) => i.startsWith('vehicle.wideBaseTyreAxles'))).toBe(true);
  });
});

describe('station signatures', () => {
  const timestamp = '1730766672000';
  const v1 = { version: 1, timestamp } as const;
  const raw = JSON.stringify(body());
  const expected = createHmac('sha256', 'the-secret').update(`${timestamp}.${raw}`).digest('hex');

  it('is the lower-case hex HMAC-SHA256 of `${timestamp}.${raw body}`', () => {
    expect(computeSignature('the-secret', v1, raw)).toBe(expected);
    expect(computeSignature('the-secret', v1, Buffer.from(raw))).toBe(expected);
  });

  it('verifies against any secret valid now (rotation overlap), and nothing else', () => {
    expect(verifySignature(['old', 'the-secret'], v1, raw, expected)).toBe(true);
    expect(verifySignature(['old'], v1, raw, expected)).toBe(false);
    expect(verifySignature(['the-secret'], { version: 1, timestamp: '1730766672001' }, raw, expected)).toBe(
      false,
    );
    expect(verifySignature(['the-secret'], v1, raw.replace('58200', '48200'), expected)).toBe(false);
    expect(verifySignature(['the-secret'], v1, raw, expected.toUpperCase())).toBe(false);
    expect(verifySignature(['the-secret'], v1, raw, expected.slice(0, 63))).toBe(false);
    expect(verifySignature([], v1, raw, expected)).toBe(false);
  });

  it('in version 2 signs the method, the path, the media type and the timestamp with the bytes', () => {
    const upload = {
      version: 2,
      method: 'PUT',
      path: '/api/v1/detections/S308/D-1/evidence/video',
      mediaType: 'video/mp4',
      timestamp,
    } as const;
    const bytes = Buffer.from('mp4 bytes');
    const v2 = createHmac('sha256', 'the-secret')
      .update(
        `ECC-HMAC-SHA256-V2\nPUT\n/api/v1/detections/S308/D-1/evidence/video\nvideo/mp4\n${timestamp}\n`,
      )
      .update(bytes)
      .digest('hex');
    expect(computeSignature('the-secret', upload, bytes)).toBe(v2);
    for (const other of [
      { ...upload, path: '/api/v1/detections/S308/D-2/evidence/video' },
      { ...upload, method: 'POST' },
      { ...upload, mediaType: 'text/html' },
      { ...upload, timestamp: '1730766672001' },
    ]) {
      expect(verifySignature(['the-secret'], other, bytes, v2)).toBe(false);
    }
    // Neither version's message can stand for the other's.
    expect(verifySignature(['the-secret'], v1, bytes, v2)).toBe(false);
  });

  it('reads the version header: absent or 1, or 2', () => {
    expect(signatureVersionOf(undefined)).toBe(1);
    expect(signatureVersionOf('1')).toBe(1);
    expect(signatureVersionOf('2')).toBe(2);
    expect(signatureVersionOf('3')).toBeNull();
  });

  it('gives the same result computed chunk by chunk while streaming', () => {
    const bytes = Buffer.from(raw);
    const streaming = new StreamingSignature(['old', 'the-secret'], v1);
    for (let i = 0; i < bytes.length; i += 7) streaming.update(bytes.subarray(i, i + 7));
    expect(streaming.matches(expected)).toBe(true);
    const wrong = new StreamingSignature(['old'], v1);
    wrong.update(bytes);
    expect(wrong.matches(expected)).toBe(false);
  });

  it('accepts a timestamp up to the allowed skew either way', () => {
    const now = new Date(1_730_766_672_000);
    expect(checkTimestamp(String(now.getTime() - 300_000), now, 300)).toEqual({
      ok: true,
      at: new Date(now.getTime() - 300_000),
    });
    expect(checkTimestamp(String(now.getTime() + 300_000), now, 300).ok).toBe(true);
    expect(checkTimestamp(String(now.getTime() - 360_000), now, 300)).toEqual({
      ok: false,
      reason: 'out_of_window',
      skewSeconds: 360,
    });
    expect(checkTimestamp(String(now.getTime() + 300_001), now, 300).ok).toBe(false);
    for (const bad of [undefined, '', '1.5e12', '-1', 'now', '12345678901234567']) {
      expect(checkTimestamp(bad, now, 300)).toEqual({ ok: false, reason: 'malformed' });
    }
  });
});

describe('the canonical body digest', () => {
  const parse = (value: unknown): DetectionBody => detectionBodySchema.parse(value);

  it('does not depend on key order or whitespace', () => {
    const a = parse(body());
    const b = parse(
      JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(body()).reverse()), null, 2)),
    );
    expect(canonicalBodyDigest(a)).toBe(canonicalBodyDigest(b));
  });

  it('changes with any value', () => {
    const a = canonicalBodyDigest(parse(body()));
    expect(canonicalBodyDigest(parse(body({ lane: 3 })))).not.toBe(a);
    expect(canonicalBodyDigest(parse(body({ evidence: [] })))).not.toBe(a);
  });

  it('keeps the record without the evidence bytes', () => {
    expect(recordedBody(parse(body())).evidence).toEqual([
      { kind: 'plate_front', contentType: 'image/jpeg', sha256: sha(image) },
    ]);
  });
});

describe('evidence', () => {
  it('decodes the bytes and lists every item whose bytes do not match their sha256', () => {
    const other = Buffer.from('another image');
    const { decoded, mismatches } = decodeEvidence([
      { kind: 'plate_front', contentType: 'image/jpeg', sha256: sha(image), data: image.toString('base64') },
      { kind: 'side', contentType: 'image/jpeg', sha256: sha(image), data: other.toString('base64') },
    ]);
    expect(decoded[0]!.bytes.equals(image)).toBe(true);
    expect(mismatches).toEqual([{ index: 1, kind: 'side', declared: sha(image), actual: sha(other) }]);
  });

  it('names objects by their content, never anything else', () => {
    const digest = sha(image);
    expect(evidenceKey(digest)).toBe(`evidence/${digest.slice(0, 2)}/${digest}`);
    expect(() => evidenceKey('../etc/passwd')).toThrow();
  });
});
