export * from './lead-notices';
export * from './notices.repository';
