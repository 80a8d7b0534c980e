export * from './role';
export * from './actor';
export * from './user.schema';
