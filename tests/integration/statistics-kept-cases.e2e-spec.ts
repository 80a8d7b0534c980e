import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createPrismaClient, dropDatabase, migrate, type PrismaClient } from '@ecc/shared-data';
import {
  DetectionCountsRepository,
  FIGURES,
  STATISTICS_GROUPS,
  StatisticsRepository,
  type CountSource,
  type FigureValues,
  type StatisticsGroup,
  type StatisticsPeriod,
} from '@ecc/statistics-data';
import { createScratchDatabase } from '../support/database';

/**
 * The case figures kept by the triggers of prisma/migrations/20261208010000_statistics_kept_cases: each event of a
 * case moves the kept figures as the direct count from the rows says, a change of officer or of the lead's station
 * re-keys them, deletes and rolled-back transactions leave nothing behind, and after a random sequence of writes
 * (folded or not) the kept figures equal those counted from the rows for several periods and every grouping — the
 * medians and 90th percentiles, kept as histograms of hundredths of a day, within a tenth of a day.
 */
const sh = (local: string) => new Date(`${local}+08:00`);
const period = (fromDate: string, toDate: string): StatisticsPeriod => {
  const end = new Date(Date.parse(`${toDate}T00:00:00+08:00`) + 86_400_000);
  return { fromDate, toDate, start: sh(`${fromDate}T00:00:00`), end, timeZone: 'Asia/Shanghai' };
};
const MARCH = period('2025-03-01', '2025-03-31');
const PERIODS = [
  MARCH,
  period('2025-02-15', '2025-04-05'),
  period('2025-03-31', '2025-03-31'),
  period('2025-01-01', '2025-12-31'),
  period('2025-02-01', '2025-03-15'),
];
const BOUNDS = { excellentFrom: 90, goodFrom: 80, qualifiedFrom: 60 };
const UNIT = new Map(FIGURES.map((f) => [f.key, f]));

