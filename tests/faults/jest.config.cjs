// `npm run test:faults`: the fault suite alone (its own Postgres, Redis and S3 server; see tests/faults).
// The same transform as the repository's jest projects; a run of its own because it takes minutes.
const { resolve } = require('node:path');
const { projects } = require('../../jest.config.cjs');

const rootDir = resolve(__dirname, '../..');

module.exports = {
  rootDir,
  testTimeout: 180_000,
  projects: [
    {
      ...projects[0],
      rootDir,
      displayName: 'faults',
      roots: ['<rootDir>/tests/faults'],
      testMatch: ['**/*.fault-spec.ts'],
    },
  ],
};
