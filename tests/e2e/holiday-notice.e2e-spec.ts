import { ADMIN, call, startTestApi, tokenFor, type TestApi } from '../support/test-app';

/** Entering next year's holidays as the State Council publishes them, with a preview first. */
const NOTICE_2027 = [
  '国务院办公厅关于2027年部分节假日安排的通知',
  '一、元旦：1月1日（周五）至3日（周日）放假，共3天。',
  '二、春节：2月5日（周五）至12日（周五）放假调休，共8天。2月20日（周六）上班。',
].join('\n');

describe('PUT /policies/working_calendar with the holiday notice', () => {
  let api: TestApi;
  let admin: string;
  const versions = async () =>
    (
      await api.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM policies WHERE key = 'working_calendar'",
      )
    ).rows[0]!.n;

  beforeAll(async () => {
    api = await startTestApi('holidaynotice');
    admin = await tokenFor(api, ADMIN.username, ADMIN.password);
  });
  afterAll(() => api?.close());

  it('previews what the notice changes, writing nothing', async () => {
    const before = await versions();
    const preview = await call(api, 'PUT', '/api/v1/policies/working_calendar?dryRun=true', {
      token: admin,
      body: { notice: { year: 2027, text: NOTICE_2027 } },
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      dryRun: true,
      changes: {
        year: 2027,
        holidaysAdded: [
          '2027-01-01',
          '2027-01-02',
          '2027-01-03',
          ...['05', '06', '07', '08', '09', '10', '11', '12'].map((d) => `2027-02-${d}`),
        ],
        makeUpWorkdaysAdded: ['2027-02-20'],
        holidaysRemoved: [],
      },
    });
    expect(preview.body.value.holidays).toContain('2027-02-08');
    expect(await versions()).toBe(before);
  });

  it('stores the merged calendar as a new version, audited with its changes', async () => {
    const set = await call(api, 'PUT', '/api/v1/policies/working_calendar', {
      token: admin,
      body: { notice: { year: 2027, text: NOTICE_2027 } },
    });
    expect(set.status).toBe(200);
    expect(set.body.value.makeUpWorkdays).toContain('2027-02-20');
    expect(set.body.changes.year).toBe(2027);
    const { rows } = await api.db.query(
      "SELECT payload FROM audit_events WHERE action = 'policy.changed' AND entity_id = 'working_calendar' ORDER BY id DESC LIMIT 1",
    );
    expect(JSON.stringify(rows[0].payload)).toContain('2027-02-20');
  });

  it('refuses a notice whose text contradicts itself, naming the line, and stores nothing', async () => {
    const before = await versions();
    const wrong = await call(api, 'PUT', '/api/v1/policies/working_calendar', {
      token: admin,
      body: { notice: { year: 2027, text: '一、元旦：1月1日（周四）放假，共1天。' } },
      headers: { 'accept-language': 'en' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('invalid_holiday_notice');
    expect(wrong.body.errors).toEqual([
      { path: 'body.notice.text.0', message: '2027-01-01 is a 周五, the notice says 周四' },
    ]);
    expect(await versions()).toBe(before);
  });
});
