import { ADMIN, call, makeUser, startTestApi, tokenFor, type TestApi } from '../support/test-app';

/**
 * What a member of staff reads when the API refuses: problems in Chinese by default and in English on request
 * (the `code` the same in both), roles and actions in words, 405 with Allow, plain dates in filters, no empty
 * policy stored as the defaults.
 */
describe('staff-facing problems', () => {
  let api: TestApi;
  let admin: string;
  let officer: string;

  beforeAll(async () => {
    api = await startTestApi('messages');
    admin = await tokenFor(api, ADMIN.username, ADMIN.password);
    officer = (
      await makeUser(api, admin, 'officer.msg', ['officer'], { enforcementCertificateNo: 'HN-0431-0777' })
    ).token;
  });
  afterAll(() => api?.close());

  const refusedPolicy = (headers: Record<string, string> = {}) =>
    call(api, 'PUT', '/api/v1/policies/case', { token: officer, body: { responseWindowDays: 10 }, headers });

  it('answers the same refusal in Chinese by default and in English when asked, with the same code', async () => {
    const zh = await refusedPolicy();
    const en = await refusedPolicy({ 'accept-language': 'en-US,en;q=0.9' });
    expect([zh.status, en.status]).toEqual([403, 403]);
    expect(zh.body).toMatchObject({
      code: 'role_not_allowed',
      title: '无权操作',
      detail: '此操作须由系统管理员办理',
      roles: ['admin'],
    });
    expect(zh.headers.get('content-language')).toBe('zh-CN');
    expect(en.body).toMatchObject({
      code: 'role_not_allowed',
      title: 'Forbidden',
      detail: 'this action needs one of the roles: administrator',
      roles: ['admin'],
    });
    expect(en.headers.get('content-language')).toBe('en');
    expect(en.headers.get('vary')).toMatch(/accept-language/i);
    const zhAsked = await refusedPolicy({ 'accept-language': 'en;q=0.4, zh-CN;q=0.8' });
    expect(zhAsked.body.detail).toBe(zh.body.detail);
  });

  it("writes the fields' messages in the same language", async () => {
    const tooLong = (headers: Record<string, string> = {}) =>
      call(api, 'PUT', '/api/v1/policies/case', { token: admin, body: { responseWindowDays: 500 }, headers });
    const zh = await tooLong();
    const en = await tooLong({ 'accept-language': 'en' });
    expect(zh.body).toMatchObject({ code: 'validation_failed', title: '请求有误' });
    expect(zh.body.errors).toEqual([
      { path: 'body.responseWindowDays', message: expect.stringMatching(/过大/) },
    ]);
    expect(en.body.errors).toEqual([
      { path: 'body.responseWindowDays', message: expect.stringMatching(/big/i) },
    ]);
  });

  it('answers a station in English unless it asks for Chinese', async () => {
    const response = await call(api, 'POST', '/api/v1/detections', {
      body: {},
      headers: { 'x-station-code': 'NOPE' },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-language')).toBe('en');
    expect(response.body.title).toBe('Unauthorized');
  });

  it('answers a known path called with a wrong method 405 with Allow, an unknown path 404', async () => {
    const wrong = await call(api, 'DELETE', '/api/v1/policies/case', { token: admin });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, HEAD, PUT');
    expect(wrong.body).toMatchObject({
      code: 'method_not_allowed',
      allow: ['GET', 'HEAD', 'PUT'],
      title: '不支持的请求方法',
      detail: '此地址不支持 DELETE 请求，可用的方法：GET、HEAD、PUT',
    });
    const unknown = await call(api, 'DELETE', '/api/v1/nothing-here', { token: admin });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'route_not_found', detail: '没有这个接口地址' });
  });

  it('refuses an empty policy instead of storing the defaults as a decision', async () => {
    const { rows: before } = await api.db.query('SELECT count(*)::int AS n FROM policies');
    const response = await call(api, 'PUT', '/api/v1/policies/case', { token: admin, body: {} });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'policy_value_empty', policyKey: 'case' });
    expect(response.body.detail).toContain('策略 case 的取值为空');
    const { rows: after } = await api.db.query('SELECT count(*)::int AS n FROM policies');
    expect(after[0].n).toBe(before[0].n);
  });

  it("reads a plain date in a filter as the bureau's day, and refuses a period that ends before it starts", async () => {
    const day = await call(api, 'GET', '/api/v1/leads?from=2026-12-06&to=2026-12-06', { token: officer });
    expect(day.status).toBe(200);
    expect(day.body.items).toEqual([]);
    const audit = await call(api, 'GET', '/api/v1/audit/events?from=2000-01-01&to=2999-12-31&limit=1', {
      token: admin,
    });
    expect(audit.status).toBe(200);
    expect(audit.body.items).toHaveLength(1);
    const backwards = await call(api, 'GET', '/api/v1/leads?from=2026-12-07&to=2026-12-06', {
      token: officer,
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([expect.objectContaining({ path: 'query.to' })]);
    const garbled = await call(api, 'GET', '/api/v1/leads?from=06/12/2026', { token: officer });
    expect(garbled.status).toBe(400);
  });
});
