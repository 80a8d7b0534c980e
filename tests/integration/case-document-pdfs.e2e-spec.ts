import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CASE_DOCUMENT_TEMPLATES } from '@ecc/cases-feature';
import { formatDocumentNumber, printableFromCaseDocument } from '@ecc/documents-domain';
import { renderDocument } from '@ecc/documents-pdf';
import { AUTHORITY, storedFromTemplate } from '../support/case-document-facts';
import { ensurePoppler, fontsOf, pageCountOf, poppler } from '../support/poppler';

/**
 * Every kind of case document the case layer writes, from its template's text to the PDF a reader gets
 * (phase 2 of issue #13): the stored text mapped to the printable model, rendered, and read back by poppler —
 * it parses, its fonts are embedded, and its text holds the authority, the name, the number, the party and
 * the amounts. The kinds are those of the templates: a kind added there is printed here without a change.
 * The first page of each is written to document-previews/case-<kind>.png (git-ignored).
 */
const previews = join(__dirname, '..', '..', 'document-previews');
let dir: string;

beforeAll(() => {
  ensurePoppler();
  dir = mkdtempSync(join(tmpdir(), 'ecc-case-pdf-'));
  mkdirSync(previews, { recursive: true });
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const squeeze = (text: string) => text.replace(/\s+/g, '');

/** Besides authority, name and number: the party, and the amounts where the document states them. */
const EXPECTED: Record<string, string[]> = {
  filing_approval: ['欧阳喆', '430681198804120036', '56250', '4437', '2100'],
  inquiry_record: ['欧阳喆', '驾驶人称装载碎石'],
  evidence_list: ['56250'],
  pre_penalty_notice: ['欧阳喆', '2100', '56250'],
  hearing_notice: ['欧阳喆', '陈静'],
  hearing_record: ['欧阳喆'],
  statement_record: ['欧阳喆', '当事人称不知道限值'],
  legal_review_opinion: ['通过', '陈静'],
  decision: ['欧阳喆', '430681198804120036', '湘F12345', '2100', '56250', '4437'],
  proof_of_service: ['欧阳喆', '直接送达'],
  payment_record: ['欧阳喆', '2100', 'JK-20250312-0001'],
  closing_report: ['欧阳喆', '2100'],
  home_authority_report: ['岳阳市道路运输事务中心', '湘F12345', '2100'],
  home_authority_measure_report: ['岳阳市道路运输事务中心', '湘F10001', '湘F12345', '第六十六条', '2000元'],
  other: ['欧阳喆'],
};

describe('case documents printed from their templates', () => {
  const kinds = Object.keys(CASE_DOCUMENT_TEMPLATES);

  it.each(kinds)('%s: parses, embeds its fonts, reads as the document', async (kind) => {
    const stored = storedFromTemplate(kind);
    const model = printableFromCaseDocument(stored);
    const rendered = await renderDocument(model);
    const file = join(dir, `${kind}.pdf`);
    writeFileSync(file, rendered.pdf);

    expect(pageCountOf(file)).toBe(rendered.pageCount);
    const fonts = fontsOf(file);
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) {
      expect(f.emb).toBe('yes');
      expect(f.name).toMatch(/^[A-Z]{6}\+NotoSerifSC/);
    }
    const pages = squeeze(poppler('pdftotext', ['-raw', file, '-']));
    expect(pages).toContain(rendered.verification.code);
    // The body without the page footers, which pdftotext puts inside a paragraph that runs onto the next page.
    const text = pages.replace(
      /第\d+页共\d+页验证码：[^文]*文书编号：.*?扫描二维码或凭验证码向发文机关核验本文书/g,
      '',
    );
    for (const expected of [
      AUTHORITY,
      squeeze(stored.title),
      formatDocumentNumber(model.number),
      ...(EXPECTED[kind] ?? []), // a kind added later: its every line below
    ])
      expect(text).toContain(squeeze(expected));
    // every line the template wrote is on the paper, but the list numbers (the list prints its own) and the
    // seal's placeholder "（印章）" (the seal block leaves the room for the seal itself)
    for (const line of stored.text.split('\n').slice(2).filter(Boolean))
      for (const part of line
        .replace(/^\d+\.\s*/, '')
        .replace('（印章）', '')
        .split(/[：\u3000]/)
        .filter((p) => p.length >= 2))
        expect(text).toContain(squeeze(part));

    poppler('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      file,
      join(previews, `case-${kind}`),
    ]);
  });

  it('prints a form as a form: labelled cells and lines to sign, a letter with its seal', async () => {
    const model = printableFromCaseDocument(storedFromTemplate('proof_of_service'));
    expect(model.blocks[0]!.type).toBe('fields');
    const file = join(dir, 'service.pdf');
    writeFileSync(file, (await renderDocument(model)).pdf);
    const text = squeeze(poppler('pdftotext', ['-raw', file, '-']));
    expect(text).toContain('受送达人签名或盖章');
    expect(text).toContain('送达人签名');

    const letter = printableFromCaseDocument(storedFromTemplate('decision'));
    expect(letter.blocks.at(-1)).toEqual({ type: 'seal', authority: AUTHORITY, date: '2025年3月10日' });
  });
});
