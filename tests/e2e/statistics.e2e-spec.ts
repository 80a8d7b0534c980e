import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { createPrismaClient, type PrismaClient } from '@ecc/shared-data';
import { DetectionCountsRepository } from '@ecc/statistics-data';
import { ADMIN, call, makeUser, startTestApi, tokenFor, type TestApi } from '../support/test-app';
import { writeStatisticsHistory, type StatisticsHistory } from '../support/statistics-history';
import { ensurePoppler, poppler } from '../support/poppler';

jest.setTimeout(180_000);

/**
 * Statistics over a seeded history (tests/support/statistics-history.ts), every expected figure worked out by
 * hand from its rows: the edges of March 2025 in Asia/Shanghai (00:00:00.000 on the 1st in, a millisecond before
 * out; 23:59:59 on the 31st in, 00:00 on 1 April out), a case filed in February and decided in March, a
 * detection screened later and one deleted (the triggers), then the exports and the annual report.
 */
describe('statistics: figures computed by the database, exports, the annual report', () => {
  let api: TestApi;
  let admin: string;
  let auditor: string;
  let history: StatisticsHistory;
  let prisma: PrismaClient;

  const statistics = (query: string, token = admin) =>
    call(api, 'GET', `/api/v1/statistics?${query}`, { token });
  const download = async (path: string, token = admin) => {
    const response = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return {
      status: response.status,
      headers: response.headers,
      body: Buffer.from(await response.arrayBuffer()),
    };
  };
  const workbook = async (bytes: Buffer) => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    return book;
  };

  beforeAll(async () => {
    api = await startTestApi('statistics');
    admin = await tokenFor(api, ADMIN.username, ADMIN.password);
    auditor = (await makeUser(api, admin, 'stats.auditor', ['auditor'])).token;
    history = await writeStatisticsHistory(api.db);
    prisma = createPrismaClient(api.env['DATABASE_URL']!);
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await api?.close();
  });

  const MARCH = {
    'detections.total': 6,
    'detections.lead': 2,
    'detections.no_violation': 1,
    'detections.invalid': 1,
    'detections.duplicate': 1,
    'detections.pending': 1,
    'leads.formed': 4,
    'leads.confirmed': 1,
    'leads.rejected': 3,
    'notices.sms.created': 2,
    'notices.sms.sent': 1,
    'notices.sms.delivered': 1,
    'notices.sms.failed': 1,
    'notices.push.created': 1,
    'notices.push.sent': 1,
    'notices.push.delivered': 0,
    'fences.deployed': 1,
    'fences.lifted': 1,
    'fences.interceptions': 1,
    'fences.interceptionsAcknowledged': 1,
    'cases.filed': 3,
    'cases.notFiled': 1,
    'cases.decided': 3,
    'cases.served': 2,
    'cases.closed': 1,
    'cases.terminated': 1,
    'cases.openAtEnd': 2,
    'reports.homeAuthority': 1,
    'fines.imposedCount': 2,
    'fines.imposed': 5000,
    'fines.collected': 3000,
    'fines.lateFees': 90,
    // 3000 − 1000 of the February case; its 500 paid at 00:00 on 1 April is after the period
    'fines.outstanding': 2000,
    'penalties.fine': 2,
    'penalties.fine.person': 1,
    'penalties.fine.organisation': 1,
    'penalties.order_stop_transport': 1,
    'penalties.order_stop_transport.person': 1,
    'penalties.warning': 0,
    'hearings.requested': 1,
    'hearings.held': 1,
    'legalReviews.performed': 3,
    'legalReviews.passed': 2,
    'legalReviews.returned': 1,
    'durations.leadToNotice.count': 1,
    'durations.leadToNotice.median': 2.5,
    'durations.noticeToFiling.count': 1,
    'durations.noticeToFiling.median': 1,
    'durations.filingToDecision.count': 3,
    // 5, 16 and 21.479 days: the median, and 16 + 0.8 × 5.479 for the 90th percentile
    'durations.filingToDecision.median': 16,
    'durations.filingToDecision.p90': 20.4,
    'durations.decisionToService.count': 2,
    'durations.decisionToService.median': 1,
    'durations.serviceToPayment.median': 4,
    'durations.paymentToClosing.median': 3,
    'deadlines.met': 2,
    'deadlines.missed': 1,
    'deadlines.decision_due.met': 1,
    'deadlines.response_window.met': 1,
    'deadlines.service_due.missed': 1,
    'deadlines.payment_due.met': 0,
    'evaluations.review.count': 2,
    'evaluations.review.average': 85,
    'evaluations.review.excellent': 1,
    'evaluations.review.good': 0,
    'evaluations.review.qualified': 1,
    'evaluations.review.band90': 1,
    'evaluations.review.band70': 1,
    'evaluations.precheck.count': 1,
    'evaluations.precheck.good': 1,
    'evaluations.precheck.band80': 1,
  };

  it('gives the hand-computed figures of March, each with its definition', async () => {
    const res = await statistics('from=2025-03-01&to=2025-03-31');
    expect(res.status).toBe(200);
    expect(res.body.period).toEqual({
      from: '2025-03-01',
      to: '2025-03-31',
      timeZone: 'Asia/Shanghai',
      start: '2025-02-28T16:00:00.000Z',
      end: '2025-03-31T16:00:00.000Z',
    });
    expect(res.body.detectionCounts).toBe('summary');
    expect(res.body.total).toMatchObject(MARCH);
    expect(res.body.total['durations.filingToDecision.median']).toBe(16);
    expect(res.body.total['durations.leadToNotice.p90']).toBe(2.5);
    expect(res.body.rejectionReasons).toEqual([
      { reason: '号牌与图像不一致', count: 2 },
      { reason: '=1+1, "复核" 数据异常', count: 1 },
    ]);
    const keys = Object.keys(res.body.total);
    expect(res.body.figures.map((f: { key: string }) => f.key)).toEqual(keys);
    for (const figure of res.body.figures) expect(figure.definition.length).toBeGreaterThan(10);
    expect(res.body.groups).toEqual([]);
  });

  it('puts each event in its own month: the case filed in February is decided in March', async () => {
    const res = await statistics('from=2025-02-01&to=2025-03-31&groupBy=month');
    expect(res.status).toBe(200);
    const [feb, mar] = res.body.groups;
    expect([feb.key, feb.label, mar.key, mar.label]).toEqual([
      '2025-02',
      '2025年2月',
      '2025-03',
      '2025年3月',
    ]);
    expect(feb.values).toMatchObject({
      'detections.total': 1,
      'leads.formed': 1,
      'cases.filed': 1,
      'cases.decided': 0,
      'legalReviews.passed': 1,
    });
    expect(mar.values).toMatchObject({
      'detections.total': 6,
      'leads.formed': 4,
      'cases.filed': 3,
      'cases.decided': 3,
      'fines.imposed': 5000,
    });
    // stocks are taken at the end of the whole period, not per month
    expect(mar.values['cases.openAtEnd']).toBeUndefined();
    expect(res.body.total['cases.filed']).toBe(4);
    expect(res.body.total['detections.total']).toBe(7);
  });

  it('breaks figures down by case type, by officer (each officer of a case) and by station', async () => {
    const byType = await statistics('from=2025-03-01&to=2025-03-31&groupBy=caseType');
    const type = (key: string) => byType.body.groups.find((g: { key: string }) => g.key === key);
    expect(type('vehicle').values).toMatchObject({
      'cases.filed': 1,
      'cases.decided': 2,
      'fines.imposed': 5000,
    });
    expect(type('driver').values).toMatchObject({ 'cases.filed': 1, 'penalties.order_stop_transport': 1 });
    expect(type('enterprise').values).toMatchObject({ 'cases.filed': 1, 'cases.terminated': 1 });
    expect(type('vehicle').label).toBe('车辆（所有人/经营者）');
    expect(type('vehicle').values['detections.total']).toBeUndefined();

    const byOfficer = await statistics('from=2025-03-01&to=2025-03-31&groupBy=officer');
    const officer = (id: string) => byOfficer.body.groups.find((g: { key: string }) => g.key === id);
    const { o1, o2, o3 } = history.officers;
    expect(officer(o1)).toMatchObject({
      label: '执法员o1',
      values: { 'cases.filed': 2, 'leads.confirmed': 1, 'leads.rejected': 1 },
    });
    expect(officer(o2).values).toMatchObject({ 'cases.filed': 3, 'leads.rejected': 2 });
    expect(officer(o3).values).toMatchObject({ 'cases.filed': 1 });
    expect(byOfficer.body.total['cases.filed']).toBe(3);

    const byStation = await statistics('from=2025-03-01&to=2025-03-31&groupBy=station');
    const station = (id: string) => byStation.body.groups.find((g: { key: string }) => g.key === id);
    expect(station(history.stations.a)).toMatchObject({
      label: 'ST-A ST-A检测点',
      values: {
        'detections.total': 4,
        'detections.lead': 2,
        'leads.formed': 1,
        'cases.filed': 2,
        'fences.deployed': 1,
      },
    });
    expect(station(history.stations.b).values).toMatchObject({
      'detections.total': 2,
      'leads.formed': 3,
      'cases.filed': 1,
      'fences.lifted': 1,
      'fences.interceptions': 1,
    });
  });

  it("moves a case's figures to its new officer at once when the officer changes", async () => {
    // the officer grouping reads the officers of each case as they are now: nothing kept to re-key (o3's case
    // filed in March moves to an officer it does not have yet)
    const { o1, o2, o3 } = history.officers;
    const byOfficer = async () => {
      const res = await statistics('from=2025-03-01&to=2025-03-31&groupBy=officer');
      const filed = (id: string) =>
        res.body.groups.find((g: { key: string }) => g.key === id)?.values['cases.filed'] ?? 0;
      return { o1: filed(o1), o2: filed(o2), o3: filed(o3), total: res.body.total['cases.filed'] };
    };
    const before = await byOfficer();
    expect(before).toEqual({ o1: 2, o2: 3, o3: 1, total: 3 });
    const { rows } = await api.db.query<{ case_id: string; others: string[] }>(
      `SELECT case_id, ARRAY(SELECT user_id::text FROM case_officers x WHERE x.case_id = co.case_id) AS others
       FROM case_officers co JOIN cases c ON c.id = co.case_id
       WHERE co.user_id = $1 AND c.filed_at >= '2025-02-28T16:00Z' AND c.filed_at < '2025-03-31T16:00Z'`,
      [o3],
    );
    expect(rows).toHaveLength(1);
    const to = [o1, o2].find((o) => !rows[0]!.others.includes(o))!;
    await api.db.query(`UPDATE case_officers SET user_id = $1 WHERE case_id = $2 AND user_id = $3`, [
      to,
      rows[0]!.case_id,
      o3,
    ]);
    try {
      expect(await byOfficer()).toEqual({
        ...before,
        o3: 0,
        [to === o1 ? 'o1' : 'o2']: before[to === o1 ? 'o1' : 'o2'] + 1,
      });
    } finally {
      await api.db.query(`UPDATE case_officers SET user_id = $1 WHERE case_id = $2 AND user_id = $3`, [
        o3,
        rows[0]!.case_id,
        to,
      ]);
    }
    expect(await byOfficer()).toEqual(before);
  });

  it('keeps the detection counts exact through folding, and counts the detections when the zone changed', async () => {
    const counts = new DetectionCountsRepository(prisma);
    const before = (await statistics('from=2025-02-01&to=2025-04-30&groupBy=station')).body;
    expect((await counts.fold()).deltas).toBeGreaterThan(0);
    expect((await api.db.query('SELECT count(*)::int AS n FROM statistics_detection_deltas')).rows[0].n).toBe(
      0,
    );
    const folded = (await statistics('from=2025-02-01&to=2025-04-30&groupBy=station')).body;
    expect(folded.total).toEqual(before.total);
    expect(folded.groups).toEqual(before.groups);

    await counts.rebuild('UTC');
    const direct = (await statistics('from=2025-03-01&to=2025-03-31')).body;
    expect(direct.detectionCounts).toBe('detections');
    expect(direct.total).toMatchObject(MARCH);
    await counts.rebuild('Asia/Shanghai');
    const rebuilt = (await statistics('from=2025-03-01&to=2025-03-31')).body;
    expect(rebuilt.detectionCounts).toBe('summary');
    expect(rebuilt.total).toEqual(direct.total);
  });

  it('answers a period without a single event by officer with a total of zeros and no group', async () => {
    // the officer grouping takes its total from the group of no officer, which an empty period does not have
    const res = await statistics('from=2024-01-01&to=2024-01-31&groupBy=officer');
    expect(res.status).toBe(200);
    expect(res.body.groups).toEqual([]);
    expect(res.body.total).toMatchObject({
      'cases.filed': 0,
      'fines.imposed': 0,
      'deadlines.met': 0,
      'penalties.fine': 0,
      'durations.filingToDecision.median': null,
    });
  });

  it('refuses a bad period with a clear error', async () => {
    const backwards = await statistics('from=2025-03-31&to=2025-03-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([{ path: 'query.to', message: 'must not be before from' }]);
    const long = await statistics('from=2015-01-01&to=2025-12-31');
    expect(long.status).toBe(400);
    expect(long.body.code).toBe('statistics_period_too_long');
    expect((await statistics('from=2025-03-01&to=2025-03-31&groupBy=plate')).status).toBe(400);
    expect((await statistics('from=2025-3-1&to=2025-03-31')).status).toBe(400);
  });

  it("records an auditor's read of the statistics and of an export as reads of personal data", async () => {
    const audited = async (entity: string) =>
      (
        await api.db.query(
          `SELECT entity_id, payload FROM audit_events WHERE action = 'personal_data.read' AND entity_type = $1`,
          [entity],
        )
      ).rows;
    expect((await statistics('from=2025-03-01&to=2025-03-31', auditor)).status).toBe(200);
    expect(await audited('statistics')).toHaveLength(1);
    expect((await download('/api/v1/exports/fences?format=csv', auditor)).status).toBe(200);
    const exports = await audited('export');
    expect(exports).toHaveLength(1);
    expect(exports[0].entity_id).toBe('fences');
    expect(exports[0].payload.query).toEqual({ format: 'csv' });
  });

  it('exports the statistics as XLSX with real numbers and neutralised text, and as CSV with a BOM', async () => {
    const xlsx = await download('/api/v1/statistics/export?from=2025-03-01&to=2025-03-31&groupBy=caseType');
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(xlsx.headers.get('content-disposition')).toContain("filename*=UTF-8''%E7%BB%9F%E8%AE%A1");
    const book = await workbook(xlsx.body);
    expect(book.worksheets.map((s) => s.name)).toEqual([
      '统计 2025-03-01 至 2025-03-31',
      '指标定义',
      '线索不予采用原因',
    ]);
    const sheet = book.worksheets[0]!;
    const header = sheet.getRow(1).values as unknown[];
    expect(header.slice(1, 5)).toEqual(['类别', '指标', '单位', '合计']);
    const rowOf = (label: string) => {
      let found: ExcelJS.Row | undefined;
      sheet.eachRow((row) => {
        if (row.getCell(2).value === label) found = row;
      });
      return found!;
    };
    const fines = rowOf('罚款金额');
    expect(fines.getCell(4).value).toBe(5000);
    expect(fines.getCell(4).numFmt).toBe('#,##0.00');
    const vehicleColumn = header.indexOf('车辆（所有人/经营者）');
    expect(fines.getCell(vehicleColumn).value).toBe(5000);
    expect(rowOf('立案').getCell(4).value).toBe(3);
    expect(rowOf('立案').getCell(4).numFmt).toBe('0');
    // a figure not broken down by case type is empty in the group columns, not zero
    expect(rowOf('检测记录').getCell(vehicleColumn).value).toBeNull();
    const reasons = book.worksheets[2]!;
    expect(reasons.getRow(3).getCell(1).value).toBe(`'=1+1, "复核" 数据异常`);
    expect(reasons.getRow(3).getCell(2).value).toBe(1);

    const csv = await download('/api/v1/statistics/export?from=2025-03-01&to=2025-03-31&format=csv');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect([...csv.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.body.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe('类别,指标,单位,合计');
    expect(lines).toContain('罚款,罚款金额,元,5000.00');
    expect(lines).toContain('案件办理,立案,件,3');
  });

  it('exports each list with its own filters: dates as dates, money as numbers, formulas neutralised, CSV escaped', async () => {
    const leads = await workbook(
      (
        await download(
          '/api/v1/exports/leads?from=2025-02-01T00:00:00%2B08:00&to=2025-04-01T00:00:00%2B08:00',
        )
      ).body,
    );
    const sheet = leads.worksheets[0]!;
    expect(sheet.name).toBe('线索清单');
    expect(sheet.rowCount).toBe(1 + 5);
    const plates: unknown[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) plates.push(row.getCell(3).value);
    });
    expect(plates).toContain(`'@SUM(A1)`);
    const first = sheet.getRow(2);
    // newest first: l3 at 23:59 on 31 March, shown in the bureau's time
    expect(first.getCell(1).value).toEqual(new Date('2025-03-31T23:59:00Z'));
    expect(first.getCell(1).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(first.getCell(12).value).toBe(2000);
    expect(first.getCell(12).numFmt).toBe('#,##0.00');

    const fences = await download('/api/v1/exports/fences?format=csv');
    expect(fences.headers.get('content-disposition')).toContain('.csv');
    const text = fences.body.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('"逾期未到案, ""拒不接受处理"""');
    expect(text).toContain('2025-03-05 08:00:00');

    const drivers = (await download('/api/v1/exports/cases?type=driver&format=csv')).body.toString('utf8');
    expect(drivers.trim().split('\r\n')).toHaveLength(2);
    expect(drivers).toContain('驾驶人');

    const evaluations = await workbook(
      (await download('/api/v1/exports/evaluations?from=2025-03-01&to=2025-03-31')).body,
    );
    const scores: unknown[] = [];
    evaluations.worksheets[0]!.eachRow((row, n) => {
      if (n > 1) scores.push(row.getCell(5).value);
    });
    expect(scores).toEqual([78, 92, 85]);

    const unknown = await call(api, 'GET', '/api/v1/exports/leads?colour=red', { token: admin });
    expect(unknown.status).toBe(400);
    expect((await call(api, 'GET', '/api/v1/exports/leads?format=pdf', { token: admin })).status).toBe(400);
    expect((await call(api, 'GET', '/api/v1/exports/users', { token: admin })).status).toBe(400);
  });

  it('follows a list through all its pages (the export is the whole list, not its first page)', async () => {
    await api.db.query(
      `INSERT INTO leads (id, status, station_id, plate, violation_at, axle_count, gross_mass_kg, limit_kg, tolerance_kg,
         excess_kg, proposed_penalty_kind, proposed_amount, proposed_basis, rules, created_at, updated_at)
       SELECT gen_random_uuid(), 'pending_review', $1, '湘F' || lpad(g::text, 5, '0'),
         timestamptz '2025-06-01 00:00+08' + g * interval '1 minute', 6, 56000, 49000, 2800, 4200, 'fine', 2000, '{}', '[]',
         timestamptz '2025-06-01 00:00+08' + g * interval '1 minute', now()
       FROM generate_series(1, 250) g`,
      [history.stations.a],
    );
    const csv = await download('/api/v1/exports/leads?format=csv&from=2025-06-01T00:00:00%2B08:00');
    const lines = csv.body.toString('utf8').trim().split('\r\n');
    expect(lines).toHaveLength(1 + 250);
    expect(new Set(lines.slice(1).map((l) => l.split(',')[2])).size).toBe(250);
  });

  it('prints the annual report as a PDF holding the figures, and as XLSX', async () => {
    ensurePoppler();
    const pdf = await download('/api/v1/statistics/annual-report?year=2025');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const dir = mkdtempSync(join(tmpdir(), 'annual-'));
    writeFileSync(join(dir, 'report.pdf'), pdf.body);
    const text = poppler('pdftotext', ['-layout', join(dir, 'report.pdf'), '-']).replace(/[ \t]+/g, ' ');
    expect(text.replace(/\s+/g, '')).toContain('2025年度行政执法统计');
    expect(text).toContain('罚款情况');
    // 2025: four filed, one refused, three decided, one closed, one terminated, two open; fines of 2,000 and
    // 3,000 decided; 2,000 + 1,000 + 500 paid; four legal reviews
    expect(text).toMatch(/合计 4 1 3 1 1 2/);
    expect(text).toContain('5,000.00');
    expect(text).toContain('3,500.00');
    expect(text).toMatch(/法制审核 4/);
    // 评查 in 2025: 92, 78 and 55 → three, average 75.0, one excellent, one qualified, one unqualified
    expect(text).toMatch(/3 75\.0 1 0 1 1/);
    expect(text).toMatch(/1 85\.0 0 1 0 0/);

    const xlsx = await workbook(
      (await download('/api/v1/statistics/annual-report?year=2025&format=xlsx')).body,
    );
    const fines = xlsx.worksheets.find((s) => s.name === '罚款情况')!;
    let total: ExcelJS.Row | undefined;
    fines.eachRow((row) => {
      if (row.getCell(1).value === '合计') total = row;
    });
    expect(total!.getCell(3).value).toBe(5000);
    expect(total!.getCell(4).value).toBe(3500);
  });
});
