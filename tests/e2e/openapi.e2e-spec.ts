import { CASE_ACTIONS } from '@ecc/cases-domain';
import { call, startTestApi, type TestApi } from '../support/test-app';

/**
 * The API's contract as its OpenAPI document states it (issue 12, part 1): no request body is "any object",
 * every operation documents its success body and its problems, and the case actions are one operation each,
 * generated from their declarations. Read from the live document of the real API, so that a route added
 * tomorrow is checked without editing this file.
 */

interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, unknown>;
  oneOf?: unknown[];
  anyOf?: unknown[];
  allOf?: unknown[];
  format?: string;
  example?: unknown;
  [key: string]: unknown;
}
interface MediaType {
  schema?: Schema;
  example?: unknown;
}
interface Operation {
  operationId: string;
  summary?: string;
  description?: string;
  parameters?: { name: string; in: string }[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<
    string,
    { description: string; content?: Record<string, MediaType>; headers?: Record<string, unknown> }
  >;
  security?: Record<string, string[]>[];
  'x-roles'?: string[];
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

/** Error responses that are not problems, by design (with why). */
const NOT_PROBLEMS: Record<string, string> = {
  'GET /health/ready 503': 'a load balancer reads the same readiness body, with the dependency that is down',
};
const WRITES = ['put', 'post', 'patch', 'delete'];

describe('the OpenAPI document', () => {
  let api: TestApi;
  let doc: Document;
  let operations: { key: string; method: string; path: string; op: Operation }[];

  beforeAll(async () => {
    api = await startTestApi('openapi');
    const res = await call<Document>(api, 'GET', '/api/docs-json');
    expect(res.status).toBe(200);
    doc = res.body;
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, method, path, op })),
    );
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  const resolve = (schema: Schema | undefined): Schema | undefined =>
    schema?.$ref ? doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')] : schema;

  it('is read from a live document with every route in it', () => {
    // An empty or truncated document must fail the checks below, not pass them.
    expect(operations.length).toBeGreaterThan(60 + CASE_ACTIONS.length);
  });

  it('has no request body that is "any object": each names its properties (or its alternatives)', () => {
    const anyObject: string[] = [];
    for (const { key, op } of operations) {
      for (const [mediaType, media] of Object.entries(op.requestBody?.content ?? {})) {
        const schema = resolve(media.schema);
        const binary = schema?.type === 'string' && schema.format === 'binary';
        const named = !!schema?.properties && Object.keys(schema.properties).length > 0;
        const alternatives = !!(schema?.oneOf ?? schema?.anyOf ?? schema?.allOf);
        if (!schema || (!binary && !named && !alternatives)) anyObject.push(`${key} ${mediaType}`);
      }
    }
    expect(anyObject).toEqual([]);
  });

  it('documents the success of every operation: a body with a schema, or a 204 or a redirect with its Location', () => {
    const documented = (status: string, r: Operation['responses'][string]) =>
      (/^2\d\d$/.test(status) && Object.values(r.content ?? {}).some((m) => !!m.schema)) ||
      (status === '204' && !r.content) ||
      (/^3\d\d$/.test(status) && !!r.headers?.['Location']);
    const undocumented = operations
      .filter(({ op }) => !Object.entries(op.responses).some(([status, r]) => documented(status, r)))
      .map((o) => o.key);
    expect(undocumented).toEqual([]);
  });

  it('documents the problems of every operation, each an application/problem+json Problem', () => {
    const problem = doc.components.schemas['Problem'];
    expect(problem?.properties).toEqual(
      expect.objectContaining({
        code: expect.anything(),
        status: expect.anything(),
        errors: expect.anything(),
      }),
    );
    const missing: string[] = [];
    for (const { key, method, path, op } of operations) {
      const isPublic = Array.isArray(op.security) && op.security.length === 0;
      const expected = [
        500,
        ...((op.parameters ?? []).length || op.requestBody ? [400] : []),
        // A public write route carries its own authority (credentials, a station's or vendor's signature).
        ...(!isPublic || WRITES.includes(method) ? [401] : []),
        ...(op['x-roles']?.length ? [403] : []),
        ...(path.includes('{') ? [404] : []),
        ...(op.requestBody ? [413, 415] : []),
      ];
      for (const status of expected) if (!op.responses[status]) missing.push(`${key} ${status}`);
      for (const [status, response] of Object.entries(op.responses)) {
        if (!/^[45]\d\d$/.test(status) || `${key} ${status}` in NOT_PROBLEMS) continue;
        const media = response.content?.['application/problem+json'];
        if (media?.schema?.$ref !== '#/components/schemas/Problem')
          missing.push(`${key} ${status}: not a Problem`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('documents every case action as its own operation with its own strict body and an example', () => {
    expect(Object.keys(doc.paths)).not.toContain('/api/v1/cases/{id}/actions/{action}');
    for (const def of CASE_ACTIONS) {
      const op = doc.paths[`/api/v1/cases/{id}/actions/${def.type}`]?.['post'];
      expect(op).toBeDefined();
      expect(op!.operationId).toBe(`caseAction_${def.type}`);
      expect(op!.summary).toBe(`${def.title} (${def.article})`);
      expect(op!.parameters?.map((p) => p.name)).toEqual(['id']);
      const media = op!.requestBody!.content['application/json']!;
      expect(Object.keys(media.schema!.properties ?? {}).sort()).toEqual(Object.keys(def.body.shape).sort());
      expect(media.schema!['additionalProperties']).toBe(false);
      expect(media.example).toEqual(def.example);
      expect(Object.keys(op!.responses)).toEqual(expect.arrayContaining(['200', '409', '422']));
    }
  });

  it('documents the publicity routes: public and rate-limited reads, the staff view and the withdrawal', () => {
    const get = (path: string) => doc.paths[`/api/v1${path}`]?.['get'];
    for (const path of ['/public/decisions', '/public/decisions/feed']) {
      const op = get(path);
      expect(op?.security).toEqual([]);
      expect(Object.keys(op!.responses)).toEqual(expect.arrayContaining(['200', '400', '429']));
      expect(op!.responses['401']).toBeUndefined();
      expect(op!.parameters?.map((p) => p.name).sort()).toEqual(
        path.endsWith('feed') ? ['limit', 'since'] : ['cursor', 'limit'],
      );
    }
    const page = resolve(get('/public/decisions')!.responses['200']!.content!['application/json']!.schema);
    expect(Object.keys(page?.properties ?? {})).toEqual(['items', 'nextCursor']);
    const feed = resolve(
      get('/public/decisions/feed')!.responses['200']!.content!['application/json']!.schema,
    );
    expect(Object.keys(feed?.properties ?? {})).toEqual(['events', 'next', 'more']);
    expect(Object.keys(get('/cases/{id}/publication')!.responses)).toEqual(
      expect.arrayContaining(['200', '401', '403', '404']),
    );
    const withdraw = doc.paths['/api/v1/cases/{id}/publication/withdrawal']?.['post'];
    expect(withdraw?.['x-roles']).toEqual(['approver']);
    expect(Object.keys(withdraw!.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '409']));
    const body = resolve(withdraw!.requestBody!.content['application/json']!.schema);
    expect(Object.keys(body?.properties ?? {}).sort()).toEqual([
      'ground',
      'reason',
      'reference',
      'revokedAt',
    ]);
    expect(body?.['additionalProperties']).toBe(false);
    const publishHeld = doc.paths['/api/v1/cases/{id}/publication/publish-held']?.['post'];
    expect(publishHeld?.['x-roles']).toEqual(['approver']);
    expect(Object.keys(publishHeld!.responses)).toEqual(expect.arrayContaining(['200', '404', '409', '422']));
  });

  it('serves the same routes it documents: a documented action path is the real route', async () => {
    // No token: the route exists and asks for one (401), where an undocumented path would answer 404.
    const res = await call(
      api,
      'POST',
      `/api/v1/cases/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/actions/archive`,
      {
        body: {},
      },
    );
    expect(res.status).toBe(401);
  });
});
