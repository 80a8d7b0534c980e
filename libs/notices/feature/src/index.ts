export * from './sms-gateway.port';
export * from './enqueue-notices';
export * from './send-notice.use-case';
export * from './notices.module';
export { ListNoticesUseCase } from './list-notices.use-case';
export * from './notices-worker.module';
export * from './notices.schema';
export * from './push-gateway';
