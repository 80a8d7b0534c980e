export * from './legal.module';
export * from './policy-registry';
