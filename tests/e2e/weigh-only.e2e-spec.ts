import { randomUUID } from 'node:crypto';
import {
  detectionBody,
  evidenceItem,
  registerStationWithDevice,
  signedPost,
  type TestStation,
} from '../support/station-client';
import { ADMIN, call, makeUser, startTestStack, tokenFor, type TestStack } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * Stations without a profile scanner weigh only: their detections carry no length, width or height. Such a
 * detection is accepted, screened on weight alone and becomes a lead when the weight is over; the rules applied
 * say the dimensions were not measured. A station may also name the wide-base tyre axles, which keep the limit
 * from the 3,000 kg reduction of single tyres (《超限运输车辆行驶公路管理规定》 Art. 3(2)(二)). Real API and
 * worker, real Postgres, Redis and S3 server.
 */
jest.setTimeout(120_000);

describe('weigh-only detections and wide-base tyre axles, end to end', () => {
  let stack: TestStack;
  let station: TestStation;
  let officer: string;

  beforeAll(async () => {
    stack = await startTestStack('weigh-only');
    const admin = await tokenFor(stack.api, ADMIN.username, ADMIN.password);
    officer = (
      await makeUser(stack.api, admin, 'wo.officer', ['officer'], { enforcementCertificateNo: 'WO-C-0001' })
    ).token;
    station = await registerStationWithDevice(stack.api, admin, 'WO-S308-K12');
  });
  afterAll(() => stack?.close());

  const {
    lengthMm: _l,
    widthMm: _w,
    heightMm: _h,
    ...weighed
  } = detectionBody()['vehicle'] as Record<string, unknown>;

  let plates = 20_000;
  /**
   * Posts a signed detection with its three photos, each of another vehicle (the same plate within minutes would
   * be the same trip); waits until the worker has screened it.
   */
  async function screened(vehicle: Record<string, unknown>, grossKg: number) {
    const axleCount = vehicle['axleCount'] as number;
    const share = Math.floor(grossKg / axleCount);
    const body = detectionBody({
      plate: { number: `湘F${++plates}`, color: 'yellow' },
      vehicle,
      weighing: {
        grossKg,
        axleLoadsKg: Array.from(
          { length: axleCount },
          (_, i) => share + (i === 0 ? grossKg - share * axleCount : 0),
        ),
        speedKmh: 52,
      },
      evidence: ['plate_front', 'plate_rear', 'side'].map((kind) =>
        evidenceItem(kind, Buffer.from(`JPEG ${kind} ${randomUUID()}`)),
      ),
    });
    const accepted = await signedPost(stack.api, station, body);
    expect(accepted.status).toBe(202);
    return waitFor(
      'the detection to be screened',
      async () => {
        const r = await call(stack.api, 'GET', `/api/v1/detections/${station.code}/${body['detectionId']}`, {
          token: officer,
        });
        return r.status === 200 && r.body.status === 'screened' ? r.body : null;
      },
      30_000,
    );
  }

  it('accepts a detection without dimensions and screens it on weight alone into a lead', async () => {
    // 6-axle combination, 58,200 kg: tolerance 2,910, limit 49,000, excess 6,290 kg → 3,000 yuan.
    const status = await screened(weighed, 58_200);
    expect(status.outcome).toBe('lead');
    const lead = await call(stack.api, 'GET', `/api/v1/leads/${status.leadId}`, { token: officer });
    expect(lead.status).toBe(200);
    expect(lead.body).toMatchObject({ limitKg: 49_000, toleranceKg: 2_910, excessKg: 6_290 });
    expect(lead.body.proposedPenalty).toMatchObject({ kind: 'fine', amountYuan: 3_000 });
    const rules = lead.body.rules.map((r: { rule: string }) => r.rule);
    expect(rules).toContain('dimension.not_measured');
    expect(rules).not.toContain('dimension.limits');
    const detection = await stack.api.db.query(
      'SELECT length_mm, width_mm, height_mm FROM detections d JOIN lead_detections l ON l.detection_id = d.id WHERE l.lead_id = $1',
      [status.leadId],
    );
    expect(detection.rows).toEqual([{ length_mm: null, width_mm: null, height_mm: null }]);
  });

  it('finds no violation for a weigh-only detection within the limit', async () => {
    const status = await screened(weighed, 50_000);
    expect(status).toMatchObject({ outcome: 'no_violation', leadId: null });
    expect(status.reasons[0].message).toContain('外廓尺寸未测量');
  });

  it('keeps the limit for the wide-base tyre axles the station names, and lowers it without them', async () => {
    const singles = { ...weighed, singleTyreAxles: 3 };
    // 3 single-tyre axles: 49,000 − 3 × 3,000 = 40,000 kg; 50,000 − 2,500 (5%) is 7,500 kg over.
    const lowered = await screened(singles, 50_000);
    expect(lowered.outcome).toBe('lead');
    const lead = await call(stack.api, 'GET', `/api/v1/leads/${lowered.leadId}`, { token: officer });
    expect(lead.body).toMatchObject({ limitKg: 40_000, excessKg: 7_500 });
    // The same axles with wide-base tyres: no reduction, within 49,000 kg.
    const wide = await screened({ ...singles, wideBaseTyreAxles: [4, 5, 6] }, 50_000);
    expect(wide.outcome).toBe('no_violation');
  });

  it('refuses a partial measurement and wide-base axles that do not exist, storing nothing', async () => {
    const before = await stack.api.db.query<{ n: number }>('SELECT count(*)::int AS n FROM detections');
    const partial = await signedPost(
      stack.api,
      station,
      detectionBody({ vehicle: { ...weighed, heightMm: 3_900 } }),
    );
    expect(partial.status).toBe(400);
    expect(partial.body.errors).toEqual([
      expect.objectContaining({
        path: 'body.vehicle',
        message: expect.stringContaining('all three or none'),
      }),
    ]);
    const steering = await signedPost(
      stack.api,
      station,
      detectionBody({ vehicle: { ...weighed, singleTyreAxles: 1, wideBaseTyreAxles: [1] } }),
    );
    expect(steering.status).toBe(400);
    const after = await stack.api.db.query<{ n: number }>('SELECT count(*)::int AS n FROM detections');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  // 线索审核: the reviewer confirms or corrects the vehicle against the side photo and the vehicle licence; the
  // limit, the excess and the proposed penalty follow, and the correction is audited with the confirmation.
  describe('lead review corrects the wide-base tyre axles', () => {
    const review = (leadId: string, body: Record<string, unknown>) =>
      call(stack.api, 'POST', `/api/v1/leads/${leadId}/review`, {
        token: officer,
        body: {
          decision: 'confirm',
          reason: '号牌、轴数与图像、行驶证一致',
          checks: { plateMatches: true, axleCountMatches: true },
          ...body,
        },
      });
    const confirmations = async (leadId: string) =>
      (
        await stack.api.db.query<{ payload: Record<string, unknown> }>(
          "SELECT payload FROM audit_events WHERE entity_id = $1 AND action = 'lead.confirmed'",
          [leadId],
        )
      ).rows;

    it('re-computes the limit, the excess and the fine, and audits the correction with the confirmation', async () => {
      // The station saw 3 single-tyre axles: 40,000 kg limit, 7,500 kg over.
      const status = await screened({ ...weighed, singleTyreAxles: 3 }, 50_000);
      const leadId = status.leadId as string;
      const before = (await call(stack.api, 'GET', `/api/v1/leads/${leadId}`, { token: officer })).body;
      expect(before).toMatchObject({ limitKg: 40_000, excessKg: 7_500 });
      // Two of them have wide-base tyres: 49,000 − 3,000 = 46,000 kg; 50,000 − 2,500 − 46,000 = 1,500 kg over.
      const res = await review(leadId, { vehicle: { combination: true, wideBaseTyreAxles: [5, 6] } });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('confirmed');
      const after = (await call(stack.api, 'GET', `/api/v1/leads/${leadId}`, { token: officer })).body;
      expect(after).toMatchObject({ limitKg: 46_000, toleranceKg: 2_500, excessKg: 1_500 });
      expect(after.proposedPenalty).toMatchObject({ kind: 'fine', amountYuan: 500 });
      expect(after.grossKg - after.toleranceKg - after.limitKg).toBe(after.excessKg);
      const rules = after.rules as { rule: string; source: string; description: string }[];
      expect(rules.find((r) => r.rule === 'tolerance.as_recorded')).toMatchObject({ source: 'policy' });
      expect(rules.find((r) => r.rule === 'gross_limit.single_tyres')).toMatchObject({ source: 'law' });
      expect(rules.find((r) => r.rule === 'gross_limit.single_tyres')!.description).toContain('第5、6轴');
      const [audit] = await confirmations(leadId);
      expect(audit!.payload['correction']).toEqual({
        before: {
          combination: true,
          wideBaseTyreAxles: [],
          limitKg: 40_000,
          excessKg: 7_500,
          proposedPenalty: { kind: 'fine', amountYuan: before.proposedPenalty.amountYuan },
        },
        after: {
          combination: true,
          wideBaseTyreAxles: [5, 6],
          limitKg: 46_000,
          excessKg: 1_500,
          proposedPenalty: { kind: 'fine', amountYuan: 500 },
        },
      });
    });

    it('refuses to confirm a lead that is no overload once corrected, and one the table does not cover, writing nothing', async () => {
      const status = await screened({ ...weighed, singleTyreAxles: 3 }, 50_000);
      const leadId = status.leadId as string;
      const wide = await review(leadId, { vehicle: { combination: true, wideBaseTyreAxles: [4, 5, 6] } });
      expect(wide.status).toBe(422);
      expect(wide.body.code).toBe('no_overload_after_correction');
      const truck = await review(leadId, { vehicle: { combination: false } });
      expect(truck.status).toBe(422);
      expect(truck.body.code).toBe('vehicle_configuration_not_covered');
      const steering = await review(leadId, { vehicle: { combination: true, wideBaseTyreAxles: [1] } });
      expect(steering.status).toBe(400);
      const lead = (await call(stack.api, 'GET', `/api/v1/leads/${leadId}`, { token: officer })).body;
      expect(lead).toMatchObject({ status: 'pending_review', limitKg: 40_000, excessKg: 7_500 });
      expect(await confirmations(leadId)).toEqual([]);
    });
  });
});
