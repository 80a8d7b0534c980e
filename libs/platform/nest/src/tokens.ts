/** Injection tokens of the infrastructure every feature shares. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const PRISMA = Symbol('PRISMA');
export const REDIS = Symbol('REDIS');
export const OBJECT_STORAGE = Symbol('OBJECT_STORAGE');
export const CLOCK = Symbol('CLOCK');
