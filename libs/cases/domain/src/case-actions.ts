import { z } from 'zod';
import { CLOSING_ACTIONS } from './actions/closing.actions';
import type { DeclaredCaseAction } from './actions/define-case-action';
import { EXECUTION_ACTIONS } from './actions/execution.actions';
import { FILING_ACTIONS } from './actions/filing.actions';
import { INVESTIGATION_ACTIONS } from './actions/investigation.actions';
import { NOTICE_AND_HEARING_ACTIONS } from './actions/notice-and-hearing.actions';
import { REVIEW_AND_DECISION_ACTIONS } from './actions/review-and-decision.actions';

/**
 * The commands on a case, one declaration each in `actions/<stage>.actions.ts`, in the order the procedure
 * offers them (`allowedActions` lists them in this order).
 */
const ACTIONS = [
  ...FILING_ACTIONS,
  ...INVESTIGATION_ACTIONS,
  ...NOTICE_AND_HEARING_ACTIONS,
  ...REVIEW_AND_DECISION_ACTIONS,
  ...EXECUTION_ACTIONS,
  ...CLOSING_ACTIONS,
] as const;

type Declared = (typeof ACTIONS)[number];
export type CaseActionType = Declared['type'];
type DeclarationOf<T extends CaseActionType> = Extract<Declared, { type: T }>;

/** What `decide` and `transition` take: `{ type, ...input }` (the machine's input, system fields included). */
export type CaseAction = z.output<Declared['command']>;
/** What a caller may pass: the same, with times as Date or ISO string (a JSON body). */
export type CaseActionInput = z.input<Declared['command']>;
export type CaseActionOf<T extends CaseActionType> = z.output<DeclarationOf<T>['command']>;
/** The parsed body of `POST /cases/{id}/actions/{type}`: the machine's input and the records' extras. */
export type CaseActionBodyOf<T extends CaseActionType> = z.output<DeclarationOf<T>['body']>;

/** Every action, as the engine sees it. */
export const CASE_ACTIONS: readonly DeclaredCaseAction<CaseActionType>[] = ACTIONS;

export const CASE_ACTION_TYPES: readonly CaseActionType[] = CASE_ACTIONS.map((a) => a.type);

export const caseActionSchema = z.discriminatedUnion(
  'type',
  ACTIONS.map((a) => a.command) as unknown as [Declared['command'], ...Declared['command'][]],
);

export function caseActionDefinition<T extends CaseActionType>(type: T): DeclarationOf<T> {
  const found = ACTIONS.find((a) => a.type === type);
  if (!found) throw new Error(`no definition for case action ${type}`);
  return found as DeclarationOf<T>;
}

/** The title of a case action, by its type or by its audit action `case.<type>`; undefined for anything else. */
export function caseActionTitle(action: string): string | undefined {
  const type = action.startsWith('case.') ? action.slice('case.'.length) : action;
  return CASE_ACTIONS.find((a) => a.type === type)?.title;
}
