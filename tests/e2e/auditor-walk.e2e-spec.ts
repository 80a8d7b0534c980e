import { randomUUID } from 'node:crypto';
import { ADMIN, call, makeUser, startTestApi, tokenFor, type TestApi } from '../support/test-app';

/**
 * The auditor route walk (issue 6, "Auditor role"): an auditor reads everything and writes nothing.
 *
 * The routes come from the live OpenAPI document of the real API, so a route added tomorrow is walked
 * without editing this file. Every write (POST, PUT, PATCH, DELETE) called with the auditor's bearer token
 * must answer 403 problem+json — except the routes that are public by design, listed below with the reason,
 * which must not take the auditor's token as authority either (they answer 4xx, never 2xx). Afterwards
 * no table has gained or lost a row. Every read must not answer 403 (404/400 for placeholder ids is fine), and
 * is declared as returning personal data or not (`x-personal-data`): the auditor's successful reads of personal
 * data are themselves audited (`personal_data.read`), nothing else is written by a read.
 */

const WRITE_METHODS = ['post', 'put', 'patch', 'delete'] as const;

/** Write routes that carry their own authority instead of a user's bearer token. */
const PUBLIC_BY_DESIGN: Record<string, string> = {
  'POST /api/v1/auth/token': 'token issuance: the credentials are in the body, no one is signed in yet',
  'POST /api/v1/detections': 'a station pushes a detection signed with its HMAC secret (X-Signature)',
  'PUT /api/v1/detections/{stationCode}/{detectionId}/evidence/{kind}':
    'a station streams evidence signed over the bytes with its HMAC secret',
  'POST /api/v1/notices/receipts/{provider}':
    'the SMS vendor posts delivery receipts signed with the callback secret (X-Signature)',
  'POST /api/v1/notices/receipts/{vendor}/{token}':
    'Alibaba Cloud / Tencent Cloud push unsigned delivery reports to a URL ending with the secret SMS_CALLBACK_TOKEN',
  'POST /api/v1/auth/oidc/token':
    "single sign-on: the identity provider's code and the browser's binding cookie are the authority",
};

/**
 * Writes of a user's own account that every user, auditors included, may make: they change no case data.
 * The expected status for an empty body, or null where the walk must not call it (sign-out would revoke the
 * walker's own token; accounts.e2e-spec.ts tests it).
 */
const OWN_ACCOUNT: Record<string, number | null> = {
  'POST /api/v1/users/me/password': 400,
  'POST /api/v1/auth/sign-out': null,
};

/**
 * POSTs an auditor may call by design because they change no case data: the route reads cases and only
 * records its own run. Walked like the others (an empty body: 400, never 403) and nothing is written.
 */
const AUDITOR_READS_BY_POST: Record<string, string> = {
  'POST /api/v1/evaluations': 'the spot check (案卷评查抽查) of closed cases: scores them, records the run',
};

/** Read routes that stream forever: only their status line is awaited. */
const STREAMS = new Set(['GET /api/v1/alerts/stream']);

interface Route {
  method: string;
  template: string;
  key: string;
  /** The `x-personal-data` extension: the audited entity, false when declared free of personal data. */
  personalData?: { entityType: string; idParams: string[] } | false;
}

/** A placeholder for a path parameter: a random uuid for ids, 'X' for anything else. */
function placeholder(name: string): string {
  return /id$/i.test(name) ? randomUUID() : 'X';
}

function concretePath(template: string): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(placeholder(name)));
}

async function tableCounts(api: TestApi): Promise<Record<string, number>> {
  // Tables as the schema has them: a partitioned table counted once, through its parent (not per partition).
  const { rows } = await api.db.query<{ table_name: string }>(
    `SELECT c.relname AS table_name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of rows) {
    const res = await api.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table_name}"`);
    counts[table_name] = res.rows[0]!.n;
  }
  return counts;
}

/** Status of a request without waiting for its body (server-sent event streams never end). */
async function statusOnly(api: TestApi, method: string, path: string, token: string): Promise<number> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 10_000);
  try {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
      signal: abort.signal,
    });
    const status = response.status;
    abort.abort();
    return status;
  } finally {
    clearTimeout(timer);
  }
}

jest.setTimeout(120_000);

