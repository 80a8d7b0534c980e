export * from './screening-facts';
export * from './detection-screening.repository';
export * from './intake-outbox.repository';
export * from './leads.repository';
