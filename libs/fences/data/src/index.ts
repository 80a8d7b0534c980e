export * from './fences.repository';
export * from './interception-alerts.repository';
export * from './lead-responses.repository';
