export {
  formatCaseNumber,
  parseCaseNumberPattern,
  type CaseNumberPart,
  type CaseNumberPattern,
} from './case-number';
export * from './case-state';
export * from './identity-document';
export {
  CASE_ACTIONS,
  CASE_ACTION_TYPES,
  caseActionDefinition,
  caseActionSchema,
  caseActionTitle,
  type CaseAction,
  type CaseActionBodyOf,
  type CaseActionInput,
  type CaseActionOf,
  type CaseActionType,
} from './case-actions';
export {
  CASE_ACTION_STAGES,
  expectedVersionSchema,
  type CaseActionDefinition,
  type CaseActionRule,
  type DeclaredCaseAction,
  type CaseActionStage,
  type SystemFieldRefusal,
} from './actions/define-case-action';
export {
  announcementEffectiveAt,
  homeAuthorityReportRequired,
  legalReviewRequired,
  majorCaseGrounds,
  serviceEffectiveAt,
  type MajorCaseGround,
} from './actions/case-action-helpers';
export {
  renderCaseActionTables,
  renderCaseStateTable,
  transitionLines,
  whoMayAct,
} from './case-action-table';
export {
  DEADLINE_INFO,
  deadlineHistory,
  runningDeadlines,
  type DeadlineEnd,
  type DeadlineHistoryEntry,
  type DeadlineInfo,
  type RunningDeadline,
} from './case-deadlines';
export {
  allowedActions,
  decide,
  explainActions,
  transition,
  type ActionAvailability,
  type CaseActionEffects,
  type CaseActionOutcome,
  type StartedDeadline,
} from './case-state-machine';
