import { DomainError } from '@ecc/shared-kernel';
import { parseVerificationPayload, verificationFor } from '@ecc/documents-domain';
import { renderCaseFile } from './render-case-file';
import { renderDocument } from './render-document';
import { sampleDocuments } from './sample-documents';

const decision = sampleDocuments()['decision']!;

describe('renderDocument', () => {
  it('gives the same bytes for the same version, whatever the clock says', async () => {
    const first = await renderDocument(decision);
    await new Promise((r) => setTimeout(r, 1100)); // a PDF dated by the clock would differ now
    const second = await renderDocument(structuredClone(decision));
    expect(Buffer.compare(first.pdf, second.pdf)).toBe(0);
    expect(second.sha256).toBe(first.sha256);
  });

  it('gives a new hash and a new code for a changed version', async () => {
    const first = await renderDocument(decision);
    const changed = await renderDocument({ ...decision, version: 2, createdAt: '2024-06-08T02:00:00.000Z' });
    expect(changed.sha256).not.toBe(first.sha256);
    expect(changed.verification.code).not.toBe(first.verification.code);
    expect(changed.verification.code.endsWith('-2')).toBe(true);
  });

  it('dates the PDF from the version and embeds no standard font', async () => {
    const { pdf, verification, qrPayload } = await renderDocument(decision);
    const raw = pdf.toString('latin1');
    const dates = [...raw.matchAll(/\(D:(\d{14})Z\)/g)].map((m) => m[1]);
    expect(dates).toEqual(['20240607020000', '20240607020000']); // CreationDate and ModDate
    expect(raw).toContain('<xmp:CreateDate>2024-06-07T02:00:00Z</xmp:CreateDate>');
    const baseFonts = [...raw.matchAll(/\/BaseFont \/(\S+)/g)].map((m) => m[1]);
    expect(baseFonts.length).toBeGreaterThan(0);
    for (const f of baseFonts) expect(f).toMatch(/^[A-Z]{6}\+NotoSerifSC-(Regular|Bold)$/);
    expect(verification).toEqual(verificationFor(decision));
    expect(parseVerificationPayload(qrPayload)).toEqual(verification);
  });

  it('prints the verification address given for the QR code', async () => {
    const { qrPayload } = await renderDocument(decision, { verifyBaseUrl: 'https://bureau.example/verify' });
    expect(qrPayload.startsWith('https://bureau.example/verify?code=')).toBe(true);
  });

  it('refuses a character the font cannot print, naming it', async () => {
    const rare = { ...decision, party: { kind: 'person' as const, name: '王\u{20000}' } };
    await expect(renderDocument(rare)).rejects.toThrow(/U\+20000/);
    await expect(renderDocument(rare)).rejects.toMatchObject({ code: 'document_characters_unsupported' });
  });

  it('refuses an invalid model with a validation error', async () => {
    await expect(renderDocument({ ...decision, blocks: [] })).rejects.toBeInstanceOf(DomainError);
  });

  it('prints rare but supported name characters (extension A and B of the 通用规范汉字表)', async () => {
    const named = { ...decision, party: { kind: 'person' as const, name: '龚䶮𬌗堃' } };
    await expect(renderDocument(named)).resolves.toMatchObject({ pageCount: 2 });
  });
});

describe('renderCaseFile', () => {
  const cover = {
    authority: '汨罗市交通运输局',
    caseNumber: '汨交罚〔2024〕第0001号',
    caseCause: '车辆湘F12345违法超限运输',
    party: '欧阳喆',
    filedOn: '2024年5月14日',
  };

  it('numbers the documents in the order given, cover and catalogue apart', async () => {
    const docs = sampleDocuments();
    const order = [docs['filing_approval']!, docs['decision']!, docs['proof_of_service']!];
    const file = await renderCaseFile({
      cover,
      documents: order,
      createdAt: '2024-06-24T02:00:00.000Z',
      timeZone: 'Asia/Shanghai',
    });
    expect(file.entries.map((e) => [e.name, e.firstPage, e.lastPage])).toEqual([
      ['立案审批表', 1, 1],
      ['行政处罚决定书', 2, 3],
      ['送达回证', 4, 4],
    ]);
    expect(file.entries[1]!.date).toBe('2024年6月7日');
    expect(file.pageCount).toBe(2 + 4);
    const again = await renderCaseFile({
      cover,
      documents: order,
      createdAt: '2024-06-24T02:00:00.000Z',
      timeZone: 'Asia/Shanghai',
    });
    expect(again.sha256).toBe(file.sha256);
  });

  it('refuses an empty case file', async () => {
    await expect(
      renderCaseFile({
        cover,
        documents: [],
        createdAt: '2024-06-24T02:00:00.000Z',
        timeZone: 'Asia/Shanghai',
      }),
    ).rejects.toMatchObject({
      code: 'case_file_invalid',
    });
  });
});
