export * from './statistics.module';
export * from './statistics.schema';
export * from './annual-report';
export * from './get-statistics.use-case';
