export * from './catalogue';
export * from './manifest';
export * from './remedies';
