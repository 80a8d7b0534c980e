export * from './generated/prisma/client';
export * from './prisma-client';
export * from './migrate';
export * from './migration-plan';
export * from './schema-diff';
export * from './monthly-partitions';
export * from './uuidv7';
