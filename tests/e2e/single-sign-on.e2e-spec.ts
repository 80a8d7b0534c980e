import { FakeOidcProvider } from '../support/fake-oidc-provider';
import { ADMIN, call, makeUser, startTestApi, tokenFor, type TestApi } from '../support/test-app';

/**
 * OpenID Connect single sign-on (issue 14) against a local identity provider over HTTP: the authorization
 * code flow with PKCE, state and nonce through openid-client, the ID token's claim mapped to a local user
 * linked by an admin. Local accounts (the bootstrap admin) keep signing in with their password.
 */
const REDIRECT_URI = 'https://ecc.bureau.example/sso/callback';

describe('single sign-on (OIDC)', () => {
  const idp = new FakeOidcProvider('ecc-backend', 'client-secret-for-tests');
  let api: TestApi;
  let admin: string;

  /** What a browser does: the API's login, the provider's redirect back, then the page posts code and state. */
  async function browserSignIn(options: { cookie?: string | null } = {}) {
    const login = await fetch(`${api.url}/api/v1/auth/oidc/login`, { redirect: 'manual' });
    expect(login.status).toBe(302);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const authorize = await fetch(login.headers.get('location')!, { redirect: 'manual' });
    expect(authorize.status).toBe(302);
    const back = new URL(authorize.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(REDIRECT_URI);
    const body = { code: back.searchParams.get('code'), state: back.searchParams.get('state') };
    const sent = options.cookie === undefined ? cookie : options.cookie;
    const post = () =>
      call(api, 'POST', '/api/v1/auth/oidc/token', { body, headers: sent ? { cookie: sent } : {} });
    return { response: await post(), again: post, loginCookie: login.headers.get('set-cookie')! };
  }

  beforeAll(async () => {
    await idp.start();
    api = await startTestApi('sso', {
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_REDIRECT_URI: REDIRECT_URI,
      OIDC_USERNAME_CLAIM: 'employee_id',
    });
    admin = await tokenFor(api, ADMIN.username, ADMIN.password);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await idp.stop();
  });

  it('signs in the local user whose ssoSubject is the configured claim, with PKCE and a browser binding', async () => {
    const user = await makeUser(api, admin, 'zhou.jie', ['auditor']);
    const linked = await call(api, 'PATCH', `/api/v1/users/${user.id}`, {
      token: admin,
      body: { ssoSubject: 'GOV-430600-0042' },
    });
    expect(linked.status).toBe(200);
    idp.nextUser = { sub: 'opaque-1', employee_id: 'GOV-430600-0042' };

    const { response, again, loginCookie } = await browserSignIn();
    expect(loginCookie).toMatch(/HttpOnly/);
    expect(loginCookie).toMatch(/SameSite=Lax/);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const me = await call(api, 'GET', '/api/v1/users/me', { token: response.body.accessToken });
    expect(me.body.username).toBe('zhou.jie');
    // The provider saw a PKCE verifier; a state is used once.
    expect(idp.tokenRequests.at(-1)!.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect((await again()).body.code).toBe('sso_failed');
  });

  it('refuses a sign-in finished in another browser, an unlinked identity and a disabled user', async () => {
    idp.nextUser = { sub: 'opaque-1', employee_id: 'GOV-430600-0042' };
    expect((await browserSignIn({ cookie: null })).response.body.code).toBe('sso_failed');
    expect((await browserSignIn({ cookie: 'ecc_oidc_binding=forged' })).response.status).toBe(401);

    idp.nextUser = { sub: 'opaque-2', employee_id: 'GOV-UNKNOWN' };
    const unknown = (await browserSignIn()).response;
    expect(unknown.status).toBe(401);
    expect(unknown.body.detail).toContain('no active account is linked');

    const user = await makeUser(api, admin, 'sun.li', ['auditor']);
    await call(api, 'PATCH', `/api/v1/users/${user.id}`, { token: admin, body: { ssoSubject: 'GOV-0099' } });
    await call(api, 'POST', `/api/v1/users/${user.id}/disable`, { token: admin, body: { reason: '离职' } });
    idp.nextUser = { sub: 'opaque-3', employee_id: 'GOV-0099' };
    expect((await browserSignIn()).response.status).toBe(401);
  });

  it('keeps local accounts: the bootstrap admin still signs in with a password', async () => {
    expect(await tokenFor(api, ADMIN.username, ADMIN.password)).toEqual(expect.any(String));
  });
});
