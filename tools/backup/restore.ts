import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '@ecc/shared-config';
import {
  argument,
  COUNTS_SQL,
  libpqConnection,
  log,
  run,
  safeObjectKey,
  sha256Of,
  sha256OfFile,
  storageClient,
  type BackupManifest,
  type Counts,
} from './backup-support';

/**
 * `npm run restore -- --from <backup folder>`: into a fresh database (DATABASE_URL, no table in it) and a
 * fresh bucket (EVIDENCE_BUCKET, made if missing, refused if it holds anything). In this order:
 * 1. the backup is checked whole (the dump's and every object's sha256 against the manifest) before anything
 *    is written; 2. the database is restored in one transaction (pg_restore --single-transaction); 3. the
 * objects are uploaded; 4. what was restored is verified: the row counts, every evidence object re-hashed
 * from the bucket against the sha256 its row records, every audit checkpoint's object present.
 * The audit chain itself is verified by the API (GET /api/v1/audit/verify) once it runs with the same
 * AUDIT_SIGNING_KEY (or AUDIT_RETIRED_PUBLIC_KEYS) — see docs/operations.md.
 */
async function main(): Promise<void> {
  const from = argument(process.argv.slice(2), 'from');
  if (!from) throw new Error('usage: npm run restore -- --from <backup folder>');
  const folder = resolve(from);
  const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as BackupManifest;
  if (manifest.format !== 'ecc-backup/1') throw new Error(`unknown backup format ${String(manifest.format)}`);
  const config = loadConfig(process.env);

  log('checking the backup against its manifest');
  const dumpPath = join(folder, manifest.database.file);
  if ((await sha256OfFile(dumpPath)).sha256 !== manifest.database.sha256) {
    throw new Error('the database dump does not match its sha256 in the manifest: nothing was restored');
  }
  for (const item of manifest.objects.items) {
    const actual = await sha256OfFile(join(folder, 'objects', safeObjectKey(item.key)));
    if (actual.sha256 !== item.sha256 || actual.sizeBytes !== item.sizeBytes) {
      throw new Error(`object ${item.key} does not match the manifest: nothing was restored`);
    }
  }

  const pg = new Client({ connectionString: config.database.url });
  await pg.connect();
  const s3 = storageClient(config);
  const bucket = config.storage.evidenceBucket;
  try {
    const tables = await pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
    );
    if (tables.rows[0]!.n > 0)
      throw new Error('the target database has tables: restore into a fresh database');
    if (await s3.bucketExists(bucket)) {
      for await (const entry of s3.listObjectsV2(bucket, '', true)) {
        throw new Error(
          `bucket ${bucket} holds objects (${(entry as { name: string }).name}): restore into a fresh bucket`,
        );
      }
    } else {
      await s3.makeBucket(bucket, config.storage.region);
    }

    log('restoring the database');
    const connection = libpqConnection(config.database.url);
    await run(
      'pg_restore',
      [
        '--no-owner',
        '--no-privileges',
        '--exit-on-error',
        '--single-transaction',
        `--dbname=${connection.url}`,
        dumpPath,
      ],
      connection.env,
    );

    log(`uploading ${manifest.objects.count} objects into bucket ${bucket}`);
    for (const item of manifest.objects.items) {
      await s3.fPutObject(bucket, item.key, join(folder, 'objects', item.key), {
        'Content-Type': item.contentType,
      });
    }

    log('verifying what was restored');
    const problems: string[] = [];
    const counts = (await pg.query<Counts>(COUNTS_SQL)).rows[0]!;
    for (const [name, expected] of Object.entries(manifest.database.counts)) {
      const actual = counts[name as keyof Counts];
      if (actual !== expected) problems.push(`${name}: ${actual} restored, ${expected} backed up`);
    }
    const evidence = await pg.query<{ key: string; sha256: string }>(
      `SELECT DISTINCT key, sha256 FROM evidence_objects ORDER BY key`,
    );
    for (const row of evidence.rows) {
      try {
        const { sha256 } = await sha256Of(await s3.getObject(bucket, row.key));
        if (sha256 !== row.sha256)
          problems.push(`evidence ${row.key}: re-hashes to ${sha256}, recorded ${row.sha256}`);
      } catch (error) {
        problems.push(`evidence ${row.key}: ${(error as Error).message}`);
      }
    }
    const checkpoints = await pg.query<{ objectKey: string }>(
      `SELECT object_key AS "objectKey" FROM audit_checkpoints`,
    );
    for (const { objectKey } of checkpoints.rows) {
      await s3
        .statObject(bucket, objectKey)
        .catch(() => problems.push(`audit checkpoint ${objectKey}: missing`));
    }
    if (problems.length > 0) throw new Error(`the restore does not verify:\n  ${problems.join('\n  ')}`);
    log(
      `restore verified: ${counts.cases} cases, ${counts.auditEvents} audit events, ` +
        `${evidence.rows.length} evidence objects re-hashed intact, ${checkpoints.rows.length} audit checkpoints present; ` +
        `now start the API and verify the audit chain (GET /api/v1/audit/verify)`,
    );
  } finally {
    await pg.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`restore failed: ${(error as Error).message ?? error}\n`);
  process.exit(1);
});
