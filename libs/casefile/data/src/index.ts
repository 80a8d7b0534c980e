export * from './case-scope.repository';
export * from './evidence-integrity.repository';
