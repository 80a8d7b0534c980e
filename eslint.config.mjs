import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

// Packages that only the edges (apps, Nest wiring, data access) may import.
const infrastructure = [
  '@nestjs/*',
  '@fastify/*',
  'fastify',
  '@prisma/*',
  'prisma',
  'pg',
  'ioredis',
  'bullmq',
  'minio',
  's3rver',
  'pino',
  'pino-http',
  'nestjs-pino',
  '@bull-board/*',
];

/**
 * Statistics sit above every context: they read them all (docs/statistics.md), and no context may read them —
 * only the apps and the tests compose them. (With the context order of docs/layering.md, `statistics` is a
 * row of its own right below the apps.)
 */
const READ_BY_APPS_ONLY = ['statistics'];
const CONTEXTS_BELOW = [
  'shared',
  'identity',
  'platform',
  'audit',
  'legal',
  'registry',
  'intake',
  'screening',
  'notices',
  'cases',
  'fences',
  'penalties',
  'evaluation',
  'casefile',
  'documents',
];
const topContextConstraints = CONTEXTS_BELOW.map((context) => ({
  sourceTag: `scope:${context}`,
  notDependOnLibsWithTags: READ_BY_APPS_ONLY.map((c) => `scope:${c}`),
}));

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  prettier,
  {
    ignores: ['**/dist', '**/node_modules', '**/generated', '.nx', 'coverage', '.data', 'jest.config.cjs'],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: [
                'type:adapter',
                'type:feature',
                'type:platform',
                'type:data',
                'type:domain',
                'type:util',
              ],
            },
            {
              sourceTag: 'type:test',
              onlyDependOnLibsWithTags: [
                'type:adapter',
                'type:app',
                'type:feature',
                'type:platform',
                'type:data',
                'type:domain',
                'type:util',
              ],
            },
            {
              sourceTag: 'type:feature',
              onlyDependOnLibsWithTags: [
                'type:adapter',
                'type:feature',
                'type:platform',
                'type:data',
                'type:domain',
                'type:util',
              ],
            },
            {
              sourceTag: 'type:platform',
              onlyDependOnLibsWithTags: [
                'type:platform',
                'type:adapter',
                'type:data',
                'type:domain',
                'type:util',
              ],
            },
            {
              // renders or converts (documents to PDF): pure libraries, no framework, no infrastructure
              sourceTag: 'type:adapter',
              onlyDependOnLibsWithTags: ['type:adapter', 'type:domain', 'type:util'],
              bannedExternalImports: infrastructure,
            },
            {
              sourceTag: 'type:data',
              onlyDependOnLibsWithTags: ['type:data', 'type:domain', 'type:util'],
              bannedExternalImports: ['@nestjs/*', 'ioredis', 'bullmq', 'minio'],
            },
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain', 'type:util'],
              bannedExternalImports: infrastructure,
            },
            {
              sourceTag: 'type:util',
              onlyDependOnLibsWithTags: ['type:util'],
              bannedExternalImports: infrastructure,
            },
            ...topContextConstraints,
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
];
