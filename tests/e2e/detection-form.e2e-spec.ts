import { randomBytes } from 'node:crypto';
import { bytesOf } from '../support/evidence-storage';
import { ADMIN, startTestApi, tokenFor, type JsonResponse, type TestApi } from '../support/test-app';
import {
  createStation,
  detectionBody,
  detectionForm,
  evidenceItem,
  sha256Hex,
  signatureHeaders,
  signedPost,
  signedPostForm,
  type TestStation,
} from '../support/station-client';

/**
 * A detection with its photos as `multipart/form-data` (the JSON in a part `detection`, each photo a binary part
 * named by its kind): stored exactly as the JSON form with base64 photos would be, signed over the raw body,
 * refused whole (nothing written) when a part is missing, unexpected, or does not match its digest.
 */

const expectProblem = (response: JsonResponse, status: number, code: string) => {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, code });
};

const photos = () => ({
  plate_front: { bytes: randomBytes(40_000) },
  plate_rear: { bytes: randomBytes(30_000) },
  side: { bytes: randomBytes(50_000) },
});

describe('intake: a detection as multipart/form-data', () => {
  let api: TestApi;
  let station: TestStation;
  const detections = async () =>
    (await api.db.query<{ n: number }>('SELECT count(*)::int AS n FROM detections')).rows[0]!.n;
  const objects = async () =>
    (await api.db.query<{ n: number }>('SELECT count(*)::int AS n FROM evidence_objects')).rows[0]!.n;

  beforeAll(async () => {
    api = await startTestApi('detectionform', { SECRETS_KEY: randomBytes(32).toString('hex') });
    station = await createStation(api, await tokenFor(api, ADMIN.username, ADMIN.password));
  });
  afterAll(() => api?.close());

  it('stores the parts as evidence under their sha256; the same detection as JSON is its repeat', async () => {
    const body = detectionBody();
    const sent = photos();
    const response = await signedPostForm(api, station, detectionForm(body, sent));
    expect(response.status).toBe(202);
    const { rows } = await api.db.query<{ kind: string; sha256: string; size_bytes: string; key: string }>(
      `SELECT kind::text, sha256, size_bytes::text, key FROM evidence_objects WHERE detection_id = $1 ORDER BY kind`,
      [response.body.receiptId],
    );
    const expected = [
      ['plate_front', sent.plate_front.bytes],
      ['plate_rear', sent.plate_rear.bytes],
      ['side', sent.side.bytes],
    ] as const;
    expect(rows.map((r) => [r.kind, r.sha256, r.size_bytes])).toEqual(
      expected.map(([kind, bytes]) => [kind, sha256Hex(bytes), String(bytes.length)]),
    );
    for (const [i, [, bytes]] of expected.entries())
      expect((await bytesOf(api, rows[i]!.key)).equals(bytes)).toBe(true);

    // The same detection sent again as JSON with base64 photos: the first receipt (one body, two forms).
    const json = await signedPost(api, station, {
      ...body,
      evidence: Object.entries(sent).map(([kind, p]) => evidenceItem(kind, p.bytes)),
    });
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ receiptId: response.body.receiptId, status: 'duplicate' });
    // And as a form again, signed with version 2 (method, path, media type and bytes).
    const again = await signedPostForm(api, station, detectionForm(body, sent), {
      v2: { method: 'POST', path: '/api/v1/detections', mediaType: 'multipart/form-data' },
    });
    expect(again.status).toBe(200);
    expect(again.body.receiptId).toBe(response.body.receiptId);
  });

  it('refuses a form whose parts do not match its items, or whose bytes do not match their digest; nothing written', async () => {
    const before = { detections: await detections(), objects: await objects() };
    const sent = photos();
    const { side, ...withoutSide } = sent;
    // An item declared without its part: build the form with all three, then drop the side part's bytes.
    const missing = detectionForm(detectionBody(), { ...withoutSide, side: { bytes: Buffer.alloc(0) } });
    const missingPart = await signedPostForm(api, station, missing);
    expectProblem(missingPart, 400, 'validation_failed');
    expect(missingPart.body.errors).toEqual([
      { path: 'body.side', message: expect.stringContaining('no part') },
    ]);

    // A part that no item declares.
    const form = detectionForm(detectionBody(), withoutSide);
    const extra = detectionForm(detectionBody(), {
      ...withoutSide,
      video: { bytes: side.bytes, contentType: 'video/mp4' },
    });
    const text = extra.raw
      .toString('latin1')
      .replace(/\{"kind":"video"[^}]*\}/, '')
      .replace(',]', ']');
    const unexpected = await signedPostForm(api, station, {
      contentType: extra.contentType,
      raw: Buffer.from(text, 'latin1'),
    });
    expectProblem(unexpected, 400, 'validation_failed');
    expect(unexpected.body.errors).toEqual([{ path: 'body.video', message: expect.any(String) }]);

    // Bytes changed after hashing: the digest check names the item.
    const tampered = Buffer.from(form.raw);
    const at = tampered.indexOf(sent.plate_rear.bytes.subarray(0, 32)) + 10;
    tampered[at] = tampered[at]! ^ 0xff;
    const mismatch = await signedPostForm(api, station, { contentType: form.contentType, raw: tampered });
    expectProblem(mismatch, 400, 'evidence_digest_mismatch');
    expect(mismatch.body.errors).toEqual([{ path: 'body.evidence.1.sha256', message: expect.any(String) }]);

    // No detection part, a detection part that is not JSON, a body that is not a form.
    const noDetection = detectionForm(detectionBody(), sent);
    const renamed = Buffer.from(
      noDetection.raw.toString('latin1').replace('name="detection"', 'name="other"'),
      'latin1',
    );
    expectProblem(
      await signedPostForm(api, station, { contentType: noDetection.contentType, raw: renamed }),
      400,
      'validation_failed',
    );
    const notJson = Buffer.from(
      noDetection.raw.toString('latin1').replace('{"detectionId"', '{detectionId'),
      'latin1',
    );
    expectProblem(
      await signedPostForm(api, station, { contentType: noDetection.contentType, raw: notJson }),
      400,
      'validation_failed',
    );
    const truncated = form.raw.subarray(0, form.raw.length - 40);
    expectProblem(
      await signedPostForm(api, station, { contentType: form.contentType, raw: truncated }),
      400,
      'malformed_form',
    );
    expect({ detections: await detections(), objects: await objects() }).toEqual(before);
  });

  it('is signed over its raw bytes: a changed byte or another secret is refused', async () => {
    const form = detectionForm(detectionBody(), photos());
    const wrongSecret = await signedPostForm(api, station, form, { secret: 'not-the-secret' });
    expectProblem(wrongSecret, 401, 'invalid_signature');
    // Signed, then one byte of a photo changed in transit: the signature no longer holds.
    const signedFor = signatureHeaders(station, form.raw);
    const changed = Buffer.from(form.raw);
    changed[changed.length - 100] = changed[changed.length - 100]! ^ 0x01;
    const response = await fetch(`${api.url}/api/v1/detections`, {
      method: 'POST',
      headers: { 'content-type': form.contentType, ...signedFor },
      body: changed,
    });
    expect(response.status).toBe(401);
  });
});
