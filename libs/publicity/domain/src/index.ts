export * from './redaction';
export * from './publicity-policy';
export * from './publication';
