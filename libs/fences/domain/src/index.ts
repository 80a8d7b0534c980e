export * from './fence.schema';
export * from './alert-lifecycle';
export * from './fence-events';
