import { ADMIN, call, startTestApi, tokenFor, type TestApi } from '../support/test-app';

const officer = {
  username: 'li.na',
  password: 'officer-password-1',
  displayName: '李娜',
  roles: ['officer'],
  enforcementCertificateNo: 'HN-0431-0007',
};

async function counts(api: TestApi) {
  const { rows } = await api.db.query<{ users: string; audits: string }>(
    'SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM audit_events) AS audits',
  );
  return { users: Number(rows[0]!.users), audits: Number(rows[0]!.audits) };
}

const expectProblem = (
  response: { status: number; headers: Headers; body: any },
  status: number,
  code: string,
) => {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, code, type: expect.stringContaining(code) });
  expect(response.body.requestId).toEqual(response.headers.get('x-request-id'));
};

describe('foundation: health, docs, authentication, users and audit', () => {
  let api: TestApi;
  let adminToken: string;

  beforeAll(async () => {
    api = await startTestApi('foundation');
    adminToken = await tokenFor(api, ADMIN.username, ADMIN.password);
  });
  afterAll(() => api?.close());

  describe('health', () => {
    it('is live', async () => {
      expect(await call(api, 'GET', '/health/live')).toMatchObject({ status: 200, body: { status: 'up' } });
    });

    it('is ready when Postgres, Redis and object storage answer, with each one in the body', async () => {
      const response = await call(api, 'GET', '/health/ready');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        status: 'up',
        checks: { database: { status: 'up' }, redis: { status: 'up' }, storage: { status: 'up' } },
      });
    });
  });

  describe('OpenAPI', () => {
    it('serves an OpenAPI 3 document generated from the zod schemas', async () => {
      const { status, body } = await call(api, 'GET', '/api/docs-json');
      expect(status).toBe(200);
      expect(body.openapi).toMatch(/^3\./);
      const token = body.paths['/api/v1/auth/token'].post;
      expect(token.requestBody.content['application/json'].schema).toMatchObject({
        type: 'object',
        required: ['username', 'password'],
        additionalProperties: false,
      });
      expect(
        body.paths['/api/v1/users'].post.requestBody.content['application/json'].schema.properties.roles,
      ).toBeDefined();
      expect(body.paths['/health/ready']).toBeDefined();
    });

    it('serves Swagger UI', async () => {
      const response = await fetch(`${api.url}/api/docs`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('swagger');
    });
  });

  describe('bootstrap admin', () => {
    it('was created once, with an audit event by the system', async () => {
      const { rows } = await api.db.query(
        `SELECT u.username, a.actor_kind, a.action FROM users u JOIN user_roles r ON r.user_id = u.id
           JOIN audit_events a ON a.entity_id = u.id::text WHERE r.role = 'admin'`,
      );
      expect(rows).toEqual([{ username: 'admin', actor_kind: 'system', action: 'user.bootstrapped' }]);
    });
  });

  describe('POST /api/v1/auth/token', () => {
    it('issues a bearer token', async () => {
      const response = await call(api, 'POST', '/api/v1/auth/token', { body: ADMIN });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        accessToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: 3600,
        passwordChangeRequired: false,
      });
      expect(response.body.accessToken.split('.')).toHaveLength(3);
      expect(response.headers.get('cache-control')).toBe('no-store');
    });

    it.each([
      ['a wrong password', { username: ADMIN.username, password: 'wrong-password-123' }],
      ['an unknown user', { username: 'nobody', password: 'whatever-password' }],
    ])('refuses %s with the same 401', async (_name, body) => {
      expectProblem(await call(api, 'POST', '/api/v1/auth/token', { body }), 401, 'invalid_credentials');
    });

    it('lists every invalid field', async () => {
      const response = await call(api, 'POST', '/api/v1/auth/token', { body: { username: '', extra: 1 } });
      expectProblem(response, 400, 'validation_failed');
      expect(response.body.errors).toEqual(
        expect.arrayContaining([
          { path: 'body.username', message: 'required' },
          { path: 'body.password', message: expect.any(String) },
          { path: 'body', message: expect.stringContaining('extra') },
        ]),
      );
    });

    it('answers malformed JSON and a missing body with 400', async () => {
      expectProblem(
        await call(api, 'POST', '/api/v1/auth/token', {
          rawBody: '{"username": "admin",',
          headers: { 'content-type': 'application/json' },
        }),
        400,
        'malformed_json',
      );
      expectProblem(await call(api, 'POST', '/api/v1/auth/token'), 400, 'validation_failed');
    });
  });

  describe('POST /api/v1/users', () => {
    it('needs a token, and the admin role', async () => {
      expectProblem(await call(api, 'POST', '/api/v1/users', { body: officer }), 401, 'missing_token');
      expectProblem(
        await call(api, 'POST', '/api/v1/users', { body: officer, token: 'not.a.token' }),
        401,
        'invalid_token',
      );
    });

    it('creates a user and its audit event together', async () => {
      const before = await counts(api);
      const response = await call(api, 'POST', '/api/v1/users', { body: officer, token: adminToken });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        username: 'li.na',
        roles: ['officer'],
        enforcementCertificateNo: 'HN-0431-0007',
        active: true,
      });
      expect(response.body).not.toHaveProperty('passwordHash');
      expect(await counts(api)).toEqual({ users: before.users + 1, audits: before.audits + 1 });

      const { rows } = await api.db.query(
        'SELECT actor_kind, action, entity_type, request_id, digest, payload FROM audit_events WHERE entity_id = $1',
        [response.body.id],
      );
      expect(rows).toEqual([
        {
          actor_kind: 'user',
          action: 'user.created',
          entity_type: 'user',
          request_id: response.headers.get('x-request-id'),
          digest: expect.stringMatching(/^[0-9a-f]{64}$/),
          payload: expect.not.objectContaining({ password: expect.anything() }),
        },
      ]);
      const { rows: hashes } = await api.db.query('SELECT password_hash FROM users WHERE id = $1', [
        response.body.id,
      ]);
      expect(hashes[0].password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    });

    it('lets the new user sign in, and refuses them the admin route', async () => {
      const token = await tokenFor(api, officer.username, officer.password);
      expectProblem(
        await call(api, 'POST', '/api/v1/users', { body: { ...officer, username: 'x.y' }, token }),
        403,
        'role_not_allowed',
      );
      expect(await call(api, 'GET', '/api/v1/users/me', { token })).toMatchObject({
        status: 200,
        body: { username: 'li.na' },
      });
    });

    it('refuses a taken username with 409 and writes nothing', async () => {
      const before = await counts(api);
      expectProblem(
        await call(api, 'POST', '/api/v1/users', { body: officer, token: adminToken }),
        409,
        'username_taken',
      );
      expect(await counts(api)).toEqual(before);
    });

    it('lets exactly one of three concurrent creations of one username win', async () => {
      const before = await counts(api);
      const body = { ...officer, username: 'zhao.lei', enforcementCertificateNo: 'HN-0431-0099' };
      const responses = await Promise.all(
        [1, 2, 3].map(() => call(api, 'POST', '/api/v1/users', { body, token: adminToken })),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409]);
      expect(await counts(api)).toEqual({ users: before.users + 1, audits: before.audits + 1 });
    });

    it.each([
      [
        'an officer without certificate',
        { ...officer, username: 'a.b', enforcementCertificateNo: undefined },
        'body.enforcementCertificateNo',
      ],
      [
        'a legal reviewer without qualification',
        { ...officer, username: 'a.c', roles: ['legal_reviewer'] },
        'body.legalQualificationNo',
      ],
      ['an unknown role', { ...officer, username: 'a.d', roles: ['sheriff'] }, 'body.roles.0'],
      ['a short password', { ...officer, username: 'a.e', password: 'short' }, 'body.password'],
      ['an unknown field', { ...officer, username: 'a.f', superuser: true }, 'body'],
    ])('refuses %s with 400 naming the field, and writes nothing', async (_name, body, path) => {
      const before = await counts(api);
      const response = await call(api, 'POST', '/api/v1/users', { body, token: adminToken });
      expectProblem(response, 400, 'validation_failed');
      expect(response.body.errors.map((e: { path: string }) => e.path)).toContain(path);
      expect(await counts(api)).toEqual(before);
    });
  });

  describe('errors', () => {
    it('answers an unknown route with a 404 problem', async () => {
      expectProblem(
        await call(api, 'GET', '/api/v1/nothing-here', { token: adminToken }),
        404,
        'route_not_found',
      );
    });

    it('keeps a well-formed X-Request-Id from the caller', async () => {
      const response = await call(api, 'GET', '/health/live', {
        headers: { 'x-request-id': 'station-req-000123' },
      });
      expect(response.headers.get('x-request-id')).toBe('station-req-000123');
    });

    it('answers an unexpected failure with a 500 carrying a correlation id, without internals', async () => {
      await api.db.query('ALTER TABLE user_roles RENAME TO user_roles_away');
      try {
        const response = await call(api, 'GET', '/api/v1/users', { token: adminToken });
        expectProblem(response, 500, 'internal_error');
        expect(response.body.correlationId).toBe(response.headers.get('x-request-id'));
        expect(JSON.stringify(response.body)).not.toMatch(/user_roles|prisma|stack/i);
      } finally {
        await api.db.query('ALTER TABLE user_roles_away RENAME TO user_roles');
      }
    });
  });
});
