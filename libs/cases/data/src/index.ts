export * from './case-snapshot.codec';
export * from './cases.repository';
export * from './case-documents.repository';
export * from './deadlines.repository';
export * from './lead-review.repository';
