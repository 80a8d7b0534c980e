export * from './lead-lifecycle';
