import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOCUMENT_FORMS, parseVerificationCode, type PrintableDocument } from '@ecc/documents-domain';
import {
  SAMPLE_CASE,
  renderCaseFile,
  renderDocument,
  sampleDocuments,
  sampleInquiryRecord,
} from '@ecc/documents-pdf';
import { ensurePoppler, fontsOf, pageCountOf, poppler } from '../support/poppler';

/**
 * The PDFs as a reader gets them: parsed by poppler, their fonts, text and pages; the first page of each
 * written as a PNG under document-previews/ (git-ignored) for a person to look at.
 */
const previews = join(__dirname, '..', '..', 'document-previews');
let dir: string;

beforeAll(() => {
  ensurePoppler();
  dir = mkdtempSync(join(tmpdir(), 'ecc-pdf-'));
  mkdirSync(previews, { recursive: true });
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const squeeze = (text: string) => text.replace(/\s+/g, '');

async function write(name: string, doc: PrintableDocument) {
  const rendered = await renderDocument(doc);
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, rendered.pdf);
  return { ...rendered, file };
}

const C = SAMPLE_CASE;
/** What the text of each form must contain besides authority, name and number: party and amounts. */
const EXPECTED: Record<string, string[]> = {
  filing_approval: [C.party, C.partyId, '61,250', '9,187'],
  inquiry_record: ['龚昇', '49吨'],
  evidence_list: [C.party, 'WIM-20240512-102133'],
  pre_penalty_notice: [C.party, '¥4,500.00', '61,250'],
  hearing_notice: [C.party, '4,500元'],
  legal_review_opinion: [C.party, '4,500元'],
  decision: [C.party, C.partyId, C.plate, '¥4,500.00', '61,250', '9,187', '汨罗市人民政府'],
  proof_of_service: [C.party],
  closing_report: [C.party, '4,500元'],
  home_authority_report: [C.party, C.enterprise, '4,500元'],
  execution_demand: [C.party, '9,000元'],
  court_application: [C.party, '9,000元', '汨罗市人民法院'],
};

describe('the printed documents', () => {
  const docs = sampleDocuments();

  it('has a sample of every form the issue names', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(docs).sort());
  });

  it.each(Object.keys(EXPECTED))('%s: parses, embeds its fonts, reads as the document', async (kind) => {
    const doc = docs[kind]!;
    const { file, pageCount, verification } = await write(kind, doc);

    expect(pageCountOf(file)).toBe(pageCount);
    const fonts = fontsOf(file);
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) {
      expect(f.emb).toBe('yes');
      expect(f.name).toMatch(/^[A-Z]{6}\+NotoSerifSC-(Regular|Bold)$/);
    }

    const text = squeeze(poppler('pdftotext', [file, '-']));
    for (const s of [
      C.authority,
      DOCUMENT_FORMS[doc.kind].name,
      verification.documentNumber,
      ...EXPECTED[kind]!,
    ])
      expect(text).toContain(squeeze(s));
    for (let p = 1; p <= pageCount; p++) expect(text).toContain(`第${p}页共${pageCount}页`);
    expect(text).toContain(`验证码：${verification.code}`);
    expect(parseVerificationCode(verification.code).version).toBe(doc.version);

    poppler('pdftoppm', [
      '-r',
      '60',
      '-png',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      file,
      join(previews, kind),
    ]);
  });

  it('paginates a long inquiry record: every question once, in order, whole pages full, signatures last', async () => {
    // 100 entries of exactly 60 characters: two lines of 31 and 29 at 14 pt across 156 mm
    const digits = '〇一二三四五六七八九';
    const cjk = (i: number) => [...String(i).padStart(3, '0')].map((d) => digits[Number(d)]).join('');
    const entries = Array.from({ length: 100 }, (_, i) => ({
      speaker: i % 2 ? '答' : '问',
      text: cjk(i) + '超'.repeat(55),
    }));
    const base = sampleInquiryRecord();
    const doc: PrintableDocument = {
      ...base,
      blocks: base.blocks.map((b) => (b.type === 'dialogue' ? { ...b, entries } : b)),
    };
    const { file, pageCount } = await write('long-inquiry', doc);
    expect(pageCountOf(file)).toBe(pageCount);

    const perPage = Array.from({ length: pageCount }, (_, p) =>
      squeeze(poppler('pdftotext', ['-f', String(p + 1), '-l', String(p + 1), file, '-'])),
    );
    const seen = perPage.map((t) =>
      [...t.matchAll(/[问答]：([〇一二三四五六七八九]{3})超/g)].map((m) => m[1]!),
    );
    expect(seen.flat()).toEqual(entries.map((_, i) => cjk(i)));
    // a page holds 24 lines of 24.5 pt in the 225 mm type area less the signature line at its foot:
    // 12 two-line entries (a two-line paragraph is never split)
    const withEntries = seen.filter((page) => page.length > 0);
    for (const page of withEntries.slice(1, -1)) expect(page).toHaveLength(12);
    const rest = entries.length - seen[0]!.length;
    const full = Math.floor(rest / 12);
    const last = rest - full * 12;
    // the last entries, the closing sentence (1 line) and three signature lines (5 lines) share a page
    const expected = 1 + full + (last === 0 || last * 2 + 1 + 5 <= 24 ? 1 : 2);
    expect(pageCount).toBe(expected);
    expect(pageCount).toBeGreaterThanOrEqual(8);
    perPage.forEach((t, p) => {
      expect(t).toContain(`第${p + 1}页共${pageCount}页`);
      expect(t).toContain('被询问人签名：');
    });
    expect(perPage.at(-1)).toContain('记录人签名：王芳');
  });

  it('renders twice to identical bytes; a changed version to another hash', async () => {
    const a = await renderDocument(docs['decision']!);
    const b = await renderDocument(structuredClone(docs['decision']!));
    expect(b.sha256).toBe(a.sha256);
    const changed = await renderDocument({
      ...docs['decision']!,
      blocks: [...docs['decision']!.blocks, { type: 'remarks', text: '更正：当事人住址门牌号。' }],
      version: 2,
    });
    expect(changed.sha256).not.toBe(a.sha256);
  });

  it('prints the case file: cover, catalogue with page ranges, documents in the order given', async () => {
    const order = Object.values(docs);
    const rendered = await renderCaseFile({
      cover: {
        authority: C.authority,
        caseNumber: C.caseNumber,
        caseCause: `车辆${C.plate}违法超限运输`,
        party: C.party,
        filedOn: '2024年5月14日',
        closedOn: '2024年6月20日',
        handlers: '李明、王芳',
        retention: '长期',
      },
      documents: order,
      createdAt: '2024-12-20T02:00:00.000Z',
      timeZone: 'Asia/Shanghai',
    });
    const file = join(dir, 'case-file.pdf');
    writeFileSync(file, rendered.pdf);
    expect(pageCountOf(file)).toBe(rendered.pageCount);
    for (const f of fontsOf(file)) expect(f.emb).toBe('yes');

    const cover = squeeze(poppler('pdftotext', ['-f', '1', '-l', '1', file, '-']));
    expect(cover).toContain('行政处罚案卷');
    expect(cover).toContain(C.caseNumber);
    expect(cover).toContain('卷内文件');
    expect(cover).toContain(`${order.length}件，共${rendered.entries.at(-1)!.lastPage}页`);
    // cover, then the catalogue's pages, then the documents; -raw keeps each cell's lines together
    const front = rendered.pageCount - rendered.entries.at(-1)!.lastPage;
    const catalogue = squeeze(poppler('pdftotext', ['-raw', '-f', '2', '-l', String(front), file, '-']));
    expect(catalogue).toContain('卷内目录');
    for (const e of rendered.entries) {
      expect(catalogue).toContain(squeeze(e.documentNumber));
      // the entry's first page, in the document section, starts with its own title block
      const first = squeeze(
        poppler('pdftotext', [
          '-f',
          String(e.firstPage + front),
          '-l',
          String(e.firstPage + front),
          file,
          '-',
        ]),
      );
      expect(first).toContain(squeeze(e.documentNumber));
      expect(first.startsWith(String(e.firstPage))).toBe(true); // 卷内页码, upper right
    }
    poppler('pdftoppm', ['-r', '60', '-png', '-f', '1', '-l', '2', file, join(previews, 'case-file')]);
  });
});
