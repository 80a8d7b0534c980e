export * from './publications.repository';
