import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { get_dmmf } from '@prisma/prisma-schema-wasm';
import { Client } from 'pg';
import {
  createDatabase,
  dropDatabase,
  readDatabaseSnapshot,
  type DmmfDocument,
  type SchemaSnapshot,
} from '@ecc/shared-data';
import { databaseUrl } from './environment';

/** Helpers for tests that need a bare database of their own (not the run's migrated template). */

export const REPO_ROOT = resolve(__dirname, '../..');
export const SCHEMA_PATH = resolve(REPO_ROOT, 'prisma/schema.prisma');
export const MIGRATIONS_DIR = resolve(REPO_ROOT, 'prisma/migrations');

/** A fresh, empty database with a unique name; drop it with `dropDatabase(url)`. */
export async function createScratchDatabase(label: string): Promise<string> {
  const name = `ecc_test_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const url = databaseUrl(name);
  await createDatabase(url);
  return url;
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export const snapshotOf = (url: string): Promise<SchemaSnapshot> => withClient(url, readDatabaseSnapshot);

/** schema.prisma parsed the way Prisma parses it (the wasm build of its schema engine). */
export function loadSchemaDmmf(schemaText = readFileSync(SCHEMA_PATH, 'utf8')): DmmfDocument {
  return JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: schemaText }))) as DmmfDocument;
}

export { dropDatabase };
