export * from './station-credentials.repository';
