export * from './audit-writer';
export * from './audit-chain.repository';
export * from './audit-events.repository';
export * from './audit-partitions.repository';
