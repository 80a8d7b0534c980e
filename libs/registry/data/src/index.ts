export * from './dates';
export * from './station-credentials.repository';
export * from './stations.repository';
export * from './devices.repository';
export * from './permits.repository';
export * from './registry-import.repository';
export * from './station-secrets-key';
