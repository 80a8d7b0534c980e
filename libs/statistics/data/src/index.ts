export * from './figures';
export * from './statistics.repository';
export * from './detection-counts.repository';
export * from './list-exports.repository';
export * from './kept-cases';
