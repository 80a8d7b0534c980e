import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { Client as Minio } from 'minio';
import type { AppConfig } from '@ecc/shared-config';

/** What a backup holds, written last (a folder without it is an unfinished backup). */
export interface BackupManifest {
  format: 'ecc-backup/1';
  createdAt: string;
  database: {
    file: 'database.dump';
    sha256: string;
    sizeBytes: number;
    /** The last migration applied: the restored database is at the same one. */
    lastMigration: string | null;
    counts: Counts;
    /** The head of the audit hash chain when the dump began. */
    auditHead: { chainSeq: string; hash: string } | null;
  };
  objects: {
    bucket: string;
    count: number;
    totalBytes: number;
    items: { key: string; sha256: string; sizeBytes: number; contentType: string }[];
  };
}

export interface Counts {
  cases: number;
  leads: number;
  detections: number;
  auditEvents: number;
  evidenceObjects: number;
  auditCheckpoints: number;
}

export const COUNTS_SQL = `SELECT
  (SELECT count(*) FROM cases)::int AS cases,
  (SELECT count(*) FROM leads)::int AS leads,
  (SELECT count(*) FROM detections)::int AS detections,
  (SELECT count(*) FROM audit_events)::int AS "auditEvents",
  (SELECT count(*) FROM evidence_objects)::int AS "evidenceObjects",
  (SELECT count(*) FROM audit_checkpoints)::int AS "auditCheckpoints"`;

/** Object keys become file paths under objects/: nothing may climb out of it. */
export function safeObjectKey(key: string): string {
  if (!/^[A-Za-z0-9._\-/]+$/.test(key) || key.split('/').some((part) => part === '..' || part === '')) {
    throw new Error(`object key ${JSON.stringify(key)} cannot be a file path of the backup`);
  }
  return key;
}

/** The S3 client of the configured store (the local development server when no endpoint is set). */
export function storageClient(config: AppConfig): Minio {
  const endpoint = new URL(config.storage.endpoint ?? `http://127.0.0.1:${config.storage.local.port}`);
  const useSSL = endpoint.protocol === 'https:';
  return new Minio({
    endPoint: endpoint.hostname,
    port: endpoint.port ? Number(endpoint.port) : useSSL ? 443 : 80,
    useSSL,
    accessKey: config.storage.accessKey,
    secretKey: config.storage.secretKey,
    region: config.storage.region,
    pathStyle: true,
  });
}

export async function sha256Of(stream: Readable): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    sizeBytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), sizeBytes };
}

export const sha256OfFile = (path: string) => sha256Of(createReadStream(path));

/**
 * The libpq connection of DATABASE_URL for pg_dump and pg_restore: the password goes by PGPASSWORD, not on a
 * command line every user of the machine can read; parameters libpq does not know are dropped.
 */
export function libpqConnection(databaseUrl: string): { url: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  for (const key of [...url.searchParams.keys()]) {
    if (!/^(ssl|application_name|connect_timeout|options)/.test(key)) url.searchParams.delete(key);
  }
  return {
    url: url.toString(),
    env: password ? { ...process.env, PGPASSWORD: password } : { ...process.env },
  };
}

/** Runs pg_dump or pg_restore; rejects with what it wrote to stderr. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${stderr.trim()}`)),
    );
  });
}

/** `--name value` arguments. */
export function argument(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

export const log = (message: string): void => void process.stdout.write(`${message}\n`);
