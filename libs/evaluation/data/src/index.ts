export * from './case-file-records.repository';
export * from './document-kinds';
