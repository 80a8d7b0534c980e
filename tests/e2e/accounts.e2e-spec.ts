import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { openStream } from '../support/alert-stream';
import {
  ADMIN,
  call,
  makeUser,
  passwordFor,
  startTestApi,
  tokenFor,
  type TestApi,
} from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * Accounts as a security officer tests them (issue 14): a disabled or signed-out user's token stops working on
 * every route and its live stream closes; tokens without expiry or of unknown users are refused; the user
 * lifecycle through the API, audited; one-time passwords; sign-in throttling with Retry-After and an
 * admin's unlock.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The API reuses its read of a user for AUTH_SESSION_CACHE_MS (1 s): after this, every instance sees a change. */
const CACHE_MS = 1_000;

const officerExtra = { enforcementCertificateNo: 'HN-0431-7001' };

async function auditActions(api: TestApi, entityId: string): Promise<string[]> {
  const { rows } = await api.db.query<{ action: string }>(
    'SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY id',
    [entityId],
  );
  return rows.map((r) => r.action);
}

/** Every route of the live OpenAPI document that needs a bearer token, with placeholder path parameters. */
async function protectedRoutes(api: TestApi): Promise<{ method: string; path: string; key: string }[]> {
  const doc = await call(api, 'GET', '/api/docs-json');
  const paths = doc.body.paths as Record<string, Record<string, { security?: unknown[] }>>;
  return Object.entries(paths).flatMap(([template, operations]) =>
    Object.entries(operations)
      .filter(([, op]) => (op.security ?? []).length > 0)
      .map(([method, _op]) => ({
        method: method.toUpperCase(),
        key: `${method.toUpperCase()} ${template}`,
        path: template.replace(/\{([^}]+)\}/g, (_m, name: string) =>
          /id$/i.test(name) ? randomUUID() : 'X',
        ),
      })),
  );
}

async function statusOf(api: TestApi, method: string, path: string, token: string) {
  const abort = new AbortController();
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: method === 'GET' ? undefined : '{}',
    signal: abort.signal,
  });
  const code = response.status === 401 ? ((await response.json()) as { code: string }).code : '';
  abort.abort();
  return { status: response.status, code };
}

