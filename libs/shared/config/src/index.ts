export * from './app-config';
export { envSchema, type Env } from './app-config.schema';
export * from './configuration-doc';
export * from './redis-target';