describe('auditor route walk: every write route refuses an auditor, every read route lets one in', () => {
  let api: TestApi;
  let auditor: string;
  let routes: Route[];

  beforeAll(async () => {
    api = await startTestApi('auditorwalk');
    const admin = await tokenFor(api, ADMIN.username, ADMIN.password);
    const created = await call(api, 'POST', '/api/v1/users', {
      token: admin,
      body: {
        username: 'walk.auditor',
        password: 'walk-auditor-password-1',
        displayName: '审计员',
        roles: ['auditor'],
      },
    });
    if (created.status !== 201) throw new Error(JSON.stringify(created.body));
    auditor = await tokenFor(api, 'walk.auditor', 'walk-auditor-password-1');
    const doc = await call(api, 'GET', '/api/docs-json');
    expect(doc.status).toBe(200);
    const paths = (doc.body?.paths ?? {}) as Record<
      string,
      Record<string, { 'x-personal-data'?: Route['personalData'] }>
    >;
    routes = Object.entries(paths).flatMap(([template, operations]) =>
      Object.entries(operations)
        .filter(([m]) => ['get', ...WRITE_METHODS].includes(m as (typeof WRITE_METHODS)[number]))
        .map(([m, operation]) => ({
          method: m.toUpperCase(),
          template,
          key: `${m.toUpperCase()} ${template}`,
          personalData: operation['x-personal-data'],
        })),
    );
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  it('reads its routes from a non-empty live OpenAPI document', () => {
    const writes = routes.filter((r) => r.method !== 'GET');
    // Far more than the public ones: an empty or truncated document must fail the walk, not pass it.
    expect(writes.length).toBeGreaterThan(Object.keys(PUBLIC_BY_DESIGN).length + 10);
    expect(routes.filter((r) => r.method === 'GET').length).toBeGreaterThan(10);
    // Every route declared public by design is still in the document (a stale list would hide a route).
    for (const key of [
      ...Object.keys(PUBLIC_BY_DESIGN),
      ...Object.keys(AUDITOR_READS_BY_POST),
      ...Object.keys(OWN_ACCOUNT),
    ]) {
      expect(routes.map((r) => r.key)).toContain(key);
    }
  });

  it('every write route answers 403 problem+json to an auditor; public ones do not take the token; nothing is written', async () => {
    const before = await tableCounts(api);
    expect(Object.keys(before)).toContain('audit_events');
    const let_through: string[] = [];
    for (const route of routes.filter((r) => r.method !== 'GET')) {
      const path = concretePath(route.template);
      if (OWN_ACCOUNT[route.key] === null) continue;
      const res = await call(api, route.method, path, { token: auditor, body: {} });
      if (route.key in PUBLIC_BY_DESIGN) {
        // Public by design: the bearer token grants nothing, the route's own authority is missing.
        if (res.status < 400 || res.status >= 500) let_through.push(`${route.key} → ${res.status}`);
        expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
        continue;
      }
      if (route.key in OWN_ACCOUNT) {
        const expected = OWN_ACCOUNT[route.key];
        if (expected !== null && res.status !== expected) let_through.push(`${route.key} → ${res.status}`);
        continue;
      }
      if (route.key in AUDITOR_READS_BY_POST) {
        if (res.status !== 400) let_through.push(`${route.key} → ${res.status} (expected 400 for {})`);
        continue;
      }
      if (res.status !== 403) {
        let_through.push(`${route.key} → ${res.status} ${JSON.stringify(res.body)}`);
        continue;
      }
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('role_not_allowed');
    }
    expect(let_through).toEqual([]);
    expect(await tableCounts(api)).toEqual(before);
  });

  it('declares of every read route whether it returns personal data', () => {
    const undeclared = routes
      .filter((r) => r.method === 'GET' && r.personalData === undefined)
      .map((r) => r.key);
    expect(undeclared).toEqual([]);
    // The declarations are not all "none": the case, lead and notice reads are personal data.
    const personal = routes.filter((r) => r.method === 'GET' && r.personalData).map((r) => r.key);
    expect(personal).toEqual(
      expect.arrayContaining(['GET /api/v1/cases/{id}', 'GET /api/v1/leads/{id}', 'GET /api/v1/notices']),
    );
  });

  it('every read route lets an auditor in (no 403; 400/404 for placeholder ids); only its reads of personal data are recorded', async () => {
    const before = await tableCounts(api);
    const { rows: mark } = await api.db.query<{ id: string }>(
      'SELECT coalesce(max(id), 0)::text AS id FROM audit_events',
    );
    const refused: string[] = [];
    for (const route of routes.filter((r) => r.method === 'GET')) {
      const path = concretePath(route.template);
      const status = STREAMS.has(route.key)
        ? await statusOnly(api, 'GET', path, auditor)
        : (await call(api, 'GET', path, { token: auditor })).status;
      if (status === 403 || status === 401 || status >= 500) refused.push(`${route.key} → ${status}`);
    }
    expect(refused).toEqual([]);
    // Nothing but audit events was written, and every new event is an auditor's read of a route declared
    // personal (the lists answer 200 even when empty; the placeholder ids answer 404 and are not recorded).
    const after = await tableCounts(api);
    expect({ ...after, audit_events: 0 }).toEqual({ ...before, audit_events: 0 });
    const { rows: events } = await api.db.query<{
      action: string;
      actor_id: string;
      entity_type: string;
      entity_id: string;
      route: string;
    }>(
      `SELECT action, actor_id::text, entity_type, entity_id, payload->>'route' AS route
       FROM audit_events WHERE id > $1::bigint ORDER BY id`,
      [mark[0]!.id],
    );
    expect(events.length).toBe(after['audit_events']! - before['audit_events']!);
    const auditorId = (await call(api, 'GET', '/api/v1/users/me', { token: auditor })).body.id as string;
    const personalTemplates = new Map(
      routes
        .filter((r) => r.method === 'GET' && r.personalData)
        .map((r) => [r.template.replace(/\{([^}]+)\}/g, ':$1'), r.personalData]),
    );
    for (const event of events) {
      expect(event).toMatchObject({ action: 'personal_data.read', actor_id: auditorId, entity_id: '*' });
      expect(personalTemplates.get(event.route)).toMatchObject({ entityType: event.entity_type });
    }
    expect(events.map((e) => e.route)).toEqual(
      expect.arrayContaining(['/api/v1/leads', '/api/v1/cases', '/api/v1/notices']),
    );
  });
});

describe("auditors' reads of personal data are audited", () => {
  let api: TestApi;
  let admin: string;

  beforeAll(async () => {
    api = await startTestApi('auditedreads');
    admin = await tokenFor(api, ADMIN.username, ADMIN.password);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  const readsOf = async (entityType: string, entityId: string) =>
    (
      await api.db.query<{ actor_id: string; request_id: string; payload: Record<string, unknown> }>(
        `SELECT actor_id::text, request_id, payload FROM audit_events
         WHERE action = 'personal_data.read' AND entity_type = $1 AND entity_id = $2 ORDER BY id`,
        [entityType, entityId],
      )
    ).rows;

  it("records who read whose data, with the request id, before the answer leaves; other roles' reads are not recorded", async () => {
    const subject = await makeUser(api, admin, 'read.subject', ['officer'], {
      enforcementCertificateNo: 'HN-READ-0001',
    });
    const auditor = await makeUser(api, admin, 'read.auditor', ['auditor']);

    const read = await call(api, 'GET', `/api/v1/users/${subject.id}`, { token: auditor.token });
    expect(read.status).toBe(200);
    const events = await readsOf('user', subject.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor_id: auditor.id,
      request_id: read.headers.get('x-request-id'),
      payload: { route: '/api/v1/users/:id', params: { id: subject.id } },
    });

    // The admin's read of the same record, and the auditor's read of something not personal, are not audited.
    expect((await call(api, 'GET', `/api/v1/users/${subject.id}`, { token: admin })).status).toBe(200);
    expect((await call(api, 'GET', '/api/v1/legal-bases', { token: auditor.token })).status).toBe(200);
    expect(await readsOf('user', subject.id)).toHaveLength(1);
    const { rows } = await api.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'personal_data.read'`,
    );
    expect(rows[0]!.n).toBe(1);

    // A list read is recorded with its query; a read that finds nothing discloses nothing and is not recorded.
    const list = await call(api, 'GET', '/api/v1/leads?plate=%E6%B9%98F12345', { token: auditor.token });
    expect(list.status).toBe(200);
    expect((await readsOf('lead', '*'))[0]).toMatchObject({ payload: { query: { plate: '湘F12345' } } });
    const missing = randomUUID();
    expect((await call(api, 'GET', `/api/v1/leads/${missing}`, { token: auditor.token })).status).toBe(404);
    expect(await readsOf('lead', missing)).toHaveLength(0);
  });
});
