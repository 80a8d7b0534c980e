export * from './case-file-records.repository';
