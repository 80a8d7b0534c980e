import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import jsoncParser from 'jsonc-eslint-parser';

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
 * The order of the bounded contexts, bottom to top (docs/layering.md). A project may depend on projects of its
 * own context and of contexts on lower rows — never on a row above, nor on another context of its own row.
 * `context:feature` places only that context's feature module on the row: the feature modules of identity,
 * audit and alerts sit above all three models, since each writes audit events or raises alerts.
 */
const CONTEXT_ROWS = [
  ['shared'],
  ['identity'],
  ['platform'],
  ['audit'],
  ['alerts'],
  ['identity:feature', 'audit:feature', 'alerts:feature'],
  ['legal', 'documents'],
  ['registry', 'leads'],
  ['intake', 'screening', 'notices'],
  ['cases'],
  ['fences', 'penalties', 'evaluation', 'casefile', 'publicity'],
  ['policies', 'statistics'],
  ['api', 'worker', 'devstack', 'tests'],
];
const MODEL_LAYERS = ['domain', 'data', 'util', 'platform'];

/** The scope constraints of the rows; `extra` lets named contexts reach more scopes (an exception). */
function contextConstraints(extra = {}) {
  const below = [];
  const constraints = [];
  const split = new Set(
    CONTEXT_ROWS.flat()
      .filter((entry) => entry.includes(':'))
      .map((e) => e.split(':')[0]),
  );
  for (const row of CONTEXT_ROWS) {
    for (const entry of row) {
      const [context, layer] = entry.split(':');
      const allowed = [...new Set([context, ...below, ...(extra[context] ?? [])])].map((c) => `scope:${c}`);
      if (layer)
        constraints.push({
          allSourceTags: [`scope:${context}`, `type:${layer}`],
          onlyDependOnLibsWithTags: allowed,
        });
      else if (split.has(context))
        for (const model of MODEL_LAYERS)
          constraints.push({
            allSourceTags: [`scope:${context}`, `type:${model}`],
            onlyDependOnLibsWithTags: allowed,
          });
      else constraints.push({ sourceTag: `scope:${context}`, onlyDependOnLibsWithTags: allowed });
    }
    for (const entry of row) below.push(entry.split(':')[0]);
  }
  return constraints;
}

/** The layer constraints: apps compose features, features use data and domain, domains stay pure. */
const LAYER_CONSTRAINTS = [
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
    onlyDependOnLibsWithTags: ['type:platform', 'type:adapter', 'type:data', 'type:domain', 'type:util'],
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
];

const moduleBoundaries = (extra) => [
  'error',
  {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: [...LAYER_CONSTRAINTS, ...contextConstraints(extra)],
  },
];

export default [
  {
    // Each project's package.json names exactly the packages its code imports (and no others).
    files: ['{libs,apps}/**/package.json', 'tests/package.json'],
    languageOptions: { parser: jsoncParser },
    rules: {
      '@nx/dependency-checks': [
        'error',
        {
          buildTargets: ['build'],
          checkMissingDependencies: true,
          checkObsoleteDependencies: true,
          checkVersionMismatches: false,
          includeTransitiveDependencies: false,
          ignoredFiles: ['{projectRoot}/**/*.spec.ts'],
        },
      ],
    },
  },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  prettier,
  {
    ignores: ['**/dist', '**/node_modules', '**/generated', '.nx', 'coverage', '.data', 'jest.config.cjs'],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries(),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
];
