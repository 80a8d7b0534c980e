import { ADMIN, call, makeUser, startTestApi, tokenFor, type TestApi } from '../support/test-app';
import { createStation } from '../support/station-client';
import { insertLead } from '../support/lead-fixture';

const LINK = 'https://jtzf.miluo.gov.cn/notice';

/** The notices policy's defaults come from the installation's configuration (NOTICE_*), not from the code. */
describe('configured notice defaults', () => {
  let api: TestApi;
  let admin: string;
  let officer: string;

  beforeAll(async () => {
    api = await startTestApi('noticedefaults', {
      NOTICE_EVIDENCE_URL: LINK,
      NOTICE_CONTACT_PHONE: '0730-5209999',
    });
    admin = await tokenFor(api, ADMIN.username, ADMIN.password);
    officer = (
      await makeUser(api, admin, 'officer.nd', ['officer'], { enforcementCertificateNo: 'HN-0431-0555' })
    ).token;
  });
  afterAll(() => api?.close());

  it("shows the configured values as the policy's defaults, and fills a partial version with them", async () => {
    const shown = await call(api, 'GET', '/api/v1/policies/notices', { token: officer });
    expect(shown.body).toMatchObject({
      source: 'default',
      value: { evidenceUrl: LINK, contactPhone: '0730-5209999' },
    });
    const set = await call(api, 'PUT', '/api/v1/policies/notices', {
      token: admin,
      body: { officeHours: '工作日8:30-17:30' },
    });
    expect(set.status).toBe(200);
    expect(set.body.value).toMatchObject({ evidenceUrl: LINK, officeHours: '工作日8:30-17:30' });
  });

  it("writes the configured link into the owner's SMS", async () => {
    const station = await createStation(api, admin);
    const { rows } = await api.db.query<{ id: string }>('SELECT id FROM stations WHERE code = $1', [
      station.code,
    ]);
    const { leadId } = await insertLead(api, rows[0]!.id);
    const reviewed = await call(api, 'POST', `/api/v1/leads/${leadId}/review`, {
      token: officer,
      body: {
        decision: 'confirm',
        reason: '号牌、轴数与图像一致',
        checks: { plateMatches: true, axleCountMatches: true },
      },
    });
    expect(reviewed.status).toBe(200);
    const notices = await call(api, 'GET', `/api/v1/notices?leadId=${leadId}&channel=sms`, {
      token: officer,
    });
    expect(notices.body.items).toHaveLength(1);
    expect(notices.body.items[0].body).toContain(LINK);
    expect(notices.body.items[0].body).not.toContain('example');
  });
});
