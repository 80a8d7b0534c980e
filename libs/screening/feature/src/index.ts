export * from './screening-worker.module';
export * from './leads.module';
export { ListLeadsUseCase } from './list-leads.use-case';
export * from './queue-dashboard.module';
export * from './screen-detection.use-case';
export * from './leads.schema';
export * from './screening-policy.provider';
export * from './legal-catalogue.provider';
