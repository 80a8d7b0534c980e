export * from './alerts.module';
