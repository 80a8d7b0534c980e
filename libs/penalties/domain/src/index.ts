export * from './one-year-window';
export * from './penalty-basis';
export * from './four-penalties.policy';
export * from './four-penalties.types';
export * from './trip-count';
export * from './four-penalties.rules';
export * from './answerable-parties';
export * from './four-penalties-policy.schema';
