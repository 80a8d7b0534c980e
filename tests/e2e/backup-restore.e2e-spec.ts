import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { Client as Minio } from 'minio';
import { buildCase, type CaseFixture } from '../support/case-fixture';
import { dropDatabase } from '../support/database';
import { databaseUrl, e2eValue, TEST_POSTGRES_URL } from '../support/environment';
import {
  ADMIN,
  call,
  freePort,
  spawnApp,
  startTestStack,
  stopProcess,
  tokenFor,
  waitUntilReady,
  type TestApi,
  type TestStack,
} from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * Backup and restore, proven: a system with cases, audit events (sealed and checkpointed) and evidence objects is
 * backed up with `npm run backup`, restored with `npm run restore` into a fresh database and a fresh bucket, and
 * an API started on what was restored reads every case the same, verifies the audit chain and re-hashes every
 * evidence object intact.
 */
const root = resolve(__dirname, '../..');

/**
 * BACKUP_TOOLS_ROOT (optional): a folder laid out as the Docker image's runtime stage (docs/operations.md, "Not
 * verified here"); the tools then run as the image runs them, built JavaScript on the production dependencies.
 */
const builtTools = process.env['BACKUP_TOOLS_ROOT'];

function runTool(tool: 'backup' | 'restore', args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; output: string }>((done) => {
    const child = spawn(
      process.execPath,
      builtTools
        ? [`tools/backup/dist/${tool}.js`, ...args]
        : ['--conditions=@ecc/source', '-r', '@swc-node/register', `tools/backup/${tool}.ts`, ...args],
      {
        cwd: builtTools ?? root,
        env: { PATH: process.env['PATH'] ?? '', TZ: 'UTC', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => done({ code, output }));
  });
}

/** Presigned URLs name the host, the bucket and the time they were signed at: not part of what a case says. */
function withoutPresignedUrls(value: unknown): unknown {
  if (typeof value === 'string') return /X-Amz-Signature=/.test(value) ? '<presigned url>' : value;
  if (Array.isArray(value)) return value.map(withoutPresignedUrls);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutPresignedUrls(v)]));
  return value;
}

