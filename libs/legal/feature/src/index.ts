export * from './legal.module';
