import { randomBytes } from 'node:crypto';
import {
  detectionBody,
  registerStationWithDevice,
  signedPost,
  signedPutEvidence,
  type TestStation,
} from '../support/station-client';
import { ADMIN, call, startTestStack, tokenFor, type TestStack } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * A station may send a detection's photos over the streamed PUT after the detection itself. With the screening
 * policy's `evidenceGraceSeconds`, screening holds back a detection lacking only required evidence for that
 * long after its receipt (the outbox sweeper tries again, the upload of the evidence at once) instead of
 * calling it invalid at first sight; once the grace is over it is invalid as before.
 */
jest.setTimeout(120_000);

describe('screening waits for evidence that may still arrive by PUT (policy evidenceGraceSeconds)', () => {
  let stack: TestStack;
  let admin: string;
  let station: TestStation;

  const status = async (detectionId: string) =>
    (await call(stack.api, 'GET', `/api/v1/detections/${station.code}/${detectionId}`, { token: admin }))
      .body as {
      status: string;
      outcome: string | null;
      reasons: { code: string }[];
      leadId: string | null;
    };
  const setGrace = async (seconds: number) => {
    const res = await call(stack.api, 'PUT', '/api/v1/policies/screening', {
      token: admin,
      body: { evidenceGraceSeconds: seconds },
    });
    expect(res.status).toBe(200);
  };
  // Detected after the policy change: the policy in force when the vehicle passed is the one applied.
  const post = async () => {
    const body = detectionBody({ detectedAt: new Date().toISOString() });
    const res = await signedPost(stack.api, station, body);
    expect(res.status).toBe(202);
    return body['detectionId'] as string;
  };

  beforeAll(async () => {
    stack = await startTestStack('evidencegrace', {
      OUTBOX_SWEEP_INTERVAL_MS: '200',
      OUTBOX_STALE_AFTER_MS: '4000',
    });
    admin = await tokenFor(stack.api, ADMIN.username, ADMIN.password);
    const code = `EG-${randomBytes(3).toString('hex').toUpperCase()}`;
    station = await registerStationWithDevice(stack.api, admin, code);
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('with no grace (the default) a detection without its photos is invalid at once', async () => {
    const id = await post();
    const screened = await waitFor('screening', async () => {
      const s = await status(id);
      return s.status === 'screened' ? s : undefined;
    });
    expect(screened.outcome).toBe('invalid');
    expect(screened.reasons.map((r) => r.code)).toEqual(['evidence_missing']);
  });

  it('within the grace it waits (the sweeper retrying meanwhile), and the photos uploaded by PUT make it a lead at once', async () => {
    await setGrace(600);
    const id = await post();
    const attempts = async () =>
      (
        await stack.api.db.query<{ attempts: number }>(
          `SELECT o.attempts FROM intake_outbox o JOIN detections d ON d.id = o.detection_id
            WHERE d.station_detection_id = $1`,
          [id],
        )
      ).rows[0]!.attempts;
    // The outbox sweeper screens it again once its row is 4 s old: it is still held back.
    await waitFor('a retry by the sweeper', async () => (await attempts()) >= 1, 20_000);
    expect(await status(id)).toMatchObject({ status: 'accepted', outcome: null });
    const retried = await attempts();

    for (const kind of ['plate_front', 'plate_rear', 'side']) {
      const bytes = Buffer.from(`${kind} photo of ${id} ${randomBytes(8).toString('hex')}`);
      const put = await signedPutEvidence(stack.api, station, id, kind, bytes, { contentType: 'image/jpeg' });
      expect(put.status).toBe(201);
    }
    const screened = await waitFor('screening after the upload', async () => {
      const s = await status(id);
      return s.status === 'screened' ? s : undefined;
    });
    // 58,200 kg on a six-axle combination (49,000 kg), 5% tolerance: over the limit, a lead.
    expect(screened.outcome).toBe('lead');
    expect(screened.leadId).toEqual(expect.any(String));
    // Screened because the photos came (the upload enqueued it), not by the sweeper's next round 4 s later.
    expect(await attempts()).toBe(retried);
  });

  it('once the grace is over, a detection still without its photos is invalid', async () => {
    await setGrace(2);
    const id = await post();
    const screened = await waitFor(
      'screening after the grace',
      async () => {
        const s = await status(id);
        return s.status === 'screened' ? s : undefined;
      },
      20_000,
    );
    expect(screened.outcome).toBe('invalid');
    expect(screened.reasons.map((r) => r.code)).toEqual(['evidence_missing']);
    const { rows } = await stack.api.db.query<{ waited_ms: number }>(
      `SELECT extract(epoch FROM screened_at - received_at) * 1000 AS waited_ms FROM detections
        WHERE station_detection_id = $1`,
      [id],
    );
    expect(Number(rows[0]!.waited_ms)).toBeGreaterThanOrEqual(2000);
  });
});
