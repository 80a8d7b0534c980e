export * from './case-scope.repository';
export * from './evidence-integrity.repository';
export * from './document-pdfs.repository';
