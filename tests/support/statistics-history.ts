import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';

/**
 * A history written straight into the database, with instants chosen around the edges of March 2025 in the
 * bureau's zone (Asia/Shanghai, UTC+8): tests/e2e/statistics.e2e-spec.ts states the figures it must give, each
 * worked out by hand from the rows below.
 */
export interface StatisticsHistory {
  stations: { a: string; b: string };
  officers: { o1: string; o2: string; o3: string };
  leads: Record<'l1' | 'l2' | 'l3' | 'l4' | 'l5', string>;
  cases: Record<'c1' | 'c2' | 'c3' | 'c4' | 'c6', string>;
}

/** Local time in Shanghai → the instant. */
export const sh = (local: string) => new Date(`${local}+08:00`);

export async function writeStatisticsHistory(db: Client): Promise<StatisticsHistory> {
  const q = (text: string, values: unknown[] = []) => db.query(text, values);
  const station = async (code: string) => {
    const id = randomUUID();
    await q(`INSERT INTO stations (id, code, name, updated_at) VALUES ($1, $2, $3, now())`, [
      id,
      code,
      `${code}检测点`,
    ]);
    return id;
  };
  const user = async (username: string) => {
    const id = randomUUID();
    await q(
      `INSERT INTO users (id, username, password_hash, display_name, updated_at) VALUES ($1, $2, 'x', $3, now())`,
      [id, username, `执法员${username}`],
    );
    return id;
  };
  const stations = { a: await station('ST-A'), b: await station('ST-B') };
  const officers = { o1: await user('o1'), o2: await user('o2'), o3: await user('o3') };

  let detectionSeq = 0;
  const detection = async (stationId: string, at: Date, outcome: string | null) => {
    const id = randomUUID();
    await q(
      `INSERT INTO detections (id, station_id, station_detection_id, body_digest, status, outcome, plate, detected_at,
         axle_count, gross_mass_kg, axle_loads_kg, raw)
       VALUES ($1, $2, $3, repeat('0', 64), $4, $5::detection_outcome, '湘F00001', $6, 6, 56000, '{}', '{}')`,
      [id, stationId, `D${++detectionSeq}`, outcome ? 'screened' : 'accepted', outcome, at],
    );
    return id;
  };
  // March: A 00:00:00.000 on the 1st, two on the 10th, one screened later (pending → lead) on the 20th;
  // B one at 23:59:59 on the 31st, one pending on the 15th. Outside: A a millisecond before March, B at
  // 00:00 on 1 April, and one of A on the 20th deleted again.
  await detection(stations.a, sh('2025-02-28T23:59:59.999'), 'lead');
  await detection(stations.a, sh('2025-03-01T00:00:00.000'), 'lead');
  await detection(stations.a, sh('2025-03-10T10:00:00'), 'no_violation');
  await detection(stations.a, sh('2025-03-10T11:00:00'), 'invalid');
  const screenedLater = await detection(stations.a, sh('2025-03-20T08:00:00'), null);
  await q(`UPDATE detections SET status = 'screened', outcome = 'lead', screened_at = now() WHERE id = $1`, [
    screenedLater,
  ]);
  const deleted = await detection(stations.a, sh('2025-03-20T09:00:00'), 'invalid');
  await q(`DELETE FROM detections WHERE id = $1`, [deleted]);
  await detection(stations.b, sh('2025-03-31T23:59:59'), 'duplicate');
  const interceptedAt = await detection(stations.b, sh('2025-03-15T12:00:00'), null);
  await detection(stations.b, sh('2025-04-01T00:00:00'), 'lead');

  const lead = async (
    stationId: string,
    violation: string,
    review: { at: string; by: string; status: string; reason?: string } | null,
    plate = '湘F12345',
  ) => {
    const id = randomUUID();
    await q(
      `INSERT INTO leads (id, status, station_id, plate, violation_at, axle_count, gross_mass_kg, limit_kg,
         tolerance_kg, excess_kg, proposed_penalty_kind, proposed_amount, proposed_basis, rules,
         reviewed_by_id, reviewed_at, reject_reason, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 6, 56000, 49000, 2800, 4200, 'fine', 2000, '{}', '[]', $6, $7, $8, $5, now())`,
      [
        id,
        review?.status ?? 'pending_review',
        stationId,
        plate,
        sh(violation),
        review?.by ?? null,
        review ? sh(review.at) : null,
        review?.reason ?? null,
      ],
    );
    return id;
  };
  const leads = {
    l1: await lead(
      stations.a,
      '2025-03-01T00:00:00',
      { at: '2025-03-02T09:00:00', by: officers.o1, status: 'notified' },
      '@SUM(A1)',
    ),
    l2: await lead(stations.a, '2025-02-28T23:00:00', {
      at: '2025-03-01T10:00:00',
      by: officers.o2,
      status: 'rejected',
      reason: '号牌与图像不一致',
    }),
    l3: await lead(stations.b, '2025-03-31T23:59:00', {
      at: '2025-04-01T09:00:00',
      by: officers.o1,
      status: 'notified',
    }),
    l4: await lead(stations.b, '2025-03-15T08:00:00', {
      at: '2025-03-16T09:00:00',
      by: officers.o1,
      status: 'rejected',
      reason: '号牌与图像不一致',
    }),
    l5: await lead(stations.b, '2025-03-20T08:00:00', {
      at: '2025-03-20T15:00:00',
      by: officers.o2,
      status: 'rejected',
      reason: '=1+1, "复核" 数据异常',
    }),
  };

  const notice = async (
    leadId: string,
    channel: 'sms' | 'push',
    created: string,
    sent: string | null,
    delivered: string | null,
    status: string,
  ) =>
    q(
      `INSERT INTO notices (id, lead_id, channel, recipient, template, body, status, created_at, sent_at,
         delivered_at, updated_at)
       VALUES ($1, $2, $3, '13800000000', 'lead_notice', '您的车辆超限', $4, $5, $6, $7, now())`,
      [
        randomUUID(),
        leadId,
        channel,
        status,
        sh(created),
        sent ? sh(sent) : null,
        delivered ? sh(delivered) : null,
      ],
    );
  // lead → notice of l1: formed 1 March 00:00, first SMS sent 3 March 12:00 → 2.5 days
  await notice(
    leads.l1,
    'sms',
    '2025-03-03T11:59:00',
    '2025-03-03T12:00:00',
    '2025-03-03T12:01:00',
    'delivered',
  );
  await notice(leads.l1, 'push', '2025-03-03T11:59:00', '2025-03-03T12:00:00', null, 'sent');
  await notice(leads.l3, 'sms', '2025-04-01T09:00:00', '2025-04-01T09:00:01', null, 'sent');
  await notice(leads.l4, 'sms', '2025-03-16T09:00:00', null, null, 'failed');

  const fence = async (leadId: string, created: string, lifted: string | null) => {
    const id = randomUUID();
    await q(
      `INSERT INTO fences (id, plate, lead_id, status, reason, created_at, lifted_at)
       VALUES ($1, '湘F12345', $2, $3, '逾期未到案, "拒不接受处理"', $4, $5)`,
      [id, leadId, lifted ? 'lifted' : 'active', sh(created), lifted ? sh(lifted) : null],
    );
    return id;
  };
  const f1 = await fence(leads.l1, '2025-03-05T08:00:00', '2025-04-02T08:00:00');
  await fence(leads.l4, '2025-02-20T08:00:00', '2025-03-10T08:00:00');
  await q(
    `INSERT INTO interception_alerts (id, fence_id, detection_id, raised_at, acknowledged_at, status)
     VALUES ($1, $2, $3, $4, $4, 'acknowledged')`,
    [randomUUID(), f1, interceptedAt, sh('2025-03-15T12:00:01')],
  );

  const party = async (kind: 'person' | 'organisation', name: string) => {
    const id = randomUUID();
    await q(`INSERT INTO parties (id, kind, name, updated_at) VALUES ($1, $2, $3, now())`, [id, kind, name]);
    return id;
  };
  const kase = async (
    fields: {
      type: string;
      leadId?: string;
      parentId?: string;
      state: string;
      filed?: string;
      decided?: string;
      served?: string;
      paid?: string;
      closed?: string;
      terminated?: string;
      reported?: string;
    },
    officerIds: string[],
    partyRole: string,
    partyKind: 'person' | 'organisation',
  ) => {
    const id = randomUUID();
    const at = (s?: string) => (s ? sh(s) : null);
    await q(
      `INSERT INTO cases (id, case_number, state, type, parent_case_id, lead_id, violation_date, filed_at, decided_at,
         served_at, paid_at, closed_at, terminated_at, home_authority_reported_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, '2025-02-20', $7, $8, $9, $10, $11, $12, $13, now())`,
      [
        id,
        `汨交罚〔2025〕第${id.slice(0, 4)}号`,
        fields.state,
        fields.type,
        fields.parentId ?? null,
        fields.leadId ?? null,
        at(fields.filed),
        at(fields.decided),
        at(fields.served),
        at(fields.paid),
        at(fields.closed),
        at(fields.terminated),
        at(fields.reported),
      ],
    );
    for (const userId of officerIds) {
      await q(`INSERT INTO case_officers (case_id, user_id) VALUES ($1, $2)`, [id, userId]);
    }
    await q(`INSERT INTO case_parties (id, case_id, party_id, role) VALUES ($1, $2, $3, $4)`, [
      randomUUID(),
      id,
      await party(partyKind, `当事人${id.slice(0, 4)}`),
      partyRole,
    ]);
    return id;
  };
  const c1 = await kase(
    {
      type: 'vehicle',
      leadId: leads.l1,
      state: 'closed',
      filed: '2025-03-04T12:00:00',
      decided: '2025-03-20T12:00:00',
      served: '2025-03-21T12:00:00',
      paid: '2025-03-25T12:00:00',
      closed: '2025-03-28T12:00:00',
      reported: '2025-03-29T12:00:00',
    },
    [officers.o1, officers.o2],
    'owner',
    'person',
  );
  // filed in February, decided in March: counted as decided in March, not as filed
  const c2 = await kase(
    {
      type: 'vehicle',
      leadId: leads.l4,
      state: 'served',
      filed: '2025-02-25T12:00:00',
      decided: '2025-03-02T12:00:00',
      served: '2025-03-03T12:00:00',
    },
    [officers.o1, officers.o3],
    'owner',
    'organisation',
  );
  const c3 = await kase(
    {
      type: 'driver',
      parentId: c1,
      state: 'decided',
      filed: '2025-03-10T12:00:00',
      decided: '2025-03-31T23:30:00',
    },
    [officers.o2, officers.o3],
    'driver',
    'person',
  );
  const c4 = await kase(
    {
      type: 'enterprise',
      parentId: c2,
      state: 'terminated',
      filed: '2025-03-05T12:00:00',
      terminated: '2025-03-15T12:00:00',
    },
    [officers.o1, officers.o2],
    'enterprise',
    'organisation',
  );
  const c6 = await kase(
    { type: 'vehicle', state: 'not_filed' },
    [officers.o1, officers.o2],
    'owner',
    'person',
  );
  await q(
    `INSERT INTO case_approvals (id, case_id, stage, approver_id, outcome, decided_at)
     VALUES ($1, $2, 'filing', $3, 'rejected', $4)`,
    [randomUUID(), c6, officers.o3, sh('2025-03-12T10:00:00')],
  );

  const decision = (caseId: string, kinds: string, fine: number | null, decided: string) =>
    q(
      `INSERT INTO decisions (id, case_id, penalty_kinds, fine_amount, basis, decided_at)
       VALUES ($1, $2, $3::penalty_kind[], $4, '[]', $5)`,
      [randomUUID(), caseId, kinds, fine, sh(decided)],
    );
  await decision(c1, '{fine}', 2000, '2025-03-20T12:00:00');
  await decision(c2, '{fine}', 3000, '2025-03-02T12:00:00');
  await decision(c3, '{order_stop_transport}', null, '2025-03-31T23:30:00');

  const payment = (caseId: string, amount: number, lateFee: number, paid: string) =>
    q(
      `INSERT INTO payments (id, case_id, amount, late_fee, receipt_no, paid_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [randomUUID(), caseId, amount, lateFee, `R-${randomUUID().slice(0, 8)}`, sh(paid)],
    );
  await payment(c1, 2000, 0, '2025-03-25T12:00:00');
  await payment(c2, 1000, 90, '2025-03-10T12:00:00');
  await payment(c2, 500, 0, '2025-04-01T00:00:00');

  const statement = (caseId: string, kind: string, column: 'received_at' | 'held_at', at: string) =>
    q(`INSERT INTO statement_records (id, case_id, kind, ${column}) VALUES ($1, $2, $3, $4)`, [
      randomUUID(),
      caseId,
      kind,
      sh(at),
    ]);
  await statement(c2, 'hearing_request', 'received_at', '2025-03-01T09:00:00');
  await statement(c2, 'hearing', 'held_at', '2025-03-05T09:00:00');
  await statement(c1, 'hearing', 'held_at', '2025-04-02T09:00:00');

  const review = (caseId: string, outcome: string, at: string) =>
    q(
      `INSERT INTO legal_reviews (id, case_id, reviewer_id, outcome, reviewed_at) VALUES ($1, $2, $3, $4, $5)`,
      [randomUUID(), caseId, officers.o3, outcome, sh(at)],
    );
  await review(c1, 'passed', '2025-03-18T12:00:00');
  await review(c3, 'returned', '2025-03-25T12:00:00');
  await review(c3, 'passed', '2025-03-28T12:00:00');
  await review(c2, 'passed', '2025-02-27T12:00:00');

  const deadline = (owner: { caseId?: string; leadId?: string }, kind: string, due: Date, status: string) =>
    q(`INSERT INTO deadlines (id, case_id, lead_id, kind, due_at, status) VALUES ($1, $2, $3, $4, $5, $6)`, [
      randomUUID(),
      owner.caseId ?? null,
      owner.leadId ?? null,
      kind,
      due,
      status,
    ]);
  await deadline({ caseId: c1 }, 'decision_due', sh('2025-03-15T23:59:59.999'), 'met');
  await deadline({ caseId: c1 }, 'service_due', sh('2025-03-31T23:59:59.999'), 'missed');
  await deadline({ caseId: c2 }, 'payment_due', sh('2025-04-01T00:00:00'), 'met');
  await deadline({ leadId: leads.l1 }, 'response_window', sh('2025-03-10T23:59:59.999'), 'met');
  await deadline({ caseId: c3 }, 'service_due', sh('2025-03-20T23:59:59.999'), 'open');

  const evaluation = (caseId: string, kind: string, score: number, at: string) =>
    q(
      `INSERT INTO case_evaluations (id, case_id, kind, score, findings, evaluated_at)
       VALUES ($1, $2, $3, $4, '{"findings": [{"axis": "completeness"}]}', $5)`,
      [randomUUID(), caseId, kind, score, sh(at)],
    );
  await evaluation(c1, 'precheck', 85, '2025-03-28T11:00:00');
  await evaluation(c1, 'review', 92, '2025-03-29T10:00:00');
  await evaluation(c2, 'review', 78, '2025-03-30T10:00:00');
  await evaluation(c4, 'review', 55, '2025-04-01T10:00:00');

  return { stations, officers, leads, cases: { c1, c2, c3, c4, c6 } };
}
