import { ApiExtension, type OpenAPIObject } from '@nestjs/swagger';
import { z } from 'zod';
import { jsonSchemaOf } from './zod';

/*
 * What the OpenAPI document says beyond the controllers' decorators, added in one pass over the document
 * (`completeOpenApiDocument`): who may call each operation, the problems (RFC 9457) each can answer, and one
 * operation per value of a path parameter whose values take different bodies (the case actions).
 */

/** The body of every error response (application/problem+json), as the problem filter writes it. */
export const problemSchema = z
  .object({
    type: z.string().describe('urn:ecc:problem:<code>'),
    title: z.string().describe('the HTTP status text'),
    status: z.number().int(),
    detail: z.string().describe('what went wrong, for a person'),
    code: z.string().describe('stable, for a program: invalid_case_action, fewer_than_two_officers, …'),
    instance: z.string().optional().describe('the request path'),
    requestId: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('400: every invalid field (`body.x`, `query.y`, `params.id`)'),
    retryAfterSeconds: z.number().int().optional().describe('429: also in the Retry-After header'),
    correlationId: z.string().optional().describe('500: the id of the error in the log'),
  })
  .catchall(z.unknown())
  .describe('RFC 9457 problem details; further members carry the facts of the refusal (e.g. `until`)');

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };
const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** What each status means on any route; `@ApiProblems` says it for a route when it means more. */
const MEANING: Record<number, string> = {
  400: 'invalid input: each field in `errors` (path, message)',
  401: 'no valid bearer token',
  403: 'the caller may not do this (role, separation of duties)',
  404: 'what the path names does not exist',
  409: 'conflict with the current state',
  413: 'the body is larger than the configured limit',
  415: 'the media type of the body is not accepted',
  422: 'a rule is not met: `code` names it',
  429: 'too many requests: retry after `Retry-After` seconds',
  500: 'unexpected error: `correlationId` finds it in the log',
  503: 'a service it depends on is unavailable: retry later',
};

type Problems = Record<number, string>;

/**
 * The problems a route answers beyond those its shape implies (400 with input, 401 unless public, 403 with
 * roles, 404 with a path parameter, 413/415 with a body, 500): `@ApiProblems(409, 422)` or, to say when,
 * `@ApiProblems({ 409: 'the case changed since it was read' })`.
 */
export function ApiProblems(...problems: (number | Problems)[]): MethodDecorator & ClassDecorator {
  const merged: Problems = {};
  for (const p of problems) {
    if (typeof p === 'number') merged[p] = MEANING[p] ?? 'error';
    else Object.assign(merged, p);
  }
  return ApiExtension('x-problems', merged);
}

/** One documented operation for one value of a path parameter. */
export interface PathVariant {
  value: string;
  operationId: string;
  summary: string;
  description?: string;
  tag?: { name: string; description?: string };
  /** The roles that may call it with this value, when fewer than the route's. */
  roles?: readonly string[];
  /** The body this value takes (JSON schema) and an example of it. */
  body: { schema: Record<string, unknown>; example?: unknown };
}

/**
 * A route whose path parameter selects what the body is (`POST /cases/{id}/actions/{action}`) is documented
 * as one operation per value, each with its own body schema and example, in place of the generic one:
 * Swagger UI shows a oneOf body as its first alternative only, and cannot tie the body to the path value.
 */
export const ApiPathVariants = (param: string, variants: readonly PathVariant[]) =>
  ApiExtension('x-path-variants', { param, variants });

/** Marks an operation that needs no bearer token (see `Public`). */
export const ApiPublic = () => ApiExtension('x-public', true);

/** Records the roles of an operation (see `Roles`): its description names them, and it can answer 403. */
export const ApiRoles = (roles: readonly string[]) => ApiExtension('x-roles', roles);

interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string }[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: unknown; example?: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema?: unknown }> }>;
  security?: Record<string, string[]>[];
  'x-public'?: boolean;
  'x-roles'?: string[];
  'x-problems'?: Problems;
  'x-path-variants'?: { param: string; variants: PathVariant[] };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

function operations(doc: OpenAPIObject): { path: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.flatMap((m) => {
      const op = (item as Record<string, Operation | undefined>)[m];
      return op ? [{ path, op }] : [];
    }),
  );
}

