import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newCaseDraft } from '@ecc/cases-domain';
import { CASE_DOCUMENT_TEMPLATES, renderCaseDocument, type DocumentFacts } from '@ecc/cases-feature';
import { DOCUMENT_FORMS, formatDocumentNumber, printableFromCaseDocument } from '@ecc/documents-domain';
import { renderDocument } from '@ecc/documents-pdf';
import { ensurePoppler, poppler } from '../support/poppler';

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
const AUTHORITY = '汨罗市交通运输局';
const CASE_NUMBER = '汨交罚〔2025〕第0007号';

function facts(): DocumentFacts {
  const snapshot = newCaseDraft({
    id: 'c1',
    caseType: 'vehicle',
    createdAt: new Date('2025-03-03T02:00:00Z'),
    proposedPenalty: { kind: 'fine', amountYuan: 2100 },
  });
  snapshot.decision = {
    decidedAt: new Date('2025-03-10T02:00:00Z'),
    approvedBy: 'a1',
    penalty: { kind: 'fine', amountYuan: 2100 },
  };
  return {
    caseNumber: CASE_NUMBER,
    authority: AUTHORITY,
    timeZone: 'Asia/Shanghai',
    now: new Date('2025-03-10T02:00:00Z'),
    party: {
      name: '欧阳喆',
      kind: 'person',
      idNumber: '430681198804120036',
      address: '湖南省汨罗市归义镇建设路18号',
      phone: null,
    },
    enterprise: '汨罗市顺达物流有限公司',
    driver: { name: '龚昇', idNumber: '430681198801052213', qualificationNo: '4306812019000123' },
    sourceUnit: { name: '汨罗市新市石场', loadingSlipNo: 'ZC20250301-0087' },
    plate: '湘F12345',
    vehicleType: '重型半挂牵引车',
    transportCertificateNo: '430681000001',
    homeAuthority: '岳阳市道路运输事务中心',
    violationAt: new Date('2025-03-01T01:30:00Z'),
    place: '汨罗S308检测点 S308 K12+300',
    grossMassKg: 56250,
    limitKg: 49000,
    toleranceKg: 2813,
    excessKg: 4437,
    axleCount: 6,
    facts: '',
    officers: [
      { name: '李明', certificateNo: '43060021001' },
      { name: '王芳', certificateNo: '43060021002' },
    ],
    evidence: ['不停车检测数据（检测点 S308，车货总质量 56250 千克）', '车辆前号牌照片'],
    investigations: [],
    basis: [
      {
        title: '《超限运输车辆行驶公路管理规定》',
        article: '第四十三条第一款第（二）项',
        text: '……每超1000千克罚款500元，最高不得超过30000元',
      },
    ],
    snapshot,
  };
}

/** What each action adds to its document (the fields of its request). */
const EXTRA: Record<string, Record<string, string>> = {
  inquiry_record: {
    at: '2025-03-04T03:30:00Z',
    location: '汨罗市交通运输综合行政执法大队',
    summary: '驾驶人称装载碎石',
  },
  hearing_notice: { hearingAt: '2025-03-20T01:00:00Z', location: '本局听证室', host: '陈静' },
  hearing_record: {
    heldAt: '2025-03-20T01:00:00Z',
    host: '陈静',
    participants: '欧阳喆',
    summary: '当事人无异议',
  },
  statement_record: { title: '陈述申辩', content: '当事人称不知道限值' },
  legal_review_opinion: { outcome: 'passed', opinions: '事实清楚', reviewer: '陈静', qualification: 'A2018' },
  proof_of_service: { method: 'direct', recipient: '当事人本人', servedAt: '2025-03-11T02:00:00Z' },
  payment_record: {
    amount: '2100',
    lateFee: '0',
    receiptNo: 'JK-20250312-0001',
    paidAt: '2025-03-12T02:00:00Z',
  },
  other: { content: '其他材料：欧阳喆提交的情况说明' },
};

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
  other: ['欧阳喆'],
};

function fontsOf(file: string): { name: string; emb: string }[] {
  return poppler('pdffonts', [file])
    .split('\n')
    .slice(2)
    .filter(Boolean)
    .map((l) => {
      const cols = l.trim().split(/\s+/);
      return { name: cols[0]!, emb: cols[cols.length - 5]! };
    });
}

describe('case documents printed from their templates', () => {
  const kinds = Object.keys(CASE_DOCUMENT_TEMPLATES);

  it.each(kinds)('%s: parses, embeds its fonts, reads as the document', async (kind) => {
    const content = renderCaseDocument(
      kind as keyof typeof CASE_DOCUMENT_TEMPLATES,
      facts(),
      EXTRA[kind] ?? {},
    );
    const code = (DOCUMENT_FORMS as Record<string, { code: string }>)[kind]?.code ?? 'QT';
    const model = printableFromCaseDocument({
      kind,
      title: content.title,
      text: content.text,
      documentNumber: `${CASE_NUMBER}-${code}-01`,
      version: 1,
      createdAt: '2025-03-10T02:00:00.000Z',
      authority: AUTHORITY,
    });
    const rendered = await renderDocument(model);
    const file = join(dir, `${kind}.pdf`);
    writeFileSync(file, rendered.pdf);

    expect(Number(/Pages:\s+(\d+)/.exec(poppler('pdfinfo', [file]))![1])).toBe(rendered.pageCount);
    const fonts = fontsOf(file);
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) {
      expect(f.emb).toBe('yes');
      expect(f.name).toMatch(/^[A-Z]{6}\+NotoSerifSC/);
    }
    const text = squeeze(poppler('pdftotext', ['-raw', file, '-']));
    for (const expected of [
      AUTHORITY,
      squeeze(content.title),
      formatDocumentNumber(model.number),
      rendered.verification.code,
      ...(EXPECTED[kind] ?? ['欧阳喆']),
    ])
      expect(text).toContain(squeeze(expected));
    // every line the template wrote is on the paper, but the list numbers (the list prints its own) and the
    // seal's placeholder "（印章）" (the seal block leaves the room for the seal itself)
    for (const line of content.text.split('\n').slice(2).filter(Boolean))
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
    const f = facts();
    const service = renderCaseDocument('proof_of_service', f, EXTRA['proof_of_service']);
    const model = printableFromCaseDocument({
      kind: 'proof_of_service',
      title: service.title,
      text: service.text,
      documentNumber: `${CASE_NUMBER}-SD-01`,
      version: 1,
      createdAt: '2025-03-11T02:00:00.000Z',
      authority: AUTHORITY,
    });
    expect(model.blocks[0]!.type).toBe('fields');
    const file = join(dir, 'service.pdf');
    writeFileSync(file, (await renderDocument(model)).pdf);
    const text = squeeze(poppler('pdftotext', ['-raw', file, '-']));
    expect(text).toContain('受送达人签名或盖章');
    expect(text).toContain('送达人签名');

    const decision = renderCaseDocument('decision', f, {});
    const letter = printableFromCaseDocument({
      kind: 'decision',
      title: decision.title,
      text: decision.text,
      documentNumber: `${CASE_NUMBER}-JD-01`,
      version: 1,
      createdAt: '2025-03-10T02:00:00.000Z',
      authority: AUTHORITY,
    });
    expect(letter.blocks.at(-1)).toEqual({ type: 'seal', authority: AUTHORITY, date: '2025年3月10日' });
  });
});
