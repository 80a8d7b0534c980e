import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client as Minio } from 'minio';
import { verification } from '@ecc/documents-domain';
import { buildCase, type CaseFixture } from '../support/case-fixture';
import { unpackCaseFileExport } from '../support/case-file-export';
import { ensurePoppler, pageCountOf, poppler } from '../support/poppler';
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
import { waitFor } from '../support/wait-for';

/**
 * Issue #13, phase 2, through the real API and worker: a case built over HTTP has its documents printed by
 * the worker's job as the actions write them; each PDF is served with `?format=pdf` (per version too), is
 * the bytes whose sha256 the version records, reads as the document (poppler), comes back identical when
 * printed again, and its code is verified by the public route (superseded once a new version exists). The
 * export holds the PDFs and case-file.pdf; /case-file.pdf has the cover, the catalogue and every page.
 */

jest.setTimeout(240_000);

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const squeeze = (text: string) => text.replace(/\s+/g, '');
const AUTHORITY = '汨罗市交通运输局';
const BURST = 12;

interface VersionRow {
  id: string;
  document_id: string;
  kind: string;
  title: string;
  document_number: string;
  version: number;
  current_version: number;
  verification_code: string | null;
  pdf_sha256: string | null;
  pdf_pages: number | null;
}

describe('printed case documents through the API', () => {
  let stack: TestStack;
  let api: TestApi;
  let fx: CaseFixture;
  let minio: Minio;
  let bucket: string;
  let dir: string;
  let amountYuan: number;

  const versions = async () =>
    (
      await api.db.query<VersionRow>(
        `SELECT v.id, v.document_id, d.kind::text AS kind, d.title, d.document_number, v.version,
                d.current_version, v.verification_code, v.pdf_sha256, v.pdf_pages
         FROM case_document_versions v JOIN case_documents d ON d.id = v.document_id
         WHERE d.case_id = $1 ORDER BY d.created_at, v.version`,
        [fx.caseId],
      )
    ).rows;
  const fetchBytes = async (path: string, token = fx.tokens.auditor) => {
    const response = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { response, bytes: Buffer.from(await response.arrayBuffer()) };
  };
  const pdfOf = (r: VersionRow) =>
    fetchBytes(`/api/v1/cases/${fx.caseId}/documents/${r.document_id}?format=pdf&version=${r.version}`);
  const textOf = (bytes: Buffer, name: string) => {
    const file = join(dir, `${name}.pdf`);
    writeFileSync(file, bytes);
    return {
      file,
      text: poppler('pdftotext', ['-raw', file, '-']),
      pages: pageCountOf(file),
    };
  };
  const verify = (code: string) =>
    call(api, 'GET', `/api/v1/documents/verify?code=${encodeURIComponent(code)}`);

  beforeAll(async () => {
    ensurePoppler();
    // the worker's sweep of unprinted versions runs once an hour here: the jobs and on-demand printing are
    // tested alone, the sweep by a second worker below
    stack = await startTestStack('docpdf', {
      DOCUMENT_PRINT_SWEEP_INTERVAL_MS: '3600000',
      DOCUMENT_VERIFY_RATE_PER_MINUTE: '1',
      DOCUMENT_VERIFY_BURST: String(BURST),
    });
    api = stack.api;
    const admin = await tokenFor(api, ADMIN.username, ADMIN.password);
    fx = await buildCase(api, admin, { prefix: 'PD', plate: '湘F7P201', investigations: 2 });
    amountYuan = (await call(api, 'GET', `/api/v1/cases/${fx.caseId}`, { token: fx.tokens.o1 })).body
      .proposedPenalty?.amountYuan;
    ({ minio, bucket } = s3ClientOf(api));
    dir = mkdtempSync(join(tmpdir(), 'docpdf-e2e-'));
  }, 240_000);

  afterAll(async () => {
    const output = stack ? `${stack.worker.output()}${stack.api.output()}` : '';
    await stack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    expect(output).not.toMatch(/"level":(50|60)/);
  });

  it('prints every version in the worker as the actions write them, and records its PDF', async () => {
    const printed = await waitFor(
      'the worker to print every document version',
      async () => {
        const rows = await versions();
        return rows.length > 0 && rows.every((r) => r.pdf_sha256 && r.verification_code) ? rows : null;
      },
      120_000,
    );
    const kinds = new Set(printed.map((r) => r.kind));
    for (const kind of ['filing_approval', 'inquiry_record', 'evidence_list', 'decision', 'proof_of_service'])
      expect(kinds).toContain(kind);
    for (const r of printed) {
      const stat = await minio.statObject(bucket, `documents/${r.document_id}/v${r.version}.pdf`);
      expect(stat.size).toBeGreaterThan(1000);
    }
    expect(stack.worker.output()).toMatch(/processing queues: [^"]*documents/);
  });

  it('serves each version as application/pdf: the recorded bytes, reading as the document', async () => {
    expect(amountYuan).toBeGreaterThan(0);
    for (const r of await versions()) {
      const { response, bytes } = await pdfOf(r);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      expect(decodeURIComponent(response.headers.get('content-disposition')!.split("UTF-8''")[1]!)).toBe(
        `${r.title}-${r.document_number}-v${r.version}.pdf`,
      );
      expect(sha(bytes)).toBe(r.pdf_sha256);
      const { file, text, pages } = textOf(bytes, `${r.kind}-${r.version}`);
      expect(pages).toBe(r.pdf_pages);
      for (const line of poppler('pdffonts', [file]).split('\n').slice(2).filter(Boolean))
        expect(line).toMatch(/^[A-Z]{6}\+NotoSerifSC\S*\s.*\byes\s+yes\s+yes\b/);
      const flat = squeeze(text);
      for (const expected of [AUTHORITY, r.title, r.document_number, r.verification_code!])
        expect(flat).toContain(squeeze(expected));
      expect(flat).toContain(`第1页共${pages}页`);
      if (['filing_approval', 'pre_penalty_notice', 'decision', 'closing_report'].includes(r.kind))
        expect(flat).toContain('赵六'); // the vehicle's owner, the party of the case
      if (['decision', 'payment_record'].includes(r.kind)) expect(flat).toContain(String(amountYuan));
      if (r.kind === 'decision') expect(flat).toContain(fx.plate);
    }
  });

  it('answers the current version without ?version, 404 for a version that does not exist', async () => {
    const decision = (await versions()).find((r) => r.kind === 'decision')!;
    const { response, bytes } = await fetchBytes(
      `/api/v1/cases/${fx.caseId}/documents/${decision.document_id}?format=pdf`,
    );
    expect(response.status).toBe(200);
    expect(sha(bytes)).toBe(decision.pdf_sha256);
    const missing = await call(
      api,
      'GET',
      `/api/v1/cases/${fx.caseId}/documents/${decision.document_id}?format=pdf&version=9`,
      { token: fx.tokens.auditor },
    );
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('document_version_not_found');
    const text = await call(
      api,
      'GET',
      `/api/v1/cases/${fx.caseId}/documents/${decision.document_id}?format=text&version=1`,
      { token: fx.tokens.auditor },
    );
    expect(text.status).toBe(200);
    expect(text.body).toContain('行政处罚决定书');
  });

  it('prints the same bytes again when the PDF is lost, and when the version was never printed', async () => {
    const decision = (await versions()).find((r) => r.kind === 'decision')!;
    await minio.removeObject(bucket, `documents/${decision.document_id}/v${decision.version}.pdf`);
    const again = await pdfOf(decision);
    expect(again.response.status).toBe(200);
    expect(sha(again.bytes)).toBe(decision.pdf_sha256);
    await minio.statObject(bucket, `documents/${decision.document_id}/v${decision.version}.pdf`);

    // as if its job had been lost: no model, no code, no PDF recorded, none stored
    await api.db.query(
      `UPDATE case_document_versions SET printable = NULL, verification_code = NULL, pdf_sha256 = NULL,
       pdf_pages = NULL WHERE id = $1`,
      [decision.id],
    );
    await minio.removeObject(bucket, `documents/${decision.document_id}/v${decision.version}.pdf`);
    const fresh = await pdfOf(decision);
    expect(sha(fresh.bytes)).toBe(decision.pdf_sha256);
    const row = (await versions()).find((r) => r.id === decision.id)!;
    expect(row).toMatchObject({
      pdf_sha256: decision.pdf_sha256,
      verification_code: decision.verification_code,
      pdf_pages: decision.pdf_pages,
    });
  });

  it("prints in the worker's sweep a version no job printed (a lost job, a batch's documents)", async () => {
    const filing = (await versions()).find((r) => r.kind === 'filing_approval')!;
    await api.db.query(
      `UPDATE case_document_versions SET printable = NULL, verification_code = NULL, pdf_sha256 = NULL,
       pdf_pages = NULL WHERE id = $1`,
      [filing.id],
    );
    await minio.removeObject(bucket, `documents/${filing.document_id}/v${filing.version}.pdf`);
    const sweeper = spawnApp('worker', {
      ...api.env,
      WORKER_HEALTH_PORT: String(await freePort()),
      DOCUMENT_PRINT_SWEEP_INTERVAL_MS: '500',
    });
    try {
      const row = await waitFor(
        'the sweep to print the version again',
        async () => (await versions()).find((r) => r.id === filing.id && r.pdf_sha256) ?? null,
        30_000,
      );
      expect(row).toMatchObject({
        pdf_sha256: filing.pdf_sha256,
        verification_code: filing.verification_code,
      });
      const stored = await minio.getObject(bucket, `documents/${filing.document_id}/v${filing.version}.pdf`);
      const chunks: Buffer[] = [];
      for await (const c of stored) chunks.push(c as Buffer);
      expect(sha(Buffer.concat(chunks))).toBe(filing.pdf_sha256);
      // the sweep's log line follows its writes
      await waitFor(
        "the sweep's log line",
        async () => /printed document versions no job had printed/.test(sweeper.output()) || null,
        10_000,
      );
    } finally {
      await stopProcess(sweeper.child);
    }
  });

  it('verifies a code publicly: latest, superseded by a new version (new hash), unknown, mistyped', async () => {
    const list = (await versions()).filter((r) => r.kind === 'evidence_list');
    expect(list.map((r) => r.version)).toEqual([1, 2]);
    const [v1, v2] = list as [VersionRow, VersionRow];
    expect(v1.pdf_sha256).not.toBe(v2.pdf_sha256);
    expect(v1.verification_code).not.toBe(v2.verification_code);

    const old = await verify(v1.verification_code!);
    expect(old.status).toBe(200);
    expect(old.body).toEqual({
      code: v1.verification_code,
      status: 'superseded',
      document: {
        authority: AUTHORITY,
        name: '证据清单',
        number: v1.document_number,
        version: 1,
        latestVersion: 2,
        issuedOn: expect.stringMatching(/^\d{4}年\d{1,2}月\d{1,2}日$/),
      },
    });
    // typed loosely: lower case, no hyphens
    const latest = await verify(v2.verification_code!.replace(/-/g, '').toLowerCase());
    expect(latest.body).toMatchObject({ code: v2.verification_code, status: 'latest' });
    expect(JSON.stringify(latest.body)).not.toContain('赵六');

    // a well-formed code of no stored version
    const unknown = verification(v2.document_number, 7, '0'.repeat(64)).code;
    expect((await verify(unknown)).body).toEqual({ code: unknown, status: 'unknown', document: null });

    const typo = v2.verification_code!.replace(/^(.)/, (c) => (c === 'A' ? 'B' : 'A'));
    const mistyped = await verify(typo);
    expect(mistyped.status).toBe(400);
    expect(mistyped.body.code).toBe('verification_code_mistyped');
    const malformed = await verify('hello');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('verification_code_malformed');
  });

  it('gives the whole case file as one PDF: cover, table of contents, every current document', async () => {
    const { response, bytes } = await fetchBytes(`/api/v1/cases/${fx.caseId}/case-file.pdf`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const { rows } = await api.db.query<{ case_number: string }>(
      'SELECT case_number FROM cases WHERE id = $1',
      [fx.caseId],
    );
    const caseNumber = rows[0]!.case_number;
    const current = (await versions()).filter((r) => r.version === r.current_version);
    const documentPages = current.reduce((n, r) => n + r.pdf_pages!, 0);
    const { file, pages } = textOf(bytes, 'case-file');
    const pageText = (n: number) =>
      squeeze(poppler('pdftotext', ['-raw', '-f', String(n), '-l', String(n), file, '-']));
    const cover = pageText(1);
    expect(cover).toContain('行政处罚案卷');
    expect(cover).toContain(caseNumber);
    expect(cover).toContain('赵六');
    expect(cover).toContain(`${current.length}件，共${documentPages}页`);
    expect(pageText(2)).toContain('卷内目录');
    const catalogue = squeeze(
      poppler('pdftotext', ['-raw', '-f', '2', '-l', String(pages - documentPages), file, '-']),
    );
    for (const r of current) expect(catalogue).toContain(squeeze(r.document_number));
    // one cover page, the catalogue's pages (its header row repeated on each), then exactly as many pages
    // as the documents' own PDFs have, the first document first
    let cataloguePages = 0;
    while (pageText(2 + cataloguePages).includes('序号文书名称')) cataloguePages++;
    expect(cataloguePages).toBeGreaterThanOrEqual(1);
    expect(pages).toBe(1 + cataloguePages + documentPages);
    expect(pageText(2 + cataloguePages)).toContain('立案审批表');
    expect(pageText(2 + cataloguePages)).toContain(`第1页共${current[0]!.pdf_pages}页`);

    const again = await fetchBytes(`/api/v1/cases/${fx.caseId}/case-file.pdf`);
    expect(sha(again.bytes)).toBe(sha(bytes));
  });

  it('holds the PDFs and case-file.pdf in the export, with the manifest and SHA256SUMS', async () => {
    const { response, bytes } = await fetchBytes(`/api/v1/cases/${fx.caseId}/export`);
    expect(response.status).toBe(200);
    const { manifest } = unpackCaseFileExport(dir, bytes);
    const pdfs = manifest.documents.filter((d: any) => d.format === 'pdf');
    const all = await versions();
    expect(pdfs).toHaveLength(all.length);
    for (const r of all) {
      const entry = pdfs.find((d: any) => d.documentId === r.document_id && d.version === r.version);
      expect(entry).toMatchObject({ sha256: r.pdf_sha256, current: r.version === r.current_version });
      expect(entry.path).toMatch(
        r.version === r.current_version ? /\.pdf$/ : new RegExp(`\\.v${r.version}\\.pdf$`),
      );
    }
    const caseFile = manifest.entries.find((e: any) => e.path === 'case-file.pdf');
    expect(caseFile).toBeDefined();
    const served = await fetchBytes(`/api/v1/cases/${fx.caseId}/case-file.pdf`);
    expect(caseFile.sha256).toBe(sha(served.bytes));
  });

  it('limits the public look-ups per client address (429 with Retry-After)', async () => {
    const code = (await versions())[0]!.verification_code!;
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < BURST + 2; i++) {
      const res = await verify(code);
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
