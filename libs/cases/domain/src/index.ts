export * from './case-number';
export * from './case-state';
export * from './case-actions';
export * from './case-deadlines';
export {
  allowedActions,
  decide,
  explainActions,
  hasHearingRight,
  hearingRequestWindowEnd,
  homeAuthorityReportRequired,
  legalReviewRequired,
  paymentDueAt,
  statementWindowEnd,
  transition,
  type ActionAvailability,
  type CaseActionEffects,
  type CaseActionOutcome,
  type StartedDeadline,
} from './case-state-machine';
