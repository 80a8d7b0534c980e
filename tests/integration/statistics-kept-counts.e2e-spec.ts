import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createPrismaClient, dropDatabase, migrate, type PrismaClient } from '@ecc/shared-data';
import {
  DetectionCountsRepository,
  STATISTICS_GROUPS,
  StatisticsRepository,
  type CountSource,
  type StatisticsGroup,
  type StatisticsPeriod,
} from '@ecc/statistics-data';
import { createScratchDatabase } from '../support/database';

/**
 * The counts of leads and notices and the first SMS of each lead, kept by the triggers on leads and notices
 * (prisma/migrations/20261206100200_statistics_kept_counts): the figures read from them must be those counted
 * from the rows themselves — while other transactions write and have not committed, after writers raced on one
 * lead, after the worker's fold, and after a rebuild in another zone.
 */
const sh = (local: string) => new Date(`${local}+08:00`);
const MARCH: StatisticsPeriod = {
  fromDate: '2025-03-01',
  toDate: '2025-03-31',
  start: sh('2025-03-01T00:00:00'),
  end: sh('2025-04-01T00:00:00'),
  timeZone: 'Asia/Shanghai',
};
const BOUNDS = { excellentFrom: 90, goodFrom: 80, qualifiedFrom: 60 };

describe('statistics: the kept counts of leads and notices', () => {
  let url: string;
  let prisma: PrismaClient;
  let db: Client;
  let repo: StatisticsRepository;
  const stations = [randomUUID(), randomUUID()];
  const officers = [randomUUID(), randomUUID()];

  /** Every figure of `period` from one source of counts, in total and by every grouping. */
  const figures = async (counts: CountSource, period = MARCH) => {
    const out: Record<string, unknown> = {};
    for (const group of [null, ...STATISTICS_GROUPS] as (StatisticsGroup | null)[]) {
      const answer = await repo.collect(period, BOUNDS, counts, group);
      out[group ?? 'total'] = group ? Object.fromEntries(answer.groups) : answer.total;
    }
    return out;
  };
  /** The kept figures equal the figures counted from the rows (and are returned for closer checks). */
  const keptMatchDirect = async (period = MARCH) => {
    const kept = await figures('summary', period);
    expect(kept).toEqual(await figures('detections', period));
    return kept as { total: Record<string, number | null> } & Record<string, unknown>;
  };

  const lead = (fields: { station?: number; violationAt: Date; createdAt?: Date }) => ({
    id: randomUUID(),
    sql: `INSERT INTO leads (id, status, station_id, plate, violation_at, axle_count, gross_mass_kg, limit_kg,
        tolerance_kg, excess_kg, proposed_penalty_kind, proposed_basis, rules, created_at, updated_at)
      VALUES ($1, 'pending_review', $2, '湘F12345', $3, 6, 52340, 49000, 2618, 722, 'warning', '{}', '[]', $4, now())`,
    params: (id: string) => [
      id,
      stations[fields.station ?? 0],
      fields.violationAt,
      fields.createdAt ?? fields.violationAt,
    ],
  });
  const insertLead = async (client: Client, fields: Parameters<typeof lead>[0]) => {
    const l = lead(fields);
    await client.query(l.sql, l.params(l.id));
    return l.id;
  };
  const review = (client: Client, id: string, outcome: 'confirmed' | 'rejected', at: Date, officer = 0) =>
    client.query(
      `UPDATE leads SET status = $2, reviewed_at = $3, reviewed_by_id = $4, reject_reason = $5 WHERE id = $1`,
      [id, outcome, at, officers[officer], outcome === 'rejected' ? '号牌与图像不一致' : null],
    );
  const notice = async (
    client: Client,
    leadId: string,
    channel: 'sms' | 'push',
    createdAt: Date,
    sentAt: Date | null,
  ) => {
    const id = randomUUID();
    await client.query(
      `INSERT INTO notices (id, lead_id, channel, recipient, template, body, status, created_at, sent_at, updated_at)
       VALUES ($1, $2, $3, '13800000000', 'lead_notice', '超限告知', $4, $5, $6, now())`,
      [id, leadId, channel, sentAt ? 'sent' : 'pending', createdAt, sentAt],
    );
    return id;
  };
  const transaction = async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query('BEGIN');
    return client;
  };

  beforeAll(async () => {
    url = await createScratchDatabase('statistics_kept_counts');
    await migrate(url);
    prisma = createPrismaClient(url);
    repo = new StatisticsRepository(prisma);
    db = new Client({ connectionString: url });
    await db.connect();
    for (const [i, id] of stations.entries()) {
      await db.query(`INSERT INTO stations (id, code, name, updated_at) VALUES ($1, $2, $3, now())`, [
        id,
        `ST-${i}`,
        `检测点${i}`,
      ]);
    }
    for (const [i, id] of officers.entries()) {
      await db.query(
        `INSERT INTO users (id, username, password_hash, display_name, updated_at) VALUES ($1, $2, 'x', $3, now())`,
        [id, `officer${i}`, `执法员${i}`],
      );
    }
  });

  afterAll(async () => {
    await db.end();
    await prisma.$disconnect();
    await dropDatabase(url);
  });

  it('stay exact while concurrent transactions write, commit and roll back', async () => {
    // committed before: two leads of March (one at 00:00 on the 1st, one a millisecond before: February)
    const first = await insertLead(db, { violationAt: sh('2025-03-01T00:00:00') });
    await insertLead(db, { violationAt: new Date(sh('2025-03-01T00:00:00').getTime() - 1) });

    const writers = await Promise.all([transaction(), transaction(), transaction()]);
    const [a, b, c] = writers as [Client, Client, Client];
    // interleaved: each writer forms leads, reviews them and notifies, one statement at a time, turn by turn
    const aLead = await insertLead(a, { violationAt: sh('2025-03-10T08:00:00'), station: 1 });
    const bLead = await insertLead(b, { violationAt: sh('2025-03-10T09:00:00') });
    const cLead = await insertLead(c, { violationAt: sh('2025-03-10T10:00:00') });
    await review(a, aLead, 'confirmed', sh('2025-03-11T08:00:00'), 1);
    await review(b, bLead, 'rejected', sh('2025-03-11T09:00:00'));
    await review(c, cLead, 'confirmed', sh('2025-03-11T10:00:00'));
    await review(a, first, 'confirmed', sh('2025-03-31T23:59:59'));
    const aSms = await notice(a, aLead, 'sms', sh('2025-03-12T08:00:00'), sh('2025-03-12T08:00:05'));
    await notice(c, cLead, 'push', sh('2025-03-12T10:00:00'), null);
    await a.query(`UPDATE notices SET status = 'failed' WHERE id = $1`, [aSms]);

    // nothing committed yet: a reader's snapshot holds the two leads committed before, no more
    const during = await keptMatchDirect();
    expect(during.total['leads.formed']).toBe(1);
    expect(during.total['leads.confirmed']).toBe(0);

    await a.query('COMMIT');
    await b.query('ROLLBACK');
    const afterA = await keptMatchDirect();
    expect(afterA.total).toMatchObject({
      'leads.formed': 2,
      'leads.confirmed': 2,
      'leads.rejected': 0,
      'notices.sms.created': 1,
      'notices.sms.sent': 1,
      'notices.sms.failed': 1,
      'durations.leadToNotice.count': 1,
    });
    await c.query('COMMIT');
    const afterC = await keptMatchDirect();
    expect(afterC.total).toMatchObject({
      'leads.formed': 3,
      'leads.confirmed': 3,
      'leads.rejected': 0,
      'notices.push.created': 1,
      'notices.push.sent': 0,
    });
    await Promise.all(writers.map((w) => w.end()));
  });

  it('keeps the earliest SMS of a lead when two transactions send one at once', async () => {
    const id = await insertLead(db, { violationAt: sh('2025-03-20T08:00:00') });
    const [late, early] = [await transaction(), await transaction()];
    await notice(late, id, 'sms', sh('2025-03-21T10:00:00'), sh('2025-03-21T10:00:00'));
    // the second writer's first-SMS row waits on the first's until it commits, then keeps the earlier instant
    const racing = notice(early, id, 'sms', sh('2025-03-21T09:00:00'), sh('2025-03-21T09:00:00'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await late.query('COMMIT');
    await racing;
    await early.query('COMMIT');
    await Promise.all([late.end(), early.end()]);
    const kept = await db.query(`SELECT sent_at FROM statistics_lead_first_sms WHERE lead_id = $1`, [id]);
    expect(kept.rows).toEqual([{ sent_at: sh('2025-03-21T09:00:00') }]);
    await keptMatchDirect();

    // delivery receipts of the lead's two SMS in two open transactions: neither writes the kept row, so neither
    // waits for the other (a lock on it would hold the second until the first commits)
    const [one, two] = [await transaction(), await transaction()];
    await two.query(`SET LOCAL lock_timeout = '2s'`);
    const deliver = (client: Client, at: Date) =>
      client.query(
        `UPDATE notices SET status = 'delivered', delivered_at = now() WHERE lead_id = $1 AND sent_at = $2`,
        [id, at],
      );
    await deliver(one, sh('2025-03-21T09:00:00'));
    await deliver(two, sh('2025-03-21T10:00:00'));
    await Promise.all([one.query('COMMIT'), two.query('COMMIT')]);
    await Promise.all([one.end(), two.end()]);
    await keptMatchDirect();

    // a deleted SMS (the application never deletes one) makes the next one the first
    await db.query(`DELETE FROM notices WHERE lead_id = $1 AND sent_at = $2`, [
      id,
      sh('2025-03-21T09:00:00'),
    ]);
    const after = await db.query(`SELECT sent_at FROM statistics_lead_first_sms WHERE lead_id = $1`, [id]);
    expect(after.rows).toEqual([{ sent_at: sh('2025-03-21T10:00:00') }]);
    await keptMatchDirect();
  });

  it('stay exact after the fold, which leaves no delta behind', async () => {
    const before = await keptMatchDirect();
    const counts = new DetectionCountsRepository(prisma);
    expect((await counts.fold()).deltas).toBeGreaterThan(0);
    const pending = await db.query(`SELECT count(*)::int AS n FROM statistics_event_deltas`);
    expect(pending.rows[0].n).toBe(0);
    // a lead reviewed after the fold is a delta again, read with the folded rows
    const id = await insertLead(db, { violationAt: sh('2025-03-25T08:00:00'), station: 1 });
    await review(db, id, 'rejected', sh('2025-03-26T08:00:00'), 1);
    const after = await keptMatchDirect();
    expect(after.total['leads.formed']).toBe((before.total['leads.formed'] as number) + 1);
    expect(after.total['leads.rejected']).toBe((before.total['leads.rejected'] as number) + 1);
  });

  it("keep the station of each case: its lead's, a sub-case's its parent's lead's, through inserts, updates and deletes", async () => {
    const leadId = await insertLead(db, { violationAt: sh('2025-03-05T08:00:00'), station: 1 });
    const [parent, child, orphan] = [randomUUID(), randomUUID(), randomUUID()];
    // the parent and its sub-case in one statement, as a trigger on the statement sees them both
    await db.query(
      `INSERT INTO cases (id, case_number, state, type, lead_id, parent_case_id, violation_date, updated_at)
       VALUES ($1, 'K-1', 'filed', 'vehicle', $3, NULL, '2025-03-05', now()),
              ($2, 'K-1-driver', 'filed', 'driver', NULL, $1, '2025-03-05', now()),
              ($4, 'K-2', 'filed', 'vehicle', NULL, NULL, '2025-03-05', now())`,
      [parent, child, leadId, orphan],
    );
    const stationOf = async () =>
      Object.fromEntries(
        (
          await db.query<{ case_id: string; station_id: string | null }>(
            `SELECT case_id, station_id FROM statistics_case_stations WHERE case_id = ANY($1::uuid[])`,
            [[parent, child, orphan]],
          )
        ).rows.map((r) => [r.case_id, r.station_id]),
      );
    expect(await stationOf()).toEqual({ [parent]: stations[1], [child]: stations[1], [orphan]: null });
    // an update of anything else leaves it; one giving the case a lead (the application does not) moves it
    await db.query(`UPDATE cases SET state = 'decided' WHERE id = ANY($1::uuid[])`, [
      [parent, child, orphan],
    ]);
    await db.query(`UPDATE cases SET lead_id = $2 WHERE id = $1`, [orphan, leadId]);
    expect(await stationOf()).toEqual({ [parent]: stations[1], [child]: stations[1], [orphan]: stations[1] });
    await db.query(`DELETE FROM cases WHERE id = $1`, [orphan]);
    expect(await stationOf()).toEqual({ [parent]: stations[1], [child]: stations[1] });
  });

  it("keep the station of each interception alert (its detection's) and group the interceptions by it", async () => {
    const detection = async (station: number, at: Date) => {
      const id = randomUUID();
      await db.query(
        `INSERT INTO detections (id, station_id, station_detection_id, body_digest, status, plate, detected_at,
           axle_count, gross_mass_kg, axle_loads_kg, raw)
         VALUES ($1, $2, $3, repeat('0', 64), 'accepted', '湘F54321', $4, 6, 50000, '{}', '{}')`,
        [id, stations[station], `alert-${id}`, at],
      );
      return id;
    };
    const at = sh('2025-03-20T10:00:00');
    const [atA, atB] = [await detection(0, at), await detection(1, at)];
    // an alert of a fence of its own each (one alert per fence and detection)
    const alert = async () => {
      const [id, fence] = [randomUUID(), randomUUID()];
      await db.query(
        `INSERT INTO fences (id, plate, status, reason, created_at) VALUES ($1, '湘F54321', 'active', '逾期未到案', $2)`,
        [fence, at],
      );
      await db.query(
        `INSERT INTO interception_alerts (id, fence_id, detection_id, raised_at) VALUES ($1, $2, $3, $4)`,
        [id, fence, atA, at],
      );
      return id;
    };
    const [one, two] = [await alert(), await alert()];
    const stationOf = async () =>
      Object.fromEntries(
        (
          await db.query<{ alert_id: string; station_id: string }>(
            `SELECT alert_id, station_id FROM statistics_alert_stations WHERE alert_id = ANY($1::uuid[])`,
            [[one, two]],
          )
        ).rows.map((r) => [r.alert_id, r.station_id]),
      );
    expect(await stationOf()).toEqual({ [one]: stations[0], [two]: stations[0] });
    const interceptions = async (counts: CountSource) => {
      const answer = await repo.collect(MARCH, BOUNDS, counts, 'station');
      return stations.map((st) => answer.groups.get(st)?.['fences.interceptions'] ?? 0);
    };
    const before = await interceptions('detections');
    expect(await interceptions('summary')).toEqual(before);
    // an acknowledgement leaves it; a change of the alert's detection (the application makes none) moves it
    await db.query(`UPDATE interception_alerts SET acknowledged_at = $2 WHERE id = $1`, [one, at]);
    await db.query(`UPDATE interception_alerts SET detection_id = $2 WHERE id = $1`, [two, atB]);
    expect(await stationOf()).toEqual({ [one]: stations[0], [two]: stations[1] });
    expect(await interceptions('summary')).toEqual([before[0]! - 1, before[1]! + 1]);
    expect(await interceptions('summary')).toEqual(await interceptions('detections'));
    await db.query(`DELETE FROM interception_alerts WHERE id = $1`, [two]);
    expect(await stationOf()).toEqual({ [one]: stations[0] });
    // an alert written with the triggers off (as a restore would) has no kept station until the rebuild
    await db.query('ALTER TABLE interception_alerts DISABLE TRIGGER USER');
    let three: string;
    try {
      three = await alert();
    } finally {
      await db.query('ALTER TABLE interception_alerts ENABLE TRIGGER USER');
    }
    expect(Object.keys(await stationOf())).not.toContain(three);
    await new DetectionCountsRepository(prisma).rebuild('Asia/Shanghai');
    const kept = await db.query(`SELECT station_id FROM statistics_alert_stations WHERE alert_id = $1`, [
      three,
    ]);
    expect(kept.rows).toEqual([{ station_id: stations[0] }]);
    await keptMatchDirect();
  });

  it("keep the station of each fence (its lead's) and group the fences deployed and lifted by it", async () => {
    const at = sh('2025-03-12T09:00:00');
    const [leadA, leadB] = [
      await insertLead(db, { violationAt: sh('2025-03-02T08:00:00'), station: 0 }),
      await insertLead(db, { violationAt: sh('2025-03-02T09:00:00'), station: 1 }),
    ];
    const fence = async (leadId: string | null, client: Client = db) => {
      const id = randomUUID();
      await client.query(
        `INSERT INTO fences (id, plate, lead_id, status, reason, created_at) VALUES ($1, '湘F24680', $2, 'active', '逾期未到案', $3)`,
        [id, leadId, at],
      );
      return id;
    };
    const [ofA, ofB, none] = [await fence(leadA), await fence(leadB), await fence(null)];
    const fences: string[] = [ofA, ofB, none];
    const stationOf = async () =>
      Object.fromEntries(
        (
          await db.query<{ fence_id: string; station_id: string }>(
            `SELECT fence_id, station_id FROM statistics_fence_stations WHERE fence_id = ANY($1::uuid[])`,
            [fences],
          )
        ).rows.map((r) => [r.fence_id, r.station_id]),
      );
    // a fence without a lead has no station (no row), as the probe of the leads finds none
    expect(await stationOf()).toEqual({ [ofA]: stations[0], [ofB]: stations[1] });
    /** fences.deployed and fences.lifted of each station and of no station, kept and from the rows alike. */
    const byStation = async () => {
      const of = async (counts: CountSource) => {
        const answer = await repo.collect(MARCH, BOUNDS, counts, 'station');
        const known: string[] = stations;
        const keys = [...known, ...[...answer.groups.keys()].filter((k) => !known.includes(k))];
        return Object.fromEntries(
          keys.map((k) => [
            k,
            [answer.groups.get(k)?.['fences.deployed'] ?? 0, answer.groups.get(k)?.['fences.lifted'] ?? 0],
          ]),
        );
      };
      const kept = await of('summary');
      expect(kept).toEqual(await of('detections'));
      return kept;
    };
    const before = await byStation();

    // lifting a fence (an update that leaves its lead) keeps its station; the lifted count follows it
    await db.query(
      `UPDATE fences SET status = 'lifted', lifted_at = $2, lift_reason = '已到案' WHERE id = $1`,
      [ofA, sh('2025-03-20T10:00:00')],
    );
    expect(await stationOf()).toEqual({ [ofA]: stations[0], [ofB]: stations[1] });
    const lifted = await byStation();
    expect(lifted[stations[0]!]).toEqual([before[stations[0]!]![0], before[stations[0]!]![1]! + 1]);

    // a change of the lead's station (the application makes none) moves its fence, as it moves its cases
    await db.query(`UPDATE leads SET station_id = $2 WHERE id = $1`, [leadA, stations[1]]);
    expect(await stationOf()).toEqual({ [ofA]: stations[1], [ofB]: stations[1] });
    const moved = await byStation();
    expect(moved[stations[0]!]).toEqual([before[stations[0]!]![0]! - 1, before[stations[0]!]![1]]);
    expect(moved[stations[1]!]).toEqual([before[stations[1]!]![0]! + 1, before[stations[1]!]![1]! + 1]);

    // a fence given a lead (the application does not) takes its station; one whose lead is deleted (the foreign key
    // sets it null) loses it
    await db.query(`UPDATE fences SET lead_id = $2 WHERE id = $1`, [none, leadB]);
    expect(await stationOf()).toEqual({ [ofA]: stations[1], [ofB]: stations[1], [none]: stations[1] });
    await db.query(`UPDATE fences SET lead_id = NULL WHERE id = $1`, [none]);
    const orphanLead = await insertLead(db, { violationAt: sh('2025-03-02T10:00:00'), station: 0 });
    const orphan = await fence(orphanLead);
    fences.push(orphan);
    expect((await stationOf())[orphan]).toBe(stations[0]);
    await db.query(`DELETE FROM leads WHERE id = $1`, [orphanLead]);
    expect(Object.keys(await stationOf())).not.toContain(orphan);
    await byStation();

    // a transaction rolled back leaves nothing: neither its fence nor its lead's change of station
    const settled = await stationOf();
    const tx = await transaction();
    try {
      fences.push(await fence(leadB, tx));
      await tx.query(`UPDATE leads SET station_id = $2 WHERE id = $1`, [leadB, stations[0]]);
      await tx.query(`DELETE FROM fences WHERE id = $1`, [ofA]);
    } finally {
      await tx.query('ROLLBACK');
      await tx.end();
    }
    expect(await stationOf()).toEqual(settled);

    // a delete drops it
    await db.query(`DELETE FROM fences WHERE id = $1`, [ofB]);
    expect(Object.keys(await stationOf())).not.toContain(ofB);

    // a fence written with the triggers off (as a restore would) has no kept station until the rebuild
    await db.query('ALTER TABLE fences DISABLE TRIGGER USER');
    let unseen: string;
    try {
      unseen = await fence(leadB);
    } finally {
      await db.query('ALTER TABLE fences ENABLE TRIGGER USER');
    }
    fences.push(unseen);
    expect(Object.keys(await stationOf())).not.toContain(unseen);
    await new DetectionCountsRepository(prisma).rebuild('Asia/Shanghai');
    expect((await stationOf())[unseen]).toBe(stations[1]);
    await byStation();
    await keptMatchDirect();
  });

  it('answers on one connection when the pool has no second one for the shared snapshot', async () => {
    const single = createPrismaClient(url, { poolSize: 1 });
    try {
      const alone = await new StatisticsRepository(single).collect(MARCH, BOUNDS, 'summary', 'station', 2);
      const shared = await repo.collect(MARCH, BOUNDS, 'summary', 'station', 2);
      expect(alone.total).toEqual(shared.total);
      expect(alone.groups).toEqual(shared.groups);
    } finally {
      await single.$disconnect();
    }
  });

  it('are recounted by a rebuild: in another zone, and after writes the triggers did not see', async () => {
    const counts = new DetectionCountsRepository(prisma);
    // 04:00 on 1 April in Shanghai is 20:00 on 31 March in UTC: in March only in UTC's days
    await insertLead(db, { violationAt: sh('2025-04-01T04:00:00') });
    const utcMarch: StatisticsPeriod = {
      ...MARCH,
      start: new Date('2025-03-01T00:00:00Z'),
      end: new Date('2025-04-01T00:00:00Z'),
      timeZone: 'UTC',
    };
    await counts.rebuild('UTC');
    const utc = await keptMatchDirect(utcMarch);
    const shanghai = await figures('detections');
    expect(utc.total['leads.formed']).toBe((shanghai['total'] as Record<string, number>)['leads.formed']);

    // a lead written with the triggers off (as TRUNCATE or a restore would): missing until the rebuild
    await db.query('ALTER TABLE leads DISABLE TRIGGER USER');
    try {
      await insertLead(db, { violationAt: sh('2025-03-28T08:00:00') });
    } finally {
      await db.query('ALTER TABLE leads ENABLE TRIGGER USER');
    }
    const stale = (await figures('summary'))['total'] as Record<string, number>;
    const rows = (await figures('detections'))['total'] as Record<string, number>;
    expect(stale['leads.formed']).toBe((rows['leads.formed'] ?? 0) - 1);
    await counts.rebuild('Asia/Shanghai');
    const rebuilt = await keptMatchDirect();
    expect(rebuilt.total['leads.formed']).toBe(
      (shanghai['total'] as Record<string, number>)['leads.formed'] + 1,
    );
  });
});
