export * from './detections.repository';
export * from './evidence.repository';
export * from './detection-retention.repository';
