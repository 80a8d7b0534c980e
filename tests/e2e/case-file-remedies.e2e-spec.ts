import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCase, type CaseFixture } from '../support/case-fixture';
import { unpackCaseFileExport } from '../support/case-file-export';
import { ensurePoppler, poppler } from '../support/poppler';
import { ADMIN, call, startTestStack, tokenFor, type TestApi, type TestStack } from '../support/test-app';

/**
 * The remedies against a decision in the case file and its evaluation (行政处罚法 Art. 73; 行政复议法 2023 Art. 64),
 * through the API and the worker over real Postgres, Redis and S3: a fine decided, served and paid; the party
 * applies for reconsideration (record_remedy), which annuls the decision (record_remedy_outcome). The evaluation
 * lists the remedy with its outcome; closing the file on the annulled decision is found at the closing precheck
 * and after it; the case-file PDF's cover and the export's manifest name the reconsideration and how it ended.
 */

jest.setTimeout(300_000);

const squeeze = (text: string) => text.replace(/\s+/g, '');
const BODY = '汨罗市人民政府';

describe('remedies in the case file and its evaluation', () => {
  let stack: TestStack;
  let api: TestApi;
  let fx: CaseFixture;
  let dir: string;
  let today: string;

  const act = (action: string, who: keyof CaseFixture['tokens'], body: Record<string, unknown> = {}) =>
    call(api, 'POST', `/api/v1/cases/${fx.caseId}/actions/${action}`, { token: fx.tokens[who], body });
  const evaluation = async () => {
    const res = await call(api, 'GET', `/api/v1/cases/${fx.caseId}/evaluation`, { token: fx.tokens.auditor });
    expect(res.status).toBe(200);
    return res.body;
  };
  const fetchBytes = async (path: string) => {
    const response = await fetch(`${api.url}${path}`, {
      headers: { authorization: `Bearer ${fx.tokens.auditor}` },
    });
    expect(response.status).toBe(200);
    return Buffer.from(await response.arrayBuffer());
  };
  /** The text of the case-file PDF's first page: its cover. */
  const coverText = async (name: string) => {
    const file = join(dir, `${name}.pdf`);
    writeFileSync(file, await fetchBytes(`/api/v1/cases/${fx.caseId}/case-file.pdf`));
    return squeeze(poppler('pdftotext', ['-raw', '-f', '1', '-l', '1', file, '-']));
  };

  beforeAll(async () => {
    ensurePoppler();
    dir = mkdtempSync(join(tmpdir(), 'remedies-e2e-'));
    stack = await startTestStack('remedies');
    api = stack.api;
    const admin = await tokenFor(api, ADMIN.username, ADMIN.password);
    fx = await buildCase(api, admin, { prefix: 'RM', plate: '湘F8R301', until: 'executed' });
    today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  }, 300_000);

  afterAll(async () => {
    await stack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a file without a remedy lists none and prints no remedy on its cover', async () => {
    expect((await evaluation()).remedies).toEqual([]);
    expect(await coverText('none')).not.toContain('复议诉讼');
  });

  it('lists a pending reconsideration, and prints it on the cover as not concluded', async () => {
    expect(
      (await act('record_remedy', 'o1', { kind: 'reconsideration', body: BODY, filedOn: today })).status,
    ).toBe(200);
    const view = await evaluation();
    expect(view.remedies).toEqual([
      { kind: 'reconsideration', body: BODY, filedOn: today, concludedOn: null, outcome: null },
    ]);
    expect(view.findings.map((f: { code: string }) => f.code)).not.toContain(
      'consistency.remedy_outcome_followed',
    );
    const [y, m, d] = today.split('-').map(Number);
    expect(await coverText('pending')).toContain(`复议诉讼${y}年${m}月${d}日向${BODY}申请行政复议，尚未审结`);
  });

  it('finds a file closed on a decision the reconsideration annulled, at the closing precheck and after', async () => {
    const outcome = await act('record_remedy_outcome', 'o1', {
      kind: 'reconsideration',
      outcome: 'annulled',
      concludedOn: today,
    });
    expect(outcome.status).toBe(200);
    const before = await evaluation();
    expect(before.remedies).toEqual([
      { kind: 'reconsideration', body: BODY, filedOn: today, concludedOn: today, outcome: 'annulled' },
    ]);
    // Paid the day of the decision, before the annulment: not yet a fault of the file.
    expect(before.findings.map((f: { code: string }) => f.code)).not.toContain(
      'consistency.remedy_outcome_followed',
    );

    // The closing precheck evaluates the file as the closing leaves it: closed on an annulled decision.
    let closed = await act('close_case', 'approver');
    if (closed.status === 422) {
      expect(closed.body.code).toBe('case_file_below_threshold');
      expect(closed.body.findings.map((f: { code: string }) => f.code)).toContain(
        'consistency.remedy_outcome_followed',
      );
      closed = await act('close_case', 'approver', {
        overrideReason: '复议撤销后依法重新处理，先行结案归档',
      });
    }
    expect(closed.status).toBe(200);
    const precheck = await api.db.query<{ findings: { findings: { code: string }[] } }>(
      `SELECT findings FROM case_evaluations WHERE case_id = $1 AND kind = 'precheck'`,
      [fx.caseId],
    );
    expect(precheck.rows).toHaveLength(1);
    expect(precheck.rows[0]!.findings.findings.map((f) => f.code)).toContain(
      'consistency.remedy_outcome_followed',
    );
    const after = (await evaluation()).findings.find(
      (f: { code: string }) => f.code === 'consistency.remedy_outcome_followed',
    );
    expect(after).toMatchObject({ axis: 'consistency', deduction: 10, documentRef: null });
    expect(after.details).toEqual([
      expect.stringMatching(
        new RegExp(
          `^decision annulled on reconsideration filed ${today}, ${today}: the file is closed on it`,
        ),
      ),
    ]);
  });

  it('names the reconsideration and its outcome on the cover of the case file and in the export manifest', async () => {
    const [y, m, d] = today.split('-').map(Number);
    const day = `${y}年${m}月${d}日`;
    expect(await coverText('annulled')).toContain(`复议诉讼${day}向${BODY}申请行政复议，${day}复议决定撤销`);

    const { out, manifest } = unpackCaseFileExport(
      dir,
      await fetchBytes(`/api/v1/cases/${fx.caseId}/export`),
    );
    expect(manifest.remedies).toEqual([
      {
        kind: 'reconsideration',
        body: BODY,
        filedOn: today,
        outcome: 'annulled',
        concludedOn: today,
        documentId: null,
      },
    ]);
    expect(readFileSync(join(out, 'README.txt'), 'utf8')).toContain('lawsuits against the decision');
  });
});
