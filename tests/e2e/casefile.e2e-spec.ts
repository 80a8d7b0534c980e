import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client as Minio } from 'minio';
import { buildCase, type CaseFixture } from '../support/case-fixture';
import { unpackCaseFileExport } from '../support/case-file-export';
import { s3ClientOf } from '../support/s3-client';
import {
  ADMIN,
  call,
  freePort,
  spawnApp,
  startTestStack,
  stopProcess,
  tokenFor,
  type TestApi,
  type TestStack,
} from '../support/test-app';

/**
 * Issue 6, second part: the case trace, evidence integrity (per case and the worker's scheduled sample) and
 * the case-file export, against the real API and worker, Postgres and the S3 server. A case is built through
 * the HTTP flow (tests/support/case-fixture.ts); evidence is then replaced or removed behind the system's back
 * with an S3 client, as an attacker or a failing disk would.
 */

jest.setTimeout(180_000);

const sha = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

describe('case file: trace, evidence integrity, export', () => {
  let stack: TestStack;
  let api: TestApi;
  let admin: string;
  let minio: Minio;
  let bucket: string;
  let fx: CaseFixture;
  let dir: string;
  /** evidence_objects of the case's detection, by the photo kind sent. */
  const evidence: Record<string, { id: string; key: string; sha256: string }> = {};

  const get = (path: string, token = fx.tokens.auditor) => call(api, 'GET', path, { token });
  const alertCount = async () =>
    (
      await api.db.query<{ user_id: string; n: number }>(
        `SELECT user_id::text, count(*)::int AS n FROM staff_alerts
         WHERE kind = 'evidence_integrity_mismatch' GROUP BY user_id`,
      )
    ).rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.user_id]: r.n }), {});
  const integrityEvents = async () =>
    (
      await api.db.query<{ entity_id: string; actor_kind: string; actor_id: string | null; payload: any }>(
        `SELECT entity_id, actor_kind::text, actor_id::text, payload FROM audit_events
         WHERE action = 'evidence.integrity_changed' ORDER BY id`,
      )
    ).rows;
  const rowsOfKey = async (key: string) =>
    (
      await api.db.query<{
        id: string;
        integrity_status: string;
        observed_sha256: string | null;
        last_verified_at: Date;
      }>(
        `SELECT id, integrity_status::text, observed_sha256, last_verified_at FROM evidence_objects WHERE key = $1 ORDER BY id`,
        [key],
      )
    ).rows;

  beforeAll(async () => {
    // The scheduled sample runs at the worker's start (no evidence yet) and then not for an hour: the
    // per-case check is tested alone; a second worker with a short interval tests the sample below.
    // The audit sealer, likewise, runs once at start only: the test seals the case's events itself (below).
    stack = await startTestStack('casefile', {
      EVIDENCE_CHECK_INTERVAL_MS: '3600000',
      AUDIT_SEAL_INTERVAL_MS: '3600000',
    });
    api = stack.api;
    admin = await tokenFor(api, ADMIN.username, ADMIN.password);
    ({ minio, bucket } = s3ClientOf(api));
    fx = await buildCase(api, admin, { prefix: 'CF', plate: '湘F7C201' });
    for (const [kind, bytes] of Object.entries(fx.photos)) {
      const { rows } = await api.db.query<{ id: string; key: string; sha256: string }>(
        'SELECT id, key, sha256 FROM evidence_objects WHERE detection_id = $1 AND sha256 = $2',
        [fx.detectionId, sha(bytes)],
      );
      expect(rows).toHaveLength(1);
      evidence[kind] = rows[0]!;
    }
    dir = mkdtempSync(join(tmpdir(), 'casefile-e2e-'));
  }, 180_000);

  afterAll(async () => {
    const output = stack ? `${stack.worker.output()}${stack.api.output()}` : '';
    await stack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    expect(output).not.toMatch(/"level":(50|60)/);
  });

  it('answers 404 for an unknown case and 400 for a malformed id on all three routes', async () => {
    for (const route of ['trace', 'evidence/integrity', 'export']) {
      const missing = await get(`/api/v1/cases/${randomUUID()}/${route}`);
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(missing.body.code).toBe('case_not_found');
      const bad = await get(`/api/v1/cases/not-a-uuid/${route}`);
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].path).toBe('params.id');
    }
  });

  it('traces the case built over HTTP: its steps in order, with actors and audit references', async () => {
    const asked = new Date();
    const res = await get(`/api/v1/cases/${fx.caseId}/trace`);
    expect(res.status).toBe(200);
    const { entries } = res.body as { entries: any[] };
    expect(res.body.case).toMatchObject({ id: fx.caseId, state: 'closed', leadId: fx.leadId });
    expect(res.body.case.caseNumber).toMatch(/第\d{4}号/);

    const kinds = entries.map((e) => e.kind);
    const steps = [
      'detection.received',
      'detection.screened',
      'lead.created',
      'lead.confirmed',
      'case.created',
      'case.request_filing',
      'case.approve_filing',
      'case.record_investigation',
      'case.issue_pre_penalty_notice',
      'case.record_waiver',
      'case.submit_legal_review',
      'case.pass_legal_review',
      'case.approve_decision',
      'case.record_service',
      'case.record_payment',
      'case.close_case',
    ];
    const positions = steps.map((k) => kinds.indexOf(k));
    expect(positions.filter((p) => p < 0)).toEqual([]);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const times = entries.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    const byKind = (k: string) => entries.find((e) => e.kind === k);
    expect(byKind('detection.received').actor).toMatchObject({
      kind: 'station',
      stationCode: fx.station.code,
    });
    expect(byKind('detection.screened').actor.kind).toBe('system');
    expect(byKind('lead.confirmed').actor).toMatchObject({
      kind: 'user',
      id: fx.userIds.o1,
      username: fx.usernames.o1,
    });
    const filing = byKind('case.approve_filing');
    expect(filing.actor).toMatchObject({
      kind: 'user',
      id: fx.userIds.approver,
      username: fx.usernames.approver,
    });
    expect(filing.entity).toEqual({ type: 'case', id: fx.caseId });
    // Case actions are titled by their declarations (the same titles as the API document and the timeline).
    expect(filing.summary).toBe('批准立案');
    expect(byKind('case.record_waiver').summary).toBe('记录书面放弃');
    expect(byKind('lead.confirmed').summary).toBe('线索审核：确认');
    expect(filing.details.records.approval).toEqual([
      expect.objectContaining({ stage: 'filing', outcome: 'approved', approverId: fx.userIds.approver }),
    ]);
    expect(filing.details.records.documents.map((d: any) => d.kind)).toContain('filing_approval');
    expect(byKind('case.pass_legal_review').actor.username).toBe(fx.usernames.reviewer);
    expect(byKind('case.pass_legal_review').details.records.legalReview[0]).toMatchObject({
      outcome: 'passed',
    });
    expect(byKind('case.record_payment').details.records.payment).toHaveLength(1);
    expect(byKind('case.approve_decision').details.records.decision).toHaveLength(1);

    // Each step's audit reference is the audit_events row itself (hash and chainSeq as the chain has them).
    for (const entry of entries.filter((e) => e.audit)) {
      const { rows } = await api.db.query(
        `SELECT action, entity_type, entity_id, digest, chain_seq::text, hash, occurred_at FROM audit_events WHERE id = $1`,
        [entry.audit.eventId],
      );
      expect(rows[0]).toMatchObject({
        action: entry.kind,
        entity_type: entry.entity.type,
        entity_id: entry.entity.id,
        digest: entry.audit.digest,
        chain_seq: entry.audit.chainSeq,
        hash: entry.audit.hash,
      });
      expect(new Date(rows[0].occurred_at).toISOString()).toBe(entry.at);
    }
    // Every audited step of the case and its lead is in the trace; the auditor's own audited reads of the
    // case (accesses, not changes) are not.
    const { rows: all } = await api.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE occurred_at < $4 AND action <> 'personal_data.read'
         AND ((entity_type = 'case' AND entity_id = $1)
         OR (entity_type = 'lead' AND entity_id = $2) OR (entity_type = 'detection' AND entity_id = $3))`,
      [fx.caseId, fx.leadId, fx.detectionId, asked],
    );
    const { rows: reads } = await api.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events
        WHERE action = 'personal_data.read' AND entity_type = 'case' AND entity_id = $1`,
      [fx.caseId],
    );
    expect(reads[0]!.n).toBeGreaterThan(0);
    expect(kinds).not.toContain('personal_data.read');
    const mine = entries.filter(
      (e) => e.audit && [fx.caseId, fx.leadId, fx.detectionId].includes(e.entity.id),
    ).length;
    expect(mine).toBe(all[0]!.n);

    // The lead's SMS notice and its delivery attempts are there (sent by the worker after the review).
    expect(entries.some((e) => e.entity.type === 'notice')).toBe(true);

    expect(res.body.evidence).toHaveLength(3);
    for (const item of res.body.evidence) {
      expect(item).toMatchObject({
        integrityStatus: 'unverified',
        lastVerifiedAt: null,
        detectionId: fx.detectionId,
      });
    }
  });

  it('prints the evidence kinds in Chinese in the documents, never as internal codes', async () => {
    const { rows } = await api.db.query<{ kind: string; content_text: string }>(
      `SELECT d.kind::text, v.content_text FROM case_document_versions v JOIN case_documents d ON d.id = v.document_id
       WHERE d.case_id = $1 AND v.version = d.current_version AND d.kind IN ('evidence_list', 'decision')`,
      [fx.caseId],
    );
    expect(rows.map((r) => r.kind).sort()).toEqual(['decision', 'evidence_list']);
    for (const { content_text: text } of rows) {
      for (const name of ['车头号牌照片', '车尾号牌照片', '车身侧面照片']) expect(text).toContain(name);
      expect(text).not.toMatch(/plate_front|plate_rear|\bside\b|document_scan/);
    }
  });

  it('reports null hashes before sealing and the chain values after', async () => {
    // Nothing of the case is sealed yet (the sealer ran only at start): the trace says so.
    const before = await get(`/api/v1/cases/${fx.caseId}/trace`);
    expect(before.body.audit.lastSealed).toBeNull();
    expect(before.body.entries.filter((e: any) => e.audit).every((e: any) => e.audit.hash === null)).toBe(
      true,
    );
    // Seal the pending events as the worker's sealer does (chain positions after the head, a hash each; the
    // values are the test's own: what is checked is that the trace and export report what the chain holds).
    await api.db.query(
      `UPDATE audit_events a SET chain_seq = s.seq, hash = encode(sha256(convert_to(a.id::text || a.digest, 'UTF8')), 'hex')
       FROM (SELECT id, (SELECT coalesce(max(chain_seq), 0) FROM audit_events) + row_number() OVER (ORDER BY id) AS seq
             FROM audit_events WHERE chain_seq IS NULL) s
       WHERE s.id = a.id`,
    );
    const res = await get(`/api/v1/cases/${fx.caseId}/trace`);
    const last = res.body.audit.lastSealed;
    expect(last).not.toBeNull();
    const { rows } = await api.db.query(`SELECT chain_seq::text, hash FROM audit_events WHERE id = $1`, [
      last.eventId,
    ]);
    expect(rows[0]).toEqual({ chain_seq: last.chainSeq, hash: last.hash });
    expect(res.body.audit.sealed).toBeGreaterThan(0);
  });

  it('re-hashes the evidence per case: intact, then a replaced object is a mismatch on every row of its key, alerted once', async () => {
    // Another evidence row shares the front photo's key (content-addressed: the same bytes attached to the case).
    const front = evidence['plate_front']!;
    const { rows: shared } = await api.db.query<{ id: string }>(
      `INSERT INTO evidence_objects (id, bucket, key, sha256, size_bytes, content_type, kind, case_id)
       SELECT gen_random_uuid(), bucket, key, sha256, size_bytes, content_type, 'document_scan', $2
       FROM evidence_objects WHERE id = $1 RETURNING id::text`,
      [front.id, fx.caseId],
    );
    const first = await get(`/api/v1/cases/${fx.caseId}/evidence/integrity`);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(4);
    for (const item of first.body.items) {
      expect(item).toMatchObject({ status: 'intact', checkedAt: expect.any(String) });
      expect(item.observedSha256).toBeUndefined();
    }
    expect((await rowsOfKey(front.key)).map((r) => r.integrity_status)).toEqual(['intact', 'intact']);
    // Four rows went unverified → intact: four events, by the system, none alerted.
    let events = await integrityEvents();
    expect(events).toHaveLength(4);
    for (const e of events) {
      expect(e).toMatchObject({ actor_kind: 'system', actor_id: null });
      expect(e.payload).toMatchObject({
        integrityStatus: { before: 'unverified', after: 'intact' },
        trigger: 'case_check',
      });
    }
    expect(await alertCount()).toEqual({});

    // Different bytes at the same key, written behind the system's back.
    const forged = Buffer.from('a forged photograph');
    await minio.putObject(bucket, front.key, forged, forged.length, { 'Content-Type': 'image/jpeg' });
    const second = await get(`/api/v1/cases/${fx.caseId}/evidence/integrity`);
    expect(second.status).toBe(200);
    const damaged = second.body.items.filter((i: any) => i.status !== 'intact');
    expect(damaged.map((i: any) => i.id).sort()).toEqual([front.id, shared[0]!.id].sort());
    for (const item of damaged) {
      expect(item).toMatchObject({
        status: 'mismatch',
        key: front.key,
        sha256: front.sha256,
        observedSha256: sha(forged),
      });
    }
    for (const row of await rowsOfKey(front.key)) {
      expect(row).toMatchObject({ integrity_status: 'mismatch', observed_sha256: sha(forged) });
    }
    events = await integrityEvents();
    expect(events.slice(4).map((e) => [e.entity_id, e.payload.integrityStatus])).toEqual(
      expect.arrayContaining([
        [front.id, { before: 'intact', after: 'mismatch' }],
        [shared[0]!.id, { before: 'intact', after: 'mismatch' }],
      ]),
    );
    expect(events).toHaveLength(6);
    // Alerted: the active admin and auditor, and the case's two officers — one alert for the damaged key each,
    // naming both of its rows; not the approver nor the legal reviewer.
    const alerts = await alertCount();
    const { rows: adminRow } = await api.db.query<{ id: string }>(
      `SELECT id::text FROM users WHERE username = $1`,
      [ADMIN.username],
    );
    expect(alerts).toEqual({
      [adminRow[0]!.id]: 1,
      [fx.userIds.auditor]: 1,
      [fx.userIds.o1]: 1,
      [fx.userIds.o2]: 1,
    });
    const mine = await get('/api/v1/me/alerts', fx.tokens.o1);
    expect(mine.body.items ?? mine.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'evidence_integrity_mismatch', caseId: fx.caseId }),
      ]),
    );

    // A second check sees the same damage: marked again (last_verified_at moves), no new event, no new alert.
    const before = await rowsOfKey(front.key);
    const third = await get(`/api/v1/cases/${fx.caseId}/evidence/integrity`);
    expect(third.body.items.filter((i: any) => i.status === 'mismatch')).toHaveLength(2);
    expect(await integrityEvents()).toHaveLength(6);
    expect(await alertCount()).toEqual(alerts);
    const after = await rowsOfKey(front.key);
    expect(after[0]!.last_verified_at.getTime()).toBeGreaterThan(before[0]!.last_verified_at.getTime());

    // The trace shows the stored marks (no re-hash there).
    const trace = await get(`/api/v1/cases/${fx.caseId}/trace`);
    const marks = Object.fromEntries(trace.body.evidence.map((e: any) => [e.id, e.integrityStatus]));
    expect(marks[front.id]).toBe('mismatch');
    expect(marks[evidence['side']!.id]).toBe('intact');
    expect(trace.body.entries.filter((e: any) => e.kind === 'evidence.integrity_changed').length).toBe(6);
  });

  it('exports the case file as a streamed zip: catalogue order, manifest hashes of the files inside, mismatch marked', async () => {
    const response = await fetch(`${api.url}/api/v1/cases/${fx.caseId}/export`, {
      headers: { authorization: `Bearer ${fx.tokens.auditor}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-length')).toBeNull(); // streamed, not built first
    const disposition = response.headers.get('content-disposition')!;
    const { rows: caseRow } = await api.db.query<{ case_number: string }>(
      'SELECT case_number FROM cases WHERE id = $1',
      [fx.caseId],
    );
    expect(disposition).toMatch(/^attachment; filename="[ -~]+"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toBe(`案卷-${caseRow[0]!.case_number}.zip`);
    // Extracted, and verified offline as README.txt says.
    const { zipPath, out, manifest } = unpackCaseFileExport(dir, Buffer.from(await response.arrayBuffer()));
    expect(execFileSync('unzip', ['-t', zipPath], { encoding: 'utf8' })).toMatch(/No errors detected/);
    const names: string[] = JSON.parse(
      execFileSync(
        'python3',
        [
          '-c',
          'import sys, json, zipfile; print(json.dumps(zipfile.ZipFile(sys.argv[1]).namelist()))',
          zipPath,
        ],
        {
          encoding: 'utf8',
        },
      ),
    );
    expect(manifest).toMatchObject({
      format: 'ecc-case-file/1',
      caseId: fx.caseId,
      caseNumber: caseRow[0]!.case_number,
    });
    expect(readFileSync(join(out, 'README.txt'), 'utf8')).toMatch(/sha256sum -c SHA256SUMS/);

    // Every entry: the file in the archive has the manifest's hash and size.
    expect(manifest.entries.map((e: any) => e.path)).toEqual(
      names.filter((n) => n !== 'manifest.json' && n !== 'SHA256SUMS'),
    );
    for (const entry of manifest.entries) {
      const bytes = readFileSync(join(out, entry.path));
      expect({ path: entry.path, sha256: sha(bytes), size: bytes.length }).toEqual(entry);
    }
    const sums = readFileSync(join(out, 'SHA256SUMS'), 'utf8').trim().split('\n');
    expect(sums.map((l) => l.split('  ')[1])).toEqual([
      ...manifest.entries.map((e: any) => e.path),
      'manifest.json',
    ]);

    // Documents in the order of the case-file catalogue (卷内目录), each current version as stored.
    const current = manifest.documents.filter((d: any) => d.current && d.format === 'text');
    const catalogue = [
      'filing_approval',
      'inquiry_record',
      'evidence_list',
      'pre_penalty_notice',
      'statement_record',
      'hearing_notice',
      'hearing_record',
      'legal_review_opinion',
      'decision',
      'proof_of_service',
      'payment_record',
      'closing_report',
      'home_authority_report',
    ];
    const order = current.map((d: any) => catalogue.indexOf(d.kind));
    expect(current.map((d: any) => d.kind).filter((k: string) => !catalogue.includes(k))).toEqual([]);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(current.map((d: any) => d.position)).toEqual(current.map((_d: any, i: number) => i + 1));
    for (const kind of [
      'filing_approval',
      'evidence_list',
      'pre_penalty_notice',
      'legal_review_opinion',
      'decision',
      'closing_report',
    ]) {
      expect(current.map((d: any) => d.kind)).toContain(kind);
    }
    const docPaths = names.filter((n) => n.startsWith('documents/') && !/\.v\d+\./.test(n));
    expect(docPaths[0]).toMatch(/^documents\/01-立案审批表/);
    for (const doc of current) {
      const { rows } = await api.db.query<{ content_text: string }>(
        `SELECT v.content_text FROM case_document_versions v JOIN case_documents d ON d.id = v.document_id
         WHERE d.id = $1 AND v.version = d.current_version`,
        [doc.documentId],
      );
      expect(readFileSync(join(out, doc.path), 'utf8')).toBe(rows[0]!.content_text);
    }

    // Evidence: the replaced object is exported with the bytes storage holds and marked mismatch.
    const front = evidence['plate_front']!;
    const items = Object.fromEntries(manifest.evidence.map((e: any) => [e.id, e]));
    expect(items[front.id]).toMatchObject({
      status: 'mismatch',
      recordedSha256: front.sha256,
      sha256: sha('a forged photograph'),
    });
    expect(readFileSync(join(out, items[front.id].path), 'utf8')).toBe('a forged photograph');
    for (const kind of ['plate_rear', 'side']) {
      const e = evidence[kind]!;
      expect(items[e.id]).toMatchObject({ status: 'intact', sha256: e.sha256 });
      expect(readFileSync(join(out, items[e.id].path))).toEqual(fx.photos[kind]);
    }

    // The audit hash of the case's last sealed event: an event of the case's trace, as the chain holds it.
    const trace = await get(`/api/v1/cases/${fx.caseId}/trace`);
    const traced = trace.body.entries.find((e: any) => e.audit?.eventId === manifest.audit.eventId);
    expect(traced.audit).toMatchObject({ chainSeq: manifest.audit.chainSeq, hash: manifest.audit.hash });
    const { rows: newer } = await api.db.query(
      `SELECT id FROM audit_events WHERE id = ANY($1::bigint[]) AND chain_seq > $2::bigint
         AND occurred_at < $3::timestamptz - interval '5 seconds'`,
      [
        trace.body.entries.filter((e: any) => e.audit).map((e: any) => e.audit.eventId),
        manifest.audit.chainSeq,
        manifest.exportedAt,
      ],
    );
    expect(newer).toEqual([]);

    // The export is an observation too: still mismatch, no new event or alert.
    expect(await integrityEvents()).toHaveLength(6);
  });

  it('the scheduled sample detects a replaced and a removed object, marks and alerts once', async () => {
    const rear = evidence['plate_rear']!;
    const side = evidence['side']!;
    const forged = Buffer.from('another forged photograph');
    await minio.putObject(bucket, rear.key, forged, forged.length, { 'Content-Type': 'image/jpeg' });
    await minio.removeObject(bucket, side.key);
    const alertsBefore = await alertCount();
    const eventsBefore = (await integrityEvents()).length;

    // A second worker with a short interval: its sample covers every key (there are four).
    const env = {
      ...api.env,
      WORKER_HEALTH_PORT: String(await freePort()),
      EVIDENCE_CHECK_INTERVAL_MS: '400',
      EVIDENCE_CHECK_SAMPLE_SIZE: '20',
    };
    const sampler = spawnApp('worker', env);
    try {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const [r, s] = [(await rowsOfKey(rear.key))[0]!, (await rowsOfKey(side.key))[0]!];
        if (r.integrity_status === 'mismatch' && s.integrity_status === 'missing') break;
        if (Date.now() > deadline)
          throw new Error(`sample did not mark the objects\n${sampler.output().slice(-3000)}`);
        await new Promise((res) => setTimeout(res, 200));
      }
      expect((await rowsOfKey(rear.key))[0]).toMatchObject({ observed_sha256: sha(forged) });
      expect((await rowsOfKey(side.key))[0]).toMatchObject({ observed_sha256: null });
      const events = (await integrityEvents()).slice(eventsBefore);
      expect(
        events.map((e) => [e.entity_id, e.payload.integrityStatus.after, e.payload.trigger]).sort(),
      ).toEqual(
        [
          [rear.id, 'mismatch', 'sample'],
          [side.id, 'missing', 'sample'],
        ].sort(),
      );
      // Let the sample run a few more times over the same damage: no new event, one alert per row each.
      const verified = (await rowsOfKey(side.key))[0]!.last_verified_at.getTime();
      const later = Date.now() + 15_000;
      while ((await rowsOfKey(side.key))[0]!.last_verified_at.getTime() <= verified + 800) {
        if (Date.now() > later) throw new Error('the sample did not run again');
        await new Promise((res) => setTimeout(res, 200));
      }
      expect((await integrityEvents()).length).toBe(eventsBefore + 2);
      const alerts = await alertCount();
      for (const [user, n] of Object.entries(alertsBefore)) expect(alerts[user]).toBe(n + 2);
    } finally {
      await stopProcess(sampler.child);
    }
    // The per-case check agrees.
    const check = await get(`/api/v1/cases/${fx.caseId}/evidence/integrity`);
    const statuses = Object.fromEntries(check.body.items.map((i: any) => [i.id, i.status]));
    expect(statuses[rear.id]).toBe('mismatch');
    expect(statuses[side.id]).toBe('missing');
  });
});
