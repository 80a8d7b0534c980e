import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CASE_ACTIONS, CASE_ACTION_TYPES, caseActionSchema } from './case-actions';
import { CASE_STATES } from './case-state';

describe('the action table', () => {
  it('has one definition per action of the schema, and no other', () => {
    const schemaTypes = caseActionSchema.options.map((option) => option.shape.type.value);
    expect([...CASE_ACTION_TYPES].sort()).toEqual([...schemaTypes].sort());
    expect(new Set(CASE_ACTION_TYPES).size).toBe(CASE_ACTION_TYPES.length);
  });

  it('reaches every state, and archived is left by nothing', () => {
    const targets = new Set(CASE_ACTIONS.flatMap((def) => Object.values(def.transitions).flat()));
    expect(CASE_STATES.filter((s) => s !== 'draft' && !targets.has(s))).toEqual([]);
    expect(CASE_ACTIONS.filter((def) => def.transitions.archived)).toEqual([]);
  });

  it('never lets an auditor or an admin act, and only officers record facts', () => {
    for (const def of CASE_ACTIONS) {
      expect(def.roles).not.toContain('auditor');
      expect(def.roles).not.toContain('admin');
    }
  });

  it('is documented in README.md: every action and every state', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const row = (text: string) =>
      new RegExp(`^\\| ${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+\\|`, 'm');
    for (const def of CASE_ACTIONS) expect(readme).toMatch(row(`\`${def.type}\` ${def.title}`));
    for (const state of CASE_STATES) expect(readme).toMatch(row(`\`${state}\``));
  });
});
