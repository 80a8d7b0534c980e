import { randomBytes } from 'node:crypto';
import {
  detectionBody,
  evidenceItem,
  registerStationWithDevice,
  signatureHeaders,
  signedPost,
  signedPutEvidence,
  sha256Hex,
  type TestStation,
} from '../support/station-client';
import { ADMIN, call, makeUser, startTestStack, tokenFor, type TestStack } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { registerOwnedVehicle } from '../support/case-fixture';

/**
 * Evidence as an attacker on the station network would try it (issue 14): a captured signed upload replayed
 * onto another detection or kind, relabelled as another media type, or signed in the old version; a web page
 * sent as evidence; evidence added after the lead is filed into a case; and what an officer's browser gets
 * from a presigned URL.
 */
describe('evidence security', () => {
  let stack: TestStack;
  let station: TestStation;
  let admin: string;
  let officer: { token: string; id: string };
  let partner: { token: string; id: string };

  const sendDetection = async (overrides: Record<string, unknown> = {}) => {
    const body = detectionBody(overrides);
    const res = await signedPost(stack.api, station, body);
    expect(res.status).toBe(202);
    return body['detectionId'] as string;
  };

  beforeAll(async () => {
    stack = await startTestStack('evidencesec');
    admin = await tokenFor(stack.api, ADMIN.username, ADMIN.password);
    officer = await makeUser(stack.api, admin, 'evid.officer', ['officer'], {
      enforcementCertificateNo: 'HN-0431-8001',
    });
    partner = await makeUser(stack.api, admin, 'evid.partner', ['officer'], {
      enforcementCertificateNo: 'HN-0431-8002',
    });
    station = await registerStationWithDevice(stack.api, admin, 'EV-S308');
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  describe('the upload signature (version 2)', () => {
    it('cannot be replayed onto another detection or another kind', async () => {
      const a = await sendDetection();
      const b = await sendDetection();
      const video = randomBytes(2048);
      // A capture of a's upload, sent for b: same headers and bytes, another path.
      const replay = await signedPutEvidence(stack.api, station, b, 'video', video, {
        signedFor: { detectionId: a },
      });
      expect(replay.status).toBe(401);
      expect(replay.body.code).toBe('invalid_signature');
      const otherKind = await signedPutEvidence(stack.api, station, a, 'side', video, {
        contentType: 'image/jpeg',
        signedFor: { kind: 'video' },
      });
      expect(otherKind.status).toBe(401);
      expect((await signedPutEvidence(stack.api, station, a, 'video', video)).status).toBe(201);
      const { rows } = await stack.api.db.query(
        `SELECT count(*)::int AS n FROM evidence_objects e JOIN detections d ON d.id = e.detection_id
          WHERE d.station_detection_id = $1`,
        [b],
      );
      expect(rows[0].n).toBe(0);
    });

    it('covers the media type: a signed video relabelled as another type is refused', async () => {
      const id = await sendDetection();
      const bytes = randomBytes(512);
      const headers = signatureHeaders(station, bytes, {
        v2: {
          method: 'PUT',
          path: `/api/v1/detections/${station.code}/${id}/evidence/video`,
          mediaType: 'video/mp4',
        },
        headers: { 'content-type': 'image/png', 'x-content-sha256': sha256Hex(bytes) },
      });
      const res = await fetch(`${stack.api.url}/api/v1/detections/${station.code}/${id}/evidence/video`, {
        method: 'PUT',
        headers,
        body: bytes,
      });
      expect(res.status).toBe(401);
    });

    it('refuses an upload signed in version 1, naming the version required', async () => {
      const id = await sendDetection();
      const bytes = randomBytes(256);
      const res = await fetch(`${stack.api.url}/api/v1/detections/${station.code}/${id}/evidence/video`, {
        method: 'PUT',
        headers: {
          ...signatureHeaders(station, bytes),
          'content-type': 'video/mp4',
          'x-content-sha256': sha256Hex(bytes),
        },
        body: bytes,
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { code: string }).code).toBe('signature_version_unsupported');
    });

    it('still takes detections signed in version 1, and in version 2', async () => {
      const body = detectionBody();
      const raw = JSON.stringify(body);
      const res = await fetch(`${stack.api.url}/api/v1/detections`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...signatureHeaders(station, raw, {
            v2: { method: 'POST', path: '/api/v1/detections', mediaType: 'application/json' },
          }),
        },
        body: raw,
      });
      expect(res.status).toBe(202);
      expect((await signedPost(stack.api, station, detectionBody())).status).toBe(202);
    });
  });

  describe('media types by allow-list', () => {
    it('refuses a web page as evidence on both paths, storing nothing', async () => {
      const page = Buffer.from('<html><script>alert(document.cookie)</script></html>');
      const inline = await signedPost(
        stack.api,
        station,
        detectionBody({ evidence: [evidenceItem('other', page, 'text/html')] }),
      );
      expect(inline.status).toBe(400);
      expect(inline.body.errors).toEqual([expect.objectContaining({ path: 'body.evidence.0.contentType' })]);

      const id = await sendDetection();
      for (const contentType of ['text/html', 'image/svg+xml', 'application/octet-stream']) {
        const put = await signedPutEvidence(stack.api, station, id, 'other', page, { contentType });
        expect([400, 415]).toContain(put.status);
        expect(put.body.code).toBe('unsupported_media_type');
      }
      const { rows } = await stack.api.db.query(
        'SELECT count(*)::int AS n FROM evidence_objects WHERE sha256 = $1',
        [sha256Hex(page)],
      );
      expect(rows[0].n).toBe(0);
    });
  });

  describe('a lead filed into a case', () => {
    let detectionId: string;
    let leadId: string;
    const photo = randomBytes(4096);

    beforeAll(async () => {
      await registerOwnedVehicle(stack.api, admin, 'EV', '湘F88888');
      detectionId = await sendDetection({
        plate: { number: '湘F88888', color: 'yellow' },
        evidence: ['plate_front', 'plate_rear', 'side'].map((kind) => evidenceItem(kind, randomBytes(1024))),
      });
      const screened = await waitFor(
        'the detection to be screened into a lead',
        async () => {
          const r = await call(stack.api, 'GET', `/api/v1/detections/${station.code}/${detectionId}`, {
            token: officer.token,
          });
          return r.body.status === 'screened' ? r.body : null;
        },
        30_000,
      );
      expect(screened.outcome).toBe('lead');
      leadId = screened.leadId;
    });

    it('serves its evidence through presigned URLs with the stored type and a disposition, never as a page', async () => {
      const lead = await call(stack.api, 'GET', `/api/v1/leads/${leadId}`, { token: officer.token });
      expect(lead.status).toBe(200);
      const url = lead.body.evidence[0].url as string;
      expect(url).toContain('response-content-type=image%2Fjpeg');
      const object = await fetch(url);
      expect(object.status).toBe(200);
      expect(object.headers.get('content-type')).toBe('image/jpeg');
      expect(object.headers.get('content-disposition')).toMatch(/^inline; filename="[0-9a-f]{64}\.jpg"$/);
    });

    it('refuses evidence once the lead is filed (409), until an officer reopens collection, audited', async () => {
      const review = await call(stack.api, 'POST', `/api/v1/leads/${leadId}/review`, {
        token: officer.token,
        body: {
          decision: 'confirm',
          reason: '号牌、轴数与图像一致',
          checks: { plateMatches: true, axleCountMatches: true },
        },
      });
      expect(review.status).toBe(200);
      const filed = await call(stack.api, 'POST', '/api/v1/cases', {
        token: officer.token,
        body: { leadId, officerIds: [officer.id, partner.id] },
      });
      expect(filed.status).toBe(201);

      const late = await signedPutEvidence(stack.api, station, detectionId, 'other', photo, {
        contentType: 'image/jpeg',
      });
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('evidence_collection_closed');

      const reopened = await call(stack.api, 'POST', `/api/v1/leads/${leadId}/evidence-collection`, {
        token: officer.token,
        body: { reason: '补充侧面照片', hours: 2 },
      });
      expect(reopened.status).toBe(201);
      const stored = await signedPutEvidence(stack.api, station, detectionId, 'other', photo, {
        contentType: 'image/jpeg',
      });
      expect(stored.status).toBe(201);

      expect(
        (
          await call(stack.api, 'POST', `/api/v1/leads/${leadId}/evidence-collection/close`, {
            token: officer.token,
          })
        ).status,
      ).toBe(200);
      const after = await signedPutEvidence(stack.api, station, detectionId, 'video', randomBytes(64));
      expect(after.status).toBe(409);

      const { rows } = await stack.api.db.query<{ action: string; payload: Record<string, unknown> }>(
        `SELECT action, payload FROM audit_events
          WHERE (entity_type = 'lead' AND entity_id = $1 AND action LIKE 'lead.evidence_collection%')
             OR action = 'detection.evidence_received' AND payload->>'sha256' = $2
          ORDER BY id`,
        [leadId, sha256Hex(photo)],
      );
      expect(rows.map((r) => r.action)).toEqual([
        'lead.evidence_collection_reopened',
        'detection.evidence_received',
        'lead.evidence_collection_closed',
      ]);
      expect(rows[1]!.payload['reopeningId']).toBe(reopened.body.id);
    });
  });
});
