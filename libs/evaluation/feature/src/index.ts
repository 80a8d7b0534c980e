export * from './evaluation.module';
export * from './case-file-evaluator';
export * from './case-file.assembler';
