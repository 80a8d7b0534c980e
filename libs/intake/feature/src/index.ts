export * from './intake.module';
export * from './receive-detection.use-case';
export * from './upload-evidence.use-case';
export * from './accepted-detection.port';
export * from './detection-maintenance';
