export * from './cases.module';
export { CaseQueries, listCasesQuerySchema, type ListCasesQuery } from './case-queries.use-case';
export * from './deadline-due-handler';
export * from './handle-deadline.use-case';
export * from './perform-case-action.use-case';
export * from './case-document-templates';
export * from './case-closing-checks';
export * from './case-after-action-hooks';
export type { ScheduledDeadline } from './deadline-scheduler';
