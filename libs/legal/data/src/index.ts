export * from './legal-basis.repository';
export * from './policies.repository';