/** Replaces each operation carrying `x-path-variants` by one operation per value, in the same place. */
function expandPathVariants(doc: OpenAPIObject): void {
  const paths: OpenAPIObject['paths'] = {};
  const tags = new Map((doc.tags ?? []).map((t) => [t.name, t]));
  for (const [path, item] of Object.entries(doc.paths)) {
    const kept: Record<string, unknown> = { ...item };
    const expanded: [string, string, Operation][] = [];
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      const spec = op?.['x-path-variants'];
      if (!op || !spec) continue;
      delete kept[method];
      const { 'x-path-variants': _spec, ...generic } = op;
      for (const v of spec.variants) {
        const required = ((v.body.schema['required'] as unknown[] | undefined) ?? []).length > 0;
        expanded.push([
          path.replace(`{${spec.param}}`, v.value),
          method,
          {
            ...structuredClone(generic),
            operationId: v.operationId,
            summary: v.summary,
            ...(v.description ? { description: v.description } : {}),
            ...(v.tag ? { tags: [v.tag.name] } : {}),
            ...(v.roles ? { 'x-roles': [...v.roles] } : {}),
            parameters: (generic.parameters ?? []).filter((p) => !(p.in === 'path' && p.name === spec.param)),
            requestBody: {
              required,
              content: {
                'application/json': {
                  schema: v.body.schema,
                  ...(v.body.example !== undefined ? { example: v.body.example } : {}),
                },
              },
            },
          },
        ]);
        if (v.tag && !tags.has(v.tag.name)) tags.set(v.tag.name, v.tag);
      }
    }
    if (METHODS.some((m) => m in kept)) paths[path] = kept;
    for (const [variantPath, method, op] of expanded) {
      paths[variantPath] = { ...paths[variantPath], [method]: op };
    }
  }
  doc.paths = paths;
  if (tags.size) doc.tags = [...tags.values()];
}

/** Who may call it: public operations need nothing, every other one a bearer token (and the roles named). */
function documentAccess(op: Operation): void {
  if (op['x-public']) {
    op.security = [];
    delete op['x-public'];
    return;
  }
  op.security = [{ bearer: [] }];
  const roles = op['x-roles'];
  if (roles?.length) {
    const who = `Roles: ${roles.join(', ')}.`;
    op.description = op.description ? `${op.description}\n\n${who}` : who;
  }
}

/** The problems an operation answers, from its shape and its declaration, each a `Problem`. */
function documentProblems(path: string, op: Operation, isPublic: boolean): void {
  const problems: Problems = {};
  const add = (status: number, meaning = MEANING[status]!) => (problems[status] ??= meaning);
  const declared = op['x-problems'] ?? {};
  for (const [status, meaning] of Object.entries(declared)) add(Number(status), meaning);
  if ((op.parameters ?? []).length > 0 || op.requestBody) add(400);
  if (!isPublic) add(401);
  if (op['x-roles']?.length) add(403);
  if (path.includes('{')) add(404);
  if (op.requestBody) {
    add(413);
    add(415);
  }
  add(500);
  delete op['x-problems'];
  for (const [status, meaning] of Object.entries(problems)) {
    const existing = op.responses[status];
    op.responses[status] = {
      description: existing?.description || meaning,
      content: { ...existing?.content, [PROBLEM_MEDIA_TYPE]: { schema: PROBLEM_REF } },
    };
  }
  op.responses = Object.fromEntries(
    Object.entries(op.responses).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })),
  );
}

/**
 * The document as the API answers it: the case actions (any `ApiPathVariants`) one operation each, every
 * operation's security, and its problem responses referring to one `Problem` schema.
 */
export function completeOpenApiDocument(doc: OpenAPIObject): OpenAPIObject {
  expandPathVariants(doc);
  for (const { path, op } of operations(doc)) {
    const isPublic = !!op['x-public'];
    documentAccess(op);
    documentProblems(path, op, isPublic);
  }
  doc.components = {
    ...doc.components,
    schemas: { ...doc.components?.schemas, Problem: jsonSchemaOf(problemSchema, 'output') },
  };
  return doc;
}