describe('backup and restore', () => {
  let stack: TestStack;
  let restored: TestApi;
  let restoredDb: string;
  let restoredBucket: string;
  let backupDir: string;
  let restoredApi: { child: ReturnType<typeof spawnApp>['child']; output: () => string } | undefined;
  const cases: CaseFixture[] = [];
  let minio: Minio;

  beforeAll(async () => {
    stack = await startTestStack('backup', {
      AUDIT_SEAL_INTERVAL_MS: '300',
      AUDIT_CHECKPOINT_INTERVAL_MS: '500',
    });
    const admin = await tokenFor(stack.api, ADMIN.username, ADMIN.password);
    cases.push(await buildCase(stack.api, admin, { prefix: 'BK1', plate: '湘F8B101' }));
    cases.push(await buildCase(stack.api, admin, { prefix: 'BK2', plate: '湘F8B102', until: 'executed' }));
    // Sealed and signed up to the head, as a running system is between two writes.
    await waitFor(
      'every audit event sealed and the head checkpointed',
      async () => {
        const { rows } = await stack.api.db.query<{
          unsealed: number;
          head: string | null;
          signed: string | null;
        }>(
          `SELECT (SELECT count(*)::int FROM audit_events WHERE chain_seq IS NULL) AS unsealed,
                  (SELECT max(chain_seq)::text FROM audit_events) AS head,
                  (SELECT max(chain_seq)::text FROM audit_checkpoints) AS signed`,
        );
        const r = rows[0]!;
        return r.unsealed === 0 && r.head !== null && r.head === r.signed;
      },
      { timeoutMs: 30_000, output: stack.worker.output },
    );
    const endpoint = new URL(stack.api.env['S3_ENDPOINT']!);
    minio = new Minio({
      endPoint: endpoint.hostname,
      port: Number(endpoint.port),
      useSSL: false,
      accessKey: 'S3RVER',
      secretKey: 'S3RVER',
      region: 'us-east-1',
    });
    backupDir = mkdtempSync(join(tmpdir(), 'ecc-backup-'));
  }, 300_000);

  afterAll(async () => {
    if (restoredApi) await stopProcess(restoredApi.child);
    await restored?.db.end();
    await stack?.close();
    if (restoredDb) await dropDatabase(restoredDb);
    if (backupDir) rmSync(backupDir, { recursive: true, force: true });
  });

  it('backs up the database and the bucket with a manifest of hashes', async () => {
    const result = await runTool('backup', ['--out', backupDir], stack.api.env);
    expect(result).toMatchObject({ code: 0 });
    const manifest = JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8'));
    expect(manifest.database.counts).toMatchObject({
      cases: expect.any(Number),
      evidenceObjects: expect.any(Number),
    });
    expect(manifest.database.counts.cases).toBeGreaterThanOrEqual(2);
    expect(manifest.database.counts.auditCheckpoints).toBeGreaterThan(0);
    expect(manifest.database.auditHead).not.toBeNull();
    const keys = manifest.objects.items.map((i: { key: string }) => i.key);
    expect(keys.some((k: string) => k.startsWith('evidence/'))).toBe(true);
    // nothing of the keys went into the backup
    const text = readFileSync(join(backupDir, 'manifest.json'), 'utf8');
    for (const secret of ['AUDIT_SIGNING_KEY', 'SECRETS_KEY', 'JWT_SECRET'])
      expect(text).not.toContain(stack.api.env[secret]!);
  }, 120_000);

  it('refuses a tampered backup and a target that is not fresh, writing nothing', async () => {
    const tamperedDir = mkdtempSync(join(tmpdir(), 'ecc-backup-tampered-'));
    try {
      const manifest = JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8'));
      manifest.database.sha256 = '0'.repeat(64);
      writeFileSync(join(tamperedDir, 'manifest.json'), JSON.stringify(manifest));
      writeFileSync(join(tamperedDir, 'database.dump'), readFileSync(join(backupDir, 'database.dump')));
      const env = { ...stack.api.env, EVIDENCE_BUCKET: `never-${randomBytes(3).toString('hex')}` };
      const tampered = await runTool('restore', ['--from', tamperedDir], env);
      expect(tampered.code).toBe(1);
      expect(tampered.output).toMatch(/does not match its sha256/);
      expect(await minio.bucketExists(env.EVIDENCE_BUCKET)).toBe(false);
    } finally {
      rmSync(tamperedDir, { recursive: true, force: true });
    }
    // the live database has tables: refused before a byte is written
    const live = await runTool('restore', ['--from', backupDir], {
      ...stack.api.env,
      EVIDENCE_BUCKET: `never-${randomBytes(3).toString('hex')}`,
    });
    expect(live.code).toBe(1);
    expect(live.output).toMatch(/restore into a fresh database/);
  }, 120_000);

  it('restores into a fresh database and bucket, and verifies the evidence', async () => {
    const name = `ecc_e2e_${e2eValue('runId')}_restored_${randomBytes(3).toString('hex')}`;
    const pg = new Client({ connectionString: TEST_POSTGRES_URL });
    await pg.connect();
    await pg.query(`CREATE DATABASE "${name}"`);
    await pg.end();
    restoredDb = databaseUrl(name);
    restoredBucket = `restored-${randomBytes(4).toString('hex')}`;
    const env = { ...stack.api.env, DATABASE_URL: restoredDb, EVIDENCE_BUCKET: restoredBucket };
    const result = await runTool('restore', ['--from', backupDir], env);
    expect(result.output).toMatch(/restore verified: \d+ cases/);
    expect(result.code).toBe(0);

    const port = await freePort();
    const appEnv = {
      ...env,
      PORT: String(port),
      QUEUE_PREFIX: `ecc-e2e-${e2eValue('runId')}-restored-${randomBytes(3).toString('hex')}`.slice(0, 32),
    };
    restoredApi = spawnApp('api', appEnv);
    const url = `http://127.0.0.1:${port}`;
    await waitUntilReady(url, restoredApi.child, restoredApi.output);
    const db = new Client({ connectionString: restoredDb });
    await db.connect();
    restored = { env: appEnv, url, db, output: restoredApi.output, close: async () => undefined };
  }, 180_000);

  it('reads every case the same through the API', async () => {
    const { rows } = await stack.api.db.query<{ id: string }>('SELECT id FROM cases ORDER BY id');
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const officer = cases[0]!.tokens.o1;
    for (const { id } of rows) {
      for (const path of [`/api/v1/cases/${id}`, `/api/v1/cases/${id}/trace`]) {
        const before = await call(stack.api, 'GET', path, { token: officer });
        const after = await call(restored, 'GET', path, { token: officer });
        expect(before.status).toBe(200);
        expect(after.status).toBe(200);
        expect(withoutPresignedUrls(after.body)).toEqual(withoutPresignedUrls(before.body));
      }
    }
  });

  it('verifies the audit chain and its signed checkpoints on the restored system', async () => {
    const auditor = cases[0]!.tokens.auditor;
    const verification = await call(restored, 'GET', '/api/v1/audit/verify', { token: auditor });
    expect(verification.status).toBe(200);
    const manifest = JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8'));
    expect(verification.body).toMatchObject({
      ok: true,
      checked: Number(manifest.database.auditHead.chainSeq),
      head: { chainSeq: manifest.database.auditHead.chainSeq },
      checkpointsFailed: 0,
    });
    expect(verification.body.checkpointsChecked).toBeGreaterThan(0);
  });

  it('needs the signing key kept apart: with another key the checkpoints do not verify', async () => {
    const port = await freePort();
    const other = spawnApp('api', {
      ...restored.env,
      PORT: String(port),
      AUDIT_SIGNING_KEY: randomBytes(32).toString('hex'),
    });
    try {
      const url = `http://127.0.0.1:${port}`;
      await waitUntilReady(url, other.child, other.output);
      const verification = await call({ ...restored, url }, 'GET', '/api/v1/audit/verify', {
        token: cases[0]!.tokens.auditor,
      });
      expect(verification.status).toBe(200);
      expect(verification.body.ok).toBe(false);
      expect(verification.body.checkpointsFailed).toBeGreaterThan(0);
    } finally {
      await stopProcess(other.child);
    }
  }, 60_000);

  it('re-hashes every evidence object intact from the fresh bucket', async () => {
    const { rows } = await restored.db.query<{ key: string; sha256: string }>(
      'SELECT DISTINCT key, sha256 FROM evidence_objects',
    );
    expect(rows.length).toBeGreaterThanOrEqual(6);
    for (const row of rows) {
      const stream = await minio.getObject(restoredBucket, row.key);
      const hash = createHash('sha256');
      for await (const chunk of stream) hash.update(chunk as Buffer);
      expect(hash.digest('hex')).toBe(row.sha256);
    }
    // and through the API, as an officer would check a case's evidence
    for (const fx of cases) {
      const check = await call(restored, 'GET', `/api/v1/cases/${fx.caseId}/evidence/integrity`, {
        token: fx.tokens.o1,
      });
      expect(check.status).toBe(200);
      expect(JSON.stringify(check.body)).not.toMatch(/mismatch|missing/);
      expect(JSON.stringify(check.body)).toMatch(/intact/);
    }
  });
});
