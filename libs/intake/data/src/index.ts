export * from './detections.repository';
export * from './evidence.repository';
export * from './intake-outbox.repository';
