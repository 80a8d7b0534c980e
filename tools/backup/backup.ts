import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '@ecc/shared-config';
import {
  argument,
  COUNTS_SQL,
  libpqConnection,
  log,
  run,
  safeObjectKey,
  sha256OfFile,
  storageClient,
  type BackupManifest,
  type Counts,
} from './backup-support';

/**
 * `npm run backup -- --out <empty folder>`: the database (pg_dump, custom format: one consistent snapshot) and
 * then every object of the evidence bucket (evidence, documents, signed audit checkpoints), each with its
 * sha256, and a manifest written last. The dump comes first: every object a row of the dump refers to was
 * stored before that row committed, so it is in the bucket when the mirror reads it. No key is written into the
 * backup (docs/operations.md: the keys are kept apart).
 */
async function main(): Promise<void> {
  const out = argument(process.argv.slice(2), 'out');
  if (!out) throw new Error('usage: npm run backup -- --out <empty folder>');
  const folder = resolve(out);
  mkdirSync(folder, { recursive: true });
  if (readdirSync(folder).length > 0)
    throw new Error(`${folder} is not empty: a backup goes into a folder of its own`);
  const config = loadConfig(process.env);

  const pg = new Client({ connectionString: config.database.url });
  await pg.connect();
  let counts: Counts;
  let auditHead: BackupManifest['database']['auditHead'];
  let lastMigration: string | null;
  try {
    counts = (await pg.query<Counts>(COUNTS_SQL)).rows[0]!;
    const head = await pg.query<{ chainSeq: string; hash: string }>(
      `SELECT chain_seq::text AS "chainSeq", hash FROM audit_events WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1`,
    );
    auditHead = head.rows[0] ?? null;
    const migration = await pg.query<{ name: string }>(
      `SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name DESC LIMIT 1`,
    );
    lastMigration = migration.rows[0]?.name ?? null;
  } finally {
    await pg.end();
  }

  const dumpPath = join(folder, 'database.dump');
  const connection = libpqConnection(config.database.url);
  log(`dumping the database into ${dumpPath}`);
  await run(
    'pg_dump',
    ['--format=custom', '--no-owner', '--no-privileges', `--file=${dumpPath}`, `--dbname=${connection.url}`],
    connection.env,
  );
  const dump = await sha256OfFile(dumpPath);

  const s3 = storageClient(config);
  const bucket = config.storage.evidenceBucket;
  const items: BackupManifest['objects']['items'] = [];
  log(`mirroring bucket ${bucket}`);
  for await (const entry of s3.listObjectsV2(bucket, '', true)) {
    const key = safeObjectKey((entry as { name: string }).name);
    const path = join(folder, 'objects', key);
    mkdirSync(dirname(path), { recursive: true });
    await s3.fGetObject(bucket, key, path);
    const stat = await s3.statObject(bucket, key);
    const { sha256, sizeBytes } = await sha256OfFile(path);
    const contentType = String(stat.metaData['content-type'] ?? 'application/octet-stream');
    items.push({ key, sha256, sizeBytes, contentType });
  }

  const manifest: BackupManifest = {
    format: 'ecc-backup/1',
    createdAt: new Date().toISOString(),
    database: {
      file: 'database.dump',
      sha256: dump.sha256,
      sizeBytes: statSync(dumpPath).size,
      lastMigration,
      counts,
      auditHead,
    },
    objects: {
      bucket,
      count: items.length,
      totalBytes: items.reduce((sum, item) => sum + item.sizeBytes, 0),
      items,
    },
  };
  writeFileSync(join(folder, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  log(
    `backup complete: ${counts.cases} cases, ${counts.auditEvents} audit events, ${items.length} objects ` +
      `(${manifest.objects.totalBytes} bytes), audit head ${auditHead ? `#${auditHead.chainSeq}` : 'none'}`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`backup failed: ${(error as Error).message ?? error}\n`);
  process.exit(1);
});
