export * from './audit.module';
export * from './audit-sealer';
export * from './audit-partition-maintainer';
export * from './audit-checkpointer';
export * from './audit-chain-monitor';
export * from './verify-audit-chain.use-case';
