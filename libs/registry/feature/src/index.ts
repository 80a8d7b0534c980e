export * from './registry.module';
export * from './source-unit-site.hooks';
