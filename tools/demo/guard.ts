import { Client } from 'pg';

/** The demo will not go on; main prints the message as its one line and exits 1. */
export class DemoRefused extends Error {}

/** A host name of this machine (a URL's `hostname`: IPv6 in brackets). */
export const isLocalHost = (hostname: string): boolean =>
  ['localhost', '127.0.0.1', '::1', '[::1]'].includes(hostname);

/** Where a connection string points, without its password: for the one line of a refusal. */
export function databaseName(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.pathname.slice(1) || '(default)'} on ${url.host || '(local socket)'}`;
  } catch {
    throw new DemoRefused('DATABASE_URL is not a postgresql:// connection string');
  }
}

function isLocal(databaseUrl: string): boolean {
  const url = new URL(databaseUrl);
  const socket = new URLSearchParams(url.search).get('host');
  return url.hostname === '' ? !socket || socket.startsWith('/') : isLocalHost(url.hostname);
}

/** A read-only session: the guard's own queries cannot change the database they look at. */
async function readOnly<T>(databaseUrl: string, read: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: databaseUrl, options: '-c default_transaction_read_only=on' });
  await db.connect();
  try {
    return await read(db);
  } finally {
    await db.end();
  }
}

/**
 * The demo starts `npm start`'s stack on DATABASE_URL, which migrates it and fills it with a made-up county:
 * only on this machine, and only on a database that is absent (the stack creates it), empty, or already this
 * system's (its migrations are recorded) — never on another application's.
 */
export async function refuseStackDatabase(databaseUrl: string): Promise<void> {
  const name = databaseName(databaseUrl);
  if (!isLocal(databaseUrl)) {
    throw new DemoRefused(
      `DATABASE_URL names ${name}: the demo starts a stack only on a database of this machine`,
    );
  }
  const found = await readOnly<string[]>(databaseUrl, async (db) => {
    const tables = await db.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    return tables.rows.map((r) => r.name);
  }).catch((error: { code?: string; message: string }): string[] => {
    if (error.code === '3D000') return []; // no such database: the stack creates it
    throw new DemoRefused(`DATABASE_URL (${name}): ${error.message}`);
  });
  if (found.length > 0 && !found.includes('_prisma_migrations')) {
    throw new DemoRefused(
      `DATABASE_URL names ${name}, which holds tables of something else (${found.slice(0, 3).join(', ')}): the demo fills only this system's development database`,
    );
  }
}

/**
 * The one step outside the API (fence.ts) writes to DATABASE_URL: before anything is written, the signed-in
 * admin must be a user of that database, which proves it is the API's own (the user id is the API's).
 */
export async function refuseForeignDatabase(
  databaseUrl: string,
  apiUrl: string,
  admin: { id: string; username: string },
): Promise<void> {
  const name = databaseName(databaseUrl);
  const refusal = `DATABASE_URL names ${name}, which is not the database of the API at ${apiUrl}`;
  const found = await readOnly(databaseUrl, (db) =>
    db.query('SELECT 1 FROM users WHERE id = $1 AND username = $2', [admin.id, admin.username]),
  ).catch((error: Error) => {
    throw new DemoRefused(`${refusal} (${error.message})`);
  });
  if (found.rowCount !== 1) throw new DemoRefused(`${refusal} (its admin ${admin.username} is not there)`);
}
