export * from './case-file.types';
export * from './catalogue-article';
export * from './evaluation-rule';
export * from './evaluation.policy';
export * from './case-file.checks';
export * from './default-evaluation-rules';
export * from './evaluate-case-file';
export * from './evaluation-rules.policy';
