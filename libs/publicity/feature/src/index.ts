export * from './publicity.module';
export * from './publicity.schema';
