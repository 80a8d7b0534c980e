import { randomUUID } from 'node:crypto';
import { ADMIN, call, startTestApi, tokenFor, type TestApi } from '../support/test-app';

/**
 * The auditor route walk (issue 6, "Auditor role"): an auditor reads everything and writes nothing.
 *
 * The routes come from the live OpenAPI document of the real API, so a route added tomorrow is walked
 * without editing this file. Every write (POST, PUT, PATCH, DELETE) called with the auditor's bearer token
 * must answer 403 problem+json — except the routes that are public by design, listed below with the reason,
 * which must not take the auditor's token as authority either (they answer 4xx, never 2xx). Afterwards
 * no table has gained or lost a row. Every read must not answer 403 (404/400 for placeholder ids is fine).
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
}

/** A placeholder for a path parameter: a random uuid for ids, 'X' for anything else. */
function placeholder(name: string): string {
  return /id$/i.test(name) ? randomUUID() : 'X';
}

function concretePath(template: string): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(placeholder(name)));
}

async function tableCounts(api: TestApi): Promise<Record<string, number>> {
  const { rows } = await api.db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
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
    const paths = (doc.body?.paths ?? {}) as Record<string, Record<string, unknown>>;
    routes = Object.entries(paths).flatMap(([template, operations]) =>
      Object.keys(operations)
        .filter((m) => ['get', ...WRITE_METHODS].includes(m as (typeof WRITE_METHODS)[number]))
        .map((m) => ({ method: m.toUpperCase(), template, key: `${m.toUpperCase()} ${template}` })),
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
    for (const key of [...Object.keys(PUBLIC_BY_DESIGN), ...Object.keys(AUDITOR_READS_BY_POST)]) {
      expect(routes.map((r) => r.key)).toContain(key);
    }
  });

  it('every write route answers 403 problem+json to an auditor; public ones do not take the token; nothing is written', async () => {
    const before = await tableCounts(api);
    expect(Object.keys(before)).toContain('audit_events');
    const let_through: string[] = [];
    for (const route of routes.filter((r) => r.method !== 'GET')) {
      const path = concretePath(route.template);
      const res = await call(api, route.method, path, { token: auditor, body: {} });
      if (route.key in PUBLIC_BY_DESIGN) {
        // Public by design: the bearer token grants nothing, the route's own authority is missing.
        if (res.status < 400 || res.status >= 500) let_through.push(`${route.key} → ${res.status}`);
        expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
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

  it('every read route lets an auditor in (no 403; 400/404 for placeholder ids) and writes nothing', async () => {
    const before = await tableCounts(api);
    const refused: string[] = [];
    for (const route of routes.filter((r) => r.method === 'GET')) {
      const path = concretePath(route.template);
      const status = STREAMS.has(route.key)
        ? await statusOnly(api, 'GET', path, auditor)
        : (await call(api, 'GET', path, { token: auditor })).status;
      if (status === 403 || status === 401 || status >= 500) refused.push(`${route.key} → ${status}`);
    }
    expect(refused).toEqual([]);
    // No read is audited today: every table, audit_events included, is as it was.
    expect(await tableCounts(api)).toEqual(before);
  });
});
