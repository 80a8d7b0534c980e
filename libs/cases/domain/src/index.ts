export {
  formatCaseNumber,
  parseCaseNumberPattern,
  type CaseNumberPart,
  type CaseNumberPattern,
} from './case-number';
export * from './case-state';
export {
  CASE_ACTIONS,
  CASE_ACTION_TYPES,
  caseActionDefinition,
  caseActionSchema,
  type CaseAction,
  type CaseActionDefinition,
  type CaseActionInput,
  type CaseActionOf,
  type CaseActionType,
} from './case-actions';
export { DEADLINE_INFO, runningDeadlines, type DeadlineInfo, type RunningDeadline } from './case-deadlines';
export {
  allowedActions,
  decide,
  explainActions,
  homeAuthorityReportRequired,
  legalReviewRequired,
  transition,
  type ActionAvailability,
  type CaseActionEffects,
  type CaseActionOutcome,
  type StartedDeadline,
} from './case-state-machine';
