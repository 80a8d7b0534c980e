export * from './cases.module';
export { CaseQueries, listCasesQuerySchema, type ListCasesQuery } from './case-queries.use-case';
export * from './deadline-due-handler';
export * from './handle-deadline.use-case';
export * from './perform-case-action.use-case';
export * from './case-document-templates';
export * from './case-closing-checks';
export * from './case-decision-publicity';
export * from './case-after-action-hooks';
export type { ScheduledDeadline } from './deadline-scheduler';
export * from './case-document-printer.port';
export * from './source-unit-correction';
export { CaseEnvironmentProvider, type CaseEnvironment } from './case-environment';
// The codes a case cites, for the case-file evaluation to read what the documents print (one function).
export { caseCitedCodes } from './case-document.service';
