import { stopAllSpawned } from './test-app';

// A file whose setup failed half-way (a timeout in beforeAll) must not leave its API or worker running:
// jest would never exit, and the processes would hold the file's database.
afterAll(() => stopAllSpawned());
