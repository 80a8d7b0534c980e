// One jest run for the whole repository: unit specs beside the code in libs/ and apps/,
// integration and end-to-end specs under tests/ (real Postgres, Redis and S3).
process.env.TZ = 'UTC';

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const common = {
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
  // Workspace libs resolve to their TypeScript sources, as under `npm start`.
  testEnvironmentOptions: { customExportConditions: ['@ecc/source', 'node', 'require', 'default'] },
};

module.exports = {
  // A global option (jest ignores it inside a project): end-to-end files boot real processes.
  testTimeout: 60_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      roots: ['<rootDir>/libs', '<rootDir>/apps'],
      testMatch: ['**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      roots: ['<rootDir>/tests'],
      testMatch: ['**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/tests/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/tests/support/cleanup.ts'],
    },
  ],
};
