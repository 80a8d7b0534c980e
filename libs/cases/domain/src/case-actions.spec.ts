import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CASE_ACTION_STAGES } from './actions/define-case-action';
import { renderCaseActionTables, renderCaseStateTable } from './case-action-table';
import { CASE_ACTIONS, CASE_ACTION_TYPES, caseActionSchema, caseActionTitle } from './case-actions';
import { CASE_STATES } from './case-state';

/** docs/case-actions.md, where the tables generated from the declarations are kept. */
const doc = () => readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'case-actions.md'), 'utf8');
const generated = (name: string) => {
  const match = new RegExp(
    `<!-- generated: ${name} -->\\n<!-- prettier-ignore-start -->\\n([\\s\\S]*?)\\n<!-- prettier-ignore-end -->`,
  ).exec(doc());
  return match?.[1];
};

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

  it('is documented in docs/case-actions.md: every action and every state', () => {
    const text = doc();
    const row = (cell: string) =>
      new RegExp(`^\\| ${cell.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+\\|`, 'm');
    for (const def of CASE_ACTIONS) expect(text).toMatch(row(`\`${def.type}\` ${def.title}`));
    for (const state of CASE_STATES) expect(text).toMatch(row(`\`${state}\``));
  });

  it('is rendered into docs/case-actions.md exactly as the declarations say', () => {
    expect(generated('case-actions')).toBe(renderCaseActionTables());
    expect(generated('case-states')).toBe(renderCaseStateTable());
  });
});

describe('each declaration', () => {
  it.each(CASE_ACTIONS.map((def) => [def.type, def] as const))(
    '%s has a title, a stage, roles, transitions and the article it applies',
    (_type, def) => {
      expect(def.title).toMatch(/\p{Script=Han}/u);
      expect(Object.keys(CASE_ACTION_STAGES)).toContain(def.stage);
      expect(def.roles.length).toBeGreaterThan(0);
      expect(Object.keys(def.transitions).length).toBeGreaterThan(0);
      expect(def.article).toMatch(/Art\.|案卷/);
      expect(caseActionTitle(`case.${def.type}`)).toBe(def.title);
    },
  );

  it.each(CASE_ACTIONS.map((def) => [def.type, def] as const))(
    '%s: its body schema is strict, takes its example, and differs from the command only where declared',
    (_type, def) => {
      expect(def.body.safeParse(def.example).success).toBe(true);
      const unknown = def.body.safeParse({ ...(def.example as object), surprise: 1 });
      expect(unknown.success).toBe(false);
      expect(unknown.error?.issues.map((i) => i.code)).toEqual(['unrecognized_keys']);
      expect(def.command.safeParse({ type: def.type, surprise: 1 }).success).toBe(false);
      // `type` may be given but must name this action; expectedVersion is a version number.
      expect(def.body.safeParse({ ...(def.example as object), type: def.type }).success).toBe(true);
      expect(def.body.safeParse({ ...(def.example as object), type: 'archive_all' }).success).toBe(false);
      expect(def.body.safeParse({ ...(def.example as object), expectedVersion: -1 }).success).toBe(false);
      // The machine's input comes from the body; fields the system fills are never taken from it.
      const bodyKeys = Object.keys(def.body.shape);
      const commandKeys = Object.keys(def.command.shape);
      for (const key of def.inputKeys) {
        expect(bodyKeys).toContain(key);
        expect(commandKeys).toContain(key);
      }
      for (const field of Object.keys(def.systemRefusals)) {
        expect(commandKeys).toContain(field);
        expect(bodyKeys).not.toContain(field);
      }
    },
  );

  it('keeps the refusals of the fields the system fills: the case number and the officers', () => {
    const byType = Object.fromEntries(CASE_ACTIONS.map((d) => [d.type, d]));
    expect(byType['approve_filing']?.systemRefusals).toEqual({
      caseNumber: {
        code: 'case_number_assigned_by_system',
        message: 'the case number is allocated by the system',
      },
    });
    expect(Object.keys(byType['assign_officers']?.systemRefusals ?? {})).toEqual(['officers']);
    // A route body names the officers by their users; the machine takes them with their certificates.
    expect(byType['assign_officers']?.body.safeParse({ officerIds: ['not-a-uuid'] }).success).toBe(false);
  });

  it('takes a waiver without its document (the system generates it), the machine never does', () => {
    const waiver = CASE_ACTIONS.find((d) => d.type === 'record_waiver')!;
    expect(waiver.body.safeParse({ right: 'statement' }).success).toBe(true);
    expect(waiver.command.safeParse({ type: 'record_waiver', right: 'statement' }).success).toBe(false);
  });
});
