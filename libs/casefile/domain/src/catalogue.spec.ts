import { CATALOGUE, catalogueRank, inCatalogueOrder } from './catalogue';
import { attachmentDisposition, classifyIntegrity, extensionOf, fileNamePart, sha256Sums } from './manifest';

describe('case-file catalogue (卷内目录)', () => {
  it('orders documents by kind in procedure order, then by issue time', () => {
    const at = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m));
    const docs = [
      { id: 'd', kind: 'decision', createdAt: at(1) },
      { id: 'i2', kind: 'inquiry_record', createdAt: at(5) },
      { id: 'c', kind: 'closing_report', createdAt: at(0) },
      { id: 'f', kind: 'filing_approval', createdAt: at(9) },
      { id: 'i1', kind: 'inquiry_record', createdAt: at(3) },
      { id: 'x', kind: 'something_new', createdAt: at(0) },
      { id: 'l', kind: 'legal_review_opinion', createdAt: at(0) },
    ];
    expect(inCatalogueOrder(docs).map((d) => d.id)).toEqual(['f', 'i1', 'i2', 'l', 'd', 'c', 'x']);
  });

  it('files the reports of an Art. 66 count after the report of the trip, before other material', () => {
    const at = new Date(Date.UTC(2026, 0, 1));
    const docs = [
      { id: 'o', kind: 'other', createdAt: at },
      { id: 'm', kind: 'home_authority_measure_report', createdAt: at },
      { id: 'h', kind: 'home_authority_report', createdAt: at },
      { id: 'c', kind: 'closing_report', createdAt: at },
    ];
    expect(inCatalogueOrder(docs).map((d) => d.id)).toEqual(['c', 'h', 'm', 'o']);
  });

  // Listed by hand, not derived from the evaluation's completeness rules (@ecc/evaluation-domain
  // DEFAULT_EVALUATION_RULES): casefile and evaluation sit on one row of the layering (eslint.config.mjs
  // CONTEXT_ROWS), so neither may import the other, in a spec either. A document the evaluation comes to
  // require is added here by hand.
  it('covers the nine documents the evaluation requires, in that order', () => {
    const required = [
      'filing_approval',
      'inquiry_record',
      'evidence_list',
      'pre_penalty_notice',
      'legal_review_opinion',
      'decision',
      'proof_of_service',
      'payment_record',
      'closing_report',
    ];
    const ranks = required.map(catalogueRank);
    expect(ranks.every((r) => r < CATALOGUE.length)).toBe(true);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
  });
});

describe('case-file manifest helpers', () => {
  it('classifies an observed hash', () => {
    const h = 'a'.repeat(64);
    expect(classifyIntegrity(h, h.toUpperCase())).toBe('intact');
    expect(classifyIntegrity(h, 'b'.repeat(64))).toBe('mismatch');
    expect(classifyIntegrity(h, null)).toBe('missing');
  });

  it('writes sha256sum lines', () => {
    expect(sha256Sums([{ path: 'a/b.txt', sha256: 'ff' }])).toBe('ff  a/b.txt\n');
  });

  it('encodes a Chinese file name per RFC 5987 with an ASCII fallback', () => {
    const value = attachmentDisposition('案卷-汨交罚〔2026〕第0001号.zip', 'case-file-1.zip');
    expect(value).toBe(
      `attachment; filename="case-file-1.zip"; filename*=UTF-8''${encodeURIComponent('案卷-汨交罚〔2026〕第0001号.zip')}`,
    );
    expect(decodeURIComponent(value.split("UTF-8''")[1]!)).toBe('案卷-汨交罚〔2026〕第0001号.zip');
    expect(attachmentDisposition("a'b (c).zip", 'x"y.zip')).toBe(
      `attachment; filename="x_y.zip"; filename*=UTF-8''a%27b%20%28c%29.zip`,
    );
  });

  it('makes safe file-name parts and extensions', () => {
    expect(fileNamePart('汨交罚〔2026〕第0001号/LA-01')).toBe('汨交罚〔2026〕第0001号_LA-01');
    expect(fileNamePart('a\u0000b:c')).toBe('a_b_c');
    expect(fileNamePart('')).toBe('_');
    expect(extensionOf('image/jpeg')).toBe('jpg');
    expect(extensionOf('video/mp4; codecs=avc1')).toBe('mp4');
    expect(extensionOf('application/x-unknown')).toBe('bin');
  });
});
