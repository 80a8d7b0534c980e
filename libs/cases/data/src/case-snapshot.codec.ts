import type { CaseSnapshot } from '@ecc/cases-domain';

/**
 * The state machine's snapshot as stored in `cases.workflow` (JSON): instants become ISO strings and back.
 * Every instant of the snapshot is a key ending in `At` (servedAt, dueAt, ...), which is how they are found.
 */
export function encodeSnapshot(snapshot: CaseSnapshot): object {
  return JSON.parse(JSON.stringify(snapshot)) as object;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function revive(value: unknown, key: string): unknown {
  if (Array.isArray(value)) return value.map((v) => revive(v, ''));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v, k)]));
  }
  if (typeof value === 'string' && key.endsWith('At') && ISO.test(value)) return new Date(value);
  return value;
}

export function decodeSnapshot(json: unknown): CaseSnapshot {
  return revive(json, '') as CaseSnapshot;
}
