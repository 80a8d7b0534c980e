export * from './casefile.module';
export * from './evidence-integrity.service';
export * from './case-trace.use-case';
export * from './case-file-export.use-case';
