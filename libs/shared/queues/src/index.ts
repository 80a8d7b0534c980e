export * from './job-definition';
export * from './jobs';
