export * from './policies.module';
export * from './policy-registry';
