export * from './lead-transitions';
