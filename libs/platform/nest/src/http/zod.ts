import { Body, Param, Query, type PipeTransform } from '@nestjs/common';
import { ApiBody, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { validationError, type DomainError } from '@ecc/shared-kernel';
import { LOCALIZED_FIELD_MESSAGES } from './problem-messages';

/**
 * zod schemas are the single contract of a route: the same schema validates the input and is written
 * into the OpenAPI document. Every issue becomes `{path, message}` in a 400 problem.
 */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    private readonly schema: S,
    /** Where the value came from: `body`, `query`, `params.id`. */
    private readonly location: string,
  ) {}

  transform(value: unknown): z.infer<S> {
    const result = this.schema.safeParse(value ?? (this.location === 'query' ? {} : undefined));
    if (result.success) return result.data;
    throw zodValidationError(result.error.issues, this.location.split('.'));
  }
}

const EN = z.locales.en().localeError;
const ZH = z.locales.zhCN().localeError;

/**
 * zod's own message of an issue in Chinese (its zh-CN locale); a schema's own message (a refinement's text) is
 * kept as written.
 */
function chineseMessage(issue: z.core.$ZodIssue): string {
  const raw = issue as unknown as z.core.$ZodRawIssue;
  const text = (locale: typeof EN) => {
    const said = locale(raw);
    return typeof said === 'string' ? said : said?.message;
  };
  return text(EN) === issue.message ? (text(ZH) ?? issue.message) : issue.message;
}

/**
 * A 400 problem of zod issues, each at `prefix.path`, with zod's own messages also in Chinese (the problem's
 * field messages follow Accept-Language).
 */
export function zodValidationError(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly string[],
  message?: string,
  code?: string,
): DomainError {
  const errors = issues.map((issue) => ({
    path: [...prefix, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const error = validationError(
    message ?? `The request is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    errors,
    code,
  );
  error.details[LOCALIZED_FIELD_MESSAGES] = { 'zh-CN': issues.map(chineseMessage) };
  return error;
}

export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  return z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io,
    unrepresentable: 'any',
    // A JSON body carries an instant as an ISO 8601 string (z.coerce.date() parses it).
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === 'date')
        Object.assign(ctx.jsonSchema, { type: 'string', format: 'date-time' });
    },
  }) as Record<string, unknown>;
}

type MethodDecorator = (target: object, key: string | symbol, descriptor: PropertyDescriptor) => void;

function onMethod(target: object, key: string | symbol | undefined, apply: MethodDecorator): void {
  if (key === undefined) return;
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  if (descriptor) apply(target, key, descriptor);
}

/** `@ZodBody(schema) body: z.infer<typeof schema>`: validates the body and documents it. */
export function ZodBody(schema: z.ZodType): ParameterDecorator {
  return (target, key, index) => {
    Body(new ZodPipe(schema, 'body'))(target, key, index);
    onMethod(target, key, ApiBody({ schema: jsonSchemaOf(schema) }) as MethodDecorator);
  };
}

/** Query parameters from a strict object schema, each documented. */
export function ZodQuery(schema: z.ZodObject): ParameterDecorator {
  return (target, key, index) => {
    Query(new ZodPipe(schema, 'query'))(target, key, index);
    const json = jsonSchemaOf(schema) as { properties?: Record<string, object>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      const required = json.required?.includes(name) ?? false;
      onMethod(target, key, ApiQuery({ name, required, schema: property }) as MethodDecorator);
    }
  };
}

/** One path parameter validated by a schema. */
export function ZodParam(name: string, schema: z.ZodType): ParameterDecorator {
  return (target, key, index) => {
    Param(name, new ZodPipe(schema, `params.${name}`))(target, key, index);
    onMethod(target, key, ApiParam({ name, schema: jsonSchemaOf(schema) }) as MethodDecorator);
  };
}

/** Documents a response body with its zod schema. */
export function ApiZodResponse(status: number, schema: z.ZodType, description = ''): MethodDecorator {
  return ApiResponse({ status, description, schema: jsonSchemaOf(schema, 'output') }) as MethodDecorator;
}
