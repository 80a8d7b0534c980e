export * from './periods';
export * from './legal-basis';
export * from './catalogue.data';
export * from './working-calendar';
export * from './late-fee';
export * from './deadlines';
export * from './compulsory-execution';
export * from './holiday-notice';
