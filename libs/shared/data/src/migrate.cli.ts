import { createDatabase, migrate } from './migrate';

/**
 * `npm run db:migrate`: creates the database if needed and applies pending migrations.
 * A command-line edge, so it reads DATABASE_URL itself; the apps pass their parsed configuration instead.
 */
const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/ecc';

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const target = new URL(databaseUrl);
  const where = `${target.host}${target.pathname}`; // never print credentials
  if (await createDatabase(databaseUrl)) console.log(`created database ${where}`);
  const { applied } = await migrate(databaseUrl, (msg) => console.log(msg));
  console.log(`${where}: ${applied.length} migration(s) applied`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
