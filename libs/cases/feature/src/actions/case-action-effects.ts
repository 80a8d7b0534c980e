import type { CaseActionType } from '@ecc/cases-domain';
import type { ActionEffects, StageEffects } from './action-effects';
import { CLOSING_EFFECTS } from './closing.effects';
import { EXECUTION_EFFECTS } from './execution.effects';
import { FILING_EFFECTS } from './filing.effects';
import { INVESTIGATION_EFFECTS } from './investigation.effects';
import { NOTICE_AND_HEARING_EFFECTS } from './notice-and-hearing.effects';
import { REVIEW_AND_DECISION_EFFECTS } from './review-and-decision.effects';

/** The effects of every action, declared per stage beside the domain's `actions/<stage>.actions.ts`. */
const CASE_ACTION_EFFECTS: StageEffects = {
  ...FILING_EFFECTS,
  ...INVESTIGATION_EFFECTS,
  ...NOTICE_AND_HEARING_EFFECTS,
  ...REVIEW_AND_DECISION_EFFECTS,
  ...EXECUTION_EFFECTS,
  ...CLOSING_EFFECTS,
};

/** What an action does besides the machine's decision (nothing, for an action that only changes the state). */
export const effectsOf = <T extends CaseActionType>(type: T): ActionEffects<T> =>
  (CASE_ACTION_EFFECTS[type] ?? {}) as ActionEffects<T>;
