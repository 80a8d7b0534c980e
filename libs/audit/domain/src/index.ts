export * from './audit-chain';
export * from './audit-checkpoint';