/** A small deterministic generator, so that a failing sequence can be replayed from its seed. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: T[]) => xs[Math.floor(next() * xs.length)] as T,
  };
}

describe('statistics: the kept case figures', () => {
  let url: string;
  let prisma: PrismaClient;
  let db: Client;
  let repo: StatisticsRepository;
  const stations = [randomUUID(), randomUUID(), randomUUID()];
  const officers = [randomUUID(), randomUUID(), randomUUID()];
  const leads: string[] = [];

  /** A grouping's values as the API completes them: 0 or null for a figure without an event; empty groups dropped. */
  const complete = (values: FigureValues, group: StatisticsGroup | null) => {
    const out: FigureValues = {};
    for (const f of FIGURES) {
      if (group && !f.groups.includes(group)) continue;
      out[f.key] = values[f.key] ?? (f.unit === 'count' || f.unit === 'yuan' ? 0 : null);
    }
    return out;
  };
  const figures = async (counts: CountSource, p = MARCH) => {
    const out: Record<string, FigureValues> = {};
    for (const group of [null, ...STATISTICS_GROUPS] as (StatisticsGroup | null)[]) {
      const answer = await repo.collect(p, BOUNDS, counts, group);
      out[`${group ?? 'none'}:total`] = complete(answer.total, null);
      for (const [key, values] of answer.groups) {
        const v = complete(values, group);
        if (Object.values(v).some((x) => x !== 0 && x !== null)) out[`${group}:${key}`] = v;
      }
    }
    return out;
  };
  /** Every difference between the kept figures and those counted from the rows (percentiles: beyond a tenth). */
  const differences = async (p = MARCH) => {
    const [kept, rows] = [await figures('summary', p), await figures('detections', p)];
    const out: string[] = [];
    for (const scope of new Set([...Object.keys(kept), ...Object.keys(rows)])) {
      for (const key of new Set([...Object.keys(kept[scope] ?? {}), ...Object.keys(rows[scope] ?? {})])) {
        const [a, b] = [kept[scope]?.[key], rows[scope]?.[key]];
        const percentile = UNIT.get(key)?.unit === 'days';
        const same =
          a === b ||
          (percentile && typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= 0.1 + 1e-9);
        if (!same) out.push(`${p.fromDate}…${p.toDate} ${scope} ${key}: kept ${a}, rows ${b}`);
      }
    }
    return out;
  };
  const total = async (p = MARCH) => (await repo.collect(p, BOUNDS, 'summary', null)).total;
  const grouped = async (group: StatisticsGroup, p = MARCH) =>
    (await repo.collect(p, BOUNDS, 'summary', group)).groups;

  const q = (text: string, values: unknown[] = [], client: Client = db) => client.query(text, values);
  const newLead = async (station: number, at: Date) => {
    const id = randomUUID();
    await q(
      `INSERT INTO leads (id, status, station_id, plate, violation_at, axle_count, gross_mass_kg, limit_kg,
         tolerance_kg, excess_kg, proposed_penalty_kind, proposed_basis, rules, created_at, updated_at)
       VALUES ($1, 'confirmed', $2, '湘F12345', $3, 6, 52340, 49000, 2618, 722, 'warning', '{}', '[]', $3, now())`,
      [id, stations[station], at],
    );
    return id;
  };
  const newCase = async (
    f: { type?: string; leadId?: string | null; parentId?: string; filed?: Date | null; officers?: number[] },
    client: Client = db,
  ) => {
    const id = randomUUID();
    await q(
      `INSERT INTO cases (id, case_number, state, type, parent_case_id, lead_id, violation_date, filed_at, updated_at)
       VALUES ($1, $2, 'filed', $3, $4, $5, '2025-02-20', $6, now())`,
      [id, `K-${id.slice(0, 8)}`, f.type ?? 'vehicle', f.parentId ?? null, f.leadId ?? null, f.filed ?? null],
      client,
    );
    for (const o of f.officers ?? [])
      await q(`INSERT INTO case_officers (case_id, user_id) VALUES ($1, $2)`, [id, officers[o]], client);
    return id;
  };
  const setCase = (id: string, column: string, at: Date | null, client: Client = db) =>
    q(`UPDATE cases SET ${column} = $2, version = version + 1 WHERE id = $1`, [id, at], client);
  const party = async (caseId: string, role: string, kind: 'person' | 'organisation') => {
    const id = randomUUID();
    await q(`INSERT INTO parties (id, kind, name, updated_at) VALUES ($1, $2, '当事人', now())`, [id, kind]);
    await q(`INSERT INTO case_parties (id, case_id, party_id, role) VALUES ($1, $2, $3, $4)`, [
      randomUUID(),
      caseId,
      id,
      role,
    ]);
    return id;
  };
  const decide = (caseId: string, kinds: string, fine: number | null, at: Date) =>
    q(
      `INSERT INTO decisions (id, case_id, penalty_kinds, fine_amount, basis, decided_at)
       VALUES ($1, $2, $3::penalty_kind[], $4, '[]', $5)`,
      [randomUUID(), caseId, kinds, fine, at],
    );
  const pay = async (caseId: string, amount: number, lateFee: number, at: Date, client: Client = db) => {
    const id = randomUUID();
    await q(
      `INSERT INTO payments (id, case_id, amount, late_fee, receipt_no, paid_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, caseId, amount, lateFee, `R-${id.slice(0, 12)}`, at],
      client,
    );
    return id;
  };
  const statement = (caseId: string, kind: string, column: 'received_at' | 'held_at', at: Date) =>
    q(`INSERT INTO statement_records (id, case_id, kind, ${column}) VALUES ($1, $2, $3, $4)`, [
      randomUUID(),
      caseId,
      kind,
      at,
    ]);
  const legalReview = (caseId: string, outcome: string | null, at: Date | null) =>
    q(
      `INSERT INTO legal_reviews (id, case_id, reviewer_id, outcome, reviewed_at) VALUES ($1, $2, $3, $4, $5)`,
      [randomUUID(), caseId, officers[2], outcome, at],
    );
  const deadline = async (
    owner: { caseId?: string; leadId?: string },
    kind: string,
    due: Date,
    status: string,
  ) => {
    const id = randomUUID();
    await q(
      `INSERT INTO deadlines (id, case_id, lead_id, kind, due_at, status) VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, owner.caseId ?? null, owner.leadId ?? null, kind, due, status],
    );
    return id;
  };
  const evaluate = (caseId: string, kind: string, score: number, at: Date) =>
    q(
      `INSERT INTO case_evaluations (id, case_id, kind, score, findings, evaluated_at) VALUES ($1, $2, $3, $4, '{}', $5)`,
      [randomUUID(), caseId, kind, score, at],
    );
  const sms = (leadId: string, sentAt: Date) =>
    q(
      `INSERT INTO notices (id, lead_id, channel, recipient, template, body, status, created_at, sent_at, updated_at)
       VALUES ($1, $2, 'sms', '13800000000', 'lead_notice', '超限告知', 'sent', $3, $3, now())`,
      [randomUUID(), leadId, sentAt],
    );
  /** Deletes a case and every row naming it (the foreign keys do not cascade). */
  const deleteCase = async (id: string) => {
    for (const table of [
      'payments',
      'decisions',
      'deadlines',
      'case_evaluations',
      'legal_reviews',
      'statement_records',
      'case_approvals',
      'case_officers',
      'case_parties',
      'notices',
    ])
      await q(`DELETE FROM ${table} WHERE case_id = $1`, [id]);
    await q(`DELETE FROM cases WHERE id = $1`, [id]);
  };

  beforeAll(async () => {
    url = await createScratchDatabase('statistics_kept_cases');
    await migrate(url);
    prisma = createPrismaClient(url);
    repo = new StatisticsRepository(prisma);
    db = new Client({ connectionString: url });
    await db.connect();
    for (const [i, id] of stations.entries())
      await q(`INSERT INTO stations (id, code, name, updated_at) VALUES ($1, $2, $3, now())`, [
        id,
        `ST-${i}`,
        `检测点${i}`,
      ]);
    for (const [i, id] of officers.entries())
      await q(
        `INSERT INTO users (id, username, password_hash, display_name, updated_at) VALUES ($1, $2, 'x', $3, now())`,
        [id, `officer${i}`, `执法员${i}`],
      );
    for (let i = 0; i < 6; i++) leads.push(await newLead(i % 3, sh(`2025-02-2${i}T08:00:00`)));
  });

  afterAll(async () => {
    await db.end();
    await prisma.$disconnect();
    await dropDatabase(url);
  });

  afterEach(async () => {
    // every test leaves the kept figures equal to the rows' in March
    expect(await differences()).toEqual([]);
  });

  it('follows each event of a case: filing, decision, service, payments, closing, and the stocks', async () => {
    const before = await total();
    const delta = async (keys: string[]) => {
      const now = await total();
      return Object.fromEntries(keys.map((k) => [k, Number(now[k] ?? 0) - Number(before[k] ?? 0)]));
    };
    const c = await newCase({ leadId: leads[0], filed: sh('2025-03-03T10:00:00'), officers: [0] });
    await party(c, 'owner', 'organisation');
    expect(await delta(['cases.filed', 'cases.openAtEnd'])).toEqual({
      'cases.filed': 1,
      'cases.openAtEnd': 1,
    });

    await decide(c, '{fine,order_stop_transport}', 2000, sh('2025-03-10T10:00:00'));
    await setCase(c, 'decided_at', sh('2025-03-10T10:00:00'));
    expect(
      await delta([
        'cases.decided',
        'fines.imposedCount',
        'fines.imposed',
        'fines.outstanding',
        'penalties.fine',
        'penalties.fine.organisation',
        'penalties.order_stop_transport.organisation',
        'penalties.fine.person',
        'durations.filingToDecision.count',
      ]),
    ).toEqual({
      'cases.decided': 1,
      'fines.imposedCount': 1,
      'fines.imposed': 2000,
      'fines.outstanding': 2000,
      'penalties.fine': 1,
      'penalties.fine.organisation': 1,
      'penalties.order_stop_transport.organisation': 1,
      'penalties.fine.person': 0,
      'durations.filingToDecision.count': 1,
    });
    expect((await total())['durations.filingToDecision.median']).not.toBeNull();

    await setCase(c, 'served_at', sh('2025-03-12T10:00:00'));
    await pay(c, 1500, 30, sh('2025-03-20T10:00:00'));
    expect(await delta(['cases.served', 'fines.collected', 'fines.lateFees', 'fines.outstanding'])).toEqual({
      'cases.served': 1,
      'fines.collected': 1500,
      'fines.lateFees': 30,
      'fines.outstanding': 500,
    });
    // an over-payment takes the stock to 0, not below
    await pay(c, 800, 0, sh('2025-03-21T10:00:00'));
    await setCase(c, 'paid_at', sh('2025-03-21T10:00:00'));
    expect(await delta(['fines.collected', 'fines.outstanding', 'durations.serviceToPayment.count'])).toEqual(
      {
        'fines.collected': 2300,
        'fines.outstanding': 0,
        'durations.serviceToPayment.count': 1,
      },
    );
    await setCase(c, 'closed_at', sh('2025-03-25T10:00:00'));
    await setCase(c, 'home_authority_reported_at', sh('2025-03-26T10:00:00'));
    expect(await delta(['cases.closed', 'cases.openAtEnd', 'reports.homeAuthority'])).toEqual({
      'cases.closed': 1,
      'cases.openAtEnd': 0,
      'reports.homeAuthority': 1,
    });
    // a closing after the period leaves the case open at its end
    expect(
      Number((await total(period('2025-03-01', '2025-03-24')))['cases.openAtEnd']) -
        Number(before['cases.openAtEnd']),
    ).toBeGreaterThanOrEqual(1);
  });

  it('follows termination, refusal to file, hearings, legal reviews, deadlines and evaluations', async () => {
    const before = await total();
    const delta = async (keys: string[]) => {
      const now = await total();
      return Object.fromEntries(keys.map((k) => [k, Number(now[k] ?? 0) - Number(before[k] ?? 0)]));
    };
    const c = await newCase({
      leadId: leads[1],
      type: 'driver',
      filed: sh('2025-03-04T10:00:00'),
      officers: [1],
    });
    await party(c, 'driver', 'person');
    await decide(c, '{warning}', 300, sh('2025-03-06T10:00:00'));
    await setCase(c, 'terminated_at', sh('2025-03-08T10:00:00'));
    const refused = await newCase({ leadId: leads[2] });
    await q(
      `INSERT INTO case_approvals (id, case_id, stage, approver_id, outcome, decided_at)
       VALUES ($1, $2, 'filing', $3, 'rejected', $4)`,
      [randomUUID(), refused, officers[2], sh('2025-03-09T10:00:00')],
    );
    await statement(c, 'hearing_request', 'received_at', sh('2025-03-05T09:00:00'));
    await statement(c, 'hearing', 'held_at', sh('2025-03-07T09:00:00'));
    await legalReview(c, 'returned', sh('2025-03-05T12:00:00'));
    await legalReview(c, 'passed', sh('2025-03-06T08:00:00'));
    await legalReview(c, null, null);
    await deadline({ caseId: c }, 'decision_due', sh('2025-03-31T23:59:59.999'), 'met');
    await deadline({ caseId: c }, 'service_due', sh('2025-04-01T00:00:00'), 'missed'); // April: out
    await deadline({ leadId: leads[1] }, 'response_window', sh('2025-03-02T12:00:00'), 'missed');
    await deadline({ caseId: c }, 'payment_due', sh('2025-03-20T12:00:00'), 'open');
    await evaluate(c, 'review', 91, sh('2025-03-10T10:00:00'));
    await evaluate(c, 'review', 60, sh('2025-03-11T10:00:00'));
    await evaluate(c, 'precheck', 59, sh('2025-03-11T10:00:00'));
    expect(
      await delta([
        'cases.terminated',
        'cases.openAtEnd',
        'fines.outstanding',
        'penalties.warning.person',
        'cases.notFiled',
        'hearings.requested',
        'hearings.held',
        'legalReviews.performed',
        'legalReviews.passed',
        'legalReviews.returned',
        'deadlines.met',
        'deadlines.missed',
        'deadlines.decision_due.met',
        'deadlines.response_window.missed',
        'deadlines.service_due.missed',
        'evaluations.review.count',
        'evaluations.review.excellent',
        'evaluations.review.qualified',
        'evaluations.precheck.unqualified',
        'evaluations.precheck.band0',
      ]),
    ).toEqual({
      'cases.terminated': 1,
      'cases.openAtEnd': 0,
      'fines.outstanding': 0,
      'penalties.warning.person': 1,
      'cases.notFiled': 1,
      'hearings.requested': 1,
      'hearings.held': 1,
      'legalReviews.performed': 2,
      'legalReviews.passed': 1,
      'legalReviews.returned': 1,
      'deadlines.met': 1,
      'deadlines.missed': 1,
      'deadlines.decision_due.met': 1,
      'deadlines.response_window.missed': 1,
      'deadlines.service_due.missed': 0,
      'evaluations.review.count': 2,
      'evaluations.review.excellent': 1,
      'evaluations.review.qualified': 1,
      'evaluations.precheck.unqualified': 1,
      'evaluations.precheck.band0': 1,
    });
    // the fine stays outstanding at the end of a period that ends before the termination
    const early = period('2025-03-01', '2025-03-07');
    expect(await differences(early)).toEqual([]);
    // the penalised party's kind changes: the penalty moves to the other kind
    await q(
      `UPDATE parties SET kind = 'organisation' WHERE id IN (SELECT party_id FROM case_parties WHERE case_id = $1)`,
      [c],
    );
    expect(await delta(['penalties.warning.person', 'penalties.warning.organisation'])).toEqual({
      'penalties.warning.person': 0,
      'penalties.warning.organisation': 1,
    });
  });

  it("moves a case's figures from one officer to the other, and to the new station of its lead", async () => {
    const lead = await newLead(0, sh('2025-02-27T08:00:00'));
    const c = await newCase({ leadId: lead, filed: sh('2025-03-13T10:00:00'), officers: [0] });
    const sub = await newCase({
      parentId: c,
      type: 'enterprise',
      filed: sh('2025-03-13T11:00:00'),
      officers: [0],
    });
    await decide(c, '{fine}', 1000, sh('2025-03-14T10:00:00'));
    const filed = async (group: StatisticsGroup, key: string) =>
      (await grouped(group)).get(key)?.['cases.filed'] ?? 0;
    const [o0, o1, s0, s2] = [
      await filed('officer', officers[0] as string),
      await filed('officer', officers[1] as string),
      await filed('station', stations[0] as string),
      await filed('station', stations[2] as string),
    ];
    await q(`UPDATE case_officers SET user_id = $2 WHERE case_id = $1`, [c, officers[1]]);
    expect(await filed('officer', officers[0] as string)).toBe(Number(o0) - 1);
    expect(await filed('officer', officers[1] as string)).toBe(Number(o1) + 1);
    // the lead's station changes (the application does not): the case and its sub-case follow it
    await q(`UPDATE leads SET station_id = $2 WHERE id = $1`, [lead, stations[2]]);
    expect(await filed('station', stations[0] as string)).toBe(Number(s0) - 2);
    expect(await filed('station', stations[2] as string)).toBe(Number(s2) + 2);
    expect(await differences()).toEqual([]);
    // deleting the sub-case and the case takes back all they counted
    await deleteCase(sub);
    await deleteCase(c);
    expect(await filed('station', stations[2] as string)).toBe(Number(s2));
  });

  it('puts an event on the day of the bureau: the last millisecond of March in, midnight of April out', async () => {
    const c = await newCase({ leadId: leads[3], filed: sh('2025-03-31T23:59:59.999'), officers: [2] });
    const d = await newCase({ leadId: leads[3], filed: sh('2025-04-01T00:00:00'), officers: [2] });
    const march = await total();
    const april = await total(period('2025-04-01', '2025-04-30'));
    await deleteCase(c);
    await deleteCase(d);
    expect(Number(march['cases.filed']) - Number((await total())['cases.filed'])).toBe(1);
    expect(
      Number(april['cases.filed']) - Number((await total(period('2025-04-01', '2025-04-30')))['cases.filed']),
    ).toBe(1);
  });

  it('leaves the counts as they were when a transaction rolls back', async () => {
    const before = await figures('summary');
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('BEGIN');
      const c = await newCase({ leadId: leads[4], filed: sh('2025-03-15T10:00:00'), officers: [1] }, client);
      await pay(c, 100, 0, sh('2025-03-16T10:00:00'), client);
      await setCase(c, 'closed_at', sh('2025-03-17T10:00:00'), client);
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
    expect(await figures('summary')).toEqual(before);
  });

  it('derives a case without JIT compilation', async () => {
    // the derivation's generic plan is estimated from the kept contributions: at a province's scale it passes the
    // JIT thresholds, and compiling cost about a second a statement (migration 20261208080100)
    const { rows } = await db.query<{ config: string[] | null }>(
      `SELECT proconfig AS config FROM pg_proc WHERE proname = 'statistics_rederive'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.config).toContain('jit=off');
  });

  it('stay exact when two transactions change one case at once (the second waits for the first)', async () => {
    const c = await newCase({ leadId: leads[5], filed: sh('2025-03-18T10:00:00'), officers: [0] });
    await decide(c, '{fine}', 500, sh('2025-03-19T10:00:00'));
    const [a, b] = [new Client({ connectionString: url }), new Client({ connectionString: url })];
    await Promise.all([a.connect(), b.connect()]);
    try {
      await a.query('BEGIN');
      await b.query('BEGIN');
      await pay(c, 200, 0, sh('2025-03-20T10:00:00'), a);
      // b re-derives the same case: it waits for a's derivation to commit, then sees a's payment
      const officer = q(`UPDATE case_officers SET user_id = $2 WHERE case_id = $1`, [c, officers[1]], b);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await a.query('COMMIT');
      await officer;
      await b.query('COMMIT');
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
    const outstanding = (await grouped('officer')).get(officers[1] as string)?.['fines.outstanding'];
    expect(Number(outstanding)).toBeGreaterThanOrEqual(300);
    expect((await grouped('officer')).get(officers[0] as string)?.['cases.filed'] ?? 0).toBe(
      (await figures('detections'))[`officer:${officers[0]}`]?.['cases.filed'] ?? 0,
    );
  });

  it('equal the figures counted from the rows after a random sequence of writes, folded or not, and rebuilt', async () => {
    const seed = Number(process.env['STATISTICS_SEED'] ?? Date.now() % 100_000);
    const r = random(seed);
    const instants = [
      sh('2025-02-28T23:59:59.999'),
      sh('2025-03-01T00:00:00'),
      sh('2025-03-31T23:59:59.999'),
      sh('2025-04-01T00:00:00'),
    ];
    const at = () =>
      r.next() < 0.2
        ? r.pick(instants)
        : new Date(sh('2025-02-10T00:00:00').getTime() + r.int(60 * 86_400) * 1000 + r.int(1000));
    const cases: string[] = [];
    const payments: string[] = [];
    const deadlines: string[] = [];
    const kinds = ['warning', 'fine', 'order_stop_transport', 'business_suspension', 'licence_revocation'];
    const types = ['vehicle', 'driver', 'enterprise', 'source_unit', 'vehicle_certificate'];
    const roles: Record<string, string> = {
      driver: 'driver',
      enterprise: 'enterprise',
      source_unit: 'source_unit',
    };
    const ops: (() => unknown)[] = [
      async () => {
        const parent = cases.length && r.next() < 0.3 ? r.pick(cases) : undefined;
        const type = r.pick(types);
        const c = await newCase({
          type,
          leadId: parent ? null : r.next() < 0.9 ? r.pick(leads) : null,
          parentId: parent,
          filed: r.next() < 0.85 ? at() : null,
          officers: [0, 1, 2].filter(() => r.next() < 0.5),
        });
        cases.push(c);
        if (r.next() < 0.8)
          await party(c, roles[type] ?? 'owner', r.pick(['person', 'organisation'] as const));
      },
      () =>
        cases.length &&
        setCase(
          r.pick(cases),
          r.pick([
            'decided_at',
            'served_at',
            'paid_at',
            'closed_at',
            'terminated_at',
            'home_authority_reported_at',
            'filed_at',
          ]),
          r.next() < 0.15 ? null : at(),
        ),
      async () => {
        if (!cases.length) return;
        const c = r.pick(cases);
        const { rowCount } = await q(
          `UPDATE decisions SET fine_amount = $2, decided_at = $3 WHERE case_id = $1`,
          [c, r.next() < 0.3 ? null : 100 * (1 + r.int(50)), at()],
        );
        if (!rowCount)
          await decide(
            c,
            `{${kinds.filter(() => r.next() < 0.4).join(',')}}`,
            r.next() < 0.3 ? null : 100 * (1 + r.int(50)),
            at(),
          );
      },
      async () =>
        cases.length && payments.push(await pay(r.pick(cases), 50 * (1 + r.int(40)), r.int(3) * 10, at())),
      async () => {
        if (!payments.length) return;
        await q(`DELETE FROM payments WHERE id = $1`, [payments.splice(r.int(payments.length), 1)[0]]);
      },
      async () => {
        if (!cases.length) return;
        const c = r.pick(cases);
        const o = officers[r.int(3)];
        if (r.next() < 0.5) await q(`DELETE FROM case_officers WHERE case_id = $1 AND user_id = $2`, [c, o]);
        else
          await q(`INSERT INTO case_officers (case_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
            c,
            o,
          ]);
      },
      () =>
        cases.length &&
        q(
          `INSERT INTO case_approvals (id, case_id, stage, approver_id, outcome, decided_at) VALUES ($1, $2, 'filing', $3, $4, $5)`,
          [randomUUID(), r.pick(cases), officers[2], r.pick(['approved', 'rejected']), at()],
        ),
      () =>
        cases.length &&
        (r.next() < 0.5
          ? statement(r.pick(cases), 'hearing_request', 'received_at', at())
          : statement(r.pick(cases), 'hearing', 'held_at', at())),
      () => cases.length && legalReview(r.pick(cases), r.pick(['passed', 'returned', null]), at()),
      async () => {
        const owner =
          cases.length && r.next() < 0.7
            ? { caseId: r.pick(cases), leadId: r.next() < 0.3 ? r.pick(leads) : undefined }
            : { leadId: r.pick(leads) };
        deadlines.push(
          await deadline(
            owner,
            r.pick(['decision_due', 'service_due', 'payment_due', 'response_window']),
            at(),
            r.pick(['met', 'missed', 'open']),
          ),
        );
      },
      () =>
        deadlines.length &&
        q(`UPDATE deadlines SET status = $2 WHERE id = $1`, [
          r.pick(deadlines),
          r.pick(['met', 'missed', 'cancelled']),
        ]),
      () => cases.length && evaluate(r.pick(cases), r.pick(['review', 'precheck']), r.int(101), at()),
      // an SMS is sent after its lead is formed (the direct count of the lead → notice stage relies on it)
      () => sms(r.pick(leads), new Date(Math.max(at().getTime(), sh('2025-02-26T00:00:00').getTime()))),
      () => q(`UPDATE leads SET station_id = $2 WHERE id = $1`, [r.pick(leads), r.pick(stations)]),
      () =>
        q(`UPDATE parties SET kind = CASE kind WHEN 'person' THEN 'organisation'::party_kind ELSE 'person'::party_kind END
           WHERE id = (SELECT id FROM parties ORDER BY random() LIMIT 1)`),
      async () => {
        if (cases.length < 5) return;
        const c = cases.splice(r.int(cases.length), 1)[0] as string;
        const children = (await q(`SELECT id FROM cases WHERE parent_case_id = $1`, [c])).rows.map(
          (x) => x.id as string,
        );
        for (const child of children) {
          cases.splice(cases.indexOf(child), 1);
          await deleteCase(child);
        }
        await deleteCase(c);
        const gone = new Set((await q(`SELECT id FROM payments`)).rows.map((x) => x.id as string));
        payments.splice(0, payments.length, ...payments.filter((p) => gone.has(p)));
        const left = new Set((await q(`SELECT id FROM deadlines`)).rows.map((x) => x.id as string));
        deadlines.splice(0, deadlines.length, ...deadlines.filter((d) => left.has(d)));
      },
    ];
    const counts = new DetectionCountsRepository(prisma);
    const check = async (when: string) => {
      const found: string[] = [];
      for (const p of PERIODS) found.push(...(await differences(p)));
      expect({ seed, when, found: found.slice(0, 20) }).toEqual({ seed, when, found: [] });
    };
    for (let i = 0; i < 250; i++) {
      await r.pick(ops)();
      if (i === 120) await counts.fold();
    }
    // statements of many cases (a bulk load, a bulk correction): derived under one lock for all of them
    await q(
      `INSERT INTO cases (id, case_number, state, type, lead_id, violation_date, filed_at, updated_at)
       SELECT gen_random_uuid(), 'B-' || g || '-' || $3, 'filed', 'vehicle', $1, '2025-02-20',
         $2::timestamptz + g * interval '17 hours', now()
       FROM generate_series(1, 40) g`,
      [r.pick(leads), sh('2025-02-27T10:00:00'), seed],
    );
    const { rowCount } = await q(
      `UPDATE cases SET home_authority_reported_at = COALESCE(home_authority_reported_at, $1)`,
      [sh('2025-03-30T10:00:00')],
    );
    expect(rowCount).toBeGreaterThan(32);
    await check('after the writes, half folded');
    await counts.fold();
    await check('after the fold');
    const [{ deltas }] = (await q(`SELECT count(*)::int AS deltas FROM statistics_case_deltas`)).rows;
    expect(deltas).toBe(0);
    await counts.rebuild('Asia/Shanghai');
    await check('after a rebuild');
  });
});
