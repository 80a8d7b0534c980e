export * from './documents.module';
export * from './document-render-pool';
