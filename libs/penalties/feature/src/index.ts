export * from './penalties.module';
export * from './penalty-vocabulary';
export * from './plan-four-penalties.use-case';
export * from './four-penalties.queries';
export * from './issue-penalty-batch.use-case';
