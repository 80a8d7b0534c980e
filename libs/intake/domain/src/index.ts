export * from './detection.schema';
export * from './station-signature';
export * from './body-digest';
export * from './detection-form';
export * from './inline-evidence';
