export * from './registry-formats';
export * from './station.schema';
export * from './device.schema';
export * from './permit.schema';
export * from './registry-rows.schema';
export * from './registry-import';