describe('accounts and sessions', () => {
  let api: TestApi;
  let admin: string;

  beforeAll(async () => {
    api = await startTestApi('accounts', {
      // The address counter of 127.0.0.1 must not interfere here: the throttling tests below use their own API.
      AUTH_ADDRESS_SLOWDOWN_AFTER: '1000',
      AUTH_ADDRESS_LOCK_AFTER: '1000',
    });
    admin = await tokenFor(api, ADMIN.username, ADMIN.password);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  describe('a disabled user', () => {
    it('is refused on every route within the cache time, even when disabled behind the API’s back, and its stream closes', async () => {
      const second = await makeUser(api, admin, 'second.admin', ['admin']);
      const stream = await openStream(api, second.token);
      expect(stream.response.status).toBe(200);
      expect((await call(api, 'GET', '/api/v1/users', { token: second.token })).status).toBe(200);

      // As the issue found it: disabled in SQL, not through this API (another instance, or an operator).
      await api.db.query('UPDATE users SET active = false WHERE id = $1', [second.id]);
      await sleep(CACHE_MS + 100);

      const routes = await protectedRoutes(api);
      expect(routes.length).toBeGreaterThan(40);
      const letThrough: string[] = [];
      for (const route of routes) {
        if (route.key === 'GET /api/v1/alerts/stream') continue;
        const { status, code } = await statusOf(api, route.method, route.path, second.token);
        if (status !== 401 || code !== 'user_inactive') letThrough.push(`${route.key} → ${status} ${code}`);
      }
      expect(letThrough).toEqual([]);
      // The very actions the issue reports: create an admin, a station, a policy.
      expect(
        (
          await call(api, 'POST', '/api/v1/users', {
            token: second.token,
            body: {
              username: 'evil.admin',
              password: 'a-long-passphrase-x',
              displayName: 'x',
              roles: ['admin'],
            },
          })
        ).status,
      ).toBe(401);
      await waitFor('the stream of the disabled user to close', async () => stream.ended(), 5_000);
      await stream.close();
    });

    it('is disabled and enabled through the API, each audited with its reason; old tokens stay revoked', async () => {
      const user = await makeUser(api, admin, 'li.lei', ['officer'], officerExtra);
      const disabled = await call(api, 'POST', `/api/v1/users/${user.id}/disable`, {
        token: admin,
        body: { reason: '调离执法岗位' },
      });
      expect(disabled.status).toBe(200);
      expect(disabled.body.active).toBe(false);
      // Disabled by this API: refused on the next request, no cache to wait for.
      expect((await call(api, 'GET', '/api/v1/users/me', { token: user.token })).body.code).toBe(
        'user_inactive',
      );
      expect(
        (
          await call(api, 'POST', '/api/v1/auth/token', {
            body: { username: 'li.lei', password: passwordFor('li.lei') },
          })
        ).status,
      ).toBe(401);
      expect(
        (
          await call(api, 'POST', `/api/v1/users/${user.id}/disable`, {
            token: admin,
            body: { reason: 'again' },
          })
        ).body.code,
      ).toBe('user_already_disabled');

      const enabled = await call(api, 'POST', `/api/v1/users/${user.id}/enable`, {
        token: admin,
        body: { reason: '返岗' },
      });
      expect(enabled.body.active).toBe(true);
      expect((await call(api, 'GET', '/api/v1/users/me', { token: user.token })).body.code).toBe(
        'token_revoked',
      );
      expect(await tokenFor(api, 'li.lei', passwordFor('li.lei'))).toEqual(expect.any(String));
      expect(await auditActions(api, user.id)).toEqual(['user.created', 'user.disabled', 'user.enabled']);
      const { rows } = await api.db.query(
        "SELECT payload FROM audit_events WHERE entity_id = $1 AND action = 'user.disabled'",
        [user.id],
      );
      expect(rows[0].payload).toEqual({ reason: '调离执法岗位' });
    });

    it('cannot be oneself, and two admins disabling each other at once leave one admin', async () => {
      const me = (await call(api, 'GET', '/api/v1/users/me', { token: admin })).body;
      expect(
        (await call(api, 'POST', `/api/v1/users/${me.id}/disable`, { token: admin, body: { reason: 'x' } }))
          .body.code,
      ).toBe('not_on_own_account');

      const a = await makeUser(api, admin, 'admin.a', ['admin']);
      const b = await makeUser(api, admin, 'admin.b', ['admin']);
      // Leave a and b as the only active admins.
      await api.db.query(
        "UPDATE users SET active = false WHERE id IN (SELECT user_id FROM user_roles WHERE role = 'admin') AND id NOT IN ($1, $2)",
        [a.id, b.id],
      );
      const [ab, ba] = await Promise.all([
        call(api, 'POST', `/api/v1/users/${b.id}/disable`, { token: a.token, body: { reason: 'x' } }),
        call(api, 'POST', `/api/v1/users/${a.id}/disable`, { token: b.token, body: { reason: 'x' } }),
      ]);
      const statuses = [ab.status, ba.status].sort();
      // One wins; the other finds itself the last admin, or already disabled (its token refused).
      expect(statuses[0]).toBe(200);
      expect([401, 409]).toContain(statuses[1]);
      const { rows } = await api.db.query(
        "SELECT count(*)::int AS n FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'admin' WHERE u.active",
      );
      expect(rows[0].n).toBe(1);
      // Back to the bootstrap admin for the rest of the file.
      await api.db.query("UPDATE users SET active = true WHERE username = 'admin'");
      await sleep(CACHE_MS + 100);
    });
  });

  describe('tokens', () => {
    const forge = (claims: Record<string, unknown>, withExp: boolean) => {
      const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer('ecc').setIssuedAt();
      if (withExp) jwt.setExpirationTime('10m');
      return jwt.sign(new TextEncoder().encode(api.env['JWT_SECRET']));
    };

    it('refuses a token without exp, one of an unknown user and one without a token version', async () => {
      const me = (await call(api, 'GET', '/api/v1/users/me', { token: admin })).body;
      const noExp = await forge({ sub: me.id, username: 'admin', roles: ['admin'], ver: 0 }, false);
      const unknown = await forge({ sub: randomUUID(), username: 'ghost', roles: ['admin'], ver: 0 }, true);
      const noVersion = await forge({ sub: me.id, username: 'admin', roles: ['admin'] }, true);
      for (const token of [noExp, unknown, noVersion]) {
        const res = await call(api, 'GET', '/api/v1/users', { token });
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('invalid_token');
      }
    });

    it('takes the roles from the account, not from the token', async () => {
      const user = await makeUser(api, admin, 'role.change', ['auditor', 'officer'], {
        enforcementCertificateNo: 'HN-0431-7002',
      });
      expect((await call(api, 'GET', '/api/v1/users', { token: user.token })).status).toBe(200);
      const patched = await call(api, 'PATCH', `/api/v1/users/${user.id}`, {
        token: admin,
        body: { roles: ['officer'] },
      });
      expect(patched.status).toBe(200);
      expect(patched.body.roles).toEqual(['officer']);
      expect((await call(api, 'GET', '/api/v1/users', { token: user.token })).status).toBe(403);
      const bad = await call(api, 'PATCH', `/api/v1/users/${user.id}`, {
        token: admin,
        body: { roles: ['legal_reviewer'] },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'body.legalQualificationNo' })]);
      const own = (await call(api, 'GET', '/api/v1/users/me', { token: admin })).body;
      expect(
        (await call(api, 'PATCH', `/api/v1/users/${own.id}`, { token: admin, body: { roles: ['auditor'] } }))
          .body.code,
      ).toBe('not_on_own_account');
      const { rows } = await api.db.query(
        "SELECT payload FROM audit_events WHERE entity_id = $1 AND action = 'user.updated'",
        [user.id],
      );
      expect(rows.map((r) => r.payload)).toEqual([
        { before: { roles: ['auditor', 'officer'] }, after: { roles: ['officer'] } },
      ]);
    });

    it('revokes every token of the user at sign-out, and the stream closes', async () => {
      const user = await makeUser(api, admin, 'sign.out', ['auditor']);
      const other = await tokenFor(api, 'sign.out', passwordFor('sign.out'));
      const stream = await openStream(api, other);
      const out = await call(api, 'POST', '/api/v1/auth/sign-out', { token: user.token });
      expect(out.status).toBe(204);
      for (const token of [user.token, other]) {
        const res = await call(api, 'GET', '/api/v1/users/me', { token });
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('token_revoked');
      }
      await waitFor('the signed-out stream to close', async () => stream.ended(), 5_000);
      await stream.close();
      expect(await tokenFor(api, 'sign.out', passwordFor('sign.out'))).toEqual(expect.any(String));
      expect(await auditActions(api, user.id)).toEqual(['user.created', 'user.signed_out']);
    });
  });

  describe('passwords', () => {
    it('resets to a one-time password that opens nothing but the password change', async () => {
      const user = await makeUser(api, admin, 'zhao.min', ['auditor']);
      const reset = await call(api, 'POST', `/api/v1/users/${user.id}/password-reset`, { token: admin });
      expect(reset.status).toBe(200);
      expect(reset.headers.get('cache-control')).toBe('no-store');
      const oneTime = reset.body.oneTimePassword as string;
      expect(oneTime).toMatch(/^[A-Za-z2-9-]{20,}$/);
      expect((await call(api, 'GET', '/api/v1/users/me', { token: user.token })).body.code).toBe(
        'token_revoked',
      );

      const signIn = await call(api, 'POST', '/api/v1/auth/token', {
        body: { username: 'zhao.min', password: oneTime },
      });
      expect(signIn.body.passwordChangeRequired).toBe(true);
      const pending = signIn.body.accessToken as string;
      const refused = await call(api, 'GET', '/api/v1/users', { token: pending });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('password_change_required');
      expect((await call(api, 'GET', '/api/v1/users/me', { token: pending })).body.mustChangePassword).toBe(
        true,
      );

      const change = (newPassword: string, currentPassword = oneTime) =>
        call(api, 'POST', '/api/v1/users/me/password', {
          token: pending,
          body: { currentPassword, newPassword },
        });
      for (const [newPassword, message] of [
        ['Password2024!!', 'commonly used'],
        ['my-name-is-zhao.min', 'must not contain the username'],
      ] as const) {
        const res = await change(newPassword);
        expect(res.status).toBe(400);
        expect(res.body.errors[0].message).toContain(message);
      }
      expect((await change('a-fresh-passphrase-9', 'wrong-current-password')).body.errors[0].path).toBe(
        'body.currentPassword',
      );
      const changed = await change('a-fresh-passphrase-9');
      expect(changed.status).toBe(200);
      expect(changed.body.passwordChangeRequired).toBe(false);
      expect((await call(api, 'GET', '/api/v1/users', { token: changed.body.accessToken })).status).toBe(200);
      expect((await call(api, 'GET', '/api/v1/users/me', { token: pending })).body.code).toBe(
        'token_revoked',
      );
      expect(await auditActions(api, user.id)).toEqual([
        'user.created',
        'user.password_reset',
        'user.password_changed',
      ]);
      const { rows } = await api.db.query(
        'SELECT payload::text AS p FROM audit_events WHERE entity_id = $1',
        [user.id],
      );
      for (const row of rows) expect(row.p).not.toContain(oneTime);
    });

    it('refuses common passwords and the username inside when a user is created', async () => {
      const res = await call(api, 'POST', '/api/v1/users', {
        token: admin,
        body: { username: 'qian.li', password: 'qwerty123456', displayName: '钱立', roles: ['auditor'] },
      });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'body.password' })]);
    });
  });
});

