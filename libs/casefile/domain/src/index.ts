export * from './catalogue';
export * from './manifest';
