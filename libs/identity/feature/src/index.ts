export * from './identity.module';
export * from './password-hasher';
