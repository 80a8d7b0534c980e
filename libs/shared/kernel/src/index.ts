export * from './domain-error';
export * from './canonical-json';
export * from './legal-time';
export * from './clock';
export * from './object-storage.port';
export * from './secret-box';
export * from './adaptive-batcher';
export * from './evidence-media';