describe('sign-in throttling', () => {
  let api: TestApi;
  let admin: string;
  /** Each test signs in "from" its own address: the API trusts X-Forwarded-For from 127.0.0.1 here. */
  const from = (address: string) => ({ 'x-forwarded-for': address });
  const signIn = (username: string, password: string, address: string) =>
    call(api, 'POST', '/api/v1/auth/token', { body: { username, password }, headers: from(address) });

  beforeAll(async () => {
    api = await startTestApi('throttle', {
      TRUSTED_PROXIES: '127.0.0.1',
      AUTH_USER_SLOWDOWN_AFTER: '2',
      AUTH_USER_LOCK_AFTER: '4',
      AUTH_ADDRESS_SLOWDOWN_AFTER: '3',
      AUTH_ADDRESS_LOCK_AFTER: '3',
      AUTH_LOCK_SECONDS: '600',
    });
    admin = await tokenFor(api, ADMIN.username, ADMIN.password);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  it('slows a username down, then locks it with 429 and Retry-After, even for the right password; an admin unlocks', async () => {
    await makeUser(api, admin, 'wu.gang', ['auditor']);
    const good = passwordFor('wu.gang');
    // Each attempt from another address: only the username counter is tested here.
    expect((await signIn('wu.gang', 'wrong-1', '10.0.0.1')).status).toBe(401);
    expect((await signIn('wu.gang', 'wrong-2', '10.0.0.2')).status).toBe(401);
    const slowed = await signIn('wu.gang', good, '10.0.0.3');
    expect(slowed.status).toBe(429);
    expect(slowed.body.code).toBe('sign_in_throttled');
    expect(slowed.headers.get('retry-after')).toBe('1');

    await sleep(1_100);
    expect((await signIn('wu.gang', 'wrong-3', '10.0.0.4')).status).toBe(401);
    expect((await signIn('wu.gang', good, '10.0.0.5')).headers.get('retry-after')).toBe('2');
    await sleep(2_100);
    expect((await signIn('wu.gang', 'wrong-4', '10.0.0.6')).status).toBe(401);
    const locked = await signIn('WU.GANG', good, '10.0.0.7');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(590);
    const { rows } = await api.db.query(
      "SELECT entity_type, payload FROM audit_events WHERE action = 'auth.sign_in_locked' AND entity_id = 'wu.gang'",
    );
    expect(rows).toEqual([
      { entity_type: 'sign_in_username', payload: { lockSeconds: 600, clientAddress: '10.0.0.6' } },
    ]);

    const unlocked = await call(api, 'DELETE', '/api/v1/auth/lockouts/usernames/wu.gang', { token: admin });
    expect(unlocked.status).toBe(200);
    expect(unlocked.body).toEqual(expect.objectContaining({ username: 'wu.gang', failures: 4 }));
    expect((await signIn('wu.gang', good, '10.0.0.8')).status).toBe(200);
    expect(
      (
        await api.db.query(
          "SELECT 1 FROM audit_events WHERE action = 'auth.sign_in_unlocked' AND entity_id = 'wu.gang'",
        )
      ).rowCount,
    ).toBe(1);
  });

  it('locks a client address guessing many usernames, whatever the username; an admin unlocks it', async () => {
    for (const name of ['guess.a', 'guess.b', 'guess.c']) {
      expect((await signIn(name, 'whatever-password', '10.9.9.9')).status).toBe(401);
    }
    const locked = await signIn(ADMIN.username, ADMIN.password, '10.9.9.9');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(590);
    // Another address is not affected.
    expect((await signIn(ADMIN.username, ADMIN.password, '10.9.9.10')).status).toBe(200);
    expect(
      (await call(api, 'DELETE', '/api/v1/auth/lockouts/addresses/10.9.9.9', { token: admin })).status,
    ).toBe(200);
    expect((await signIn(ADMIN.username, ADMIN.password, '10.9.9.9')).status).toBe(200);
  });
});
