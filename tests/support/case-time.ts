import type { TestApi } from './test-app';

/**
 * Moves every recorded instant of a case back by `ms` — the snapshot's `...At` times and its deadline rows — as
 * if that much time had passed since each step (for deadlines, late fees, hearings).
 */
export async function shiftCaseBack(api: TestApi, caseId: string, ms: number): Promise<void> {
  const { rows } = await api.db.query<{ workflow: unknown }>('SELECT workflow FROM cases WHERE id = $1', [
    caseId,
  ]);
  const shift = (value: unknown, key: string): unknown => {
    if (Array.isArray(value)) return value.map((v) => shift(v, ''));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shift(v, k)]));
    }
    if (typeof value === 'string' && key.endsWith('At') && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
      return new Date(new Date(value).getTime() - ms).toISOString();
    }
    return value;
  };
  await api.db.query('UPDATE cases SET workflow = $2 WHERE id = $1', [
    caseId,
    JSON.stringify(shift(rows[0]!.workflow, '')),
  ]);
  await api.db.query(
    `UPDATE deadlines SET started_at = started_at - $2 * interval '1 millisecond',
       due_at = due_at - $2 * interval '1 millisecond',
       approaching_at = approaching_at - $2 * interval '1 millisecond'
     WHERE case_id = $1`,
    [caseId, ms],
  );
}
