export * from './role';
export * from './actor';
export * from './password-policy';
export * from './user.schema';
