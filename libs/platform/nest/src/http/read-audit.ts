import { applyDecorators, SetMetadata } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { ApiExtension } from '@nestjs/swagger';

const READ_AUDIT = 'ecc:read-audit';

/** What a route returns, for the audit of its reads: the entity type and the path parameters naming it. */
export interface PersonalDataMark {
  entityType: string;
  idParams: readonly string[];
}

/**
 * A read route that returns personal data (plates, names, phone numbers, addresses, photographs): a
 * successful read by an auditor writes a `personal_data.read` audit event before the answer leaves (the
 * audit context's ReadAuditInterceptor reads this mark). The
 * entity id is the named path parameters joined by '/', or '*' for a list (the query is in the payload).
 * Every GET route carries either this or @NoPersonalData() (the auditor route walk checks it through the
 * `x-personal-data` extension of the OpenAPI document).
 */
export const PersonalData = (entityType: string, ...idParams: string[]) =>
  applyDecorators(
    SetMetadata(READ_AUDIT, { entityType, idParams } satisfies PersonalDataMark),
    ApiExtension('x-personal-data', { entityType, idParams }),
  );

/** A read route declared free of personal data (catalogues, policies, stations, one's own account). */
export const NoPersonalData = () =>
  applyDecorators(SetMetadata(READ_AUDIT, false), ApiExtension('x-personal-data', false));

/** The mark of a route handler: its @PersonalData, false for @NoPersonalData, undefined when unmarked. */
export function personalDataMarkOf(
  reflector: Reflector,
  handler: object,
): PersonalDataMark | false | undefined {
  return reflector.get<PersonalDataMark | false | undefined>(READ_AUDIT, handler as () => unknown);
}
