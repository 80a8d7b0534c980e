import { DomainError } from '@ecc/shared-kernel';
import { DOCUMENT_FORMS } from './document-forms';
import { formatDocumentNumber, parseDocumentNumber } from './document-number';
import { parsePrintableDocument, type PrintableDocument } from './printable-document';
import { documentContentSha256, verificationFor } from './verification-code';
import { chineseDate, chineseDateTime } from './chinese-date';

const doc: PrintableDocument = {
  kind: 'decision',
  authority: '汨罗市交通运输局',
  name: '行政处罚决定书',
  number: { caseNumber: '汨交罚〔2024〕第0001号', code: 'JD', sequence: 1 },
  party: { kind: 'person', name: '欧阳喆' },
  blocks: [{ type: 'paragraph', text: '决定给予罚款人民币4,500元的行政处罚。' }],
  version: 1,
  createdAt: '2024-06-07T02:00:00.000Z',
};

function errorsOf(input: unknown) {
  try {
    parsePrintableDocument(input);
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('printable_document_invalid');
    return ((e as DomainError).details.errors ?? []).map((x) => x.path);
  }
  throw new Error('accepted');
}

describe('printable document', () => {
  it('accepts a well-formed model unchanged', () => {
    expect(parsePrintableDocument(doc)).toEqual(doc);
  });

  it('names every bad field', () => {
    expect(errorsOf({ ...doc, version: 0 })).toEqual(['version']);
    expect(errorsOf({ ...doc, createdAt: 'yesterday' })).toEqual(['createdAt']);
    expect(errorsOf({ ...doc, blocks: [] })).toEqual(['blocks']);
    expect(errorsOf({ ...doc, blocks: [{ type: 'poem', text: 'x' }] })).toEqual(['blocks.0.type']);
    expect(errorsOf({ ...doc, number: { ...doc.number, code: 'jd' } })).toEqual(['number.code']);
    expect(errorsOf({ ...doc, colour: 'red' })).toEqual(['']);
    expect(
      errorsOf({
        ...doc,
        blocks: [{ type: 'table', columns: [{ title: 'a', width: 1 }], rows: [['1', '2']] }],
      }),
    ).toEqual(['blocks.0.rows.0']);
  });

  it('hashes the content canonically: key order does not matter, any change does', () => {
    const reordered = Object.fromEntries(Object.entries(doc).reverse()) as unknown as PrintableDocument;
    expect(Object.keys(reordered)[0]).not.toBe(Object.keys(doc)[0]);
    expect(documentContentSha256(reordered)).toBe(documentContentSha256(doc));
    expect(documentContentSha256({ ...doc, version: 2 })).not.toBe(documentContentSha256(doc));
    expect(verificationFor(doc).documentNumber).toBe('汨交罚〔2024〕第0001号-JD-01');
  });

  it('formats and parses document numbers as the case layer stores them', () => {
    expect(formatDocumentNumber(doc.number)).toBe('汨交罚〔2024〕第0001号-JD-01');
    expect(parseDocumentNumber('汨交罚〔2024〕第0001号-JD-01')).toEqual(doc.number);
    expect(() => parseDocumentNumber('汨交罚〔2024〕第0001号')).toThrow(/not a document number/);
  });

  it('gives every form its own code', () => {
    const codes = Object.values(DOCUMENT_FORMS).map((f) => f.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('dates in the bureau time zone', () => {
    const at = new Date('2024-05-12T16:05:00Z');
    expect(chineseDate(at, 'Asia/Shanghai')).toBe('2024年5月13日');
    expect(chineseDateTime(at, 'Asia/Shanghai')).toBe('2024年5月13日0时05分');
  });
});
