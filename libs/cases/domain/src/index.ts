export * from './case-number';
