import { z } from 'zod';
import {
  CASE_ACTION_TYPES,
  caseActionDefinition,
  expectedVersionSchema,
  type CaseActionBodyOf,
  type CaseActionOf,
  type CaseActionType,
} from '@ecc/cases-domain';
import { DomainError } from '@ecc/shared-kernel';
import { zodValidationError } from '@ecc/platform-nest';

/*
 * The request of `POST /cases/{id}/actions/{action}`: the path names the action, whose own strict schema
 * (its declaration's `body`) is the whole body the route accepts.
 */

export const caseActionTypeSchema = z.enum(CASE_ACTION_TYPES as [CaseActionType, ...CaseActionType[]]);

/**
 * What the route reads before the action's own schema (chosen by the path) parses it: an object, or nothing
 * for an action without fields (request_filing, archive...). The API document shows each action's schema.
 */
export const caseActionBodySchema = z.record(z.string(), z.unknown()).default({});

const invalidBody = (path: string, message: string, code = 'invalid_case_action') =>
  new DomainError('validation', code, message, { errors: [{ path, message }] });

/** The refusals that need no case: another action named in the body, a field the system fills, a bad version. */
export function precheck(
  type: CaseActionType,
  body: Record<string, unknown>,
  ifMatch?: string,
): number | undefined {
  const raw =
    body['expectedVersion'] ?? (ifMatch ? ifMatch.replace(/^W\//, '').replace(/"/g, '') : undefined);
  const version = expectedVersionSchema.safeParse(raw);
  if (!version.success) throw invalidBody('body.expectedVersion', version.error.issues[0]!.message);
  if ('type' in body && body['type'] !== type) throw invalidBody('body.type', `must be ${type} or absent`);
  for (const [field, refusal] of Object.entries(caseActionDefinition(type).systemRefusals)) {
    if (field in body) throw invalidBody(`body.${field}`, refusal.message, refusal.code);
  }
  return version.data;
}

/** The body parsed by the action's own strict schema: its input, its extras, nothing else. */
export function parseBody<T extends CaseActionType>(
  type: T,
  body: Record<string, unknown>,
): CaseActionBodyOf<T> {
  const parsed = caseActionDefinition(type).body.safeParse(body);
  if (parsed.success) return parsed.data as CaseActionBodyOf<T>;
  throw zodValidationError(parsed.error.issues, ['body'], '案件操作参数无效', 'invalid_case_action');
}

/** The machine's input from the parsed body: the action's type and the body fields the machine reads. */
export function machineInput<T extends CaseActionType>(type: T, body: CaseActionBodyOf<T>): CaseActionOf<T> {
  const keys = caseActionDefinition(type).inputKeys.filter((k) => k in body);
  return {
    type,
    ...Object.fromEntries(keys.map((k) => [k, body[k as keyof typeof body]])),
  } as CaseActionOf<T>;
}
