export * from './four-penalties.repository';
