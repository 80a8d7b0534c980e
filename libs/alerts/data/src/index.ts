export * from './staff-alerts.repository';
