export * from './fences.module';
export * from './interception-check';
export * from './fenced-plates';
