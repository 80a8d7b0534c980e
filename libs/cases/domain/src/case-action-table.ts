import { CASE_ACTION_STAGES, type CaseActionRule } from './actions/define-case-action';
import { CASE_ACTIONS } from './case-actions';
import { CASE_STATE_INFO, CASE_STATES } from './case-state';

/*
 * The state machine as text, from the declarations: who may act, from → to, for docs/case-actions.md (a
 * unit test keeps it equal) and the API document.
 */

/** `officer of the case`, `approver (not an officer of the case)`, `officer of the case or approver`. */
export function whoMayAct(def: CaseActionRule): string {
  const who = def.roles
    .map((r) => (r === 'officer' && def.caseOfficersOnly ? 'officer of the case' : r))
    .join(' or ');
  return def.independentOfCase ? `${who} (not an officer of the case)` : who;
}

/** One line per from-state: `filed → investigating`, `served → (same) / executed`. */
export function transitionLines(def: CaseActionRule): string[] {
  return Object.entries(def.transitions).map(
    ([from, targets]) => `${from} → ${(targets ?? []).map((t) => (t === from ? '(same)' : t)).join(' / ')}`,
  );
}

const list = (kinds: readonly string[]) => (kinds.length ? kinds.join(', ') : '—');

/** The actions of each stage as markdown tables (rendered into docs/case-actions.md). */
export function renderCaseActionTables(): string {
  return Object.entries(CASE_ACTION_STAGES)
    .map(([stage, title]) => {
      const rows = CASE_ACTIONS.filter((def) => def.stage === stage).map(
        (def) =>
          `| \`${def.type}\` ${def.title} | ${whoMayAct(def)} | ${transitionLines(def).join('<br>')} | ${list(def.starts)} | ${list(def.stops)} | ${def.article} |`,
      );
      return [
        `### ${title} (\`${stage}\`)`,
        '',
        '| action | who | from → to | starts | stops | rule |',
        '| --- | --- | --- | --- | --- | --- |',
        ...rows,
      ].join('\n');
    })
    .join('\n\n');
}

/** The states as a markdown table. */
export function renderCaseStateTable(): string {
  return [
    '| state | 中文 | meaning |',
    '| --- | --- | --- |',
    ...CASE_STATES.map((s) => `| \`${s}\` | ${CASE_STATE_INFO[s].title} | ${CASE_STATE_INFO[s].meaning} |`),
  ].join('\n');
}
