export * from './template';
export * from './notice-policy';
export * from './plate-jurisdiction';
export * from './lead-notice';
export * from './signature';
export * from './push-routing';
export * from './notice-retry';
