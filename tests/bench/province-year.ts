import type { Client } from 'pg';

/**
 * A year of a bureau's data written straight in SQL (2025, Asia/Shanghai): stations, officers, detections month by
 * month (one statement each, as batched intake does, so the statistics triggers keep their counts), leads,
 * notices, fences and interception alerts, parties, vehicle cases with driver and enterprise sub-cases, their
 * officers, parties, decisions, payments, legal reviews, hearings, deadlines and evaluations. Shared by the
 * statistics bench and the data-growth bench. A table `bench_generated (scale, detections)` marks a complete
 * generation.
 */
export interface YearScale {
  detections: number;
  leads: number;
  cases: number;
  stations: number;
  officers: number;
}

export const YEAR = 2025;

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

export async function generateYear(
  db: Client,
  scale: YearScale,
  label: string,
  log: (line: string) => void,
): Promise<void> {
  const step = async (label: string, sql: string, params: unknown[] = []) => {
    const t = process.hrtime.bigint();
    const result = await db.query(sql, params);
    log(`  ${label}: ${result.rowCount ?? 0} rows, ${seconds(t).toFixed(1)} s`);
  };
  const yearStart = `${YEAR}-01-01 00:00+08`;
  await step(
    'stations',
    `INSERT INTO stations (id, code, name, updated_at)
     SELECT gen_random_uuid(), 'ST-' || g, '检测点' || g, now() FROM generate_series(1, $1) g`,
    [scale.stations],
  );
  await step(
    'officers',
    `INSERT INTO users (id, username, password_hash, display_name, updated_at)
     SELECT gen_random_uuid(), 'officer' || g, 'x', '执法员' || g, now() FROM generate_series(1, $1) g`,
    [scale.officers],
  );
  // Detections month by month (one statement each, as batched intake does): the triggers keep the counts. Their
  // ids are UUIDv7 of the instant (received when detected here), as intake makes them: each lands in its month.
  const perMonth = Math.ceil(scale.detections / 12);
  for (let month = 0; month < 12; month++) {
    await step(
      `detections, month ${month + 1}`,
      `WITH s AS (SELECT array_agg(id ORDER BY code) AS ids FROM stations)
       INSERT INTO detections (id, station_id, station_detection_id, body_digest, status, outcome, plate, detected_at,
         received_at, screened_at, axle_count, gross_mass_kg, axle_loads_kg, raw)
       SELECT uuidv7_at(t), s.ids[1 + (g % array_length(s.ids, 1))], 'M${month}-' || g, repeat('0', 64),
         'screened', (ARRAY['lead', 'no_violation', 'no_violation', 'no_violation', 'invalid', 'duplicate'])[1 + (g % 6)]::detection_outcome,
         '湘F' || lpad((g % 99999)::text, 5, '0'), t, t, t, 6, 50000 + (g % 9000), '{}', '{}'
       FROM s, generate_series(1, $1) g,
         LATERAL (SELECT (timestamptz '${yearStart}' + interval '1 month' * ${month})
           + (g::float8 / $1) * ((timestamptz '${yearStart}' + interval '1 month' * ${month + 1})
              - (timestamptz '${yearStart}' + interval '1 month' * ${month})) AS t) tt`,
      [perMonth],
    );
  }
  // The keys of those detections, made from them: consistent by construction, so without the foreign key's check
  // of each (a million row locks on the detections; the session's replication role skips it).
  await db.query(`SET session_replication_role = replica`);
  await step(
    'detection keys',
    `INSERT INTO detection_keys (station_id, station_detection_id, detection_id)
     SELECT station_id, station_detection_id, id FROM detections`,
  );
  await db.query(`SET session_replication_role = DEFAULT`);
  await step(
    'leads',
    `WITH s AS (SELECT array_agg(id ORDER BY code) AS ids FROM stations),
          u AS (SELECT array_agg(id ORDER BY username) AS ids FROM users WHERE username LIKE 'officer%')
     INSERT INTO leads (id, status, station_id, plate, violation_at, axle_count, gross_mass_kg, limit_kg, tolerance_kg,
       excess_kg, proposed_penalty_kind, proposed_amount, proposed_basis, rules, reviewed_by_id, reviewed_at,
       reject_reason, created_at, updated_at)
     SELECT gen_random_uuid(),
       CASE WHEN g % 10 = 0 THEN 'rejected' WHEN g % 10 = 1 THEN 'pending_review' WHEN g % 10 < 5 THEN 'filed' ELSE 'notified' END::lead_status,
       s.ids[1 + (g % array_length(s.ids, 1))], '湘F' || lpad((g % 99999)::text, 5, '0'), t, 6, 56000, 49000, 2800, 4200,
       'fine', 2000, '{}', '[]',
       CASE WHEN g % 10 = 1 THEN NULL ELSE u.ids[1 + (g % array_length(u.ids, 1))] END,
       CASE WHEN g % 10 = 1 THEN NULL ELSE t + interval '1 hour' * (1 + g % 48) END,
       CASE WHEN g % 10 = 0 THEN (ARRAY['号牌与图像不一致', '轴数不符', '数据异常'])[1 + (g / 10) % 3] END,
       t + interval '1 minute', now()
     FROM s, u, generate_series(1, $1) g,
       LATERAL (SELECT timestamptz '${yearStart}' + (g::float8 / $1) * interval '365 days' AS t) tt`,
    [scale.leads],
  );
  await step(
    'notices',
    `INSERT INTO notices (id, lead_id, channel, recipient, template, body, status, created_at, sent_at, delivered_at, updated_at)
     SELECT gen_random_uuid(), l.id, c.channel::notice_channel, '13800000000', 'lead_notice', '超限告知',
       CASE WHEN hashtext(l.id::text) % 20 = 0 THEN 'failed' ELSE 'delivered' END::notice_status,
       l.reviewed_at, l.reviewed_at + interval '5 seconds',
       CASE WHEN hashtext(l.id::text) % 20 = 0 THEN NULL ELSE l.reviewed_at + interval '1 minute' END, now()
     FROM leads l CROSS JOIN (VALUES ('sms'), ('push')) c(channel)
     WHERE l.status NOT IN ('rejected', 'pending_review')`,
  );
  await step(
    'fences',
    `INSERT INTO fences (id, plate, lead_id, status, reason, created_at, lifted_at)
     SELECT gen_random_uuid(), l.plate, l.id, 'lifted', '逾期未到案', l.reviewed_at + interval '15 days',
       l.reviewed_at + interval '30 days'
     FROM leads l WHERE l.status = 'notified' AND hashtext(l.id::text) % 10 = 0`,
  );
  await step(
    'interception alerts',
    `WITH f AS (SELECT id, row_number() OVER () AS rn FROM fences),
          d AS (SELECT id, detected_at, row_number() OVER () AS rn FROM detections LIMIT (SELECT count(*) FROM fences))
     INSERT INTO interception_alerts (id, fence_id, detection_id, raised_at, acknowledged_at, status)
     SELECT gen_random_uuid(), f.id, d.id, d.detected_at, d.detected_at + interval '10 minutes', 'acknowledged'
     FROM f JOIN d USING (rn)`,
  );
  await step(
    'owner parties',
    `INSERT INTO parties (id, kind, name, updated_at)
     SELECT gen_random_uuid(), CASE WHEN g % 3 = 0 THEN 'organisation' ELSE 'person' END::party_kind, '当事人' || g, now()
     FROM generate_series(1, $1) g`,
    [scale.cases],
  );
  // Vehicle cases of filed leads: filed 1-10 days after review, decided 5-44 days later, served 1-5 days later,
  // paid 1-20 days later, closed 1-7 days later; a tenth still open at each step, one in fifty terminated.
  await step(
    'cases',
    `WITH l AS (SELECT id, reviewed_at, row_number() OVER (ORDER BY violation_at) AS rn FROM leads WHERE status = 'filed' LIMIT $1),
          t AS (SELECT id, rn, reviewed_at + interval '1 day' * (1 + rn % 10) AS filed FROM l)
     INSERT INTO cases (id, case_number, state, type, lead_id, violation_date, filed_at, decided_at, served_at, paid_at,
       closed_at, terminated_at, home_authority_reported_at, updated_at)
     SELECT gen_random_uuid(), 'B' || rn, 'closed', 'vehicle', id, filed::date, filed,
       CASE WHEN rn % 10 > 0 AND rn % 50 <> 7 THEN filed + interval '1 day' * (5 + rn % 40) END,
       CASE WHEN rn % 10 > 1 AND rn % 50 <> 7 THEN filed + interval '1 day' * (6 + rn % 40 + rn % 5) END,
       CASE WHEN rn % 10 > 2 AND rn % 50 <> 7 THEN filed + interval '1 day' * (7 + rn % 40 + rn % 5 + rn % 20) END,
       CASE WHEN rn % 10 > 3 AND rn % 50 <> 7 THEN filed + interval '1 day' * (8 + rn % 40 + rn % 5 + rn % 20 + rn % 7) END,
       CASE WHEN rn % 50 = 7 THEN filed + interval '3 days' END,
       CASE WHEN rn % 10 > 3 AND rn % 50 <> 7 THEN filed + interval '1 day' * (12 + rn % 40 + rn % 5 + rn % 20 + rn % 7) END,
       now()
     FROM t`,
    [scale.cases],
  );
  await step(
    'sub-cases (driver, enterprise)',
    `INSERT INTO cases (id, case_number, state, type, parent_case_id, violation_date, filed_at, decided_at, updated_at)
     SELECT gen_random_uuid(), c.case_number || '-' || t.type, 'decided', t.type::case_type, c.id, c.violation_date,
       c.filed_at + interval '1 day', c.decided_at, now()
     FROM cases c CROSS JOIN (VALUES ('driver'), ('enterprise')) t(type)
     WHERE c.type = 'vehicle' AND hashtext(c.id::text) % 10 = 0`,
  );
  await step(
    'case officers',
    `WITH u AS (SELECT array_agg(id ORDER BY username) AS ids FROM users WHERE username LIKE 'officer%'),
          c AS (SELECT id, row_number() OVER () AS rn FROM cases)
     INSERT INTO case_officers (case_id, user_id)
     SELECT c.id, u.ids[1 + ((c.rn + k) % array_length(u.ids, 1))] FROM c, u, generate_series(0, 1) k`,
  );
  await step(
    'case parties',
    `WITH p AS (SELECT id, row_number() OVER () AS rn FROM parties),
          c AS (SELECT id, type, row_number() OVER () AS rn FROM cases)
     INSERT INTO case_parties (id, case_id, party_id, role)
     SELECT gen_random_uuid(), c.id, p.id,
       (CASE c.type WHEN 'driver' THEN 'driver' WHEN 'enterprise' THEN 'enterprise' ELSE 'owner' END)::case_party_role
     FROM c JOIN p ON p.rn = 1 + (c.rn % (SELECT count(*) FROM parties))`,
  );
  await step(
    'decisions',
    `INSERT INTO decisions (id, case_id, penalty_kinds, fine_amount, basis, decided_at)
     SELECT gen_random_uuid(), id,
       CASE type WHEN 'driver' THEN '{order_stop_transport}' WHEN 'enterprise' THEN '{business_suspension}' ELSE '{fine}' END::penalty_kind[],
       CASE WHEN type = 'vehicle' THEN 500 * (1 + hashtext(id::text) & 15) END, '[]', decided_at
     FROM cases WHERE decided_at IS NOT NULL`,
  );
  await step(
    'payments',
    `INSERT INTO payments (id, case_id, amount, late_fee, receipt_no, paid_at)
     SELECT gen_random_uuid(), c.id, d.fine_amount, CASE WHEN hashtext(c.id::text) % 10 = 0 THEN 30 ELSE 0 END,
       'R-' || c.id, c.paid_at
     FROM cases c JOIN decisions d ON d.case_id = c.id WHERE c.paid_at IS NOT NULL`,
  );
  await step(
    'legal reviews',
    `WITH u AS (SELECT id FROM users ORDER BY username LIMIT 1)
     INSERT INTO legal_reviews (id, case_id, reviewer_id, outcome, reviewed_at)
     SELECT gen_random_uuid(), c.id, u.id, r.outcome::legal_review_outcome, c.decided_at - interval '1 day' * r.days
     FROM cases c, u, (VALUES ('passed', 1), ('returned', 3)) r(outcome, days)
     WHERE c.decided_at IS NOT NULL AND (r.outcome = 'passed' OR hashtext(c.id::text) % 8 = 0)`,
  );
  await step(
    'hearings',
    `INSERT INTO statement_records (id, case_id, kind, received_at, held_at)
     SELECT gen_random_uuid(), c.id, k.kind::statement_kind,
       CASE WHEN k.kind = 'hearing_request' THEN c.filed_at + interval '2 days' END,
       CASE WHEN k.kind = 'hearing' THEN c.filed_at + interval '12 days' END
     FROM cases c CROSS JOIN (VALUES ('hearing_request'), ('hearing')) k(kind)
     WHERE c.decided_at IS NOT NULL AND hashtext(c.id::text) % 25 = 0`,
  );
  await step(
    'deadlines',
    `INSERT INTO deadlines (id, case_id, kind, due_at, status)
     SELECT gen_random_uuid(), c.id, k.kind::deadline_kind, c.filed_at + interval '1 day' * k.days,
       CASE WHEN hashtext(c.id::text || k.kind) % 30 = 0 THEN 'missed' ELSE 'met' END::deadline_status
     FROM cases c CROSS JOIN (VALUES ('decision_due', 90), ('service_due', 50), ('payment_due', 70),
       ('statement_window', 10), ('hearing_request_window', 12)) k(kind, days)`,
  );
  await step(
    'evaluations',
    `INSERT INTO case_evaluations (id, case_id, kind, score, findings, evaluated_at)
     SELECT gen_random_uuid(), c.id, 'precheck'::evaluation_kind, 60 + (hashtext(c.id::text) & 39), '[]'::jsonb, c.closed_at
     FROM cases c WHERE c.closed_at IS NOT NULL
     UNION ALL
     SELECT gen_random_uuid(), c.id, 'review'::evaluation_kind, 55 + (hashtext(c.id::text) & 40), '[]'::jsonb, c.closed_at + interval '20 days'
     FROM cases c WHERE c.closed_at IS NOT NULL AND hashtext(c.id::text) % 20 = 0`,
  );
  await step('analyze', 'ANALYZE');
  await db.query(`CREATE TABLE bench_generated (scale text, detections bigint)`);
  await db.query(`INSERT INTO bench_generated VALUES ($1, $2)`, [label, scale.detections]);
}
