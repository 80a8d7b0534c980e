export * from './zip-writer';
export * from './catalogue';
export * from './manifest';
