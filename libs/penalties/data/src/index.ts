export * from './four-penalties.repository';
export * from './counting-facts';
