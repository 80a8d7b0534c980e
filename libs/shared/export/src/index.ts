export * from './table';
export * from './neutralise';
export * from './csv';
export * from './xlsx';
