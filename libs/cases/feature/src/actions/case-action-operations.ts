import {
  CASE_ACTION_STAGES,
  CASE_ACTIONS,
  transitionLines,
  whoMayAct,
  type DeclaredCaseAction,
} from '@ecc/cases-domain';
import { jsonSchemaOf, type PathVariant } from '@ecc/platform-nest';

/*
 * The API document's operation of each case action, generated from its declaration so that it cannot drift:
 * `POST /api/v1/cases/{id}/actions/<type>`, titled with the action's title and article, its body the action's
 * own strict schema with its example.
 */

function description(def: DeclaredCaseAction): string {
  const system = Object.entries(def.systemRefusals).map(
    ([field, r]) => `\`${field}\` (${r.message}${r.code ? `: \`${r.code}\`` : ''})`,
  );
  return [
    `**${def.title}** — ${def.article}.`,
    `Who: ${whoMayAct(def)}.`,
    `From → to: ${transitionLines(def).join('; ')}.`,
    ...(def.starts.length ? [`Starts: ${def.starts.join(', ')}.`] : []),
    ...(def.stops.length ? [`Stops: ${def.stops.join(', ')} (those running).`] : []),
    ...(system.length ? [`Filled by the system, refused in the body: ${system.join('; ')}.`] : []),
    'The case version read goes in `expectedVersion` (or the `If-Match` header): a stale one is refused ' +
      'with 409 `case_modified`. Times of past facts default to now and may not lie in the future.',
  ].join('\n\n');
}

export const CASE_ACTION_OPERATIONS: readonly PathVariant[] = CASE_ACTIONS.map((def) => ({
  value: def.type,
  operationId: `caseAction_${def.type}`,
  summary: `${def.title} (${def.article})`,
  description: description(def),
  roles: def.roles,
  tag: {
    name: `case actions: ${CASE_ACTION_STAGES[def.stage]}`,
    description: `POST /cases/{id}/actions/{action}, stage \`${def.stage}\` (docs/case-actions.md)`,
  },
  body: { schema: jsonSchemaOf(def.body), example: def.example },
}));
